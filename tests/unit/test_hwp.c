/* Unit tests: HWP 5 text and facts (src/doc/hwp.c) on the documents
 * scripts/gen-hwp writes, ordinary, protected and hostile. */
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "doc/doc.h"

#define TITLE "2024년 인공지능 반도체 산업 육성 전략 발표"

static char *gen_dir;

/* The generator's documents, made once into a scratch directory. */
static const char *docs(void)
{
	if (gen_dir)
		return gen_dir;
	gen_dir = unit_tmpdir();
	const char *top = getenv("TOP");
	char *script = g_build_filename(top && *top ? top : ".", "scripts", "gen-hwp", NULL);
	const char *argv[] = { "python3", script, gen_dir, NULL };
	int status = 0;
	GError *err = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
	                  NULL, NULL, NULL, NULL, &status, &err) ||
	    !g_spawn_check_wait_status(status, NULL)) {
		fprintf(stderr, "gen-hwp failed: %s\n", err ? err->message : "exit status");
		exit(2);
	}
	g_free(script);
	return gen_dir;
}

/* doc_extract on a generated document; the text, or NULL on failure. */
static char *extract(const char *name, doc_info *info, GError **err)
{
	char *path = g_build_filename(docs(), name, NULL);
	char *txt = g_strconcat(path, ".txt", NULL);
	char *text = NULL;
	if (doc_extract(path, DOC_HWP, txt, info, err))
		g_file_get_contents(txt, &text, NULL, NULL);
	g_free(path);
	g_free(txt);
	return text;
}

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == c;
	return n;
}

#define EXPECT_HAS(text, needle)                                                        \
	do {                                                                           \
		if (!(text) || !strstr((text), (needle))) {                            \
			fprintf(stderr, "%s:%d: text lacks \"%s\"\n", __FILE__, __LINE__, \
			        (needle));                                             \
			unit_failed_now = 1;                                           \
		}                                                                      \
	} while (0)

TEST(press_release_text)
{
	doc_info info;
	GError *err = NULL;
	char *t = extract("press.hwp", &info, &err);
	EXPECT(t != NULL);
	EXPECT(err == NULL);
	EXPECT(t && g_str_has_prefix(t, TITLE "\n"));
	EXPECT_HAS(t, "\n예산(억 원)\n3,000\n4,200\n"); /* table cells, one line each */
	EXPECT_HAS(t, "\n과학기술정보통신부 보도자료\n");  /* the header */
	EXPECT_HAS(t, "\n- 1 -\n");                         /* the footer */
	EXPECT_HAS(t, "\n보도시점\t2024. 5. 10.(금) 12:00\n"); /* a tab, its 7 units skipped */
	EXPECT_HAS(t, "설계-제조 생태계");                 /* hyphen, non-breaking space */
	EXPECT_HAS(t, "포괄한다.\n둘째 줄입니다.\n");       /* a line break */
	EXPECT_HAS(t, "전화 044-202-6000 이메일 ai-chip@msit.go.kr");
	EXPECT_HAS(t, "\f붙임 1. 세부 추진 과제\n");        /* section 1 after a form feed */
	EXPECT_HAS(t, "공공누리 제1유형: 출처표시\n");
	EXPECT_INT(count_char(t, '\f'), 1);
	EXPECT(t && !strstr(t, "secd") && !strstr(t, "tbl")); /* no control ids leaked */
	EXPECT_STR(info.version, "5.1.0.1");
	EXPECT_INT(info.sections, 2);
	EXPECT(info.compressed && !info.password && !info.distribution && !info.drm);
	EXPECT(info.kogl_flag);
	EXPECT_INT(info.kogl_type, 0);
	EXPECT(!info.scripts);
	EXPECT(!info.embedded);
	EXPECT(info.text_chars > 200);
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(t);
}

TEST(uncompressed_gives_the_same_text)
{
	doc_info a, b;
	GError *err = NULL;
	char *ta = extract("press.hwp", &a, &err), *tb = extract("plain.hwp", &b, &err);
	EXPECT(ta && tb && strcmp(ta, tb) == 0);
	EXPECT(a.compressed && !b.compressed);
	EXPECT(err == NULL);
	g_clear_error(&err);
	doc_info_clear(&a);
	doc_info_clear(&b);
	g_free(ta);
	g_free(tb);
}

TEST(sections_in_numeric_order)
{
	doc_info info;
	GError *err = NULL;
	char *t = extract("sections12.hwp", &info, &err);
	EXPECT(t != NULL);
	EXPECT_INT(info.sections, 12);
	EXPECT_INT(count_char(t, '\f'), 11);
	const char *s9 = t ? strstr(t, "구역 9\n") : NULL, *s10 = t ? strstr(t, "구역 10\n") : NULL,
	           *s2 = t ? strstr(t, "구역 2\n") : NULL, *s11 = t ? strstr(t, "구역 11\n") : NULL;
	EXPECT(s2 && s9 && s10 && s11 && s2 < s9 && s9 < s10 && s10 < s11);
	EXPECT(t && g_str_has_prefix(t, "구역 0\n본문 0\n\f구역 1\n"));
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(t);
}

