/* Unit tests: the KOGL table and detection of KOGL statements. */
#include "unit.h"
#include "release/license.h"

TEST(kogl_table_matches_spec)
{
	static const char *const en[] = {
		"Type 1: Source Indication",
		"Type 2: Source Indication + Commercial Use Prohibition",
		"Type 3: Source Indication + Change Prohibition",
		"Type 4: Source Indication + Commercial Use Prohibition + Change Prohibition",
	};
	static const char *const ko[] = {
		"제1유형: 출처표시", "제2유형: 출처표시+상업적 이용금지", "제3유형: 출처표시+변경금지",
		"제4유형: 출처표시+상업적 이용금지+변경금지",
	};
	for (int t = 1; t <= 4; t++) {
		const kogl_license *l = kogl_get(t);
		EXPECT(l != NULL);
		if (!l)
			continue;
		char *id = g_strdup_printf("KOGL-Type-%d", t);
		char *url = g_strdup_printf("https://www.kogl.or.kr/info/licenseType%d.do", t);
		EXPECT_INT(l->type, t);
		EXPECT_STR(l->id, id);
		EXPECT_STR(l->url, url);
		EXPECT_STR(l->name_en, en[t - 1]);
		EXPECT_STR(l->name_ko, ko[t - 1]);
		g_free(id);
		g_free(url);
	}
	EXPECT(kogl_get(0) == NULL);
	EXPECT(kogl_get(5) == NULL);
	EXPECT(kogl_get(-1) == NULL);
}

TEST(kogl_parse_names)
{
	EXPECT_INT(kogl_parse_name("kogl-1"), 1);
	EXPECT_INT(kogl_parse_name("kogl-4"), 4);
	EXPECT_INT(kogl_parse_name("KOGL-2"), 2);
	EXPECT_INT(kogl_parse_name("KOGL-Type-3"), 3);
	EXPECT_INT(kogl_parse_name("kogl-type-4"), 4);
	EXPECT_INT(kogl_parse_name("kogl-5"), 0);
	EXPECT_INT(kogl_parse_name("kogl-0"), 0);
	EXPECT_INT(kogl_parse_name("kogl-12"), 0);
	EXPECT_INT(kogl_parse_name("kogl-1 "), 0);
	EXPECT_INT(kogl_parse_name("kogl"), 0);
	EXPECT_INT(kogl_parse_name("cc-by"), 0);
	EXPECT_INT(kogl_parse_name(""), 0);
	EXPECT_INT(kogl_parse_name(NULL), 0);
}

TEST(kogl_english_each_type)
{
	char *st = NULL;
	EXPECT_INT(kogl_detect("Intro.\n  KOGL Korea Open Government License, BY Type 1 : "
	                       "Source Indication  \nBye.", &st), 1);
	EXPECT_STR(st, "KOGL Korea Open Government License, BY Type 1 : Source Indication");
	g_free(st);
	EXPECT_INT(kogl_detect("This release is under KOGL Type 2.", NULL), 2);
	EXPECT_INT(kogl_detect("Licensed: Korea Open Government License Type 3", NULL), 3);
	EXPECT_INT(kogl_detect("KOGL Type 4", NULL), 4);
	EXPECT_INT(kogl_detect("BY Type 2 : Source Indication + Commercial Use Prohibition", NULL), 2);
	EXPECT_INT(kogl_detect("Type 1 : Source Indication", NULL), 1);
	EXPECT_INT(kogl_detect("License: KOGL-Type-3", NULL), 3);
	EXPECT_INT(kogl_detect("kogl type4", NULL), 4);
}

TEST(kogl_korean_each_type)
{
	char *st = NULL;
	EXPECT_INT(kogl_detect("본문\n이 자료는 공공누리 제1유형에 따라 이용할 수 있습니다.\n", &st), 1);
	EXPECT_STR(st, "이 자료는 공공누리 제1유형에 따라 이용할 수 있습니다.");
	g_free(st);
	EXPECT_INT(kogl_detect("공공누리 제2유형", NULL), 2);
	EXPECT_INT(kogl_detect("공공누리 제 3 유형", NULL), 3);
	EXPECT_INT(kogl_detect("제4유형 : 출처표시+상업적이용금지+변경금지", NULL), 4);
	EXPECT_INT(kogl_detect("제4유형:출처표시 + 상업적 이용금지 + 변경금지", NULL), 4);
	EXPECT_INT(kogl_detect("제2유형: 출처표시+상업적 이용금지", NULL), 2);
	EXPECT_INT(kogl_detect("공공누리 3유형", NULL), 3);
}

