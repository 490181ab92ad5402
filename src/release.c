/*
 * release.c — decoding and parsing of a release document.
 *
 * The release is read as a sequence of lines. Before the title stands site
 * chrome (navigation) and sometimes a header (release time, contact); the
 * title is the first line that is neither. Then come subtitle lines, the
 * body, and a tail of contact, attachment and licence lines. The fields are
 * found by heuristics that favour the layouts ministries actually publish;
 * where one guesses wrong the checks downstream report a warning rather
 * than an error, so a wrong guess costs a record, never a release.
 */
#include "release.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "license.h"

/* ---- decoding ---- */

static bool is_hangul_syllable(gunichar c)
{
	return c >= 0xAC00 && c <= 0xD7A3;
}

static bool is_control(gunichar c)
{
	if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return false;
	return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/* Text files hold next to no control characters; more than one in twenty
 * means the bytes were never text. */
static bool mostly_control_bytes(const char *b, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += is_control((unsigned char)b[i]) && (unsigned char)b[i] < 0x80;
	return len > 0 && n * 20 > len;
}

static bool mostly_control_text(const char *s)
{
	size_t n = 0, total = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		n += is_control(g_utf8_get_char(p));
		total++;
	}
	return total > 0 && n * 20 > total;
}

/*
 * CP949 (a superset of EUC-KR) decodes most byte strings to something, so
 * a trial conversion proves little by itself: accept it only when Hangul
 * syllables make up at least half of the non-ASCII characters, as in any
 * Korean text and in no random data.
 */
static char *try_cp949(const char *bytes, size_t len)
{
	gsize written = 0;
	char *s = g_convert(bytes, len, "UTF-8", "CP949", NULL, &written, NULL);
	if (!s)
		return NULL;
	size_t nonascii = 0, hangul = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0x80)
			nonascii++;
		if (is_hangul_syllable(c))
			hangul++;
	}
	if (strlen(s) != written || nonascii == 0 || hangul * 2 < nonascii) {
		g_free(s);
		return NULL;
	}
	return s;
}

static bool only_whitespace(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)) && g_utf8_get_char(p) != 0xFEFF)
			return false;
	return true;
}

/* The bytes as UTF-8; *encoding receives the static name of what they were. */
static char *decode(const char *bytes, size_t len, const char *name,
                    const char **encoding, GError **err)
{
	const unsigned char *b = (const unsigned char *)bytes;
	char *utf8 = NULL;
	gsize written = 0;

	if (len == 0)
		goto empty;
	if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		bool le = b[0] == 0xFF;
		*encoding = le ? "UTF-16LE with BOM" : "UTF-16BE with BOM";
		utf8 = g_convert(bytes + 2, len - 2, "UTF-8", le ? "UTF-16LE" : "UTF-16BE",
		                 NULL, &written, NULL);
		if (!utf8) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: undecodable: invalid %s", name, *encoding);
			goto out;
		}
	} else if (memchr(bytes, '\0', len)) {
		goto binary;
	} else if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		*encoding = "UTF-8 with BOM";
		if (!g_utf8_validate_len(bytes + 3, len - 3, NULL)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: undecodable: invalid UTF-8 after a UTF-8 BOM", name);
			goto out;
		}
		written = len - 3;
		utf8 = g_strndup(bytes + 3, written);
	} else if (g_utf8_validate_len(bytes, len, NULL)) {
		*encoding = "UTF-8";
		written = len;
		utf8 = g_strndup(bytes, len);
	} else if ((utf8 = try_cp949(bytes, len))) {
		*encoding = "EUC-KR";
		written = strlen(utf8);
	} else if (mostly_control_bytes(bytes, len)) {
		goto binary;
	} else {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: undecodable: neither UTF-8, UTF-16 with BOM nor EUC-KR", name);
		goto out;
	}
	/* UTF-16 of binary data decodes, NULs and all. */
	if (strlen(utf8) != written || mostly_control_text(utf8))
		goto binary;
	if (only_whitespace(utf8))
		goto empty;
	return utf8;

