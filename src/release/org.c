/*
 * release/org.c — the organisation that issued a release: named in its licence
 * statement, or the first ministry or agency of its text; and letterheads
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

char *org_find(const char *text, const char *statement)
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
		org = text_first_match(re_ministry, 0, text);
	if (!org)
		org = korean_org(text);
	if (!org)
		org = text_first_match(re_agency, 0, text);
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

