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

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "errors.h"
#include "license.h"

/* ---- patterns ----
 *
 * Every regular expression of the parser is compiled once per process
 * (release_init, or its first use) and kept: the parser runs them per line
 * of every release, and compiling them each time cost more than matching.
 */
enum {
	RE_CHARSET,
	RE_NAV_SPLIT,
	RE_PHONE,
	RE_EMAIL,
	RE_WORKS_OF,
	RE_MINISTRY,
	RE_AGENCY,
	RE_LETTERHEAD,
	RE_MENTIONS_ATTACHMENT,
	RE_ATTACHMENT_LINE,
	RE_HIDDEN_STYLE,
	RE_TITLE_SPLIT,
	RE_DATE,                  /* the date forms, one each */
	RE_DATE_WHOLE = RE_DATE + 5, /* the same, matching a whole string */
	RE_COUNT = RE_DATE_WHOLE + 5
};

static GRegex *patterns[RE_COUNT];

static GRegex *re(int which)
{
	if (G_UNLIKELY(!patterns[which]))
		release_init();
	return patterns[which];
}

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

/*
 * The charset an HTML page declares: <meta charset="euc-kr"> or <meta
 * http-equiv="Content-Type" content="text/html; charset=euc-kr">. Browsers
 * look only at the first bytes; 64 KiB is generous and keeps the scan
 * short. Lower-cased; NULL when none.
 */
static char *declared_charset(const char *bytes, size_t len)
{
	GMatchInfo *mi = NULL;
	char *cs = NULL;
	if (g_regex_match_full(re(RE_CHARSET), bytes, (gssize)MIN(len, 65536), 0, 0, &mi, NULL)) {
		char *raw = g_match_info_fetch(mi, 1);
		cs = g_ascii_strdown(raw, -1);
		g_free(raw);
	}
	g_match_info_free(mi);
	return cs;
}

/* The bytes in the charset the page declares, as UTF-8, or NULL (none
 * declared, unknown to iconv, or the bytes are not in it). The names of
 * Korean charsets all mean CP949, their superset. */
static char *decode_declared(const char *bytes, size_t len, const char **encoding)
{
	static const char *const korean[] = {
		"euc-kr", "euckr", "cp949", "windows-949", "x-windows-949", "ks_c_5601-1987",
		"ks_c_5601", "ksc5601", "ksc_5601", "uhc", "korean",
	};
	char *cs = declared_charset(bytes, len), *utf8 = NULL;
	gsize written = 0;
	if (!cs || strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0)
		goto out;
	for (size_t i = 0; i < G_N_ELEMENTS(korean); i++) {
		if (strcmp(cs, korean[i]) == 0) {
			utf8 = g_convert(bytes, len, "UTF-8", "CP949", NULL, &written, NULL);
			*encoding = "EUC-KR";
			goto out;
		}
	}
	utf8 = g_convert(bytes, len, "UTF-8", cs, NULL, &written, NULL);
	if (utf8) {
		char *up = g_ascii_strup(cs, -1);
		*encoding = g_intern_string(up); /* lives as long as the process */
		g_free(up);
	}
out:
	if (utf8 && strlen(utf8) != written)
		g_clear_pointer(&utf8, g_free);
	g_free(cs);
	return utf8;
}

/* The bytes as UTF-8; *encoding receives the static name of what they were.
 * For HTML a declared charset is honoured when the bytes are not UTF-8. */