binary:
	g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not text (binary data)", name);
	goto out;
empty:
	g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty", name);
out:
	g_free(utf8);
	return NULL;
}

/* ---- HTML, crudely: tags dropped, block ends made line ends ---- */

static bool has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

static void append_entity(GString *out, const char **pp)
{
	static const struct { const char *name; const char *text; } named[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&apos;", "'" }, { "&#39;", "'" }, { "&nbsp;", " " }, { "&middot;", "·" },
	};
	const char *p = *pp;
	for (size_t i = 0; i < G_N_ELEMENTS(named); i++) {
		size_t n = strlen(named[i].name);
		if (g_ascii_strncasecmp(p, named[i].name, n) == 0) {
			g_string_append(out, named[i].text);
			*pp = p + n;
			return;
		}
	}
	if (p[1] == '#') {
		char *end;
		bool hex = p[2] == 'x' || p[2] == 'X';
		unsigned long c = strtoul(p + (hex ? 3 : 2), &end, hex ? 16 : 10);
		if (*end == ';' && end > p + 2 && c > 0 && g_unichar_validate((gunichar)c)) {
			g_string_append_unichar(out, (gunichar)c);
			*pp = end + 1;
			return;
		}
	}
	g_string_append_c(out, '&');
	*pp = p + 1;
}

/* HTML proper (libxml2) comes with issue 3; until then this keeps the
 * words of a page and its line structure, which is all parsing needs. */
static char *html_to_text(const char *html)
{
	static const char *const blocks[] = {
		"br", "p", "/p", "div", "/div", "li", "/li", "tr", "/tr", "h1", "/h1", "h2",
		"/h2", "h3", "/h3", "h4", "/h4", "td", "/td", "th", "/th",
	};
	GString *out = g_string_new(NULL);
	const char *p = html;
	while (*p) {
		if (*p == '&') {
			append_entity(out, &p);
			continue;
		}
		if (*p != '<') {
			g_string_append_c(out, *p++);
			continue;
		}
		if (g_str_has_prefix(p, "<!--")) {
			const char *e = strstr(p, "-->");
			p = e ? e + 3 : p + strlen(p);
			continue;
		}
		const char *name = p + 1;
		size_t n = strcspn(name, " \t\r\n/>");
		if (name[0] == '/')
			n = 1 + strcspn(name + 1, " \t\r\n>");
		/* The head holds the page's <title>, the site's name, not the
		 * release's. */
		if ((n == 6 && g_ascii_strncasecmp(name, "script", 6) == 0) ||
		    (n == 5 && g_ascii_strncasecmp(name, "style", 5) == 0) ||
		    (n == 4 && g_ascii_strncasecmp(name, "head", 4) == 0)) {
			/* Without its end tag (legal for head) only the tag goes. */
			char *close = g_strdup_printf("</%.*s", (int)n, name);
			const char *e = strcasestr(p, close);
			g_free(close);
			if (e)
				p = e;
		}
		for (size_t i = 0; i < G_N_ELEMENTS(blocks); i++)
			if (strlen(blocks[i]) == n && g_ascii_strncasecmp(name, blocks[i], n) == 0)
				g_string_append_c(out, '\n');
		const char *e = strchr(p, '>');
		p = e ? e + 1 : p + strlen(p);
	}
	return g_string_free(out, FALSE);
}

/* ---- lines ---- */

/* Remove trailing white space (any Unicode space) in place. */
static void rtrim(char *s)
{
	char *end = s + strlen(s);
	while (end > s) {
		char *prev = g_utf8_find_prev_char(s, end);
		gunichar c = g_utf8_get_char(prev);
		if (!g_unichar_isspace(c) && c != 0xFEFF)
			break;
		end = prev;
	}
	*end = '\0';
}

static const char *skip_space(const char *s)
{
	while (*s && g_unichar_isspace(g_utf8_get_char(s)))
		s = g_utf8_next_char(s);
	return s;
}