TEST(distribution_document_decrypted)
{
	doc_info info, plain;
	GError *err = NULL;
	char *t = extract("distribution.hwp", &info, &err);
	char *p = extract("press.hwp", &plain, &err);
	EXPECT(t != NULL);
	EXPECT(err == NULL);
	EXPECT(info.distribution && info.compressed);
	EXPECT(t && p && strcmp(t, p) == 0); /* ViewText, not the BodyText decoy */
	EXPECT(t && !strstr(t, "배포용 문서입니다"));
	EXPECT_INT(info.sections, 2);
	EXPECT(!info.scripts); /* its default script, encrypted, read as such */
	g_clear_error(&err);
	doc_info_clear(&info);
	doc_info_clear(&plain);
	g_free(t);
	g_free(p);
}

static void expect_failure(const char *name, const char *want, doc_info *info)
{
	GError *err = NULL;
	char *t = extract(name, info, &err);
	EXPECT(t == NULL);
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT);
	if (!err || !strstr(err->message, want)) {
		fprintf(stderr, "%s: message \"%s\", want \"%s\"\n", name, err ? err->message : "(none)",
		        want);
		unit_failed_now = 1;
	}
	g_clear_error(&err);
	g_free(t);
}

TEST(password_and_drm_refused_with_facts)
{
	doc_info info;
	expect_failure("password.hwp", "password-protected", &info);
	EXPECT(info.password && !info.drm);
	EXPECT_STR(info.version, "5.1.0.1");
	doc_info_clear(&info);
	expect_failure("drm.hwp", "DRM-protected", &info);
	EXPECT(info.drm && !info.password && info.compressed);
	doc_info_clear(&info);
}

TEST(default_script_is_no_active_content)
{
	doc_info info;
	GError *err = NULL;
	char *t = extract("script-default.hwp", &info, &err);
	EXPECT(t != NULL);
	EXPECT(!info.scripts);
	doc_info_clear(&info);
	g_free(t);
	t = extract("script-active.hwp", &info, &err);
	EXPECT(t != NULL);
	EXPECT(info.scripts);
	EXPECT(!info.embedded);
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(t);
}

TEST(ole_object_found)
{
	doc_info info;
	GError *err = NULL;
	char *t = extract("ole.hwp", &info, &err);
	EXPECT(t != NULL);
	EXPECT(info.embedded);
	EXPECT(!info.scripts);
	EXPECT_HAS(t, "OLE 개체\n");
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(t);
}

TEST(twenty_pages)
{
	doc_info info;
	GError *err = NULL;
	gint64 t0 = g_get_monotonic_time();
	char *t = extract("pages20.hwp", &info, &err);
	gint64 us = g_get_monotonic_time() - t0;
	fprintf(stderr, "pages20.hwp: %" G_GUINT64_FORMAT " characters in %.1f ms\n",
	        info.text_chars, us / 1000.0);
	EXPECT(t != NULL);
	EXPECT(info.text_chars >= 30000);
	EXPECT_HAS(t, "\n20쪽. ");
	EXPECT(us < 5 * G_USEC_PER_SEC);
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(t);
}

TEST(hostile_files_fail_cleanly)
{
	static const char *cases[][2] = {
		{ "hostile-fat-cycle.hwp", "damaged: FAT chain loops at sector 0" },
		{ "hostile-difat-cycle.hwp", "damaged: DIFAT chain loops at sector" },
		{ "hostile-dir-cycle.hwp", "damaged: directory tree loops at entry" },
		{ "hostile-sector-range.hwp", "damaged: sector 99999 beyond the end of the file" },
		{ "hostile-huge-stream.hwp", "limit: BodyText/Section0 is larger than 64 MiB" },
		{ "hostile-bomb.hwp", "limit: section 0 inflates more than 200 times its size" },
		{ "hostile-record-overrun.hwp", "damaged: section 0: a record runs" },
		{ "hostile-sections-1100.hwp", "limit: 1100 sections, more than 1024" },
		{ "hostile-truncated.hwp", "beyond the end of the file" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		doc_info info;
		expect_failure(cases[i][0], cases[i][1], &info);
		doc_info_clear(&info);
	}
}

TEST(not_an_hwp)
{
	doc_info info;
	GError *err = NULL;
	char *path = g_build_filename(docs(), "junk.hwp", NULL);
	char *txt = g_build_filename(docs(), "junk.txt", NULL);
	g_file_set_contents(path, "HWP Document File but not a compound file, no, not at all", -1, NULL);
	EXPECT(!doc_extract(path, DOC_HWP, txt, &info, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT && strstr(err->message, "shorter than"));
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(path);
	g_free(txt);
}

UNIT_MAIN(press_release_text, uncompressed_gives_the_same_text, sections_in_numeric_order,
          distribution_document_decrypted, password_and_drm_refused_with_facts,
          default_script_is_no_active_content, ole_object_found, twenty_pages,
          hostile_files_fail_cleanly, not_an_hwp)