static char *decode(const char *bytes, size_t len, const char *name, bool html,
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
	} else if (html && (utf8 = decode_declared(bytes, len, encoding))) {
		written = strlen(utf8);
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

static bool has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
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
	/* the buttons of a board page around an article */
	"list", "print", "share", "prev", "next", "top", "목록", "인쇄", "공유", "공유하기",
	"이전글", "다음글", "맨위로",
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

/* A navigation word or a breadcrumb trail of them ("홈 > 알림·소식 > 보도자료"). */
static bool is_nav_trail(const char *line)
{
	const char *s = skip_space(line);
	char **parts = g_regex_split(re(RE_NAV_SPLIT), s, 0);
	bool nav = true;
	for (char **p = parts; *p && nav; p++)
		nav = **p == '\0' || is_nav_word(*p);
	g_strfreev(parts);
	return nav;
}

/* Site chrome before the title: a bulleted menu entry or a navigation trail.
 * (After the title a bullet opens list items of the body.) */
static bool is_navigation(const char *line)
{
	const char *s = skip_space(line);
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return true;
	return is_nav_trail(s);
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

static char *first_match(GRegex *regex, int group, const char *s);

static char *find_phone(const char *s)
{
	/* +82-44-202-4034, 044-202-4034, 02-123-4567, (044) 202-4034 */
	return first_match(re(RE_PHONE), 0, s);
}

static char *find_email(const char *s)
{
	return first_match(re(RE_EMAIL), 0, s);
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

/* The line is lower-cased once for all the words (the words are lower
 * case): lower-casing it for each word was 3% of all ingest time. */
static bool has_contact_word(const char *line)
{
	char *lower = g_utf8_strdown(line, -1);
	bool found = false;
	for (size_t i = 0; i < G_N_ELEMENTS(contact_words) && !found; i++)
		found = strstr(lower, contact_words[i]) != NULL;
	g_free(lower);
	return found;
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

static bool is_letterhead(const char *line);

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
	return (g_utf8_strlen(line, -1) <= 30 && release_find_date(line, iso)) || is_letterhead(line);
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
		GMatchInfo *mi = NULL;
		if (g_regex_match(re(RE_DATE_WHOLE + (int)i), s, 0, &mi))
			ok = match_to_iso(mi, (int)i, iso);
		g_match_info_free(mi);
	}
	return ok;
}

bool release_find_date(const char *text, char iso[11])
{
	gint best = -1;
	if (!text)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms); i++) {
		GMatchInfo *mi = NULL;
		g_regex_match(re(RE_DATE + (int)i), text, 0, &mi);
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

static char *first_match(GRegex *regex, int group, const char *s)
{
	GMatchInfo *mi = NULL;
	char *found = NULL;
	if (g_regex_match(regex, s, 0, &mi)) {
		char *raw = g_match_info_fetch(mi, group);
		found = trimmed(raw);
		g_free(raw);
	}
	g_match_info_free(mi);
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
		org = first_match(re(RE_WORKS_OF), 1, statement);
		if (org && !*org)
			g_clear_pointer(&org, g_free);
		if (!org)
			org = korean_org(statement);
	}
	if (!org)
		org = first_match(re(RE_MINISTRY), 0, text);
	if (!org)
		org = korean_org(text);
	if (!org)
		org = first_match(re(RE_AGENCY), 0, text);
	return org;
}

/*
 * A letterhead: the issuer and the kind of document on one line
 * ("과학기술정보통신부 보도자료", "Ministry of Science and ICT Press Release").
 * It heads the release and is kept, but it is not the title.
 */
static bool is_letterhead(const char *line)
{
	char *issuer = first_match(re(RE_LETTERHEAD), 1, line);
	bool yes = false;
	if (!issuer)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(korean_orgs) && !yes; i++)
		yes = strcmp(issuer, korean_orgs[i].written) == 0;
	if (!yes) {
		char *m = first_match(re(RE_MINISTRY), 0, issuer);
		yes = m && strcmp(m, issuer) == 0;
		g_free(m);
	}
	g_free(issuer);
	return yes;
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
	return g_regex_match(re(RE_MENTIONS_ATTACHMENT), text, 0, NULL);
}

/* A line of the tail that ends the body: a reference to the attachments
 * ("Please refer to the attached PDF.", "붙임 1. 행사 개요"). */
