/* Unit tests: the decisions and checks on a release record (release_checks.h),
 * on records built here, without files but the extracted texts. */
#include "unit.h"
#include "ingest/checks.h"
#include "release/license.h"
#include "ingest/decide.h"

/* pdf.matches_release folds text with an ASCII fast path (fold_append):
 * g_ascii_isalnum stands in for g_unichar_isalnum below 0x80. Were they
 * to differ on one character, titles would match differently. */
TEST(ascii_fold_fast_path_is_unicode_alnum)
{
	for (gunichar c = 0; c < 0x80; c++)
		EXPECT(!g_ascii_isalnum((char)c) == !g_unichar_isalnum(c));
}

TEST(title_in_text)
{
	EXPECT(release_title_in_text("AI and Digital Diplomacy", "x\nAI-and digital\ndiplomacy y"));
	EXPECT(release_title_in_text("Ｆｕｌｌｗｉｄｔｈ ＡＩ", "fullwidth ai"));
	EXPECT(release_title_in_text("과학기술정보통신부, AI 반도체 전략 발표", "과학기술정보통신부는 AI 반도체 전략을 발표"));
	/* 4 of 5 words (80%) is enough; 3 of 5 is not. */
	EXPECT(release_title_in_text("alpha beta gamma delta epsilon", "alpha beta gamma delta"));
	EXPECT(!release_title_in_text("alpha beta gamma delta epsilon", "alpha beta gamma"));
	EXPECT(!release_title_in_text("Quantum strategy", "nothing of the sort"));
	EXPECT(!release_title_in_text("", "anything"));
}

static release_policy policy(const retention_period *period)
{
	return (release_policy){ .today = "2026-11-27", .retention = "10y", .period = period,
		                 .now = 1795737600 };
}

TEST(licence_order_and_consistency)
{
	retention_period period;
	EXPECT(retention_parse("10y", &period));
	release_policy pol = policy(&period);
	release_record *r = release_record_new();
	release_input in = { .attachments = g_ptr_array_new() };
	release_decide(&pol, r, &in);
	/* No statement, no option, no default: an error. */
	EXPECT(r->license == NULL && check_list_has_error(r->checks));
	EXPECT_STR(r->date_source, "ingest-date");
	EXPECT_STR(r->date, "2026-11-27");
	EXPECT_STR(r->organisation, NULL); /* none named: none written */
	EXPECT_STR(r->organisation_source, "none");
	release_record_free(r);

	pol.default_license = 3;
	r = release_record_new();
	release_decide(&pol, r, &in);
	EXPECT(r->license == kogl_get(3) && strcmp(r->license_source, "config") == 0);
	release_record_free(r);

	pol.license_type = 2; /* --license wins over the default */
	pol.organisation = "Ministry";
	pol.date = "2024-05-10";
	r = release_record_new();
	release_decide(&pol, r, &in);
	EXPECT(r->license == kogl_get(2) && strcmp(r->license_source, "option") == 0);
	EXPECT(release_early_license(&pol, r) == kogl_get(2));
	EXPECT_STR(r->organisation, "Ministry");
	EXPECT_STR(r->date, "2024-05-10");
	/* The period starts on 1 January after the release date. */
	EXPECT_STR(r->retention_start, "2025-01-01");
	EXPECT_STR(r->disposal_date, "2035-01-01");
	EXPECT(r->retention_statutory);
	EXPECT(!check_list_has_error(r->checks));
	release_record_free(r);

	/* [retention] start = release-date: the old rule. */
	pol.start_rule = RETENTION_START_RELEASE_DATE;
	r = release_record_new();
	release_decide(&pol, r, &in);
	EXPECT_STR(r->retention_start, "2024-05-10");
	EXPECT_STR(r->disposal_date, "2034-05-10");
	release_record_free(r);

	/* A period the Decree does not name is kept, and said to be so. */
	retention_period odd;
	EXPECT(retention_parse("18m", &odd));
	pol.period = &odd;
	pol.retention = "18m";
	pol.start_rule = RETENTION_START_NEXT_YEAR;
	r = release_record_new();
	release_decide(&pol, r, &in);
	EXPECT_STR(r->retention, "18m");
	EXPECT(!r->retention_statutory);
	EXPECT_STR(r->retention_start, "2025-01-01");
	EXPECT_STR(r->disposal_date, "2026-07-01");
	release_record_free(r);
	g_ptr_array_unref(in.attachments);
}

UNIT_MAIN(ascii_fold_fast_path_is_unicode_alnum, title_in_text, licence_order_and_consistency)
