/* Unit tests: finding releases in input paths; libmagic identification. */
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "core/filetype.h"
#include "release/input.h"

static char *dir;

static void free_dir(void) { g_free(dir); }

/* A new scratch folder per test; the last one is freed at exit. */
static void fresh_dir(void)
{
	if (!dir)
		atexit(free_dir);
	g_free(dir);
	dir = unit_tmpdir();
}

static void put(const char *rel, const char *data)
{
	char *p = g_build_filename(dir, rel, NULL);
	char *parent = g_path_get_dirname(p);
	g_mkdir_with_parents(parent, 0755);
	g_file_set_contents(p, data, -1, NULL);
	g_free(parent);
	g_free(p);
}

static char *at(const char *rel) { return g_build_filename(dir, rel, NULL); }

static GPtrArray *collect(const char *rel, GPtrArray *stray, bool *ok)
{
	GPtrArray *r = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	char *p = at(rel);
	GError *e = NULL;
	*ok = input_collect(p, r, stray, &e);
	g_clear_error(&e);
	g_free(p);
	return r;
}

static const char *att(const release_input *r, guint i)
{
	return i < r->attachments->len ? ((input_file *)g_ptr_array_index(r->attachments, i))->rel
	                               : NULL;
}

TEST(release_directory_with_subfolders_and_links)
{
	fresh_dir();
	put("r1/release.txt", "Title\n");
	put("r1/a.pdf", "%PDF-1.4\n");
	put("r1/sub/b.hwp", "x");
	char *l = at("r1/link.pdf");
	EXPECT(symlink("/etc/passwd", l) == 0);
	char *fifo = at("r1/pipe");
	EXPECT(mkfifo(fifo, 0644) == 0);
	bool ok;
	GPtrArray *r = collect("r1", NULL, &ok);
	EXPECT(ok);
	EXPECT_INT(r->len, 1);
	release_input *x = g_ptr_array_index(r, 0);
	EXPECT_STR(x->doc->rel, "release.txt");
	EXPECT_STR(x->name, "r1");
	EXPECT(x->whole_dir);
	EXPECT_INT(x->attachments->len, 2);
	EXPECT_STR(att(x, 0), "a.pdf");
	EXPECT_STR(att(x, 1), "sub/b.hwp");
	EXPECT_INT(x->refused->len, 2);
	EXPECT_INT(((input_file *)g_ptr_array_index(x->refused, 0))->kind, INPUT_SYMLINK);
	EXPECT_INT(((input_file *)g_ptr_array_index(x->refused, 1))->kind, INPUT_FIFO);
	g_ptr_array_unref(r);
	g_free(l);
	g_free(fifo);
}

TEST(batch_directory)
{
	fresh_dir();
	put("batch/b/r.txt", "B\n");
	put("batch/a/r.txt", "A\n");
	put("batch/a/r.pdf", "%PDF-");
	put("batch/empty/readme.pdf", "%PDF-");
	put("batch/loose.pdf", "%PDF-");
	GPtrArray *stray = g_ptr_array_new_with_free_func(g_free);
	bool ok;
	GPtrArray *r = collect("batch", stray, &ok);
	EXPECT(ok);
	EXPECT_INT(r->len, 3);
	EXPECT_STR(((release_input *)g_ptr_array_index(r, 0))->name, "a");
	EXPECT_STR(((release_input *)g_ptr_array_index(r, 1))->name, "b");
	/* A release directory without a document is still a release: it
	 * fails release.readable rather than vanishing. */
	release_input *e = g_ptr_array_index(r, 2);
	EXPECT(e->doc == NULL);
	EXPECT_INT(e->attachments->len, 1);
	EXPECT_INT(stray->len, 1);
	EXPECT(g_str_has_suffix(g_ptr_array_index(stray, 0), "loose.pdf"));
	g_ptr_array_unref(r);
	g_ptr_array_unref(stray);
}

TEST(release_file_stem_matching)
{
	fresh_dir();
	put("f/x.txt", "X\n");
	put("f/x.pdf", "%PDF-");
	put("f/x-1.pdf", "%PDF-");
	put("f/x.hwp", "h");
	put("f/x-2.txt", "other release\n");
	put("f/x-2.pdf", "%PDF-");
	put("f/y.pdf", "%PDF-");
	put("f/xy.pdf", "%PDF-");
	bool ok;
	GPtrArray *r = collect("f/x.txt", NULL, &ok);
	EXPECT(ok);
	EXPECT_INT(r->len, 1);
	release_input *x = g_ptr_array_index(r, 0);
	EXPECT_STR(x->doc->rel, "x.txt");
	EXPECT(!x->whole_dir);
	EXPECT_INT(x->attachments->len, 3);
	EXPECT_STR(att(x, 0), "x-1.pdf");
	EXPECT_STR(att(x, 1), "x.hwp");
	EXPECT_STR(att(x, 2), "x.pdf");
	g_ptr_array_unref(r);

	/* The whole folder: two documents, each with its own files. */
	GPtrArray *stray = g_ptr_array_new_with_free_func(g_free);
	r = collect("f", stray, &ok);
	EXPECT(ok);
	EXPECT_INT(r->len, 2);
	release_input *x2 = g_ptr_array_index(r, 0);
	EXPECT_STR(x2->doc->rel, "x-2.txt");
	EXPECT_INT(x2->attachments->len, 1);
	EXPECT_STR(att(x2, 0), "x-2.pdf");
	EXPECT_INT(stray->len, 2); /* xy.pdf and y.pdf belong to nobody */
	g_ptr_array_unref(r);
	g_ptr_array_unref(stray);
}

TEST(bad_paths)
{
	fresh_dir();
	put("n/notes.pdf", "x");
	bool ok;
	GPtrArray *r = collect("missing", NULL, &ok);
	EXPECT(!ok && r->len == 0);
	g_ptr_array_unref(r);
	r = collect("n/notes.pdf", NULL, &ok);
	EXPECT(!ok && r->len == 0);
	g_ptr_array_unref(r);
	char *l = at("lnk");
	char *t = at("n");
	EXPECT(symlink(t, l) == 0);
	GError *e = NULL;
	GPtrArray *rr = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(!input_collect(l, rr, NULL, &e));
	EXPECT(e && strstr(e->message, "symlink") != NULL);
	g_clear_error(&e);
	g_ptr_array_unref(rr);
	g_free(l);
	g_free(t);
	EXPECT(input_is_release_doc("A.HTM"));
	EXPECT(!input_is_release_doc(".txt"));
	EXPECT(!input_is_release_doc("x.pdf"));
}

TEST(filetype_by_content)
{
	fresh_dir();
	put("a.txt", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
	put("b.pdf", "plain words, nothing more\n");
	GError *e = NULL;
	filetype *ft = filetype_new(&e);
	EXPECT(ft != NULL);
	char *p = at("a.txt");
	char *m = filetype_mime(ft, p, &e);
	EXPECT_STR(m, "application/pdf");
	g_free(m);
	g_free(p);
	p = at("b.pdf");
	m = filetype_mime(ft, p, &e);
	EXPECT_STR(m, "text/plain");
	g_free(m);
	char *l = at("l");
	EXPECT(symlink(p, l) == 0);
	EXPECT(filetype_mime(ft, l, &e) == NULL);
	EXPECT(e != NULL);
	g_clear_error(&e);
	g_free(l);
	g_free(p);
	filetype_free(ft);
}

UNIT_MAIN(release_directory_with_subfolders_and_links, batch_directory, release_file_stem_matching,
          bad_paths, filetype_by_content)
