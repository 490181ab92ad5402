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
	const char *good[] = { "1y", "3y", "5y", "10y", "30y", "permanent", "18m", "90d", "1000y" };
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
	EXPECT_STR(disposal("2024-02-30", "1y"), "invalid");
	EXPECT_STR(disposal("2024-5-10", "1y"), "invalid");
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

UNIT_MAIN(periods_parse, disposal_dates, slugs, ids)