/* A trimmed copy. */
static char *trimmed(const char *s)
{
	char *t = g_strdup(skip_space(s));
	rtrim(t);
	return t;
}

/* Lower-cased, white space removed: the form navigation words are
 * compared in, so that "알림 · 소식" is "알림·소식". */
static char *compact(const char *s)
{
	char *lower = g_utf8_strdown(s, -1);
	GString *out = g_string_new(NULL);
	for (const char *p = lower; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_isspace(c))
			g_string_append_unichar(out, c);
	}
	g_free(lower);
	return g_string_free(out, FALSE);
}

/* Does s start with prefix, a whole word (not followed by a letter)? */
static bool starts_with_word(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (g_ascii_strncasecmp(s, prefix, n) != 0)
		return false;
	return s[n] == '\0' || !g_unichar_isalnum(g_utf8_get_char(s + n));
}

/* ---- navigation and header lines ---- */

/* Compact forms (see compact()) of the site chrome of ministry pages. */
static const char *const nav_words[] = {
	"searcharea", "search", "news&notice", "newsandnotice", "home",
	"pressreleases", "pressrelease", "skiptocontent", "skiptomaincontent",
	"gotocontent", "mainmenu", "menu", "sitemap", "login", "english",
	"본문바로가기", "주메뉴바로가기", "메뉴바로가기", "본문으로바로가기", "홈",
	"알림·소식", "알림ㆍ소식", "알림소식", "알림마당", "보도자료", "검색", "메뉴",
	"전체메뉴", "로그인", "사이트맵", "브리핑룸", "뉴스", "소식", "한국어",
};

static const char *const bullets[] = { "•", "·", "◦", "▪", "‣", "▶", "►", "*" };

static bool is_nav_word(const char *part)
{
	char *c = compact(part);
	bool nav = false;
	for (size_t i = 0; i < G_N_ELEMENTS(nav_words) && !nav; i++)
		nav = strcmp(c, nav_words[i]) == 0;
	g_free(c);
	return nav;
}

/* Site chrome: a bulleted menu entry, a navigation word, or a breadcrumb
 * trail of navigation words ("홈 > 알림·소식 > 보도자료"). */
static bool is_navigation(const char *line)
{
	const char *s = skip_space(line);
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return true;
	char **parts = g_regex_split_simple("\\s*(?:>|›|»|\\|)\\s*", s, 0, 0);
	bool nav = true;
	for (char **p = parts; *p && nav; p++)
		nav = **p == '\0' || is_nav_word(*p);
	g_strfreev(parts);
	return nav;
}

static const char *const contact_openers[] = {
	"contact", "for further information", "for more information", "inquiries",
	"enquiries", "inquiry", "media contact", "press contact",
	"문의", "담당", "전화", "이메일", "연락처", "보도문의", "취재문의",
};

static const char *const contact_words[] = {
	"contact", "for further information", "inquiries", "enquiries",
	"문의", "담당", "전화", "이메일", "연락처",
};

static char *first_match(const char *pattern, GRegexCompileFlags flags, int group, const char *s);

static char *find_phone(const char *s)
{
	/* +82-44-202-4034, 044-202-4034, 02-123-4567, (044) 202-4034 */
	return first_match("(?<![0-9])(?:\\+82[-. ]?(?:\\(0\\))?[0-9]{1,2}|\\(0[0-9]{1,2}\\)|0[0-9]{1,2})"
	                   "[-. ]?[0-9]{3,4}[-. ][0-9]{4}(?![0-9])",
	                   0, 0, s);
}

static char *find_email(const char *s)
{
	return first_match("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}", 0, 0,
	                   s);
}

static bool contains_ci(const char *hay, const char *needle)
{
	char *h = g_utf8_strdown(hay, -1);
	bool found = strstr(h, needle) != NULL;
	g_free(h);
	return found;
}

