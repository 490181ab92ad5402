/* Unit tests: the store — folders, lock, atomic publish, quarantine, config. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/disk.h"
#include "core/testhook.h"
#include "store/store.h"

static char *path_in(const char *dir, const char *rel) { return g_build_filename(dir, rel, NULL); }

TEST(open_creates_folders_and_reads_config)
{
	char *d = unit_tmpdir();
	char *root = path_in(d, "s");
	GError *e = NULL;
	EXPECT(store_open(root, false, &e) == NULL);
	EXPECT(e && e->code == ARC_ERROR_STORE && strstr(e->message, root));
	g_clear_error(&e);
	store *s = store_open(root, true, &e);
	EXPECT(s != NULL);
	char *b = path_in(root, "bundles"), *q = path_in(root, "quarantine");
	EXPECT(g_file_test(b, G_FILE_TEST_IS_DIR) && g_file_test(q, G_FILE_TEST_IS_DIR));
	EXPECT(store_config(s, "license") == NULL);
	store_close(s);
	char *conf = path_in(root, "archive.conf");
	g_file_set_contents(conf, "[defaults]\nlicense = kogl-2 \nretention=5y\n", -1, NULL);
	s = store_open(root, true, &e);
	EXPECT_STR(store_config(s, "license"), "kogl-2");
	EXPECT_STR(store_config(s, "retention"), "5y");
	EXPECT(store_config(s, "organisation") == NULL);
	store_close(s);
	g_file_set_contents(conf, "this is not a key file\n", -1, NULL);
	EXPECT(store_open(root, true, &e) == NULL);
	EXPECT(e && strstr(e->message, "archive.conf"));
	g_clear_error(&e);
	g_free(conf);
	g_free(b);
	g_free(q);
	g_free(root);
	g_free(d);
}

TEST(lock_is_exclusive_and_cleans_tmp)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	store *a = store_open(d, true, &e), *b = store_open(d, true, &e);
	char *debris = path_in(d, "tmp/run-crashed");
	g_mkdir_with_parents(debris, 0755);
	EXPECT(store_lock(a, &e));
	EXPECT(!g_file_test(debris, G_FILE_TEST_EXISTS));
	EXPECT(!store_lock(b, &e));
	EXPECT(e && e->code == ARC_ERROR_LOCKED);
	g_clear_error(&e);
	store_close(a);
	EXPECT(store_lock(b, &e));
	store_close(b);
	g_free(debris);
	g_free(d);
}

TEST(publish_is_atomic_and_never_replaces)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	store *s = store_open(d, true, &e);
	EXPECT(store_lock(s, &e));
	const char *id = "2024-05-10_x_1a2b3c4d";
	char *work = store_make_tmpdir(s, &e);
	char *tmp = path_in(work, "b.tar.gz");
	g_file_set_contents(tmp, "bundle bytes", -1, NULL);
	char hex[65];
	hash_sha256_hex("bundle bytes", 12, hex);
	char *final = NULL;
	EXPECT(!store_has_bundle(s, id));
	EXPECT(store_publish_bundle(s, tmp, id, hex, &final, &e));
	EXPECT(final && g_str_has_suffix(final, "bundles/2024/2024-05-10_x_1a2b3c4d.tar.gz"));
	EXPECT(store_has_bundle(s, id));
	EXPECT(!g_file_test(tmp, G_FILE_TEST_EXISTS));
	char *side = g_strconcat(final, ".sha256", NULL), *text = NULL;
	g_file_get_contents(side, &text, NULL, NULL);
	char *want = g_strdup_printf("%s  %s.tar.gz\n", hex, id);
	EXPECT_STR(text, want);
	/* sha256sum -c agrees with the sidecar. */
	char *ydir = g_path_get_dirname(final);
	char *argv[] = { "sha256sum", "-c", "--quiet", side, NULL };
	int status = -1;
	EXPECT(g_spawn_sync(ydir, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
	                    NULL) &&
	       status == 0);
	g_free(ydir);
	/* A second bundle with the same id never replaces the first. */
	g_file_set_contents(tmp, "other bytes", -1, NULL);
	char *again = NULL;
	EXPECT(!store_publish_bundle(s, tmp, id, hex, &again, &e));
	EXPECT(e != NULL);
	g_clear_error(&e);
	char *kept = NULL;
	g_file_get_contents(final, &kept, NULL, NULL);
	EXPECT_STR(kept, "bundle bytes");
	disk_remove_tree(work);
	EXPECT(!g_file_test(work, G_FILE_TEST_EXISTS));
	g_free(kept);
	g_free(want);
	g_free(text);
	g_free(side);
	g_free(final);
	g_free(tmp);
	g_free(work);
	store_close(s);
	g_free(d);
}

