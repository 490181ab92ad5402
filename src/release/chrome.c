/*
 * release/chrome.c — site chrome before a release's title: skip links, menus,
 * breadcrumbs, and the header lines (release time, publication details)
 * that stand between it and the title.
 */
#include "parse.h"

#include <string.h>

static GRegex *re_nav_split;

void chrome_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	re_nav_split = text_regex("\\s*(?:>|›|»|\\|)\\s*", 0);
	g_once_init_leave(&done, 1);
}

static const char *const nav_words[] = {
	"searcharea", "search", "news&notice", "newsandnotice", "home",
	"pressreleases", "pressrelease", "skiptocontent", "skiptomaincontent",
	"gotocontent", "mainmenu", "menu", "sitemap", "login", "english",
	"본문바로가기", "주메뉴바로가기", "메뉴바로가기", "본문으로바로가기", "홈",
	"알림·소식", "알림ㆍ소식", "알림소식", "알림마당", "보도자료", "검색", "메뉴",
	"전체메뉴", "로그인", "사이트맵", "브리핑룸", "뉴스", "소식", "한국어",
	/* the buttons of a board page around an article */
	"list", "print", "share", "prev", "next", "top", "목록", "인쇄", "공유", "공유하기",
	"이전글", "다음글", "맨위로",
};

static const char *const bullets[] = { "•", "·", "◦", "▪", "‣", "▶", "►", "*" };

bool chrome_is_bullet(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return true;
	return false;
}

static bool is_nav_word(const char *part)
{
	char *c = text_compact(part);
	bool nav = false;
	for (size_t i = 0; i < G_N_ELEMENTS(nav_words) && !nav; i++)
		nav = strcmp(c, nav_words[i]) == 0;
	g_free(c);
	return nav;
}

/* A navigation word or a breadcrumb trail of them ("홈 > 알림·소식 > 보도자료"). */
bool chrome_is_nav_trail(const char *line)
{
	chrome_init();
	const char *s = text_skip_space(line);
	char **parts = g_regex_split(re_nav_split, s, 0);
	bool nav = true;
	for (char **p = parts; *p && nav; p++)
		nav = **p == '\0' || is_nav_word(*p);
	g_strfreev(parts);
	return nav;
}

/* Site chrome before the title: a bulleted menu entry or a navigation trail.
 * (After the title a bullet opens list items of the body.) */
bool chrome_is_navigation(const char *line)
{
	const char *s = text_skip_space(line);
	return chrome_is_bullet(s) || chrome_is_nav_trail(s);
}

static const char *const header_keys[] = {
	"보도일시", "보도 일시", "보도시점", "보도 시점", "보도일", "배포일시", "배포 일시",
	"배포일", "배포", "엠바고", "등록일", "작성일", "조회수", "작성자", "date",
	"release date", "released", "posted", "views",
};

/* A header line before the title: release time, publication details. An
 * English key needs its colon ("Date: …"), or "Date night" would be one. */
bool chrome_is_header_line(const char *line)
{
	const char *s = text_skip_decoration(line);
	for (size_t i = 0; i < G_N_ELEMENTS(header_keys); i++) {
		const char *k = header_keys[i];
		if (!text_starts_with_word(s, k))
			continue;
		if ((k[0] & 0x80) || *text_skip_space(s + strlen(k)) == ':')
			return true;
	}
	char iso[11];
	return (g_utf8_strlen(line, -1) <= 30 && release_find_date(line, iso)) || org_is_letterhead(line);
}