/* Skip the decoration a line may open with: "※ 문의:", "[Contact]", "<담당>". */
static const char *skip_decoration(const char *s)
{
	while (*s) {
		gunichar c = g_utf8_get_char(s);
		if (g_unichar_isalnum(c))
			break;
		s = g_utf8_next_char(s);
	}
	return s;
}

static bool has_contact_word(const char *line)
{
	for (size_t i = 0; i < G_N_ELEMENTS(contact_words); i++)
		if (contains_ci(line, contact_words[i]))
			return true;
	return false;
}

/*
 * A line that gives the contact, not merely one that says "contact": it
 * opens with a contact word ("For further information, please contact …",
 * "문의: …"), or it says one and holds a phone number or an e-mail address
 * without being a sentence of Korean prose ("…로 문의하면 된다.").
 */
static bool is_contact_line(const char *line)
{
	if (!has_contact_word(line))
		return false;
	const char *s = skip_decoration(line);
	/* Korean words take particles and suffixes ("문의처", "담당자"). */
	for (size_t i = 0; i < G_N_ELEMENTS(contact_openers); i++) {
		const char *o = contact_openers[i];
		if ((o[0] & 0x80) ? g_str_has_prefix(s, o) : starts_with_word(s, o))
			return true;
	}
	if (g_str_has_suffix(line, "다."))
		return false;
	char *phone = find_phone(line);
	char *email = phone ? NULL : find_email(line);
	bool found = phone || email;
	g_free(phone);
	g_free(email);
	return found;
}

static const char *const header_keys[] = {
	"보도일시", "보도 일시", "보도시점", "보도 시점", "보도일", "배포일시", "배포 일시",
	"배포일", "배포", "엠바고", "등록일", "작성일", "조회수", "작성자", "date",
	"release date", "released", "posted", "views",
};

/* A header line before the title: release time, publication details. An
 * English key needs its colon ("Date: …"), or "Date night" would be one. */
static bool is_header_line(const char *line)
{
	const char *s = skip_decoration(line);
	for (size_t i = 0; i < G_N_ELEMENTS(header_keys); i++) {
		const char *k = header_keys[i];
		if (!starts_with_word(s, k))
			continue;
		if ((k[0] & 0x80) || *skip_space(s + strlen(k)) == ':')
			return true;
	}
	char iso[11];
	return g_utf8_strlen(line, -1) <= 30 && release_find_date(line, iso);
}

/* ---- dates ---- */

#define MONTHS "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
               "aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

/* Each form, and which match group holds year, month and day. */
static const struct {
	const char *pattern;
	int y, m, d;
} date_forms[] = {
	{ "(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])", 1, 2, 3 },
	{ "(?<![0-9])([0-9]{4})\\s*([./])\\s*([0-9]{1,2})\\s*\\2\\s*([0-9]{1,2})(?![0-9])\\.?",
	  1, 3, 4 },
	{ "(?<![0-9])([0-9]{4})\\s*년\\s*([0-9]{1,2})\\s*월\\s*([0-9]{1,2})\\s*일", 1, 2, 3 },
	{ "\\b" MONTHS "\\.?\\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\\s+([0-9]{4})(?![0-9])", 3, 1, 2 },
	{ "(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?\\s+" MONTHS "\\.?,?\\s+([0-9]{4})(?![0-9])",
	  3, 2, 1 },
};