TEST(quarantine_copies_release_as_given)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	char *sroot = path_in(d, "store"), *rel = path_in(d, "in");
	store *s = store_open(sroot, true, &e);
	EXPECT(store_lock(s, &e));
	char *sub = path_in(rel, "sub");
	g_mkdir_with_parents(sub, 0755);
	char *doc = path_in(rel, "r.txt"), *att = path_in(sub, "a.pdf"), *lnk = path_in(rel, "l.pdf"),
	     *fifo = path_in(rel, "p");
	g_file_set_contents(doc, "text", -1, NULL);
	g_file_set_contents(att, "%PDF-", -1, NULL);
	EXPECT(symlink("/etc/passwd", lnk) == 0);
	EXPECT(mkfifo(fifo, 0644) == 0);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(input_collect(rel, rs, NULL, &e));
	const release_input *r = g_ptr_array_index(rs, 0);
	char *q1 = NULL, *q2 = NULL;
	EXPECT(store_quarantine(s, r, "{\"x\":1}\n", &q1, &e));
	EXPECT(store_quarantine(s, r, "{\"x\":2}\n", &q2, &e));
	EXPECT(q1 && g_str_has_suffix(q1, "quarantine/in"));
	EXPECT(q2 && g_str_has_suffix(q2, "quarantine/in-2"));
	char *qa = path_in(q1, "release/sub/a.pdf"), *ql = path_in(q1, "release/l.pdf"),
	     *qp = path_in(q1, "release/p"),
	     *qr = path_in(q2, "reason.json");
	char *txt = NULL;
	EXPECT(g_file_test(qa, G_FILE_TEST_IS_REGULAR));
	EXPECT(g_file_test(ql, G_FILE_TEST_IS_SYMLINK));
	EXPECT(!g_file_test(qp, G_FILE_TEST_EXISTS));
	EXPECT(g_file_get_contents(qr, &txt, NULL, NULL));
	EXPECT_STR(txt, "{\"x\":2}\n");
	/* The input is left as it was. */
	EXPECT(g_file_test(doc, G_FILE_TEST_IS_REGULAR) && g_file_test(att, G_FILE_TEST_IS_REGULAR));
	g_ptr_array_unref(rs);
	store_close(s);
	g_free(txt);
	g_free(qa);
	g_free(ql);
	g_free(qp);
	g_free(qr);
	g_free(q1);
	g_free(q2);
	g_free(doc);
	g_free(att);
	g_free(lnk);
	g_free(fifo);
	g_free(sub);
	g_free(sroot);
	g_free(rel);
	g_free(d);
}

/* A release may hold files named like the quarantine's own: reason.json
 * (and archive-reason.json, the name ours once fell back to). Its files
 * stay as given in release/, ours is reason.json beside that folder, and
 * the quarantine never fails for it (it stopped the whole batch). */
TEST(quarantine_keeps_reason_apart_from_release)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	char *sroot = path_in(d, "store"), *rel = path_in(d, "odd");
	store *s = store_open(sroot, true, &e);
	EXPECT(store_lock(s, &e));
	g_mkdir_with_parents(rel, 0755);
	char *doc = path_in(rel, "r.txt"), *own = path_in(rel, "reason.json"),
	     *own2 = path_in(rel, "archive-reason.json");
	g_file_set_contents(doc, "text", -1, NULL);
	g_file_set_contents(own, "the release's reason.json", -1, NULL);
	g_file_set_contents(own2, "the release's archive-reason.json", -1, NULL);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(input_collect(rel, rs, NULL, &e));
	char *q = NULL;
	EXPECT(rs->len == 1 && store_quarantine(s, g_ptr_array_index(rs, 0), "{\"x\":1}\n", &q, &e));
	if (e)
		fprintf(stderr, "quarantine: %s\n", e->message);
	g_clear_error(&e);
	static const char *const want[][2] = {
		{ "reason.json", "{\"x\":1}\n" },
		{ "release/reason.json", "the release's reason.json" },
		{ "release/archive-reason.json", "the release's archive-reason.json" },
		{ "release/r.txt", "text" },
	};
	for (size_t i = 0; q && i < G_N_ELEMENTS(want); i++) {
		char *p = path_in(q, want[i][0]), *txt = NULL;
		EXPECT(g_file_get_contents(p, &txt, NULL, NULL));
		EXPECT_STR(txt, want[i][1]);
		g_free(txt);
		g_free(p);
	}
	g_ptr_array_unref(rs);
	store_close(s);
	g_free(q);
	g_free(doc);
	g_free(own);
	g_free(own2);
	g_free(sroot);
	g_free(rel);
	g_free(d);
}

