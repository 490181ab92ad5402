/* Unit tests: HWPX (OWPML) text and facts, on the documents of
 * scripts/gen-odf, real-shaped and hostile. */
#include <unistd.h>
#include <time.h>
#include "odf_fixture.h"

#define TITLE "2024년 인공지능 반도체 산업 육성 전략 발표"

static char *release(const char *name, doc_info *info)
{
	GError *e = NULL;
	bool ok;
	char *text = odf_extract(name, DOC_HWPX, &ok, info, &e);
	EXPECT(ok);
	if (e)
		fprintf(stderr, "%s: %s\n", name, e->message);
	g_clear_error(&e);
	return text;
}

TEST(sniffed_as_hwpx)
{
	char *p = odf_path("release.hwpx");
	EXPECT_INT(doc_sniff(p), DOC_HWPX);
	g_free(p);
	p = odf_path("hostile-nomime.hwpx");
	EXPECT_INT(doc_sniff(p), DOC_NONE);
	g_free(p);
}

TEST(release_text)
{
	doc_info info;
	char *text = release("release.hwpx", &info);
	EXPECT(text && g_str_has_prefix(text, "과학기술정보통신부 보도자료\n"));
	EXPECT(odf_has_line(text, TITLE));
	EXPECT(odf_has_line(text, "- 2030년까지 세계 시장 점유율 20% 달성 목표 -"));
	EXPECT(odf_has_line(text, "공공누리 제1유형: 출처표시"));
	EXPECT(odf_has_line(text, "책임자: 과장 홍길동 (전화: 044-202-6280, 이메일: hong@msit.go.kr)"));
	/* <tab/>, <lineBreak/>, <nbSpace/>, <fwSpace/> */
	EXPECT(odf_has_line(text, "첫째\t설계 역량 강화"));
	EXPECT(odf_has_line(text, "둘째 인력 양성"));
	g_free(text);
	doc_info_clear(&info);
}

TEST(spine_order_not_zip_order)
{
	doc_info info;
	char *text = release("release.hwpx", &info);
	/* section1 comes first in the zip, section0 first in the spine */
	const char *title = text ? strstr(text, TITLE) : NULL, *contact = text ? strstr(text, "담당 부서") : NULL;
	EXPECT(title && contact && title < contact);
	EXPECT_INT(odf_count(text, '\f'), 1);
	const char *ff = text ? strchr(text, '\f') : NULL;
	EXPECT(ff && g_str_has_prefix(ff, "\f담당 부서:"));
	EXPECT(ff && ff > strstr(text, "표 다음 글"));
	EXPECT_INT(info.sections, 2);
	g_free(text);
	doc_info_clear(&info);
}

TEST(nested_sub_lists_on_lines_of_their_own)
{
	doc_info info;
	char *text = release("release.hwpx", &info);
	EXPECT(odf_has_line(text, "구분"));
	EXPECT(odf_has_line(text, "3,000억 원"));
	EXPECT(odf_has_line(text, "내부 표 셀"));    /* a table in a cell */
	EXPECT(odf_has_line(text, "표 다음 글"));    /* the text after the table */
	EXPECT(odf_has_line(text, "- 1 -"));          /* the footer */
	/* the footnote splits its paragraph, the words around it kept whole */
	EXPECT(odf_has_line(text, "과학기술정보통신부는 인공지능 반도체 산업 육성 전략을 발표하였다."));
	EXPECT(odf_has_line(text, "각주: 2023년 기준 시장 규모"));
	EXPECT(odf_has_line(text, "정부는 3년간 1조 원을 투자한다."));
	g_free(text);
	doc_info_clear(&info);
}

TEST(release_facts)
{
	doc_info info;
	char *text = release("release.hwpx", &info);
	EXPECT_INT(info.format, DOC_HWPX);
	EXPECT_STR(info.version, "5.1.1.0");
	EXPECT(!info.scripts && !info.macros && !info.embedded);
	EXPECT(info.text_chars > 200 && info.text_chars < 400);
	g_free(text);
	doc_info_clear(&info);
}

TEST(owpml_2024_namespaces_read_alike)
{
	doc_info a, b;
	char *t2011 = release("release.hwpx", &a), *t2024 = release("release-2024.hwpx", &b);
	EXPECT(t2011 && t2024 && strcmp(t2011, t2024) == 0);
	EXPECT(odf_has_line(t2024, TITLE));
	EXPECT_INT(b.sections, 2);
	EXPECT_STR(b.version, "5.1.1.0");
	g_free(t2011);
	g_free(t2024);
	doc_info_clear(&a);
	doc_info_clear(&b);
}

TEST(default_script_is_not_active)
{
	doc_info info;
	char *text = release("script-default.hwpx", &info);
	EXPECT(!info.scripts);
	EXPECT(odf_has_line(text, TITLE));
	g_free(text);
	doc_info_clear(&info);
}

