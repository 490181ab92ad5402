/*
 * release/chrome.c — what each line of a copied or saved page is: site
 * chrome (skip links, the e-government banner, landmarks, section and board
 * labels, controls and runs of them, search boxes, breadcrumbs, Prev/Next
 * links and a board's list of other posts, pictures' names and alt texts,
 * a table's residue, the site's notices, visitor surveys and footers),
 * metadata (the date line, "등록일 : …", "Date" and its value), a
 * department line (a line naming only a ministry and its division), a
 * release header (보도일시, a letterhead), a contact, a speaker tag, an end
 * mark, a body marker or section heading, a sentence of the body, or other
 * text (a headline among it).
 *
 * The kinds are facts about one line, seen on its own or after the line
 * before it (a label's value); which text line is the headline is decided
 * from their order by headline.c. The lists below are a starting list of
 * what Korean government sites print, taken from real pages (see
 * fixtures/pages/); the method is the structure, not the lists: a line not
 * on any list is still never the title when a better-placed one is there.
 * Lists are compared in compact form (text_compact: lower case, no white
 * space), so "글자크기 설정" and "글자크기설정" are one.
 */
#include "parse.h"

#include <string.h>

static GRegex *re_nav_split, *re_date_led, *re_label, *re_glued_date, *re_picture, *re_ident,
	*re_crumb_split;

void chrome_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	re_nav_split = text_regex("\\s*(?:>|›|»|\\||구분선)\\s*", 0);
	/* "2025.04.21 과학기술정보통신부", "2024-03-28", "2014.02.17." */
	re_date_led = text_regex("^(?:[\\[(]\\s*)?(?:19|20)[0-9]{2}\\s*[.\\-/]\\s*[0-9]{1,2}\\s*[.\\-/]\\s*[0-9]{1,2}"
	                         "\\.?(?:\\s|\\(|\\[|일|$)",
	                         0);
	/* A metadata label, alone, before ":" or glued to its value. English
	 * labels only alone, with ":" or before a digit or a month, so that
	 * "Date night" or "Division of labour" stays text. */
	re_label = text_regex(
		"^(?:게시일|등록일자|등록일|작성일자|작성일|수정일|최종수정일|조회수|조회|담당부서|부서명|"
		"담당자|작성자|붙임파일|본문파일|첨부파일|게시자|출처)(?:\\s*:|\\s*$|\\s*[0-9]|\\s+\\S|\\S)"
		"|^(?:date|hits?|views?|division|tel|time|posted|release date|written by|writer|author|"
		"created|updated|registered|department)"
		"(?:\\s*:|\\s*$|\\s*[0-9+(]|\\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
		"mon|tue|wed|thu|fri|sat|sun)|[A-Z])",
		G_REGEX_CASELESS);
	/* "… meeting with heads of public institutions 2021-07-07", "… 총력
	 * 대응(8.12.월)" (a day with its weekday; "정례브리핑 (7.2)" names the
	 * briefing, and stays) */
	re_glued_date = text_regex("(?:\\s(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}"
	                           "|\\s?\\([0-9]{1,2}\\.\\s?[0-9]{1,2}\\.?\\s?[월화수목금토일]\\))$", 0);
	re_picture = text_regex("\\.(?:jpe?g|png|gif|bmp|webp)(?:\\s+[0-9]+)?$", G_REGEX_CASELESS);
	/* An image's alt text or a file's name left as a line: "world1", "img-news" */
	re_ident = text_regex("^[a-z][a-z0-9]*(?:[-_][a-z0-9]+|[0-9]+)+$", 0);
	re_crumb_split = text_regex("\\s+(?:>|›|»)\\s+", 0);
	g_once_init_leave(&done, 1);
}