static bool is_attachment_line(const char *line)
{
	const char *s = skip_decoration(line);
	if (g_str_has_prefix(s, "붙임") || g_str_has_prefix(s, "첨부") || g_str_has_prefix(s, "별첨"))
		return true;
	return g_utf8_strlen(line, -1) <= 120 &&
	       g_regex_match(re(RE_ATTACHMENT_LINE), line, 0, NULL);
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
 *
 * headline >= 0 (HTML whose headline is known): lines[headline] is the
 * title; before it only header and contact lines stay (what else stands
 * there is page chrome: a board's name, share buttons). html: lines that
 * are nothing but navigation words go wherever they stand.
 */
static GPtrArray *keep_lines(char **lines, int headline, bool html, int *title_at)
{
	GPtrArray *kept = g_ptr_array_new();
	int blanks = 0;
	*title_at = -1;
	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		if (*l == '\0') {
			if (kept->len > 0 && ++blanks <= 2)
				g_ptr_array_add(kept, l);
			continue;
		}
		if (*title_at < 0 && headline >= 0) {
			if (i == headline)
				*title_at = (int)kept->len;
			else if (is_navigation(l) || !(is_header_line(l) || is_contact_line(l)))
				continue;
		} else if (*title_at < 0) {
			if (is_navigation(l))
				continue;
			if (!is_header_line(l) && !is_contact_line(l))
				*title_at = (int)kept->len;
		} else if (html && is_nav_trail(l)) {
			continue;
		}
		blanks = 0;
		g_ptr_array_add(kept, l);
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

/* ---- HTML (libxml2) ----
 *
 * The page is parsed into a tree, and the tree written out as lines the
 * way a browser shows it: block elements as paragraphs, <br> and list
 * items as lines, page chrome left out. Those lines then go through the
 * rules of a text release, so that a page and its text give the same
 * fields. Every walk of the tree is a loop, not a recursion: a page of
 * 10,000 nested <div>s must cost no stack.
 */

/* Never text a reader sees. */
static const char *const html_unseen[] = {
	"script", "style", "noscript", "template", "head", "title", "meta", "link",
	"iframe", "object", "embed", "svg", "math", "canvas", "button", "select",
	"option", "input", "textarea", "datalist", "audio", "video", "map",
};

/* Page chrome by element; <header> and <footer> only outside the content,
 * since inside an <article> they hold its heading or its byline. */
static const char *const html_chrome[] = { "nav", "aside", "form", "menu" };

/* Words of an id or class that mark navigation ("gnb", "skip-nav",
 * "top_menu", "breadcrumb"); "header" and "footer" count only as the first
 * word ("header", "footer-wrap"), as "entry-header" holds a title. */
static const char *const html_nav_classes[] = {
	"nav", "navi", "navbar", "navigation", "gnb", "lnb", "snb", "tnb", "menu",
	"menubar", "submenu", "breadcrumb", "breadcrumbs", "location", "skip", "skipnav",
	"sidebar", "sitemap", "quickmenu", "blind", "sr", "hidden", "banner",
};

static const char *const html_roles[] = {
	"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary",
};

/* Where a page keeps its date. */
static const char *const html_date_metas[] = {
	"date", "article:published_time", "dc.date", "dcterms.date", "dc.date.issued",
	"dcterms.issued", "dcterms.created", "pubdate",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (g_ascii_strcasecmp(s, list[i]) == 0)
			return true;
	return false;
}
#define IN_LIST(s, list) in_list((s), (list), G_N_ELEMENTS(list))

static bool is_element(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && g_ascii_strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value (caller frees), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? g_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static bool is_main(const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (is_element(n, "article") || is_element(n, "main"))
		return true;
	char *role = attr(n, "role");
	bool m = role && g_ascii_strcasecmp(role, "main") == 0;
	g_free(role);
	return m;
}

static bool inside_main(const xmlNode *n)
{
	for (n = n->parent; n; n = n->parent)
		if (is_main(n))
			return true;
	return false;
}

/* 0: the id or class names no chrome; 1: navigation; 2: header or footer. */
static int class_marks_chrome(const char *value)
{
	int mark = 0;
	if (!value)
		return 0;
	char *lower = g_ascii_strdown(value, -1);
	char **tokens = g_strsplit_set(lower, " \t\r\n\f", -1);
	for (char **t = tokens; *t && mark != 1; t++) {
		char **words = g_strsplit_set(*t, "-_", -1);
		for (char **w = words; *w && mark != 1; w++) {
			if (IN_LIST(*w, html_nav_classes))
				mark = 1;
			else if (w == words && (g_str_has_prefix(*w, "header") || g_str_has_prefix(*w, "footer") ||
			                        g_str_has_prefix(*w, "gnb") || g_str_has_prefix(*w, "lnb")))
				mark = g_str_has_prefix(*w, "header") || g_str_has_prefix(*w, "footer") ? 2 : 1;
			else if (w == words && words[1] && (strcmp(*w, "site") == 0 || strcmp(*w, "global") == 0 ||
			                                    strcmp(*w, "common") == 0) &&
			         (strcmp(words[1], "header") == 0 || strcmp(words[1], "footer") == 0))
				mark = 2;
		}
		g_strfreev(words);
	}
	g_strfreev(tokens);
	g_free(lower);
	return mark;
}

typedef struct {
	GHashTable *holds_main; /* elements holding an <article> or <main>: never chrome */
	bool drop_chrome;       /* leave page chrome out */
	/* output */
	GString *out;
	int pending;            /* break before the next character: 1 line, 2 paragraph */
	bool space;             /* white space since the last character */
	const char *sep;        /* separator before the next character on this line */
	int pre;                /* depth of <pre> */
	char prefix[16];        /* opens the next text of a list item */
	const xmlNode *last_li; /* numbering of <ol> items */
	int last_number;
	const xmlNode *headline;
	bool in_headline;
	bool mark;              /* the next character opens the headline */
	gssize headline_at;     /* its byte offset in out, or -1 */
	GPtrArray *links;       /* when not NULL: attachment links */
} html_walk;

static bool is_chrome(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	bool chrome = IN_LIST(name, html_chrome);
	if (!chrome && (is_element(n, "header") || is_element(n, "footer")))
		chrome = !inside_main(n);
	if (!chrome) {
		char *role = attr(n, "role"), *hidden = attr(n, "hidden");
		char *aria = attr(n, "aria-hidden"), *style = attr(n, "style");
		chrome = (role && IN_LIST(role, html_roles)) || hidden ||
		         (aria && g_ascii_strcasecmp(aria, "true") == 0) ||
		         (style && g_regex_match(re(RE_HIDDEN_STYLE), style, 0, NULL));
		g_free(role);
		g_free(hidden);
		g_free(aria);
		g_free(style);
	}
	if (!chrome) {
		char *id = attr(n, "id"), *cls = attr(n, "class");
		int m = MAX(class_marks_chrome(id), class_marks_chrome(cls));
		chrome = m == 1 || (m == 2 && !inside_main(n));
		g_free(id);
		g_free(cls);
	}
	/* A wrapper (<form id="aspnetForm">, <div class="wrap-sidebar">) may
	 * hold the whole page: chrome never holds the content. */
	return chrome && !(w->holds_main && g_hash_table_contains(w->holds_main, n));
}

/* Would the walk enter n at all? */
static bool html_enters(html_walk *w, const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (IN_LIST((const char *)n->name, html_unseen))
		return false;
	return !(w->drop_chrome && is_chrome(w, n));
}

static void html_leave(html_walk *w, const xmlNode *n);

/*
 * The next node of a walk under root in document order, or NULL: into
 * the children when descend, else on to the next sibling or up. With
 * leave_to, html_leave() is told of every element left: of n only when
 * it was entered, of its ancestors always (they were).
 */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, bool descend, bool entered,
                          html_walk *leave_to)
{
	if (descend && n->children)
		return n->children;
	for (;;) {
		if (leave_to && entered && n->type == XML_ELEMENT_NODE)
			html_leave(leave_to, n);
		entered = true;
		if (n == root)
			return NULL;
		if (n->next)
			return n->next;
		n = n->parent;
		if (!n)
			return NULL;
	}
}

/* Text content of n (tags dropped), white space collapsed; caller frees. */
static char *collapsed_text(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	GString *s = g_string_new(NULL);
	bool space = false;
	for (const char *p = c ? (const char *)c : ""; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_isspace(u) || is_control(u)) {
			space = true;
			continue;
		}
		if (space && s->len)
			g_string_append_c(s, ' ');
		space = false;
		g_string_append_unichar(s, u);
	}
	xmlFree(c);
	return g_string_free(s, FALSE);
}

/* ---- writing the tree as lines ---- */

static const char *const html_paragraphs[] = {
	"address", "article", "blockquote", "body", "center", "details", "dialog", "div",
	"dl", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
	"h6", "header", "hgroup", "hr", "main", "ol", "p", "pre", "section", "summary",
	"table", "ul", "caption",
};
static const char *const html_lines[] = { "br", "li", "dt", "dd", "tr", "thead", "tbody", "tfoot" };

static void html_break(html_walk *w, int level)
{
	if (w->in_headline) {
		w->space = true;
		return;
	}
	w->pending = MAX(w->pending, level);
	w->sep = NULL;
}

static bool opens_with_marker(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(subtitle_markers); i++)
		if (g_str_has_prefix(s, subtitle_markers[i]))
			return true;
	for (size_t i = 0; i < G_N_ELEMENTS(bullets); i++)
		if (g_str_has_prefix(s, bullets[i]))
			return true;
	return g_ascii_isdigit(*s);
}

static void html_char(html_walk *w, const char *at, gunichar c)
{
	GString *o = w->out;
	if (o->len == 0) {
		w->pending = 0;
	} else if (w->pending) {
		int have = 0;
		while (have < 2 && (gsize)have < o->len && o->str[o->len - 1 - have] == '\n')
			have++;
		for (int i = have; i < w->pending; i++)
			g_string_append_c(o, '\n');
	} else if (o->str[o->len - 1] != '\n') {
		if (w->sep)
			g_string_append(o, w->sep);
		else if (w->space)
			g_string_append_c(o, ' ');
	}
	w->pending = 0;
	w->space = false;
	w->sep = NULL;
	if (w->prefix[0]) {
		if (!opens_with_marker(at))
			g_string_append(o, w->prefix);
		w->prefix[0] = '\0';
	}
	if (w->mark) {
		w->headline_at = (gssize)o->len;
		w->mark = false;
	}
	g_string_append_unichar(o, c);
}

static void html_text(html_walk *w, const char *text)
{
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == 0xFEFF || (is_control(c) && c != '\t'))
			continue; /* \n and \r are not is_control() */
		if (w->pre && (c == '\n' || c == '\r')) {
			if (c == '\r' && p[1] == '\n')
				p++;
			if (w->out->len)
				g_string_append_c(w->out, '\n');
			continue;
		}
		if (w->pre ? c == '\f' || c == '\v' : g_unichar_isspace(c)) {
			w->space = true;
			continue;
		}
		html_char(w, p, c);
	}
}

