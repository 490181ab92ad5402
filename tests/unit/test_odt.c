/* Unit tests: ODT (OpenDocument text) text and facts, on the documents of
 * scripts/gen-odf. */
#include <unistd.h>
#include "odf_fixture.h"

#define TITLE "2024년 인공지능 반도체 산업 육성 전략 발표"

static char *release(const char *name, doc_info *info)
{
	GError *e = NULL;
	bool ok;
	char *text = odf_extract(name, DOC_ODT, &ok, info, &e);
	EXPECT(ok);
	if (e)
		fprintf(stderr, "%s: %s\n", name, e->message);
	g_clear_error(&e);
	return text;
}

TEST(sniffed_as_odt)
{
	char *p = odf_path("release.odt");
	EXPECT_INT(doc_sniff(p), DOC_ODT);
	g_free(p);
}

TEST(release_text)
{
	doc_info info;
	char *text = release("release.odt", &info);
	/* the master page's header, then the body */
	EXPECT(text && g_str_has_prefix(text, "과학기술정보통신부 보도자료\n" TITLE "\n"));
	EXPECT(odf_has_line(text, "- 2030년까지 세계 시장 점유율 20% 달성 목표 -"));
	/* text:s text:c="3", a span inside the paragraph */
	EXPECT(odf_has_line(text, "과학기술정보통신부는   전략을 발표하였다."));
	EXPECT(odf_has_line(text, "첫째\t설계 역량 강화"));      /* text:tab */
	EXPECT(odf_has_line(text, "둘째 인력 양성"));             /* after text:line-break */
	EXPECT(odf_has_line(text, "자세한 내용은 누리집을 참고")); /* text:a */
	EXPECT(odf_has_line(text, "공공누리 제1유형: 출처표시"));
	g_free(text);
	doc_info_clear(&info);
}

TEST(notes_and_cells_on_lines_of_their_own)
{
	doc_info info;
	char *text = release("release.odt", &info);
	EXPECT(odf_has_line(text, "각주: 2023년 기준 시장 규모"));
	EXPECT(odf_has_line(text, " 정부는 3년간 1조 원을 투자한다."));
	EXPECT(text && !strstr(text, "하였다.1")); /* the citation left out */
	EXPECT(odf_has_line(text, "구분"));
	EXPECT(odf_has_line(text, "3,000억 원"));
	g_free(text);
	doc_info_clear(&info);
}

TEST(annotations_left_out)
{
	doc_info info;
	char *text = release("release.odt", &info);
	EXPECT(text && !strstr(text, "검토 의견"));
	EXPECT(text && !strstr(text, "검토자"));
	g_free(text);
	doc_info_clear(&info);
}

TEST(soft_page_breaks_are_form_feeds)
{
	doc_info info;
	char *text = release("release.odt", &info);
	EXPECT_INT(odf_count(text, '\f'), 2);
	EXPECT_INT(info.sections, 3);
	EXPECT(text && strstr(text, "양성\n\f구분\n"));
	/* a break inside a paragraph splits it */
	EXPECT(text && strstr(text, "담당 부서: 인공지능반도체과\n\f책임자:"));
	g_free(text);
	doc_info_clear(&info);
}

TEST(release_facts)
{
	doc_info info;
	char *text = release("release.odt", &info);
	EXPECT_INT(info.format, DOC_ODT);
	EXPECT_STR(info.version, "1.2");
	EXPECT(!info.scripts && !info.macros && !info.embedded);
	EXPECT(info.text_chars > 150);
	g_free(text);
	doc_info_clear(&info);
}

TEST(basic_macro_and_event)
{
	doc_info info;
	char *text = release("macro.odt", &info);
	EXPECT(info.macros);
	EXPECT(info.scripts);
	EXPECT(!info.embedded);
	EXPECT(odf_has_line(text, TITLE));
	g_free(text);
	doc_info_clear(&info);
}

TEST(embedded_object)
{
	doc_info info;
	char *text = release("object.odt", &info);
	EXPECT(info.embedded);
	EXPECT(!info.macros && !info.scripts);
	g_free(text);
	doc_info_clear(&info);
}

TEST(hostile_refused)
{
	odf_expect_fails("hostile-laughs.odt", DOC_ODT, "damaged: a DTD in content.xml");
	odf_expect_fails("release.hwpx", DOC_ODT, "not application/vnd.oasis.opendocument.text");
	odf_expect_fails("hostile-truncated.hwpx", DOC_ODT, "damaged: ");
	odf_expect_fails("hostile-entries.hwpx", DOC_ODT, "limit: more than 10000 entries");
}

UNIT_MAIN(sniffed_as_odt, release_text, notes_and_cells_on_lines_of_their_own, annotations_left_out,
          soft_page_breaks_are_form_feeds, release_facts, basic_macro_and_event, embedded_object,
          hostile_refused)