typedef struct {
	const char *victim; /* the directory to swap, when the copy is about to open it */
	const char *aside;  /* where it goes */
	const char *target; /* what the link put in its place points to */
	int fail_with;      /* or: this errno for its open */
	int calls;
} swap_hook;

static int swap_dir(const char *path, void *arg)
{
	swap_hook *h = arg;
	if (strcmp(path, h->victim) != 0)
		return 0;
	h->calls++;
	if (h->fail_with)
		return h->fail_with;
	if (rename(path, h->aside) != 0 || symlink(h->target, path) != 0)
		fprintf(stderr, "swap %s: %s\n", path, g_strerror(errno));
	return 0;
}

/* Is there a file named name anywhere under dir? */
static bool file_under(const char *dir, const char *name)
{
	GDir *gd = g_dir_open(dir, 0, NULL);
	const char *n;
	bool found = false;
	while (!found && gd && (n = g_dir_read_name(gd))) {
		char *p = path_in(dir, n);
		found = strcmp(n, name) == 0 ||
		        (!g_file_test(p, G_FILE_TEST_IS_SYMLINK) && g_file_test(p, G_FILE_TEST_IS_DIR) &&
		         file_under(p, name));
		g_free(p);
	}
	if (gd)
		g_dir_close(gd);
	return found;
}

/* A release folder swapped for a link to somewhere else between the look
 * and the open: the quarantine copies nothing from there. */
TEST(quarantine_never_follows_a_swapped_link)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	char *sroot = path_in(d, "store"), *rel = path_in(d, "in"), *outside = path_in(d, "outside");
	char *sub = path_in(rel, "sub"), *aside = path_in(d, "aside");
	store *s = store_open(sroot, true, &e);
	EXPECT(store_lock(s, &e));
	g_mkdir_with_parents(sub, 0755);
	g_mkdir_with_parents(outside, 0755);
	char *doc = path_in(rel, "r.txt"), *att = path_in(sub, "a.pdf"), *secret = path_in(outside, "secret");
	g_file_set_contents(doc, "text", -1, NULL);
	g_file_set_contents(att, "%PDF-", -1, NULL);
	g_file_set_contents(secret, "not the release's", -1, NULL);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(input_collect(rel, rs, NULL, &e));
	swap_hook h = { sub, aside, outside, 0, 0 };
	testhook_set_dir_open(swap_dir, &h);
	char *q = NULL;
	bool ok = rs->len == 1 && store_quarantine(s, g_ptr_array_index(rs, 0), "{}\n", &q, &e);
	testhook_set_dir_open(NULL, NULL);
	EXPECT_INT(h.calls, 1);
	EXPECT(!file_under(sroot, "secret"));
	/* The release changed while it was copied: said, not half copied. */
	EXPECT(!ok && e && strstr(e->message, sub) && strstr(e->message, "no longer a directory"));
	EXPECT(!file_under(sroot, "r.txt"));
	EXPECT(g_file_test(secret, G_FILE_TEST_IS_REGULAR));
	g_clear_error(&e);
	g_ptr_array_unref(rs);
	store_close(s);
	g_free(q);
	g_free(doc);
	g_free(att);
	g_free(secret);
	g_free(sub);
	g_free(aside);
	g_free(outside);
	g_free(sroot);
	g_free(rel);
	g_free(d);
}

/* A folder of the release that cannot be opened fails the quarantine,
 * naming it and why, rather than leaving a copy without it. */