static bool names_attachment(const char *s)
{
	static const char *const ext[] = { ".pdf", ".hwp", ".hwpx", ".docx", ".zip" };
	char *lower = g_utf8_strdown(s, -1);
	bool yes = strstr(lower, "첨부") || strstr(lower, "붙임") || strstr(lower, "download");
	for (size_t i = 0; i < G_N_ELEMENTS(ext) && !yes; i++)
		yes = g_str_has_suffix(lower, ext[i]);
	g_free(lower);
	return yes;
}

/* The file name an href points to: its last path segment, %-escapes
 * decoded when they decode to UTF-8. */
static char *href_basename(const char *href)
{
	size_t n = strcspn(href, "?#");
	char *path = g_strndup(href, n);
	const char *slash = strrchr(path, '/');
	char *base = g_strdup(slash ? slash + 1 : path);
	char *un = g_uri_unescape_string(base, NULL);
	g_free(path);
	if (un && *un && g_utf8_validate(un, -1, NULL)) {
		g_free(base);
		return un;
	}
	g_free(un);
	return base;
}

static void html_link(html_walk *w, const xmlNode *a)
{
	char *href = attr(a, "href");
	if (!href)
		return;
	char *text = collapsed_text(a), *base = href_basename(href);
	if (names_attachment(text) || names_attachment(base) || names_attachment(href)) {
		static const char *const ext[] = { ".pdf", ".hwp", ".hwpx", ".docx", ".zip" };
		bool text_is_file = false, base_is_file = false;
		for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
			text_is_file |= has_suffix_ci(text, ext[i]);
			base_is_file |= has_suffix_ci(base, ext[i]);
		}
		const char *name = text_is_file || (!base_is_file && *text) ? text : base;
		bool seen = !*name;
		for (guint i = 0; i < w->links->len && !seen; i++)
			seen = strcmp(g_ptr_array_index(w->links, i), name) == 0;
		if (!seen)
			g_ptr_array_add(w->links, g_strdup(name));
	}
	g_free(href);
	g_free(text);
	g_free(base);
}

