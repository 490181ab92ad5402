/*
 * odf_fixture.h — the HWPX and ODT documents of scripts/gen-odf, made once
 * a test binary into a scratch directory, and doc_extract on one of them
 * with its text read back, for test_hwpx.c and test_odt.c.
 */
#ifndef ODF_FIXTURE_H
#define ODF_FIXTURE_H

#include <sys/resource.h>
#include "unit.h"
#include "core/errors.h"
#include "doc/doc.h"

/* The directory the documents are in (made at the first call). */
static inline const char *odf_dir(void)
{
	static char *dir;
	if (dir)
		return dir;
	dir = unit_tmpdir();
	const char *top = getenv("TOP");
	char *cmd = g_strdup_printf("python3 '%s/scripts/gen-odf' '%s' >/dev/null",
	                            top && *top ? top : ".", dir);
	int rc = system(cmd);
	g_free(cmd);
	if (rc != 0) {
		fprintf(stderr, "gen-odf failed (%d)\n", rc);
		exit(2);
	}
	return dir;
}

static inline char *odf_path(const char *name)
{
	return g_build_filename(odf_dir(), name, NULL);
}

/* The text doc_extract writes for document name (NULL when it wrote
 * none); ok, info and err as it left them (err may be NULL). */
static inline char *odf_extract(const char *name, doc_format f, bool *ok, doc_info *info, GError **err)
{
	char *path = odf_path(name);
	char *out = g_strconcat(path, ".txt", NULL);
	*ok = doc_extract(path, f, out, info, err);
	char *text = NULL;
	if (!g_file_get_contents(out, &text, NULL, NULL))
		text = NULL;
	unlink(out);
	g_free(out);
	g_free(path);
	return text;
}

/* Whether text has a line that is exactly line. */
static inline bool odf_has_line(const char *text, const char *line)
{
	if (!text)
		return false;
	char **lines = g_strsplit_set(text, "\n\f", -1);
	bool found = false;
	for (char **l = lines; *l && !found; l++)
		found = strcmp(*l, line) == 0;
	g_strfreev(lines);
	return found;
}

static inline int odf_count(const char *text, char c)
{
	int n = 0;
	for (const char *p = text; p && *p; p++)
		n += *p == c;
	return n;
}

/* Peak resident memory of this process so far, in MiB. */
static inline long odf_peak_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* That document name fails as an input error whose message has want. */
static inline void odf_expect_fails(const char *name, doc_format f, const char *want)
{
	doc_info info;
	GError *e = NULL;
	bool ok;
	char *text = odf_extract(name, f, &ok, &info, &e);
	EXPECT(!ok);
	EXPECT(e && e->domain == ARC_ERROR && e->code == ARC_ERROR_INPUT);
	if (e && !strstr(e->message, want)) {
		fprintf(stderr, "%s: \"%s\" lacks \"%s\"\n", name, e->message, want);
		unit_failed_now = 1;
	}
	g_free(text);
	g_clear_error(&e);
	doc_info_clear(&info);
}

#endif