TEST(quarantine_says_which_folder_it_cannot_read)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	char *sroot = path_in(d, "store"), *rel = path_in(d, "in"), *locked = path_in(rel, "locked");
	store *s = store_open(sroot, true, &e);
	EXPECT(store_lock(s, &e));
	g_mkdir_with_parents(locked, 0755);
	char *doc = path_in(rel, "r.txt"), *att = path_in(locked, "a.pdf");
	g_file_set_contents(doc, "text", -1, NULL);
	g_file_set_contents(att, "%PDF-", -1, NULL);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(input_collect(rel, rs, NULL, &e));
	/* chmod 000 where it holds; root reads anyway, so there the hook
	 * fails the open as EACCES. */
	swap_hook h = { locked, NULL, NULL, EACCES, 0 };
	bool as_root = geteuid() == 0;
	if (as_root)
		testhook_set_dir_open(swap_dir, &h);
	else
		chmod(locked, 0);
	char *q = NULL;
	bool ok = rs->len == 1 && store_quarantine(s, g_ptr_array_index(rs, 0), "{}\n", &q, &e);
	testhook_set_dir_open(NULL, NULL);
	chmod(locked, 0755);
	EXPECT(!as_root || h.calls == 1);
	EXPECT(!ok && e && strstr(e->message, locked) && strstr(e->message, g_strerror(EACCES)));
	if (e)
		fprintf(stderr, "as expected: %s\n", e->message);
	/* Nothing half copied is left in quarantine/ or tmp/. */
	EXPECT(!file_under(sroot, "r.txt"));
	g_clear_error(&e);
	g_ptr_array_unref(rs);
	store_close(s);
	g_free(q);
	g_free(doc);
	g_free(att);
	g_free(locked);
	g_free(sroot);
	g_free(rel);
	g_free(d);
}

/* Debris in tmp/ that cannot be removed stops the locked run, named,
 * rather than piling up unseen. */
TEST(lock_says_what_debris_it_cannot_remove)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	store *s = store_open(d, true, &e);
	char *debris = path_in(d, "tmp/run-crashed/sub");
	g_mkdir_with_parents(debris, 0755);
	swap_hook h = { debris, NULL, NULL, EACCES, 0 };
	testhook_set_dir_open(swap_dir, &h);
	EXPECT(!store_lock(s, &e));
	testhook_set_dir_open(NULL, NULL);
	EXPECT(e && e->code == ARC_ERROR_STORE && strstr(e->message, debris) &&
	       strstr(e->message, g_strerror(EACCES)));
	g_clear_error(&e);
	EXPECT(store_lock(s, &e) && !g_file_test(debris, G_FILE_TEST_EXISTS));
	store_close(s);
	g_free(debris);
	g_free(d);
}

/* The paths flushed so far (ARCHIVE_TEST_FSYNC_LOG), one a line. */
static char **fsyncs(const char *log)
{
	char *text = NULL;
	g_file_get_contents(log, &text, NULL, NULL);
	char **v = g_strsplit(text ? text : "", "\n", -1);
	g_free(text);
	return v;
}

/* The first line from `from` on that is s (or, with suffix, ends in s). */
static int index_of(char **v, const char *s, bool suffix, int from)
{
	for (int i = from; v[i]; i++)
		if (suffix ? g_str_has_suffix(v[i], s) : strcmp(v[i], s) == 0)
			return i;
	return -1;
}

/* Every folder or file entry the store creates or renames has its parent
 * folder flushed, or a power cut may lose it while what records it (the
 * audit log, flushed) stays: the store's own folders, the first bundle of
 * a year (bundles/YYYY), a quarantine copy's folders before the rename. */
TEST(new_entries_have_their_folder_flushed)
{
	char *d = unit_tmpdir();
	char *root = path_in(d, "store"), *log = path_in(d, "fsyncs");
	char *bundles = path_in(root, "bundles"), *qroot = path_in(root, "quarantine");
	GError *e = NULL;
	g_setenv("ARCHIVE_TEST_FSYNC_LOG", log, TRUE);
	store *s = store_open(root, true, &e);
	char **v = fsyncs(log);
	EXPECT(index_of(v, d, false, 0) >= 0);    /* store/ made in d */
	EXPECT(index_of(v, root, false, 0) >= 0); /* bundles/, quarantine/, tmp/ */
	g_strfreev(v);
	unlink(log);

	EXPECT(store_lock(s, &e));
	char *work = store_make_tmpdir(s, &e), *tmp = path_in(work, "b.tar.gz"), *final = NULL;
	g_file_set_contents(tmp, "bundle bytes", -1, NULL);
	char hex[65];
	hash_sha256_hex("bundle bytes", 12, hex);
	EXPECT(store_publish_bundle(s, tmp, "2024-05-10_x_1a2b3c4d", hex, &final, &e));
	v = fsyncs(log);
	char *year = path_in(bundles, "2024");
	EXPECT(index_of(v, bundles, false, 0) >= 0); /* bundles/2024 made */
	EXPECT(index_of(v, year, false, 0) >= 0);    /* the bundle and sidecar in it */
	g_strfreev(v);
	unlink(log);

	char *rel = path_in(d, "in"), *sub = path_in(rel, "sub");
	g_mkdir_with_parents(sub, 0755);
	char *doc = path_in(rel, "r.txt"), *att = path_in(sub, "a.pdf");
	g_file_set_contents(doc, "text", -1, NULL);
	g_file_set_contents(att, "%PDF-", -1, NULL);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	EXPECT(input_collect(rel, rs, NULL, &e));
	char *q = NULL;
	EXPECT(rs->len == 1 && store_quarantine(s, g_ptr_array_index(rs, 0), "{}\n", &q, &e));
	v = fsyncs(log);
	/* The copy's folders while still in tmp/, then quarantine/ after the
	 * rename into it. */
	int at = index_of(v, qroot, false, 0);
	int staged[] = { index_of(v, "/q/release/sub", true, 0), index_of(v, "/q/release", true, 0),
	                 index_of(v, "/q", true, 0) };
	EXPECT(at >= 0);
	for (size_t i = 0; i < G_N_ELEMENTS(staged); i++)
		EXPECT(staged[i] >= 0 && staged[i] < at);
	g_strfreev(v);
	g_unsetenv("ARCHIVE_TEST_FSYNC_LOG");
	g_ptr_array_unref(rs);
	store_close(s);
	g_free(q);
	g_free(doc);
	g_free(att);
	g_free(sub);
	g_free(rel);
	g_free(year);
	g_free(final);
	g_free(tmp);
	g_free(work);
	g_free(bundles);
	g_free(qroot);
	g_free(log);
	g_free(root);
	g_free(d);
}