TEST(script_with_statements_is_active)
{
	doc_info info;
	char *text = release("script-active.hwpx", &info);
	EXPECT(info.scripts);
	EXPECT(!info.embedded);
	g_free(text);
	doc_info_clear(&info);
}

/* JScript ends a // comment at CR and U+2028 too: what follows runs. */
TEST(script_hidden_after_a_comment_is_active)
{
	doc_info info;
	char *text = release("script-hidden.hwpx", &info);
	EXPECT(info.scripts);
	g_free(text);
	doc_info_clear(&info);
}

TEST(ole_object_is_embedded)
{
	doc_info info;
	char *text = release("ole.hwpx", &info);
	EXPECT(info.embedded);
	EXPECT(!info.scripts);
	g_free(text);
	doc_info_clear(&info);
}

TEST(twenty_pages_quickly)
{
	doc_info info;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *text = release("pages20.hwpx", &info);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "pages20.hwpx: %" G_GUINT64_FORMAT " characters in %.1f ms\n",
	        info.text_chars, ms);
	EXPECT(info.text_chars >= 30000);
	EXPECT(text && strstr(text, "20쪽 "));
	EXPECT(ms < 5000);
	g_free(text);
	doc_info_clear(&info);
}

TEST(generator_is_deterministic)
{
	char *dir = unit_tmpdir();
	const char *top = getenv("TOP");
	char *cmd = g_strdup_printf("python3 '%s/scripts/gen-odf' '%s' >/dev/null", top ? top : ".", dir);
	EXPECT(system(cmd) == 0);
	char *a_path = odf_path("release.hwpx"), *b_path = g_build_filename(dir, "release.hwpx", NULL);
	char *a = NULL, *b = NULL;
	gsize alen = 0, blen = 0;
	EXPECT(g_file_get_contents(a_path, &a, &alen, NULL));
	EXPECT(g_file_get_contents(b_path, &b, &blen, NULL));
	EXPECT(a && b && alen == blen && memcmp(a, b, alen) == 0);
	g_free(a);
	g_free(b);
	g_free(a_path);
	g_free(b_path);
	g_free(cmd);
	g_free(dir);
}

TEST(zip_bomb_bounded)
{
	long before = odf_peak_mib();
	odf_expect_fails("hostile-bomb.hwpx", DOC_HWPX, "inflates more than 200 times");
	odf_expect_fails("hostile-ratio.hwpx", DOC_HWPX, "inflates more than 200 times");
	EXPECT(odf_peak_mib() - before < 128);
}

TEST(too_many_entries)
{
	odf_expect_fails("hostile-entries.hwpx", DOC_HWPX, "limit: more than 10000 entries");
}

TEST(doctype_refused)
{
	odf_expect_fails("hostile-laughs.hwpx", DOC_HWPX, "damaged: a DTD in Contents/section0.xml");
	odf_expect_fails("hostile-external.hwpx", DOC_HWPX, "damaged: a DTD in Contents/section0.xml");
	doc_info info;
	GError *e = NULL;
	bool ok;
	char *text = odf_extract("hostile-external.hwpx", DOC_HWPX, &ok, &info, &e);
	EXPECT(!text || !strstr(text, "root:"));
	g_free(text);
	g_clear_error(&e);
	doc_info_clear(&info);
}

TEST(deep_nesting_refused)
{
	odf_expect_fails("hostile-deep.hwpx", DOC_HWPX, "depth");
}

TEST(damaged_packages)
{
	odf_expect_fails("hostile-truncated.hwpx", DOC_HWPX, "damaged: ");
	odf_expect_fails("hostile-nomime.hwpx", DOC_HWPX, "damaged: no mimetype entry");
	odf_expect_fails("release.odt", DOC_HWPX, "not application/hwp+zip");
	odf_expect_fails("hostile-missing.hwpx", DOC_HWPX, "Contents/section9.xml, which is not in the package");
	odf_expect_fails("hostile-escape.hwpx", DOC_HWPX, "the path ../x.xml leaves the package");
	odf_expect_fails("hostile-utf8.hwpx", DOC_HWPX, "UTF-8");
}

UNIT_MAIN(sniffed_as_hwpx, release_text, spine_order_not_zip_order, nested_sub_lists_on_lines_of_their_own,
          release_facts, owpml_2024_namespaces_read_alike, default_script_is_not_active,
          script_with_statements_is_active, script_hidden_after_a_comment_is_active,
          ole_object_is_embedded, twenty_pages_quickly,
          generator_is_deterministic, zip_bomb_bounded, too_many_entries, doctype_refused,
          deep_nesting_refused, damaged_packages)
