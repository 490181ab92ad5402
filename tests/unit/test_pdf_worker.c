/* Unit tests: the PDF worker — extraction and stamping in its child, a
 * crash that costs only its own job, and the stamp-only job. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "release/license.h"
#include "pdf/worker.h"
#include <poppler.h>

static char *fixture_pdf(void)
{
	return g_build_filename(unit_fixtures(), "releases", "en-2024-06-03-quantum-strategy",
	                        "en-2024-06-03-quantum-strategy.pdf", NULL);
}

static worker_limits limits(void)
{
	worker_limits lim;
	worker_limits_default(&lim);
	lim.timeout_seconds = 30;
	return lim;
}

/* Does pdf followed by the update open with the licence in its keywords? */
static bool is_update(const char *pdf, GBytes *u, const char *licence)
{
	gchar *a = NULL;
	gsize n = 0, m = 0;
	if (!u || !g_file_get_contents(pdf, &a, &n, NULL))
		return false;
	const void *b = g_bytes_get_data(u, &m);
	a = g_realloc(a, n + m);
	memcpy(a + n, b, m);
	GBytes *both = g_bytes_new_take(a, n + m);
	PopplerDocument *doc = poppler_document_new_from_bytes(both, NULL, NULL);
	char *k = doc ? poppler_document_get_keywords(doc) : NULL;
	bool ok = k && strstr(k, licence);
	g_free(k);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(both);
	return ok;
}

TEST(extract_and_stamp_in_worker)
{
	char *dir = unit_tmpdir(), *pdf = fixture_pdf();
	char *text = g_build_filename(dir, "t.txt", NULL);
	worker_limits lim = limits();
	pdf_worker *w = pdf_worker_new(&lim);
	pdf_job j = { pdf, text, dir, { kogl_get(1), "Title", "Org" } };
	pdf_result res;
	GError *err = NULL;
	EXPECT(pdf_worker_run(w, &j, &res, &err));
	EXPECT(err == NULL);
	EXPECT(res.extracted && res.info.pages > 0);
	EXPECT(is_update(pdf, res.update, "KOGL-Type-1"));
	EXPECT(g_file_test(text, G_FILE_TEST_EXISTS));
	pdf_result_clear(&res);
	EXPECT(res.update == NULL);
	/* Stamp only: no text, the update made again. */
	pdf_job s = { pdf, NULL, dir, { kogl_get(2), "Title", NULL } };
	EXPECT(pdf_worker_run(w, &s, &res, &err));
	EXPECT(is_update(pdf, res.update, "KOGL-Type-2") && !res.extracted);
	pdf_result_clear(&res);
	/* Extraction only: no update. */
	pdf_job x = { pdf, text, dir, { NULL, NULL, NULL } };
	EXPECT(pdf_worker_run(w, &x, &res, &err));
	EXPECT(res.extracted && res.update == NULL);
	pdf_result_clear(&res);
	pdf_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	unlink(text);
	GDir *d = g_dir_open(dir, 0, NULL);
	EXPECT(d && g_dir_read_name(d) == NULL); /* the worker left no file */
	if (d)
		g_dir_close(d);
	g_free(text);
	g_free(pdf);
	g_free(dir);
}

TEST(crash_costs_only_its_job)
{
	char *dir = unit_tmpdir(), *pdf = fixture_pdf();
	char *crash = g_build_filename(dir, "crash.pdf", NULL);
	char *text = g_build_filename(dir, "t.txt", NULL);
	EXPECT(symlink(pdf, crash) == 0 || errno == EEXIST);
	g_setenv("ARCHIVE_TEST_WORKER", "crash:crash.pdf", TRUE);
	worker_limits lim = limits();
	pdf_worker *w = pdf_worker_new(&lim);
	pdf_result res;
	GError *err = NULL;
	pdf_job bad = { crash, text, NULL, { NULL, NULL, NULL } };
	EXPECT(!pdf_worker_run(w, &bad, &res, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT &&
	       strcmp(err->message, "worker killed by signal 11 (Segmentation fault)") == 0);
	g_clear_error(&err);
	pdf_job good = { pdf, text, NULL, { NULL, NULL, NULL } };
	for (int i = 0; i < PDF_WORKER_JOBS + 2; i++) { /* past one worker's share */
		EXPECT(pdf_worker_run(w, &good, &res, &err) && res.extracted);
		pdf_result_clear(&res);
		g_clear_error(&err);
	}
	g_unsetenv("ARCHIVE_TEST_WORKER");
	pdf_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	g_free(crash);
	g_free(text);
	g_free(pdf);
	g_free(dir);
}

UNIT_MAIN(extract_and_stamp_in_worker, crash_costs_only_its_job)