TEST(kogl_condition_only_forms)
{
	EXPECT_INT(kogl_detect("Source Indication + Commercial Use Prohibition + Change Prohibition",
	                       NULL), 4);
	EXPECT_INT(kogl_detect("Source Indication + Change Prohibition", NULL), 3);
	EXPECT_INT(kogl_detect("Source Indication+Commercial Use Prohibition", NULL), 2);
	EXPECT_INT(kogl_detect("KOGL: Source Indication", NULL), 1);
	EXPECT_INT(kogl_detect("출처표시+변경금지", NULL), 3);
	EXPECT_INT(kogl_detect("출처표시 + 상업적 이용금지", NULL), 2);
	EXPECT_INT(kogl_detect("출처표시+상업적이용금지+변경금지", NULL), 4);
	/* Source indication alone is too common a phrase without KOGL. */
	EXPECT_INT(kogl_detect("Please observe source indication when quoting.", NULL), 0);
	EXPECT_INT(kogl_detect("출처표시 바랍니다", NULL), 0);
}

TEST(kogl_korean_condition_statement)
{
	char *st = NULL;
	EXPECT_INT(kogl_detect("본 저작물은 공공누리 \"출처표시\" 조건에 따라 이용할 수 있습니다.", &st), 1);
	EXPECT_STR(st, "본 저작물은 공공누리 \"출처표시\" 조건에 따라 이용할 수 있습니다.");
	g_free(st);
	EXPECT_INT(kogl_detect("공공누리 \"출처표시+상업적이용금지\" 조건", NULL), 2);
	EXPECT_INT(kogl_detect("공공누리 \"출처표시+변경금지\" 조건", NULL), 3);
	EXPECT_INT(kogl_detect("공공누리 \"출처표시+상업적 이용금지+변경금지\" 조건", NULL), 4);
}

TEST(kogl_no_false_positives)
{
	char *st = (char *)"untouched";
	EXPECT_INT(kogl_detect("Patients with type 1 diabetes were studied.", &st), 0);
	EXPECT(st == NULL);
	EXPECT_INT(kogl_detect("제1유형 당뇨 환자 지원을 확대한다.", NULL), 0);
	EXPECT_INT(kogl_detect("The ministry opened the type 2 grant call.\nNo licence here.", NULL), 0);
	EXPECT_INT(kogl_detect("", NULL), 0);
	EXPECT_INT(kogl_detect(NULL, NULL), 0);
	EXPECT_INT(kogl_detect_all("Type 3 of the grant"), 0);
	/* KOGL context without any type or condition states nothing. */
	EXPECT_INT(kogl_detect("Visit kogl.or.kr for details.", NULL), 0);
}

TEST(kogl_statement_over_two_lines)
{
	char *st = NULL;
	EXPECT_INT(kogl_detect("공공누리 공공저작물 자유이용허락\n제3유형\n", &st), 3);
	EXPECT_STR(st, "제3유형");
	g_free(st);
	/* The context reaches one line only. */
	EXPECT_INT(kogl_detect("공공누리\n\n다음 줄\n제3유형\n", NULL), 0);
}

TEST(kogl_conflicting_statements)
{
	const char *text = "KOGL Type 1 : Source Indication\n"
	                   "Some prose.\n"
	                   "공공누리 제4유형\n";
	char *st = NULL;
	EXPECT_INT(kogl_detect(text, &st), 1);
	EXPECT_STR(st, "KOGL Type 1 : Source Indication");
	g_free(st);
	EXPECT_INT(kogl_detect_all(text), (1u << 1) | (1u << 4));
	/* The sample states type 1 twice on one line: no conflict. */
	EXPECT_INT(kogl_detect_all("KOGL Korea Open Government License, BY Type 1 : Source "
	                           "Indication The works of the Ministry of Science and ICT can "
	                           "be used under the terms of \"KOGL Type 1\"."), 1u << 1);
	EXPECT_INT(kogl_detect_all("KOGL Type 2 and KOGL Type 3"), (1u << 2) | (1u << 3));
}

UNIT_MAIN(kogl_table_matches_spec, kogl_parse_names, kogl_english_each_type,
          kogl_korean_each_type, kogl_condition_only_forms, kogl_korean_condition_statement,
          kogl_no_false_positives, kogl_statement_over_two_lines, kogl_conflicting_statements)
