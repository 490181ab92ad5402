/* Unit tests: the PDF worker — extraction and stamping in its child, a
 * crash that costs only its own job, and the stamp-only job. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "release/license.h"
#include "pdf/worker.h"

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

TEST(extract_and_stamp_in_worker)
{
	char *dir = unit_tmpdir(), *pdf = fixture_pdf();
	char *text = g_build_filename(dir, "t.txt", NULL), *access = g_build_filename(dir, "a.pdf", NULL);
	worker_limits lim = limits();
	pdf_worker *w = pdf_worker_new(&lim);
	pdf_job j = { pdf, text, access, { kogl_get(1), "Title", "Org" } };
	GKeyFile *kf = NULL;
	GError *err = NULL;
	EXPECT(pdf_worker_run(w, &j, &kf, &err));
	EXPECT(err == NULL);
	pdf_info info = { 0 };
	EXPECT(kf && pdf_info_from_keyfile(&info, kf, "pdf") && info.pages > 0);
	EXPECT(kf && g_key_file_get_boolean(kf, "stamp", "ok", NULL));
	EXPECT(g_file_test(text, G_FILE_TEST_EXISTS) && g_file_test(access, G_FILE_TEST_EXISTS));
	pdf_info_clear(&info);
	if (kf)
		g_key_file_free(kf);
	/* Stamp only: no text, the copy made again. */
	unlink(access);
	pdf_job s = { pdf, NULL, access, { kogl_get(2), "Title", NULL } };
	EXPECT(pdf_worker_run(w, &s, &kf, &err));
	EXPECT(kf && g_key_file_get_boolean(kf, "stamp", "ok", NULL) &&
	       !g_key_file_has_group(kf, "pdf"));
	EXPECT(g_file_test(access, G_FILE_TEST_EXISTS));
	if (kf)
		g_key_file_free(kf);
	pdf_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	g_free(text);
	g_free(access);
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
	GKeyFile *kf = NULL;
	GError *err = NULL;
	pdf_job bad = { crash, text, NULL, { NULL, NULL, NULL } };
	EXPECT(!pdf_worker_run(w, &bad, &kf, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT &&
	       strcmp(err->message, "worker killed by signal 11 (Segmentation fault)") == 0);
	g_clear_error(&err);
	pdf_job good = { pdf, text, NULL, { NULL, NULL, NULL } };
	for (int i = 0; i < PDF_WORKER_JOBS + 2; i++) { /* past one worker's share */
		EXPECT(pdf_worker_run(w, &good, &kf, &err));
		if (kf)
			g_key_file_free(kf);
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