/* Compact forms of chrome lines as a whole. */
static const char *const chrome_lines[] = {
	/* English skip links */
	"skipmenu", "skiptocontent", "skiptomaincontent", "skipnavigation", "skiptomenu", "skip",
	"gotocontent", "gotocontents", "gotomaincontent", "gotomenu", "gotomainmenu",
	"contentshortcut", "maincontentmenu", "shortcutmenu", "thebodygo", "mainmenugo",
	"shortcutstotext", "gnbcontentfooter",
	/* the e-government banner's other lines */
	"공식누리집주소확인하기", "운영중인공식누리집보기",
	/* landmarks of the page's frame */
	"메인네비게이션", "하단배너영역", "히단배너영역", "menu", "메뉴", "주메뉴", "전체메뉴",
	"서브메뉴", "mainmenu",
	/* controls other than the control words below: read-aloud, search,
	 * language, pop-ups */
	"본문듣기를종료하였습니다.", "미니플레이", "상단으로이동", "맨위로", "prev", "next",
	"검색창열기", "검색", "search", "kor", "eng", "english", "한국어", "배너닫기", "추가하기",
	"사용자별맞춤메뉴", "자주찾는메뉴", "추천뉴스", "attachmentdownload",
	"downloadattachmentdownload", "sitemap", "login", "로그인", "사이트맵", "bigimage",
	"inputkeywordsearch(newopen)", "뉴스검색어입력양식", "보도자료검색", "listofarticles",
	"게시물목록", "단축키", "[오늘그만보기]", "오늘그만보기", "오늘하루열지않기", "[닫기]",
	/* the visitor survey many sites end with */
	"surveyofvisitors'satisfaction", "현재페이지의내용에만족하십니까?", "만족도조사",
};

/* Controls: text size, read-aloud speed, print, share, list, view and
 * download. A line made of nothing but these, strung together in any order
 * or number with or without spaces ("폰트 확대 폰트 축소 프린트하기",
 * "글자크기 설정", "인쇄하기 목록"), is chrome. */
static const char *const control_words[] = {
	"글자크기", "글자확대", "글자축소", "확대", "축소", "폰트확대", "폰트축소", "인쇄", "인쇄하기",
	"프린트", "프린트하기", "목록", "목록으로", "공유", "공유하기", "url복사", "주소복사", "페이스북",
	"트위터", "카카오톡", "카카오스토리", "밴드", "블로그", "스크랩", "저장", "본문듣기", "듣기",
	"말하기속도", "설정", "닫기", "print", "list", "share", "facebook", "twitter", "kakaotalk",
	"blog", "email", "e-mail", "top", "zoomin", "zoomout", "fontsize", "+", "-", "크게", "작게",
	"위로", "아래로", "댓글로", "가기", "바로보기",
	"내려받기", "다운받기", "다운로드", "미리보기", "뷰어", "download", "preview", "view",
};

/* Section and board labels, and the landmarks that open the content:
 * chrome, and what a headline often follows. */
static const char *const label_lines[] = {
	"콘텐츠영역", "컨텐츠영역", "본문영역", "본문", "공통뷰", "contentsarea", "contentarea",
	"detailcontentarea",
	"보도자료", "브리핑룸", "브리핑", "보도·해명", "보도해명", "보도설명", "설명자료",
	"외교부브리핑", "공지사항", "언론보도설명·정정", "게시물조회", "알림·소식", "알림ㆍ소식",
	"알림소식", "알림마당", "간행물·통계", "리스트상세", "정책브리핑", "정책뉴스", "보도자료상세",
	"보도자료제목", "뉴스", "소식", "홈", "pressbriefings", "pressbriefing", "pressreleases",
	"pressrelease", "boardview", "photonews", "moelnews", "what'snew", "whatsnew", "alltopics",
	"newsfocus", "newsandannouncements", "news&announcements", "news&notice", "newsandnotice",
	"searcharea", "news", "topics", "briefingroom", "home", "policiesrssrss",
};