static void html_enter(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (n == w->headline) {
		html_break(w, 2);
		w->in_headline = true;
		w->mark = true;
	}
	if (IN_LIST(name, html_paragraphs))
		html_break(w, 2);
	else if (IN_LIST(name, html_lines))
		html_break(w, 1);
	else if (is_element(n, "td") || is_element(n, "th"))
		w->sep = "\t";
	if (is_element(n, "pre"))
		w->pre++;
	if (is_element(n, "li") && !w->in_headline) {
		if (is_element(n->parent, "ol")) {
			const xmlNode *prev = n->prev;
			while (prev && prev->type != XML_ELEMENT_NODE)
				prev = prev->prev;
			w->last_number = prev && prev == w->last_li ? w->last_number + 1 : 1;
			w->last_li = n;
			g_snprintf(w->prefix, sizeof w->prefix, "%d. ", w->last_number);
		} else {
			g_strlcpy(w->prefix, "- ", sizeof w->prefix);
		}
	}
	if (w->links && is_element(n, "a"))
		html_link(w, n);
}

static void html_leave(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (IN_LIST(name, html_unseen))
		return;
	if (is_element(n, "pre") && w->pre > 0)
		w->pre--;
	if (n == w->headline)
		w->in_headline = false;
	if (IN_LIST(name, html_paragraphs) || n == w->headline)
		html_break(w, 2);
	else if (IN_LIST(name, html_lines) && !is_element(n, "br"))
		html_break(w, 1);
	w->prefix[0] = '\0';
}

/* Write the tree under root (root's own tags included) into w->out. */
static void html_write(html_walk *w, xmlNode *root)
{
	xmlNode *n = root;
	while (n) {
		bool descend = false;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(w, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && (n == root || html_enters(w, n))) {
			html_enter(w, n);
			descend = true;
		}
		n = next_node(n, root, descend, descend, w);
	}
}