static int month_number(const char *s)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec" };
	if (g_ascii_isdigit(s[0]))
		return atoi(s);
	for (int i = 0; i < 12; i++)
		if (g_ascii_strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* Format the date a match found, when it is a real one. Years outside
 * 1900–2100 are numbers that look like dates, not release dates. */
static bool match_to_iso(GMatchInfo *mi, int form, char iso[11])
{
	char *ys = g_match_info_fetch(mi, date_forms[form].y);
	char *ms = g_match_info_fetch(mi, date_forms[form].m);
	char *ds = g_match_info_fetch(mi, date_forms[form].d);
	int y = atoi(ys), m = month_number(ms), d = atoi(ds);
	bool ok = y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
	          g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
	if (ok)
		g_snprintf(iso, 11, "%04d-%02d-%02d", y, m, d);
	g_free(ys);
	g_free(ms);
	g_free(ds);
	return ok;
}

bool release_parse_date(const char *s, char iso[11])
{
	bool ok = false;
	if (!s)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms) && !ok; i++) {
		char *whole = g_strdup_printf("^\\s*(?:%s)\\s*$", date_forms[i].pattern);
		GRegex *re = g_regex_new(whole, G_REGEX_CASELESS, 0, NULL);
		GMatchInfo *mi = NULL;
		if (g_regex_match(re, s, 0, &mi))
			ok = match_to_iso(mi, (int)i, iso);
		g_match_info_free(mi);
		g_regex_unref(re);
		g_free(whole);
	}
	return ok;
}

bool release_find_date(const char *text, char iso[11])
{
	gint best = -1;
	if (!text)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms); i++) {
		GRegex *re = g_regex_new(date_forms[i].pattern, G_REGEX_CASELESS, 0, NULL);
		GMatchInfo *mi = NULL;
		g_regex_match(re, text, 0, &mi);
		/* An impossible date (2024-02-30) is skipped, not the end of the search. */
		for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
			gint start, end;
			char found[11];
			g_match_info_fetch_pos(mi, 0, &start, &end);
			if (best >= 0 && start >= best)
				break;
			if (match_to_iso(mi, (int)i, found)) {
				best = start;
				memcpy(iso, found, 11);
				break;
			}
		}
		g_match_info_free(mi);
		g_regex_unref(re);
	}
	return best >= 0;
}

/* ---- organisation ---- */

/* Ministries and agencies of the Korean government, as releases name them. */
/* Ministries and agencies of the Korean government as releases write them;
 * a short form ("과기정통부") is recorded by its full name. */
static const struct {
	const char *written;
	const char *name;
} korean_orgs[] = {
	{ "과학기술정보통신부", NULL }, { "과기정통부", "과학기술정보통신부" },
	{ "외교부", NULL }, { "기획재정부", NULL }, { "기재부", "기획재정부" },
	{ "교육부", NULL }, { "통일부", NULL }, { "법무부", NULL }, { "국방부", NULL },
	{ "행정안전부", NULL }, { "행안부", "행정안전부" }, { "국가보훈부", NULL },
	{ "문화체육관광부", NULL }, { "문체부", "문화체육관광부" },
	{ "농림축산식품부", NULL }, { "농식품부", "농림축산식품부" },
	{ "산업통상자원부", NULL }, { "산업부", "산업통상자원부" },
	{ "보건복지부", NULL }, { "복지부", "보건복지부" }, { "환경부", NULL },
	{ "고용노동부", NULL }, { "고용부", "고용노동부" }, { "여성가족부", NULL },
	{ "여가부", "여성가족부" }, { "국토교통부", NULL }, { "국토부", "국토교통부" },
	{ "해양수산부", NULL }, { "해수부", "해양수산부" },
	{ "중소벤처기업부", NULL }, { "중기부", "중소벤처기업부" },
	{ "인사혁신처", NULL }, { "법제처", NULL }, { "식품의약품안전처", NULL },
	{ "식약처", "식품의약품안전처" }, { "국가보훈처", NULL }, { "국무조정실", NULL },
	{ "국세청", NULL }, { "관세청", NULL }, { "조달청", NULL }, { "통계청", NULL },
	{ "우주항공청", NULL }, { "대검찰청", NULL }, { "병무청", NULL },
	{ "방위사업청", NULL }, { "경찰청", NULL }, { "해양경찰청", NULL }, { "소방청", NULL },
	{ "문화재청", NULL }, { "국가유산청", NULL }, { "농촌진흥청", NULL }, { "산림청", NULL },
	{ "특허청", NULL }, { "기상청", NULL }, { "질병관리청", NULL }, { "재외동포청", NULL },
	{ "행정중심복합도시건설청", NULL }, { "새만금개발청", NULL },
	{ "방송통신위원회", NULL }, { "방통위", "방송통신위원회" },
	{ "공정거래위원회", NULL }, { "공정위", "공정거래위원회" },
	{ "금융위원회", NULL }, { "개인정보보호위원회", NULL }, { "원자력안전위원회", NULL },
	{ "국민권익위원회", NULL },
};