/* Lines that open with one of these are Prev/Next links. */
static const char *const prev_next[] = {
	"이전다음기사", "이전기사", "다음기사", "이전글", "다음글", "현재글", "이전문서", "다음문서",
	"prev이전", "next다음", "prevpost", "nextpost", "previouspost",
};

/* The navigation words a breadcrumb is made of ("홈 > 알림·소식 > 보도자료"). */
static const char *const nav_words[] = {
	"searcharea", "search", "news&notice", "newsandnotice", "home", "pressreleases",
	"pressrelease", "skiptocontent", "skiptomaincontent", "gotocontent", "mainmenu", "menu",
	"sitemap", "login", "english", "본문바로가기", "주메뉴바로가기", "메뉴바로가기",
	"본문으로바로가기", "홈", "홈으로", "알림·소식", "알림ㆍ소식", "알림소식", "알림마당", "보도자료",
	"검색", "메뉴", "전체메뉴", "로그인", "사이트맵", "브리핑룸", "뉴스", "소식", "한국어", "list",
	"print", "share", "prev", "next", "top", "목록", "인쇄", "공유", "공유하기", "이전글", "다음글",
	"맨위로", "topics", "alltopics",
};

static const char *const end_marks[] = { "<끝>", "(끝)", "끝.", "-끝-", "<end>", "-end-", "(end)" };

static const char *const bullets[] = { "•", "·", "◦", "▪", "‣", "▶", "►", "*" };

static bool in_compact(const char *compact, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(compact, list[i]) == 0)
			return true;
	return false;
}
#define IN(c, list) in_compact((c), (list), G_N_ELEMENTS(list))

bool chrome_is_bullet(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return true;
	return false;
}

/* Past a bullet or dash a list item opens with ("  • Print", "- 게시일"). */
static const char *skip_bullet(const char *line)
{
	const char *s = text_skip_space(line);
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return text_skip_space(s + strlen(bullets[i]));
	if (*s == '-' && s[1] == ' ')
		return text_skip_space(s + 1);
	return s;
}

/* A navigation word or a breadcrumb trail of them ("홈 > 알림·소식 > 보도자료"). */
bool chrome_is_nav_trail(const char *line)
{
	chrome_init();
	const char *s = text_skip_space(line);
	char **parts = g_regex_split(re_nav_split, s, 0);
	bool nav = true;
	for (char **p = parts; *p && nav; p++) {
		char *c = text_compact(*p);
		nav = !*c || IN(c, nav_words);
		g_free(c);
	}
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
	"배포일", "배포", "엠바고", "embargo", "release date", "released",
};

/* A header line before the title: release time, publication details. An
 * English key needs its colon ("Embargo: …"). */
static bool is_header_line(const char *line)
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

/* Does the line read as a sentence of prose? Korean prose ends "…다." (or
 * "…다." before a closing quote), "…요."; English prose is a run of words
 * ending with a full stop, or simply long. A headline is neither. */
static bool is_sentence(const char *s)
{
	glong chars = g_utf8_strlen(s, -1);
	size_t n = strlen(s);
	while (n > 0 && strchr("\"'”’) ", s[n - 1]))
		n--;
	if (n >= 4 && (strncmp(s + n - 4, "다.", 4) == 0 || strncmp(s + n - 4, "요.", 4) == 0))
		return true;
	if (chars > 250)
		return true;
	if (n > 0 && (s[n - 1] == '.' || s[n - 1] == '?')) {
		int words = 1;
		for (const char *p = s; *p; p++)
			words += *p == ' ' && p[1] && p[1] != ' ';
		return words >= 6;
	}
	return false;
}

/* Notices a site prints about itself, whatever the release: korea.kr's
 * note on a reposted release, the presidential archive's banners, a
 * visitor survey's question and its score options. By their compact form. */