/* First element under root, in document order and outside chrome, for
 * which want() holds; NULL when none. */
static xmlNode *html_find(html_walk *w, xmlNode *root, bool (*want)(html_walk *, xmlNode *, void *),
                          void *data)
{
	xmlNode *n = root;
	while (n) {
		bool enter = n == root || html_enters(w, n);
		if (enter && n->type == XML_ELEMENT_NODE && want(w, n, data))
			return n;
		n = next_node(n, root, enter, enter, NULL);
	}
	return NULL;
}

static bool want_name(html_walk *w, xmlNode *n, void *name)
{
	return is_element(n, name);
}

static bool want_main(html_walk *w, xmlNode *n, void *unused)
{
	return is_main(n) && !is_element(n, "article");
}

/* A heading that can be the title: text that is not navigation ("Press
 * Releases" heads the board, not the release) nor the site's name (the
 * logo). */
static bool usable_headline(const char *text, const char *site)
{
	return *text && !is_nav_trail(text) && !(site && g_ascii_strcasecmp(text, site) == 0);
}

typedef struct {
	const char *const *names;
	size_t n;
	const char *site;
} headline_want;

static bool want_headline(html_walk *w, xmlNode *n, void *data)
{
	headline_want *h = data;
	if (!in_list((const char *)n->name, h->names, h->n))
		return false;
	char *t = collapsed_text(n);
	bool ok = usable_headline(t, h->site);
	g_free(t);
	return ok;
}

static xmlNode *find_headline(html_walk *w, xmlNode *in, const char *site)
{
	static const char *const h1[] = { "h1" }, *const h23[] = { "h2", "h3" };
	headline_want a = { h1, 1, site }, b = { h23, 2, site };
	xmlNode *h = html_find(w, in, want_headline, &a);
	return h ? h : html_find(w, in, want_headline, &b);
}

static bool want_article_with_headline(html_walk *w, xmlNode *n, void *site)
{
	return is_element(n, "article") && find_headline(w, n, site);
}

/* <title> split at its separators: "Press Releases | Ministry of Science
 * and ICT", "보도자료 < 알림·소식 < 과학기술정보통신부". parts[0] is the
 * page, the last part the site. */
static char **title_parts(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	xmlNode *t = NULL;
	/* <title> is unseen text: look for it in the whole tree. */
	for (xmlNode *n = root; n && !t; n = next_node(n, root, true, true, NULL))
		if (is_element(n, "title"))
			t = n;
	if (!t)
		return NULL;
	char *text = collapsed_text(t);
	char **parts = g_regex_split(re(RE_TITLE_SPLIT), text, 0);
	g_free(text);
	return parts;
}

/* The date in <meta name="date" content="2024-05-10"> and the like. */
static char *meta_date(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	char *found = NULL;
	for (xmlNode *n = root; n && !found; n = next_node(n, root, true, true, NULL)) {
		if (!is_element(n, "meta"))
			continue;
		char *key = attr(n, "name");
		if (!key)
			key = attr(n, "property");
		char *content = attr(n, "content");
		char iso[11];
		if (key && content && IN_LIST(key, html_date_metas) && release_find_date(content, iso))
			found = g_strdup(iso);
		g_free(key);
		g_free(content);
	}
	return found;
}

typedef struct {
	char *text;          /* the main text, as lines */
	int headline_line;   /* its line holding the headline, or -1 */
	char *page_text;     /* every text of the page a reader sees, chrome too */
	char *meta_date;     /* YYYY-MM-DD from a <meta>, or NULL */
} html_page;

static void html_page_clear(html_page *p)
{
	g_free(p->text);
	g_free(p->page_text);
	g_free(p->meta_date);
}

static gpointer init_libxml2(gpointer unused)
{
	xmlInitParser(); /* once, before threads race into it */
	return NULL;
}