/* The Korean organisation named first in s, by its full name. On a tie
 * the longer name wins; a name inside another ("경찰청" in "해양경찰청")
 * starts later, so the containing one is found first. */
static char *korean_org(const char *s)
{
	const char *best_at = NULL;
	size_t best = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(korean_orgs); i++) {
		const char *at = strstr(s, korean_orgs[i].written);
		if (!at)
			continue;
		if (!best_at || at < best_at ||
		    (at == best_at && strlen(korean_orgs[i].written) > strlen(korean_orgs[best].written))) {
			best = i;
			best_at = at;
		}
	}
	if (!best_at)
		return NULL;
	return g_strdup(korean_orgs[best].name ? korean_orgs[best].name : korean_orgs[best].written);
}

static char *first_match(const char *pattern, GRegexCompileFlags flags, int group, const char *s)
{
	GRegex *re = g_regex_new(pattern, flags, 0, NULL);
	GMatchInfo *mi = NULL;
	char *found = NULL;
	if (g_regex_match(re, s, 0, &mi)) {
		char *raw = g_match_info_fetch(mi, group);
		found = trimmed(raw);
		g_free(raw);
	}
	g_match_info_free(mi);
	g_regex_unref(re);
	return found;
}

/* A "Ministry of …" phrase: capitalised words joined by and/of/for/&, so
 * that "Ministry of Science and ICT (Minister …" and "… and the Ministry of
 * Foreign Affairs" each stop where the name does. */
#define NAME_WORD "(?!(?:Minister|Vice|Deputy|Director|Secretary|Commissioner|Chief|Head)\\b)" \
                  "[A-Z][A-Za-z0-9&'-]*"
static const char ministry_pattern[] =
	"\\bMinistry\\s+of\\s+(?:the\\s+)?" NAME_WORD "(?:\\s+(?:(?:and|of|for|&)\\s+)?" NAME_WORD ")*";
static const char agency_pattern[] =
	"\\bKorean?(?:\\s+" NAME_WORD ")*?\\s+(?:Agency|Institute|Service|Administration|Foundation)\\b"
	"(?:\\s+(?:of|for|on)\\s+" NAME_WORD "(?:\\s+(?:and\\s+)?" NAME_WORD ")*)?";

static char *find_organisation(const char *text, const char *statement)
{
	char *org = NULL;
	/* The licence statement names the owner of the works: the issuer,
	 * where the text may name partners first. */
	if (statement) {
		org = first_match("works\\s+of\\s+(?:the\\s+)?(.+?)\\s*(?:\\(|\\bcan\\b|\\bmay\\b|\\bare\\b|\\bis\\b)",
		                  G_REGEX_CASELESS, 1, statement);
		if (org && !*org)
			g_clear_pointer(&org, g_free);
		if (!org)
			org = korean_org(statement);
	}
	if (!org)
		org = first_match(ministry_pattern, 0, 0, text);
	if (!org)
		org = korean_org(text);
	if (!org)
		org = first_match(agency_pattern, 0, 0, text);
	return org;
}

/* ---- the release ---- */

static const char *const subtitle_markers[] = { "-", "–", "—", "○", "□", "ㅇ" };

/* The marker a subtitle line opens with, or NULL. */
static const char *subtitle_marker(const char *line)
{
	const char *s = skip_space(line);
	for (size_t i = 0; i < G_N_ELEMENTS(subtitle_markers); i++)
		if (g_str_has_prefix(s, subtitle_markers[i]))
			return subtitle_markers[i];
	return NULL;
}