static bool is_site_notice(const char *c)
{
	static const char *const within[] = {
		"보도자료를전재하여제공함을알려드립니다", "대통령기록물입니다", "대통령웹기록물담당자",
		"presidentialrecordsmaintained", "howsatisfiedyouarewithourwebsite", "만족하십니까",
		"홈페이지로이동합니다",
	};
	static const char *const opening[] = { "만족도1~5점", "총5점중", "lastmodified" };
	for (size_t i = 0; i < G_N_ELEMENTS(within); i++)
		if (strstr(c, within[i]))
			return true;
	for (size_t i = 0; i < G_N_ELEMENTS(opening); i++)
		if (g_str_has_prefix(c, opening[i]))
			return true;
	return false;
}

/* Has s a letter or a digit (not only punctuation, rules and markers)? */
static bool has_word_char(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (g_unichar_isalnum(g_utf8_get_char(p)))
			return true;
	return false;
}

/* Is compact a run of control words, one after another? */
static bool only_controls(const char *compact)
{
	if (!*compact)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(control_words); i++) {
		size_t n = strlen(control_words[i]);
		if (strncmp(compact, control_words[i], n) == 0 && only_controls(compact + n))
			return true;
	}
	return false;
}

/* A row of controls with one other word among them ("크게 작게 위로
 * 아래로 댓글로 가기 인쇄 첨부"): four words or more, all but one controls. */
static bool mostly_controls(const char *s)
{
	char **words = g_strsplit_set(s, " \t", -1);
	int n = 0, controls = 0;
	for (char **w = words; *w; w++) {
		if (!**w)
			continue;
		char *c = text_compact(*w);
		n++;
		controls += only_controls(c);
		g_free(c);
	}
	g_strfreev(words);
	return n >= 4 && controls >= n - 1;
}

/* The header row of a board's list of posts ("번호 제목 글쓴이 날짜 조회
 * 수", "No. Title Writer Date Hit"): its rows, other releases, follow. */
static bool is_board_header(const char *s)
{
	static const char *const columns[] = {
		"번호", "제목", "글쓴이", "작성자", "날짜", "등록일", "작성일", "조회", "조회수", "수",
		"첨부", "첨부파일", "파일", "부서", "담당부서", "no", "no.", "title", "writer", "author",
		"date", "hit", "hits", "views", "file", "department",
	};
	char *lower = g_utf8_strdown(s, -1);
	char **words = g_strsplit_set(lower, " \t", -1);
	int n = 0;
	bool all = true;
	for (char **w = words; *w && all; w++)
		if (**w) {
			n++;
			all = IN(*w, columns);
		}
	g_strfreev(words);
	g_free(lower);
	return all && n >= 3;
}

/* A breadcrumb: three or more short parts joined by ">" ("연합뉴스 홈 >
 * 보도자료 > 내용보기 | 인쇄"). */
static bool is_breadcrumb(const char *s)
{
	char **parts = g_regex_split(re_crumb_split, s, 0);
	guint n = g_strv_length(parts);
	bool crumb = n >= 3;
	for (guint i = 0; i < n && crumb; i++)
		crumb = g_utf8_strlen(parts[i], -1) <= 20;
	g_strfreev(parts);
	return crumb;
}

/* A numbered section heading of a body ("I. 모두 발언", "Ⅱ. 질의응답",
 * "1. Minister's Schedule"): a roman or arabic number, a dot, a few words,
 * not indented. */
static bool is_section_heading(const char *s)
{
	static const char *const romans[] = { "IV", "III", "II", "I", "VI", "V", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ" };
	const char *p = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(romans) && !p; i++)
		if (g_str_has_prefix(s, romans[i]))
			p = s + strlen(romans[i]);
	if (!p && g_ascii_isdigit(*s)) {
		p = s;
		while (g_ascii_isdigit(*p))
			p++;
		if (p - s > 2)
			return false;
	}
	return p && *p == '.' && p[1] == ' ' && g_utf8_strlen(p, -1) <= 40;
}