/* A work folder a worker names is removed only when the store made it. */
TEST(check_tmpdir_takes_only_the_stores_own)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	store *s = store_open(d, true, &e);
	char *work = store_make_tmpdir(s, &e);
	EXPECT(work && store_check_tmpdir(s, work, &e));
	g_clear_error(&e);
	char *tmp = path_in(d, "tmp"), *other = path_in(d, "tmp2/run-AAAAAA"),
	     *climb = g_strconcat(work, "/..", NULL), *slash = g_strconcat(work, "/", NULL),
	     *lnk = path_in(d, "tmp/run-LINK00"), *file = path_in(d, "tmp/run-FILE00"),
	     *absent = path_in(d, "tmp/run-NONE00"), *odd = path_in(d, "tmp/run-A.B/CD");
	g_mkdir_with_parents(other, 0755);
	EXPECT(symlink(d, lnk) == 0);
	g_file_set_contents(file, "", 0, NULL);
	const char *bad[] = { tmp, other, climb, slash, lnk, file, absent, odd, "/", "" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		EXPECT(!store_check_tmpdir(s, bad[i], &e));
		EXPECT(e && e->code == ARC_ERROR_STORE && strstr(e->message, bad[i]));
		if (!e || !strstr(e->message, "not a work folder"))
			fprintf(stderr, "accepted: %s\n", bad[i]);
		g_clear_error(&e);
	}
	store_close(s);
	g_free(tmp);
	g_free(other);
	g_free(climb);
	g_free(slash);
	g_free(lnk);
	g_free(file);
	g_free(absent);
	g_free(odd);
	g_free(work);
	g_free(d);
}

TEST(readonly_store_is_a_store_error)
{
	if (geteuid() == 0) {
		/* root writes anywhere: use a store path under a regular file. */
		char *d = unit_tmpdir();
		char *f = path_in(d, "file");
		g_file_set_contents(f, "", -1, NULL);
		char *root = path_in(f, "store");
		GError *e = NULL;
		EXPECT(store_open(root, true, &e) == NULL);
		EXPECT(e && e->code == ARC_ERROR_STORE);
		g_clear_error(&e);
		g_free(root);
		g_free(f);
		g_free(d);
		return;
	}
	char *d = unit_tmpdir();
	chmod(d, 0555);
	char *root = path_in(d, "store");
	GError *e = NULL;
	EXPECT(store_open(root, true, &e) == NULL);
	EXPECT(e && e->code == ARC_ERROR_STORE);
	g_clear_error(&e);
	chmod(d, 0755);
	g_free(root);
	g_free(d);
}

UNIT_MAIN(open_creates_folders_and_reads_config, lock_is_exclusive_and_cleans_tmp,
          publish_is_atomic_and_never_replaces, quarantine_copies_release_as_given,
          quarantine_keeps_reason_apart_from_release, check_tmpdir_takes_only_the_stores_own,
          lock_says_what_debris_it_cannot_remove, new_entries_have_their_folder_flushed, quarantine_never_follows_a_swapped_link, quarantine_says_which_folder_it_cannot_read,
          readonly_store_is_a_store_error)