static bool mentions_attachment(const char *text)
{
	return g_regex_match_simple("attached\\s+(?:pdf|file|document)|attachment|"
	                            "refer\\s+to\\s+the\\s+attached|첨부|붙임|별첨",
	                            text, G_REGEX_CASELESS, 0);
}

/* A line of the tail that ends the body: a reference to the attachments
 * ("Please refer to the attached PDF.", "붙임 1. 행사 개요"). */
static bool is_attachment_line(const char *line)
{
	const char *s = skip_decoration(line);
	if (g_str_has_prefix(s, "붙임") || g_str_has_prefix(s, "첨부") || g_str_has_prefix(s, "별첨"))
		return true;
	return g_utf8_strlen(line, -1) <= 120 &&
	       g_regex_match_simple("refer\\s+to\\s+the\\s+attached|^\\W*attach(?:ed|ment)",
	                            line, G_REGEX_CASELESS, 0);
}

/*
 * Letters are compared with letters: a Hangul syllable block is the two or
 * three jamo it is written with, so that Korean prose full of English
 * names ("AI Seoul Summit을") still counts as Korean.
 */
static const char *language_of(const char *s)
{
	size_t other = 0, hangul = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (is_hangul_syllable(c))
			hangul += (c - 0xAC00) % 28 ? 3 : 2;
		else if (g_unichar_isalpha(c))
			other++;
	}
	return hangul > other ? "ko" : "en";
}

/* Lines of the decoded text: NFC, LF, trailing white space removed. */
static char **split_lines(const char *utf8)
{
	char *nfc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFC);
	GString *lf = g_string_sized_new(strlen(nfc));
	for (const char *p = nfc; *p; p++) {
		if (*p == '\r') {
			g_string_append_c(lf, '\n');
			if (p[1] == '\n')
				p++;
		} else {
			g_string_append_c(lf, *p);
		}
	}
	g_free(nfc);
	char **lines = g_strsplit(lf->str, "\n", -1);
	g_string_free(lf, TRUE);
	for (char **l = lines; *l; l++)
		rtrim(*l);
	return lines;
}

/*
 * The kept lines (borrowed from lines): navigation before the title
 * dropped, leading and trailing blank lines dropped, runs of blank lines
 * cut to two. *title_at: index of the title in the result, or -1.
 */
static GPtrArray *keep_lines(char **lines, int *title_at)
{
	GPtrArray *kept = g_ptr_array_new();
	int blanks = 0;
	*title_at = -1;
	for (char **l = lines; *l; l++) {
		if (**l == '\0') {
			if (kept->len > 0 && ++blanks <= 2)
				g_ptr_array_add(kept, *l);
			continue;
		}
		blanks = 0;
		if (*title_at < 0) {
			if (is_navigation(*l))
				continue;
			if (!is_header_line(*l) && !is_contact_line(*l))
				*title_at = (int)kept->len;
		}
		g_ptr_array_add(kept, *l);
	}
	while (kept->len > 0 && *(char *)kept->pdata[kept->len - 1] == '\0')
		g_ptr_array_remove_index(kept, kept->len - 1);
	return kept;
}

static char *join_lines(GPtrArray *kept, guint from, guint to)
{
	GString *s = g_string_new(NULL);
	for (guint i = from; i < to; i++) {
		g_string_append(s, kept->pdata[i]);
		g_string_append_c(s, '\n');
	}
	char *t = trimmed(s->str);
	g_string_free(s, TRUE);
	return t;
}

static bool ends_body(const char *line)
{
	if (is_contact_line(line) || is_attachment_line(line))
		return true;
	return kogl_detect(line, NULL) != 0;
}

