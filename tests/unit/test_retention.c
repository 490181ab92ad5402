/* Unit tests: retention periods, disposal dates, bundle ids. */
#include "unit.h"
#include "release/bundle_id.h"
#include "store/retention.h"

static const char *disposal(const char *date, const char *period)
{
	static char out[RETENTION_DATE_MAX];
	retention_period p;
	if (!retention_parse(period, &p) || !retention_disposal_date(date, &p, out))
		return "invalid";
	return out;
}

TEST(periods_parse)
{
	retention_period p;
	const char *good[] = { "1y", "3y", "5y", "10y", "30y", "semi-permanent", "permanent", "18m",
		               "90d", "1000y" };
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		EXPECT(retention_parse(good[i], &p));
	const char *bad[] = { "", "y", "0y", "-1y", "10", "10w", "10yy", " 10y", "1001y", "Permanent",
	                      "99999999999999999999d" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		EXPECT(!retention_parse(bad[i], &p));
	EXPECT(retention_parse("18m", &p) && p.amount == 18 && p.unit == 'm' && p.kind == RETENTION_TERM && !p.statutory);
}

TEST(disposal_dates)
{
	EXPECT_STR(disposal("2024-05-10", "10y"), "2034-05-10");
	EXPECT_STR(disposal("2024-02-29", "1y"), "2025-02-28");
	EXPECT_STR(disposal("2024-02-29", "4y"), "2028-02-29");
	EXPECT_STR(disposal("2024-01-31", "1m"), "2024-02-29");
	EXPECT_STR(disposal("2023-01-31", "1m"), "2023-02-28");
	EXPECT_STR(disposal("2024-12-31", "1d"), "2025-01-01");
	EXPECT_STR(disposal("2024-05-10", "permanent"), "permanent");
	EXPECT_STR(disposal("2024-05-10", "semi-permanent"), "semi-permanent");
	EXPECT_STR(disposal("2024-02-30", "1y"), "invalid");
	EXPECT_STR(disposal("2024-5-10", "1y"), "invalid");
}

/* The statutory periods of the Decree, and a few that are only kept. */
TEST(statutory_periods)
{
	retention_period p;
	const char *statutory[] = { "1y", "3y", "5y", "10y", "30y", "semi-permanent", "permanent" };
	for (size_t i = 0; i < G_N_ELEMENTS(statutory); i++) {
		EXPECT(retention_parse(statutory[i], &p));
		if (!p.statutory)
			fprintf(stderr, "%s: not statutory\n", statutory[i]);
		EXPECT(p.statutory);
	}
	const char *other[] = { "2y", "18m", "90d", "12m", "365d", "1000y" };
	for (size_t i = 0; i < G_N_ELEMENTS(other); i++) {
		EXPECT(retention_parse(other[i], &p));
		if (p.statutory)
			fprintf(stderr, "%s: statutory\n", other[i]);
		EXPECT(!p.statutory);
	}
	EXPECT(retention_parse("semi-permanent", &p) && p.kind == RETENTION_SEMI_PERMANENT);
	EXPECT(retention_parse("permanent", &p) && p.kind == RETENTION_PERMANENT);
	EXPECT(retention_parse("30y", &p) && p.kind == RETENTION_TERM && p.amount == 30 &&
	       p.unit == 'y');
	EXPECT(!retention_parse("semipermanent", &p));
	EXPECT(!retention_parse("Semi-permanent", &p));
	EXPECT(!retention_parse("semi-permanent ", &p));
}

TEST(start_rules)
{
	retention_start_rule r = RETENTION_START_RELEASE_DATE;
	EXPECT(retention_start_rule_parse("next-year", &r) && r == RETENTION_START_NEXT_YEAR);
	EXPECT(retention_start_rule_parse("release-date", &r) && r == RETENTION_START_RELEASE_DATE);
	const char *bad[] = { "", "tomorrow", "Next-Year", "next-year ", "release_date", "nextyear" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		r = RETENTION_START_RELEASE_DATE;
		EXPECT(!retention_start_rule_parse(bad[i], &r));
		EXPECT(r == RETENTION_START_RELEASE_DATE); /* untouched */
	}
}

static const char *start(const char *date, retention_start_rule r)
{
	static char out[11];
	if (!retention_start(date, r, out))
		return "invalid";
	return out;
}

TEST(period_starts)
{
	/* Decree Art. 26(5): 1 January of the next year, whatever the day. */
	EXPECT_STR(start("2024-05-10", RETENTION_START_NEXT_YEAR), "2025-01-01");
	EXPECT_STR(start("2024-01-01", RETENTION_START_NEXT_YEAR), "2025-01-01");
	EXPECT_STR(start("2024-12-31", RETENTION_START_NEXT_YEAR), "2025-01-01");
	EXPECT_STR(start("2024-02-29", RETENTION_START_NEXT_YEAR), "2025-01-01");
	EXPECT_STR(start("1999-12-31", RETENTION_START_NEXT_YEAR), "2000-01-01");
	/* The old rule: the release date itself. */
	EXPECT_STR(start("2024-05-10", RETENTION_START_RELEASE_DATE), "2024-05-10");
	EXPECT_STR(start("2024-12-31", RETENTION_START_RELEASE_DATE), "2024-12-31");
	EXPECT_STR(start("2024-02-29", RETENTION_START_RELEASE_DATE), "2024-02-29");
	const char *bad[] = { "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-05-00",
		              "2024-5-10",  "2024- 5-10", "+024-05-10", " 2024-05-10", "2024-05-10 ",
		              "0000-01-01", "20240510",   "",           "2024/05/10", "2024-05-1x" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		for (int rule = 0; rule < 2; rule++) {
			const char *got = start(bad[i], (retention_start_rule)rule);
			if (strcmp(got, "invalid") != 0)
				fprintf(stderr, "start(\"%s\", %d) = %s\n", bad[i], rule, got);
			EXPECT_STR(got, "invalid");
		}
	}
	/* No five-digit year. */
	EXPECT_STR(start("9999-06-01", RETENTION_START_NEXT_YEAR), "invalid");
	EXPECT_STR(start("9999-06-01", RETENTION_START_RELEASE_DATE), "9999-06-01");
}

/* The disposal date runs from the start, not from the release date. */
TEST(disposal_from_start)
{
	char s[11];
	EXPECT(retention_start("2024-05-10", RETENTION_START_NEXT_YEAR, s));
	EXPECT_STR(disposal(s, "10y"), "2035-01-01");
	EXPECT_STR(disposal(s, "18m"), "2026-07-01");
	EXPECT_STR(disposal(s, "90d"), "2025-04-01");
	EXPECT_STR(disposal(s, "2y"), "2027-01-01");
	EXPECT(retention_start("2024-02-29", RETENTION_START_RELEASE_DATE, s));
	EXPECT_STR(disposal(s, "1y"), "2025-02-28");
	EXPECT_STR(disposal(s, "12m"), "2025-02-28");
	EXPECT_STR(disposal(s, "18m"), "2025-08-29");
	EXPECT(retention_start("2024-12-31", RETENTION_START_NEXT_YEAR, s));
	EXPECT_STR(disposal(s, "1y"), "2026-01-01");
	EXPECT_STR(disposal(s, "semi-permanent"), "semi-permanent");
	EXPECT_STR(disposal(s, "permanent"), "permanent");
	/* Even without a disposal date the start must be a date. */
	EXPECT_STR(disposal("2024-02-30", "semi-permanent"), "invalid");
	EXPECT_STR(disposal("2024-02-30", "permanent"), "invalid");
	EXPECT_STR(disposal("2024- 5-10", "1y"), "invalid");
	EXPECT_STR(disposal("2024-05-10x", "1y"), "invalid");
	/* Past 9999-12-31 there is no date to write. */
	EXPECT_STR(disposal("9999-01-01", "1y"), "invalid");
	EXPECT_STR(disposal("9998-01-01", "1y"), "9999-01-01");
	EXPECT_STR(disposal("2025-01-01", "1000y"), "3025-01-01");
	/* A disposal date fits RETENTION_DATE_MAX, terminator included. */
	EXPECT(strlen("semi-permanent") < RETENTION_DATE_MAX);
}

static const char *evaluation(const char *date)
{
	static char out[11];
	if (!retention_evaluation_date(date, out))
		return "invalid";
	return out;
}

TEST(evaluation_dates)
{
	EXPECT_INT(RETENTION_EVALUATION_YEARS, 70);
	EXPECT_STR(evaluation("2025-01-01"), "2095-01-01");
	EXPECT_STR(evaluation("2024-02-29"), "2094-02-28");
	EXPECT_STR(evaluation("2028-02-29"), "2098-02-28");
	EXPECT_STR(evaluation("2024-05-10"), "2094-05-10");
	EXPECT_STR(evaluation("2024-02-30"), "invalid");
	EXPECT_STR(evaluation("2024-5-10"), "invalid");
	EXPECT_STR(evaluation(""), "invalid");
	EXPECT_STR(evaluation("9950-01-01"), "invalid");
}

TEST(slugs)
{
	char *s;
	s = bundle_slug("No Barriers Between Ministries in AI and Digital Diplomacy");
	EXPECT_STR(s, "no-barriers-between-ministries-in-ai-and-digital");
	EXPECT_INT(strlen(s), 48);
	g_free(s);
	s = bundle_slug("과학기술정보통신부, AI 반도체 2030 발표");
	EXPECT_STR(s, "ai-2030");
	g_free(s);
	s = bundle_slug("인공지능 반도체");
	EXPECT_STR(s, "release");
	g_free(s);
	s = bundle_slug("  --Hello,  World!!  ");
	EXPECT_STR(s, "hello-world");
	g_free(s);
	/* A cut never leaves a trailing dash. */
	s = bundle_slug("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbb");
	EXPECT_STR(s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	g_free(s);
}

TEST(ids)
{
	char *id = bundle_id_make("2024-05-10", "No Barriers", "1a2b3c4d5e6f");
	EXPECT_STR(id, "2024-05-10_no-barriers_1a2b3c4d");
	EXPECT(bundle_id_valid(id));
	g_free(id);
	EXPECT(!bundle_id_valid("2024-05-10_no-barriers_1A2B3C4D"));
	EXPECT(!bundle_id_valid("../etc/passwd"));
	EXPECT(!bundle_id_valid("2024-05-10_no/barriers_1a2b3c4d"));
	EXPECT(!bundle_id_valid("2024-05-10__1a2b3c4d"));
}

UNIT_MAIN(periods_parse, disposal_dates, statutory_periods, start_rules, period_starts,
          disposal_from_start, evaluation_dates, slugs, ids)