/* Markers that open the body's paragraphs and list items. */
static bool opens_body(const char *s)
{
	static const char *const marks[] = { "□", "■", "○", "●", "ㅇ", "▷", "▲", "△", "◇", "◆", "①",
		                             "②", "③", "➊", "°" };
	for (size_t i = 0; i < G_N_ELEMENTS(marks); i++)
		if (g_str_has_prefix(s, marks[i]))
			return true;
	return false;
}

static bool is_speaker(const char *s)
{
	size_t n = strlen(s);
	glong chars = g_utf8_strlen(s, -1);
	if (n < 3 || chars > 60 || s[n - 1] != '>')
		return false;
	if (s[0] == '<')
		return strchr(s + 1, '<') == NULL && strcmp(s, "<끝>") != 0;
	/* "최대환 앵커>", "이정연 기자>" */
	return g_str_has_suffix(s, "앵커>") || g_str_has_suffix(s, "기자>") ||
	       g_str_has_suffix(s, "리포터>");
}

/* The end mark line opens with, or NULL: one in brackets or dashes
 * ("끝." opens words too). */
static const char *end_mark_of(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(end_marks); i++)
		if (strchr("<(-", end_marks[i][0]) &&
		    g_ascii_strncasecmp(s, end_marks[i], strlen(end_marks[i])) == 0)
			return end_marks[i];
	return NULL;
}

bool chrome_is_list_button(const char *line)
{
	static const char *const buttons[] = { "목록", "목록으로", "목록보기", "list", "tolist", "listview" };
	char *c = text_compact(line);
	bool yes = IN(c, buttons);
	g_free(c);
	return yes;
}

bool chrome_opens_with_end(const char *line)
{
	return end_mark_of(text_skip_space(line)) != NULL;
}

static line_kind kind_of(const char *line)
{
	const char *s = text_skip_space(line);
	if (!*s)
		return LINE_BLANK;
	/* "(끝)출처 : 산업통상자원부 보도자료": what follows the end mark(s),
	 * which the recursion below does not begin with */
	const char *rest = s;
	for (const char *end; (end = end_mark_of(rest));)
		rest = text_skip_space(rest + strlen(end));
	if (rest != s && *rest) {
		line_kind k = kind_of(rest);
		return k == LINE_META || k == LINE_CONTACT || k == LINE_DEPT ? k : LINE_END;
	}
	glong chars = g_utf8_strlen(s, -1);
	char *c = text_compact(s);
	const char *b = skip_bullet(s);
	char *cb = b != s ? text_compact(b) : NULL;
	const char *k = cb ? cb : c;
	line_kind kind = LINE_TEXT;

	if (IN(c, end_marks))
		kind = LINE_END;
	else if (IN(k, label_lines))
		kind = LINE_LABEL;
	else if (IN(k, chrome_lines) || strstr(c, "공식전자정부누리집입니다") || is_site_notice(k) ||
	         g_str_has_prefix(c, "go.kr주소를사용하는누리집은") || g_str_has_prefix(c, "이밖에or.kr") ||
	         g_str_has_suffix(c, "시작부분입니다.") || g_str_has_prefix(c, "사이트이동경로") ||
	         strstr(c, "인터넷익스플로러를지원하지않습니다") || strstr(c, "브라우저를업데이트") ||
	         (chars <= 40 && strstr(c, "바로가기")))
		kind = LINE_CHROME;
	else if (g_regex_match(re_date_led, b, 0, NULL) && chars <= 120)
		kind = LINE_META;
	else if (g_regex_match(re_label, b, 0, NULL) && chars <= 100)
		kind = LINE_META;
	else if (chars <= 60 && org_is_department_line(b))
		kind = LINE_DEPT; /* "Ministry of Unification", "외교부 대변인실" */
	else if (contact_is_line(s))
		kind = LINE_CONTACT;
	else if (is_header_line(s))
		kind = LINE_HEADER;
	else if (is_speaker(s))
		kind = LINE_SPEAKER;
	else if (chars <= 120 && g_regex_match(re_picture, s, 0, NULL))
		kind = LINE_CHROME;
	else if (chars <= 40 && (only_controls(k) || mostly_controls(s) || g_regex_match(re_ident, s, 0, NULL)))
		kind = LINE_CHROME;
	else if (chars <= 30 && (!has_word_char(s) || g_str_has_suffix(s, "|")))
		kind = LINE_CHROME; /* a table's residue: "---|", " |", "첨부 '1' |" */
	else if (chars <= 200 && (is_breadcrumb(s) || is_board_header(s)))
		kind = LINE_CHROME;
	else if (chars <= 200 && (g_str_has_prefix(c, "copyright") || g_str_has_prefix(c, "ⓒ") ||
	                          g_str_has_prefix(c, "©") || strstr(c, "allrightsreserved")))
		kind = LINE_CHROME; /* the site's footer */

	else if (chars <= 120 && (g_str_has_prefix(c, "home>") || g_str_has_prefix(c, "홈>") ||
	                          (g_str_has_prefix(c, "home") && strstr(c, "구분선"))))
		kind = LINE_CHROME; /* a breadcrumb ("Home > Policy > News") */
	else if (chrome_is_nav_trail(s))
		kind = LINE_CHROME;
	else if (opens_body(s) || (s == line && is_section_heading(s)))
		kind = LINE_MARKER; /* (indented, a number is a menu's entry) */
	else if (is_sentence(s))
		kind = LINE_SENTENCE;
	if (kind == LINE_TEXT || kind == LINE_SENTENCE)
		for (size_t i = 0; i < G_N_ELEMENTS(prev_next); i++)
			if (g_str_has_prefix(k, prev_next[i]) && chars <= 200)
				kind = LINE_PREV_NEXT;
	g_free(c);
	g_free(cb);
	return kind;
}