static bool html_extract(const char *utf8, const char *name, html_page *page, GPtrArray *links,
                         GError **err)
{
	static GOnce once = G_ONCE_INIT;
	bool ok = false;
	char **parts = NULL;
	GString *title_line = NULL;
	html_walk w = { .holds_main = g_hash_table_new(NULL, NULL), .drop_chrome = true,
	                .headline_at = -1 };
	memset(page, 0, sizeof *page);
	page->headline_line = -1;
	g_once(&once, init_libxml2, NULL);

	size_t len = strlen(utf8);
	/* The text is UTF-8 now, whatever the page declares. */
	xmlDoc *xd = htmlReadMemory(utf8, (int)MIN(len, (size_t)INT_MAX), name, "UTF-8",
	                            HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                            HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
	xmlNode *root = xd ? xmlDocGetRootElement(xd) : NULL;
	if (!root) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty (no HTML document)", name);
		goto out;
	}

	/* Chrome never holds the content: mark what holds it. */
	for (xmlNode *n = root; n; n = next_node(n, root, true, true, NULL))
		if (is_main(n))
			for (xmlNode *a = n; a && !g_hash_table_contains(w.holds_main, a); a = a->parent)
				g_hash_table_add(w.holds_main, a);

	parts = title_parts(xd);
	const char *site = parts && parts[0] && parts[1] ? parts[g_strv_length(parts) - 1] : NULL;

	/* The content: the <article> with a headline, else <main>, else the
	 * first <article>, else the body. */
	xmlNode *body = html_find(&w, root, want_name, "body");
	xmlNode *container = html_find(&w, root, want_article_with_headline, (void *)site);
	if (!container)
		container = html_find(&w, root, want_main, NULL);
	if (!container)
		container = html_find(&w, root, want_name, "article");
	if (!container)
		container = body ? body : root;
	w.headline = find_headline(&w, container, site);

	/* A page with nothing to read outside its chrome is empty. */
	w.out = g_string_new(NULL);
	w.links = links;
	html_write(&w, body ? body : root);
	w.links = NULL;
	if (only_whitespace(w.out->str)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty (no text outside the page's navigation)",
		            name);
		goto out;
	}
	g_string_truncate(w.out, 0);

	w.in_headline = w.mark = false;
	w.pending = 0;
	w.space = false;
	w.headline_at = -1;
	html_write(&w, container);
	if (w.headline && w.headline_at >= 0) {
		int line = 0;
		for (gssize i = 0; i < w.headline_at; i++)
			line += w.out->str[i] == '\n';
		page->headline_line = line;
	} else if (!w.headline && parts && parts[0] && usable_headline(parts[0], NULL)) {
		/* No heading in the content: the page's <title>, site name cut. */
		title_line = g_string_new(parts[0]);
		g_string_append(title_line, "\n\n");
		g_string_prepend(w.out, title_line->str);
		page->headline_line = 0;
	}
	page->text = g_string_free(w.out, FALSE);
	w.out = NULL;

	/* The licence statement often stands in the site's footer. */
	html_walk all = { .holds_main = w.holds_main, .drop_chrome = false, .out = g_string_new(NULL) };
	html_write(&all, body ? body : root);
	page->page_text = g_string_free(all.out, FALSE);
	page->meta_date = meta_date(xd);
	ok = true;
out:
	if (title_line)
		g_string_free(title_line, TRUE);
	if (w.out)
		g_string_free(w.out, TRUE);
	g_strfreev(parts);
	g_hash_table_destroy(w.holds_main);
	xmlFreeDoc(xd);
	if (!ok)
		html_page_clear(page);
	return ok;
}

