/*
 * release/org.c — the organisation that issued a release, as the page names
 * it: the licence statement ("The works of the Ministry of …"), the date and
 * department line under the headline ("2025.04.21 과학기술정보통신부",
 * "부서명 외교부 > 북미국"), the contact line, the release's header or the
 * site's name above the headline, or the subject the body's first sentence
 * opens with ("The Ministry of Foreign Affairs announced …") — never a
 * ministry the body mentions later, or none. And letterheads
 * ("과학기술정보통신부 보도자료"), which head a release but are not its title.
 */
#include "parse.h"

#include <string.h>


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
	{ "국민권익위원회", NULL }, { "산업통상부", NULL }, { "기후에너지환경부", NULL },
	{ "청와대", NULL }, { "대통령비서실", NULL }, { "국무총리비서실", NULL },
	/* names of earlier governments, as their releases (still kept) give them */
	{ "미래창조과학부", NULL }, { "미래부", "미래창조과학부" }, { "안전행정부", NULL },
	{ "행정자치부", NULL }, { "국민안전처", NULL }, { "지식경제부", NULL },
	{ "교육과학기술부", NULL }, { "문화관광부", NULL }, { "보건복지가족부", NULL },
	{ "농림수산식품부", NULL }, { "국토해양부", NULL }, { "정보통신부", NULL },
	{ "여성부", NULL }, { "외교통상부", NULL }, { "교육인적자원부", NULL },
	{ "산업자원부", NULL }, { "건설교통부", NULL }, { "농림부", NULL },
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

/* A "Ministry of …" phrase: capitalised words joined by and/of/for/&, so
 * that "Ministry of Science and ICT (Minister …" and "… and the Ministry of
 * Foreign Affairs" each stop where the name does. */
#define NAME_WORD "(?!(?:Minister|Vice|Deputy|Director|Secretary|Commissioner|Chief|Head|REPUBLIC|KOREA)\\b)" \
                  "[A-Z][A-Za-z0-9&'-]*"
static const char ministry_pattern[] =
	"\\bMinistry[ \\t]+of[ \\t]+(?:the[ \\t]+)?" NAME_WORD "(?:[ \\t]+(?:(?:and|of|for|&)[ \\t]+)?" NAME_WORD ")*"
	/* "Ministry of Trade, Industry and Energy": a list ending in "and" */
	"(?:(?:,[ \\t]+" NAME_WORD "(?:[ \\t]+" NAME_WORD ")*)+,?[ \\t]+and[ \\t]+" NAME_WORD "(?:[ \\t]+" NAME_WORD ")*)?";
static const char agency_pattern[] =
	"\\bKorean?(?:[ \\t]+" NAME_WORD ")*?[ \\t]+(?:Agency|Institute|Service|Administration|Foundation)\\b"
	"(?:[ \\t]+(?:of|for|on)[ \\t]+" NAME_WORD "(?:[ \\t]+(?:and[ \\t]+)?" NAME_WORD ")*)?";

static GRegex *re_works_of, *re_ministry, *re_agency, *re_letterhead;

void org_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	re_works_of = text_regex("works\\s+of\\s+(?:the\\s+)?(.+?)\\s*(?:\\(|\\bcan\\b|\\bmay\\b|\\bare\\b|\\bis\\b)",
	                         G_REGEX_CASELESS);
	re_ministry = text_regex(ministry_pattern, 0);
	re_agency = text_regex(agency_pattern, 0);
	re_letterhead = text_regex("^\\s*(.+?)\\s*(?:보도자료|보도참고자료|보도설명자료|"
	                           "press\\s+releases?)\\s*$", G_REGEX_CASELESS);
	g_once_init_leave(&done, 1);
}

/* The organisation named in s: a Korean one, a "Ministry of …", or an
 * agency; NULL when none. */
static char *named_in(const char *s)
{
	if (!s || !*s)
		return NULL;
	char *org = text_first_match(re_ministry, 0, s);
	if (!org)
		org = korean_org(s);
	if (!org)
		org = text_first_match(re_agency, 0, s);
	return org;
}

/* The organisation lead opens with ("The Ministry of … announced",
 * "해양경찰청과 외교부는 …"): the subject of a release's first sentence. */
static char *subject_of(const char *lead)
{
	if (!lead)
		return NULL;
	const char *s = text_skip_decoration(lead); /* "□ 식품의약품안전처 서울지방청은 …" */
	if (g_str_has_prefix(s, "The "))
		s += 4;
	char *org = named_in(s);
	if (org && !g_str_has_prefix(s, org) && !g_str_has_prefix(s, "Ministry") &&
	    !g_str_has_prefix(s, "Korea"))
		g_clear_pointer(&org, g_free);
	return org;
}

/* The length of the organisation s opens with, by its name as written; 0
 * when it opens with none. */
