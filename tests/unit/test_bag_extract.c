/* Unit tests: unpacking refuses whatever would land outside DEST. */
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include "unit.h"
#include "bag/extract.h"

/* A .tar.gz with the given entries: name, type (AE_IFREG, AE_IFLNK …), link target. */
typedef struct {
	const char *name;
	unsigned type;
	const char *link;
} entry;

static char *make_tgz(const char *dir, const entry *es, size_t n)
{
	char *path = g_build_filename(dir, "b.tar.gz", NULL);
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, path);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, es[i].name);
		archive_entry_set_filetype(e, es[i].type);
		archive_entry_set_perm(e, 0644);
		if (es[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, es[i].link);
		if (es[i].type == AE_IFREG && es[i].link)
			archive_entry_set_hardlink(e, es[i].link);
		if (es[i].type == AE_IFREG && !es[i].link)
			archive_entry_set_size(e, 5);
		archive_write_header(a, e);
		if (es[i].type == AE_IFREG && !es[i].link)
			archive_write_data(a, "hello", 5);
		archive_entry_free(e);
	}
	archive_write_free(a);
	return path;
}

static void expect_refused(const entry *es, size_t n, const char *bad)
{
	char *d = unit_tmpdir();
	char *tgz = make_tgz(d, es, n);
	char *dest = g_build_filename(d, "dest", NULL);
	GError *e = NULL;
	EXPECT(!bag_extract(tgz, "B", dest, &e));
	EXPECT(e && strstr(e->message, bad) && strstr(e->message, "refused"));
	if (e)
		fprintf(stderr, "  (%s)\n", e->message);
	g_clear_error(&e);
	/* Nothing left behind: no DEST/B, nothing beside DEST. */
	char *root = g_build_filename(dest, "B", NULL);
	char *escape = g_build_filename(d, "escape", NULL);
	EXPECT(!g_file_test(root, G_FILE_TEST_EXISTS));
	EXPECT(!g_file_test(escape, G_FILE_TEST_EXISTS));
	g_free(escape);
	g_free(root);
	g_free(dest);
	g_free(tgz);
	g_free(d);
}

TEST(plain_bag_unpacks)
{
	char *d = unit_tmpdir();
	entry es[] = { { "B/bagit.txt", AE_IFREG, NULL }, { "B/data/", AE_IFDIR, NULL },
		       { "B/data/x.txt", AE_IFREG, NULL } };
	char *tgz = make_tgz(d, es, 3);
	char *dest = g_build_filename(d, "dest", NULL);
	GError *e = NULL;
	EXPECT(bag_extract(tgz, "B", dest, &e));
	char *x = g_build_filename(dest, "B", "data", "x.txt", NULL), *s = NULL;
	EXPECT(g_file_get_contents(x, &s, NULL, NULL) && strcmp(s, "hello") == 0);
	/* Never over what is there. */
	EXPECT(!bag_extract(tgz, "B", dest, &e));
	EXPECT(e && strstr(e->message, "already exists"));
	g_clear_error(&e);
	g_free(s);
	g_free(x);
	g_free(dest);
	g_free(tgz);
	g_free(d);
}

TEST(escapes_and_links_refused)
{
	entry dotdot[] = { { "B/bagit.txt", AE_IFREG, NULL }, { "B/../escape", AE_IFREG, NULL } };
	expect_refused(dotdot, 2, "B/../escape");
	entry abs[] = { { "/tmp/escape", AE_IFREG, NULL } };
	expect_refused(abs, 1, "/tmp/escape");
	entry other_top[] = { { "C/bagit.txt", AE_IFREG, NULL } };
	expect_refused(other_top, 1, "C/bagit.txt");
	entry sym[] = { { "B/bagit.txt", AE_IFREG, NULL }, { "B/data/l", AE_IFLNK, "/etc/passwd" } };
	expect_refused(sym, 2, "B/data/l");
	entry hard[] = { { "B/bagit.txt", AE_IFREG, NULL }, { "B/h", AE_IFREG, "B/bagit.txt" } };
	expect_refused(hard, 2, "B/h");
	entry fifo[] = { { "B/p", AE_IFIFO, NULL } };
	expect_refused(fifo, 1, "B/p");
}

UNIT_MAIN(plain_bag_unpacks, escapes_and_links_refused)