/* Title, subtitles, body, contact: the structure of the kept lines. */
static void parse_structure(release_doc *doc, GPtrArray *kept, int title_at)
{
	guint n = kept->len, i;

	for (i = 0; i < n; i++) {
		if (is_contact_line(kept->pdata[i]))
			break;
	}
	if (i < n) {
		guint end = i + 1;
		/* The contact goes on while its lines give more numbers,
		 * addresses or contact words (a table of persons in charge). */
		while (end < n && *(char *)kept->pdata[end] != '\0') {
			const char *l = kept->pdata[end];
			char *phone = find_phone(l), *email = find_email(l);
			bool more = (phone || email || has_contact_word(l)) &&
			            !is_attachment_line(l) && !kogl_detect(l, NULL);
			g_free(phone);
			g_free(email);
			if (!more)
				break;
			end++;
		}
		doc->contact = join_lines(kept, i, end);
		doc->contact_phone = find_phone(doc->contact);
		doc->contact_email = find_email(doc->contact);
	}

	if (title_at < 0)
		return;
	doc->title = trimmed(kept->pdata[title_at]);

	/* Subtitles share the marker of the first; a line of Korean prose
	 * ("…밝혔다.") under a "□" is the body, which Korean releases
	 * open with the same markers. */
	const char *marker = NULL;
	guint body_from = (guint)title_at + 1;
	for (i = body_from; i < n; i++) {
		const char *l = kept->pdata[i];
		if (*l == '\0')
			continue;
		const char *m = subtitle_marker(l);
		if (!m || (marker && strcmp(m, marker) != 0) || g_str_has_suffix(l, "다."))
			break;
		char *sub = trimmed(skip_space(l) + strlen(m));
		if (!*sub) {
			g_free(sub);
			break;
		}
		marker = m;
		g_ptr_array_add(doc->subtitles, sub);
		body_from = i + 1;
	}
	guint body_to = body_from;
	while (body_to < n && !ends_body(kept->pdata[body_to]))
		body_to++;
	doc->body = join_lines(kept, body_from, body_to);
}

release_doc *release_parse(const char *bytes, size_t len, const char *name, GError **err)
{
	const char *encoding = NULL;
	release_doc *doc = NULL;
	char **lines = NULL;
	GPtrArray *kept = NULL;
	if (!name)
		name = "(release)";
	char *utf8 = decode(bytes, len, name, &encoding, err);
	if (!utf8)
		goto out;
	if (has_suffix_ci(name, ".html") || has_suffix_ci(name, ".htm")) {
		char *plain = html_to_text(utf8);
		g_free(utf8);
		utf8 = plain;
	}

	doc = g_new0(release_doc, 1);
	doc->encoding = g_strdup(encoding);
	doc->subtitles = g_ptr_array_new_with_free_func(g_free);

	lines = split_lines(utf8);
	int title_at;
	kept = keep_lines(lines, &title_at);
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < kept->len; i++) {
		g_string_append(text, kept->pdata[i]);
		g_string_append_c(text, '\n');
	}
	if (text->len == 0)
		g_string_append_c(text, '\n');
	doc->text = g_string_free(text, FALSE);

	parse_structure(doc, kept, title_at);

	char iso[11];
	if (release_find_date(doc->text, iso))
		doc->date = g_strdup(iso);
	doc->license_type = kogl_detect(doc->text, &doc->license_statement);
	doc->license_types_stated = kogl_detect_all(doc->text);
	doc->organisation = find_organisation(doc->text, doc->license_statement);
	doc->mentions_attachment = mentions_attachment(doc->text);
	doc->language = g_strdup(language_of(doc->body && *doc->body ? doc->body : doc->text));

out:
	if (kept)
		g_ptr_array_free(kept, TRUE);
	g_strfreev(lines);
	g_free(utf8);
	return doc;
}

void release_doc_free(release_doc *doc)
{
	if (!doc)
		return;
	g_free(doc->encoding);
	g_free(doc->text);
	g_free(doc->title);
	if (doc->subtitles)
		g_ptr_array_free(doc->subtitles, TRUE);
	g_free(doc->body);
	g_free(doc->contact);
	g_free(doc->contact_phone);
	g_free(doc->contact_email);
	g_free(doc->date);
	g_free(doc->organisation);
	g_free(doc->license_statement);
	g_free(doc->language);
	g_free(doc);
}