static size_t opens_with_org(const char *s)
{
	size_t len = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(korean_orgs); i++)
		if (g_str_has_prefix(s, korean_orgs[i].written))
			len = MAX(len, strlen(korean_orgs[i].written));
	GRegex *english[] = { re_ministry, re_agency };
	for (size_t i = 0; i < G_N_ELEMENTS(english) && !len; i++) {
		GMatchInfo *mi = NULL;
		gint start = -1, end = -1;
		if (g_regex_match(english[i], s, 0, &mi))
			g_match_info_fetch_pos(mi, 0, &start, &end);
		g_match_info_free(mi);
		if (start == 0)
			len = (size_t)end;
	}
	return len;
}

/* A division's name ("대변인실", "북미국", "Public Relations Division"):
 * a Korean one is one word; an English one a few capitalised words. */
static bool is_division(const char *s)
{
	static const char *const ko[] = { "과", "국", "실", "팀", "관", "단", "센터", "본부", "처" };
	static const char *const en[] = { "Division", "Bureau", "Office", "Center", "Centre", "Team" };
	glong chars = g_utf8_strlen(s, -1);
	for (size_t i = 0; i < G_N_ELEMENTS(ko); i++)
		if (g_str_has_suffix(s, ko[i]))
			return chars <= 12 && !strchr(s, ' ');
	for (size_t i = 0; i < G_N_ELEMENTS(en); i++)
		if (g_str_has_suffix(s, en[i])) {
			int words = 1;
			for (const char *p = s; *p; p++)
				if (*p == ' ') {
					words++;
					if (!g_ascii_isupper(p[1]) && strncmp(p + 1, "and ", 4) != 0 &&
					    strncmp(p + 1, "of ", 3) != 0 && strncmp(p + 1, "for ", 4) != 0)
						return false;
				}
			return g_ascii_isupper(*s) && words <= 7;
		}
	return false;
}

/* A department line names the organisation alone (with the country: "…
 * REPUBLIC OF KOREA", "대한민국 …"; with its date or its logo), the
 * organisation and a division, or a division alone. */
bool org_is_department_line(const char *line)
{
	org_init();
	char *s = text_trimmed(line);
	/* "[ 보건복지부 2022-06-16 ]": brackets round it */
	size_t n = strlen(s);
	if (n >= 2 && ((s[0] == '[' && s[n - 1] == ']') || (s[0] == '(' && s[n - 1] == ')'))) {
		char *inner = g_strndup(s + 1, n - 2);
		g_free(s);
		s = text_trimmed(inner);
		g_free(inner);
	}
	/* "대한민국 청와대": the country before it */
	const char *at = g_str_has_prefix(s, "대한민국 ") ? s + strlen("대한민국 ") : s;
	size_t len = opens_with_org(at);
	bool yes = false;
	if (len > 0) {
		const char *rest = at + len;
		while (*rest && strchr(" >|/-·,", *rest))
			rest++;
		char iso[11];
		yes = !*rest || strcmp(rest, "REPUBLIC OF KOREA") == 0 || strcmp(rest, "Republic of Korea") == 0 ||
		    release_parse_date(rest, iso) || g_str_has_suffix(rest, "로고") ||
		    g_ascii_strcasecmp(rest, "logo") == 0 || is_division(rest); /* "통일부 로고통일부 로고" */
	} else {
		yes = is_division(s);
	}
	g_free(s);
	return yes;
}

char *org_find(const char *statement, const char *dept, const char *contact, const char *head,
               const char *lead)
{
	char *org = NULL;
	org_init();
	/* The licence statement names the owner of the works: the issuer,
	 * where the text may name partners first. */
	if (statement) {
		org = text_first_match(re_works_of, 1, statement);
		if (org && !*org)
			g_clear_pointer(&org, g_free);
		if (!org)
			org = korean_org(statement);
	}
	if (!org)
		org = named_in(dept);
	if (!org)
		org = named_in(contact);
	if (!org)
		org = named_in(head);
	if (!org)
		org = subject_of(lead);
	return org;
}

/*
 * A letterhead: the issuer and the kind of document on one line
 * ("과학기술정보통신부 보도자료", "Ministry of Science and ICT Press Release").
 * It heads the release and is kept, but it is not the title.
 */
bool org_is_letterhead(const char *line)
{
	org_init();
	char *issuer = text_first_match(re_letterhead, 1, line);
	bool yes = false;
	if (!issuer)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(korean_orgs) && !yes; i++)
		yes = strcmp(issuer, korean_orgs[i].written) == 0;
	if (!yes) {
		char *m = text_first_match(re_ministry, 0, issuer);
		yes = m && strcmp(m, issuer) == 0;
		g_free(m);
	}
	g_free(issuer);
	return yes;
}