/* A row of a board's list: a post's number first, its date in it. */
static bool is_board_row(const char *line)
{
	const char *s = text_skip_space(line);
	char iso[11];
	return g_ascii_isdigit(*s) && g_utf8_strlen(s, -1) <= 200 && release_find_date(s, iso);
}

void chrome_kinds(char **lines, line_kind *kinds)
{
	chrome_init();
	bool after_label = false, in_board = false;
	for (int i = 0; lines[i]; i++) {
		kinds[i] = kind_of(lines[i]);
		/* Under a board's header row, its rows are links to other posts. */
		if (kinds[i] == LINE_CHROME && is_board_header(text_skip_space(lines[i])))
			in_board = true;
		else if (in_board && kinds[i] != LINE_BLANK && is_board_row(lines[i]))
			kinds[i] = LINE_PREV_NEXT;
		else if (kinds[i] != LINE_BLANK)
			in_board = false;
		/* A label alone ("Date", "게시일", "- 조회수") is followed by its
		 * value: a short line of its own. */
		if (after_label && (kinds[i] == LINE_TEXT || kinds[i] == LINE_SENTENCE) &&
		    g_utf8_strlen(text_skip_space(lines[i]), -1) <= 40)
			kinds[i] = LINE_META;
		if (kinds[i] != LINE_BLANK) {
			const char *s = skip_bullet(lines[i]);
			char *c = text_compact(s);
			after_label = kinds[i] == LINE_META && !g_regex_match(re_date_led, s, 0, NULL) &&
			              (strchr(s, ':') ? !*text_skip_space(strchr(s, ':') + 1) : g_utf8_strlen(c, -1) <= 6);
			g_free(c);
		}
	}
}

bool chrome_glued_date(const char *line, size_t *cut)
{
	chrome_init();
	GMatchInfo *mi = NULL;
	bool yes = g_regex_match(re_glued_date, line, 0, &mi);
	if (yes) {
		gint start, end;
		g_match_info_fetch_pos(mi, 0, &start, &end);
		*cut = (size_t)start;
	}
	g_match_info_free(mi);
	return yes;
}