void release_init(void)
{
	static gsize done = 0;
	if (!g_once_init_enter(&done))
		return;
	static const struct {
		int which;
		const char *pattern;
		GRegexCompileFlags flags;
	} table[] = {
		{ RE_CHARSET, "<meta\\b[^>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_.:-]+)",
		  G_REGEX_CASELESS | G_REGEX_RAW },
		{ RE_NAV_SPLIT, "\\s*(?:>|›|»|\\|)\\s*", 0 },
		/* +82-44-202-4034, 044-202-4034, 02-123-4567, (044) 202-4034 */
		{ RE_PHONE, "(?<![0-9])(?:\\+82[-. ]?(?:\\(0\\))?[0-9]{1,2}|\\(0[0-9]{1,2}\\)|0[0-9]{1,2})"
		            "[-. ]?[0-9]{3,4}[-. ][0-9]{4}(?![0-9])", 0 },
		{ RE_EMAIL, "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}", 0 },
		{ RE_WORKS_OF, "works\\s+of\\s+(?:the\\s+)?(.+?)\\s*(?:\\(|\\bcan\\b|\\bmay\\b|\\bare\\b|\\bis\\b)",
		  G_REGEX_CASELESS },
		{ RE_MINISTRY, ministry_pattern, 0 },
		{ RE_AGENCY, agency_pattern, 0 },
		{ RE_LETTERHEAD, "^\\s*(.+?)\\s*(?:보도자료|보도참고자료|보도설명자료|"
		                 "press\\s+releases?)\\s*$", G_REGEX_CASELESS },
		{ RE_MENTIONS_ATTACHMENT, "attached\\s+(?:pdf|file|document)|attachment|"
		                          "refer\\s+to\\s+the\\s+attached|첨부|붙임|별첨",
		  G_REGEX_CASELESS },
		{ RE_ATTACHMENT_LINE, "refer\\s+to\\s+the\\s+attached|^\\W*attach(?:ed|ment)",
		  G_REGEX_CASELESS },
		{ RE_HIDDEN_STYLE, "display\\s*:\\s*none|visibility\\s*:\\s*hidden", G_REGEX_CASELESS },
		{ RE_TITLE_SPLIT, "\\s+(?:\\||-|–|—|<|>|::|:|·)\\s+", 0 },
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(date_forms) == RE_DATE_WHOLE - RE_DATE);
	for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
		patterns[table[i].which] = g_regex_new(table[i].pattern, table[i].flags, 0, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms); i++) {
		char *whole = g_strdup_printf("^\\s*(?:%s)\\s*$", date_forms[i].pattern);
		patterns[RE_DATE + i] = g_regex_new(date_forms[i].pattern, G_REGEX_CASELESS, 0, NULL);
		patterns[RE_DATE_WHOLE + i] = g_regex_new(whole, G_REGEX_CASELESS, 0, NULL);
		g_free(whole);
	}
	/* The patterns are constants: one that fails to compile is a bug. */
	for (size_t i = 0; i < RE_COUNT; i++)
		g_assert(patterns[i]);
	g_once_init_leave(&done, 1);
}

release_doc *release_parse(const char *bytes, size_t len, const char *name, GError **err)
{
	const char *encoding = NULL;
	release_doc *doc = NULL;
	char **lines = NULL;
	GPtrArray *kept = NULL;
	html_page page = { .headline_line = -1 };
	if (!name)
		name = "(release)";
	bool html = has_suffix_ci(name, ".html") || has_suffix_ci(name, ".htm");
	char *utf8 = decode(bytes, len, name, html, &encoding, err);
	if (!utf8)
		goto out;

	doc = g_new0(release_doc, 1);
	doc->encoding = g_strdup(encoding);
	doc->subtitles = g_ptr_array_new_with_free_func(g_free);
	doc->attachment_links = g_ptr_array_new_with_free_func(g_free);
	if (html) {
		if (!html_extract(utf8, name, &page, doc->attachment_links, err)) {
			g_clear_pointer(&doc, release_doc_free);
			goto out;
		}
		g_free(utf8);
		utf8 = g_strdup(page.text);
	}

	lines = split_lines(utf8);
	int title_at;
	kept = keep_lines(lines, page.headline_line, html, &title_at);
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < kept->len; i++) {
		g_string_append(text, kept->pdata[i]);
		g_string_append_c(text, '\n');
	}

	parse_structure(doc, kept, title_at);

	doc->license_type = kogl_detect(text->str, &doc->license_statement);
	if (!doc->license_type && page.page_text) {
		/* A page states its licence in the site's footer as often as
		 * in the article: the statement joins the text, where a .txt
		 * release has it too. */
		char *nfc = g_utf8_normalize(page.page_text, -1, G_NORMALIZE_NFC);
		doc->license_type = kogl_detect(nfc, &doc->license_statement);
		g_free(nfc);
		if (doc->license_type)
			g_string_append_printf(text, "%s%s\n", text->len ? "\n" : "", doc->license_statement);
	}
	if (text->len == 0)
		g_string_append_c(text, '\n');
	doc->text = g_string_free(text, FALSE);

	char iso[11];
	if (page.meta_date) {
		doc->date = g_strdup(page.meta_date);
		doc->date_source = g_strdup("html-meta");
	} else if (release_find_date(doc->text, iso)) {
		doc->date = g_strdup(iso);
		doc->date_source = g_strdup("text");
	}
	doc->license_types_stated = kogl_detect_all(doc->text);
	doc->organisation = find_organisation(doc->text, doc->license_statement);
	doc->mentions_attachment = mentions_attachment(doc->text) || doc->attachment_links->len > 0;
	doc->language = g_strdup(language_of(doc->body && *doc->body ? doc->body : doc->text));

out:
	if (kept)
		g_ptr_array_free(kept, TRUE);
	g_strfreev(lines);
	g_free(utf8);
	html_page_clear(&page);
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
	g_free(doc->date_source);
	if (doc->attachment_links)
		g_ptr_array_free(doc->attachment_links, TRUE);
	g_free(doc);
}
