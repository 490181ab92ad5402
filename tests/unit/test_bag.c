/* Unit tests: the BagIt writer and the verifier. */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "bag/path.h"
#include "bag/verify.h"
#include "bag/write.h"
#include "core/errors.h"
#include "core/hash.h"

#define TOP "2024-05-10_test_1a2b3c4d"

/* A 150-byte file name: longer than ustar's 100-byte name field. */
static char *long_name(void)
{
	GString *s = g_string_new("data/");
	while (s->len < 5 + 146)
		g_string_append_c(s, 'n');
	g_string_append(s, ".txt");
	return g_string_free(s, FALSE);
}

static bool has_problem_in(const GPtrArray *list, const char *file, const char *reason)
{
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		if (strcmp(p->file, file) == 0 && (!reason || strstr(p->reason, reason)))
			return true;
	}
	return false;
}

static bool has_problem(const bag_report *r, const char *file, const char *reason)
{
	bool ok = has_problem_in(r->problems, file, reason);
	if (!ok) {
		fprintf(stderr, "  no problem '%s: %s' in %s; problems:\n", file,
		        reason ? reason : "*", r->path);
		for (guint i = 0; i < r->problems->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->problems, i);
			fprintf(stderr, "    %s: %s\n", p->file, p->reason);
		}
	}
	return ok;
}

static void dump(const bag_report *r)
{
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		fprintf(stderr, "  problem %s: %s\n", p->file, p->reason);
	}
}

/* Run argv in dir; true when it exits 0. stdout is returned in *out. */
static bool run(const char *dir, const char *const *argv, char **out)
{
	int status = -1;
	GError *err = NULL;
	if (!g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL,
	                  &status, &err)) {
		fprintf(stderr, "spawn %s: %s\n", argv[0], err->message);
		g_error_free(err);
		return false;
	}
	return g_spawn_check_wait_status(status, NULL);
}

/* ---- bags made by our writer -------------------------------------------- */

typedef struct {
	const char *path;
	const char *data;
} payload;

/* Write a bag of the given payload with bag_writer; the manifest and
 * Payload-Oxum are computed from `listed` (the truth, unless a test wants
 * the bag to lie). extra_info is appended to bag-info.txt. */
static char *writer_bag(const char *dir, const char *file, const payload *pl, size_t n,
                        const char *extra_info)
{
	char *out = g_build_filename(dir, file, NULL);
	GError *err = NULL;
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	EXPECT(fd >= 0);
	bag_writer *w = bag_writer_new(fd, TOP, 1715299200, &err);
	EXPECT(w != NULL);
	GString *man = g_string_new(NULL);
	uint64_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		char hex[65];
		hash_sha256_hex(pl[i].data, strlen(pl[i].data), hex);
		bag_manifest_add(man, hex, pl[i].path);
		bytes += strlen(pl[i].data);
	}
	char *info = g_strdup_printf("Bagging-Date: 2024-05-10\nPayload-Oxum: %" G_GUINT64_FORMAT
	                             ".%zu\n%s",
	                             bytes, n, extra_info ? extra_info : "");
	const char *bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	EXPECT(bag_writer_add_bytes(w, "bagit.txt", bagit, strlen(bagit), &err));
	EXPECT(bag_writer_add_bytes(w, "bag-info.txt", info, strlen(info), &err));
	EXPECT(bag_writer_add_bytes(w, "manifest-sha256.txt", man->str, man->len, &err));
	for (size_t i = 0; i < n; i++)
		EXPECT(bag_writer_add_bytes(w, pl[i].path, pl[i].data, strlen(pl[i].data), &err));
	EXPECT(bag_writer_finish(w, &err));
	if (err) {
		fprintf(stderr, "writer_bag: %s\n", err->message);
		g_clear_error(&err);
	}
	bag_writer_free(w);
	close(fd);
	g_string_free(man, TRUE);
	g_free(info);
	return out;
}

TEST(encode_decode_path)
{
	char *e = bag_encode_path("a%b\nc\rd");
	EXPECT_STR(e, "a%25b%0Ac%0Dd");
	char *d = bag_decode_path(e);
	EXPECT_STR(d, "a%b\nc\rd");
	g_free(e);
	g_free(d);
	d = bag_decode_path("%41 %0a %0d %2");
	EXPECT_STR(d, "%41 \n \r %2");
	g_free(d);
	GString *m = g_string_new(NULL);
	bag_manifest_add(m, "ab", "data/x%y");
	EXPECT_STR(m->str, "ab  data/x%25y\n");
	g_string_free(m, TRUE);
}

/* The one check the writer, the verifier and extract share. */
TEST(path_problem)
{
	static const char *const inside[] = { "data/x.pdf", "bagit.txt", "top/", "data/한글 %.pdf",
		                              "a..b/c", "data/~x", "data/C:x" };
	static const struct { const char *path, *why; } outside[] = {
		{ "", "empty" }, { "/etc/passwd", "absolute" }, { "../x", ".." },
		{ "data/../../x", ".." }, { "data\\..\\..\\x", ".." }, { "~/x", "home" },
		{ "~root/x", "home" }, { "C:/x", "drive" }, { "c:x", "drive" },
		{ "\\\\server\\x", "UNC" }, { "%HOMEDRIVE%/x", "variable" },
		{ "data//x", "plain" }, { "data/./x", "plain" }, { "./x", "plain" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(inside); i++) {
		const char *why = bag_path_problem(inside[i]);
		if (why)
			fprintf(stderr, "%s: %s\n", inside[i], why);
		EXPECT(why == NULL);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(outside); i++) {
		const char *why = bag_path_problem(outside[i].path);
		if (!why || !strstr(why, outside[i].why))
			fprintf(stderr, "%s: %s\n", outside[i].path, why ? why : "(accepted)");
		EXPECT(why && strstr(why, outside[i].why));
	}
	char *n = bag_path_normal("./top//data/./x");
	EXPECT_STR(n, "top/data/x");
	g_free(n);
	EXPECT(bag_path_normal("./") == NULL);
}

TEST(write_list_and_verify)
{
	char *dir = unit_tmpdir();
	char *lname = long_name();
	payload pl[] = {
		{ "data/with space.txt", "hello\n" },
		{ "data/한글 50%.txt", "안녕\n" },
		{ lname, "long\n" },
	};
	char *bag = writer_bag(dir, "a.tar.gz", pl, 3, NULL);

	char *out = NULL;
	const char *tar[] = { "tar", "tzf", bag, NULL };
	EXPECT(run(dir, tar, &out));
	char *want = g_strdup_printf(TOP "/bagit.txt\n" TOP "/bag-info.txt\n" TOP
	                             "/manifest-sha256.txt\n" TOP "/data/with space.txt\n" TOP
	                             "/data/한글 50%%.txt\n" TOP "/%s\n" TOP "/tagmanifest-sha256.txt\n",
	                             lname);
	EXPECT_STR(out, want);
	g_free(out);
	g_free(want);
	const char *gz[] = { "gzip", "-t", bag, NULL };
	EXPECT(run(dir, gz, NULL));

	bag_report *r = bag_verify(bag, NULL);
	EXPECT(r->valid);
	dump(r);
	EXPECT_STR(r->id, TOP);
	EXPECT(!r->ours);
	EXPECT_INT(r->payload_files, 3);
	EXPECT_INT(r->payload_bytes, 6 + 7 + 5);
	bag_report_free(r);

	/* Equal input, equal bytes: the gzip header holds no name or time. */
	char *bag2 = writer_bag(dir, "b.tar.gz", pl, 3, NULL);
	char *x, *y;
	gsize nx, ny;
	EXPECT(g_file_get_contents(bag, &x, &nx, NULL) && g_file_get_contents(bag2, &y, &ny, NULL));
	EXPECT(nx == ny && memcmp(x, y, nx) == 0);
	EXPECT(nx > 10 && (unsigned char)x[0] == 0x1f && x[3] == 0 && x[4] == 0 && x[5] == 0);

	/* The tag manifest lists every tag file, in order, and is right. */
	const char *tm[] = { "tar", "xzf", bag, NULL };
	EXPECT(run(dir, tm, NULL));
	char *tmf = g_build_filename(dir, TOP, "tagmanifest-sha256.txt", NULL);
	char *tmt = NULL;
	EXPECT(g_file_get_contents(tmf, &tmt, NULL, NULL));
	EXPECT(tmt && strstr(tmt, "  bagit.txt\n") && strstr(tmt, "  bag-info.txt\n") &&
	       strstr(tmt, "  manifest-sha256.txt\n") && !strstr(tmt, "data/"));

	/* The unpacked directory verifies too. */
	char *bagdir = g_build_filename(dir, TOP, NULL);
	r = bag_verify(bagdir, NULL);
	EXPECT(r->valid);
	dump(r);
	EXPECT_STR(r->id, TOP);
	EXPECT_INT(r->payload_files, 3);
	bag_report_free(r);

	/* And so does a plain tar of it. */
	const char *mk[] = { "tar", "cf", "plain.tar", TOP, NULL };
	EXPECT(run(dir, mk, NULL));
	char *plain = g_build_filename(dir, "plain.tar", NULL);
	r = bag_verify(plain, NULL);
	EXPECT(r->valid);
	dump(r);
	bag_report_free(r);

	g_free(plain);
	g_free(bagdir);
	g_free(tmt);
	g_free(tmf);
	g_free(x);
	g_free(y);
	g_free(bag2);
	g_free(bag);
	g_free(lname);
	g_free(dir);
}

TEST(writer_refuses)
{
	char *dir = unit_tmpdir();
	char *src = g_build_filename(dir, "src.txt", NULL);
	char *out = g_build_filename(dir, "o.tar.gz", NULL);
	GError *err = NULL;
	EXPECT(g_file_set_contents(src, "content\n", -1, NULL));
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bag_writer *w = bag_writer_new(fd, TOP, 0, &err);

	/* Paths that would escape the bag are a caller's bug, not written. */
	EXPECT(!bag_writer_add_bytes(w, "../x", "a", 1, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	EXPECT(!bag_writer_add_bytes(w, "/etc/x", "a", 1, &err));
	g_clear_error(&err);

	/* The right digest passes; a wrong one means the file changed. */
	char hex[65];
	uint64_t size;
	EXPECT(hash_file_sha256(src, hex, &size, NULL));
	EXPECT(bag_writer_add_file(w, "data/ok.txt", src, hex, size, BAG_DEFLATE, &err));
	EXPECT(!bag_writer_add_file(w, "data/x.txt", src,
	                            "0000000000000000000000000000000000000000000000000000000000000000",
	                            size, BAG_STORE, &err));
	EXPECT(err && strstr(err->message, "src.txt: changed while being archived (sha256 differs)"));
	g_clear_error(&err);
	bag_writer_free(w);
	close(fd);

	/* A symlink is never followed. */
	char *link = g_build_filename(dir, "link", NULL);
	EXPECT(symlink(src, link) == 0);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	w = bag_writer_new(fd, TOP, 0, &err);
	EXPECT(!bag_writer_add_file(w, "data/l", link, NULL, 0, BAG_DEFLATE, &err));
	EXPECT(err && strstr(err->message, "link"));
	g_clear_error(&err);
	/* A size that differs fails before anything is written. */
	EXPECT(!bag_writer_add_file(w, "data/s", src, hex, size + 1, BAG_DEFLATE, &err));
	EXPECT(err && strstr(err->message, "changed while being archived"));
	g_clear_error(&err);
	EXPECT(bag_writer_add_file(w, "data/s", src, NULL, 0, BAG_DEFLATE, &err));
	EXPECT(bag_writer_finish(w, &err));
	bag_writer_free(w);
	close(fd);

	g_free(link);
	g_free(src);
	g_free(out);
	g_free(dir);
}

/* The bytes of entry name in the tar.gz at path, or NULL. */
static GByteArray *entry_bytes(const char *path, const char *name)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	GByteArray *got = NULL;
	struct archive_entry *e;
	if (archive_read_open_filename(a, path, 10240) == ARCHIVE_OK)
		while (!got && archive_read_next_header(a, &e) == ARCHIVE_OK) {
			if (strcmp(archive_entry_pathname(e), name) != 0)
				continue;
			got = g_byte_array_new();
			char buf[4096];
			la_ssize_t n;
			while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
				g_byte_array_append(got, (const guint8 *)buf, (guint)n);
		}
	archive_read_free(a);
	return got;
}

/* An access copy: a file and the update after it, in one entry, digest and
 * size of the two together. */
TEST(writer_file_and_tail)
{
	char *dir = unit_tmpdir();
	char *src = g_build_filename(dir, "orig.pdf", NULL);
	char *out = g_build_filename(dir, "o.tar.gz", NULL);
	static const char orig[] = "%PDF-1.4\n...original...\n%%EOF\n", upd[] = "1 0 obj\n%%EOF\n";
	EXPECT(g_file_set_contents(src, orig, -1, NULL));
	GBytes *tail = g_bytes_new_static(upd, strlen(upd));
	char joined[sizeof orig + sizeof upd], hex[65];
	snprintf(joined, sizeof joined, "%s%s", orig, upd);
	hash_sha256_hex(joined, strlen(joined), hex);
	GError *err = NULL;
	for (int pack = BAG_DEFLATE; pack <= BAG_PROBE; pack++) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		bag_writer *w = bag_writer_new(fd, TOP, 0, &err);
		EXPECT(bag_writer_add_file_tail(w, "data/access/x.pdf", src, tail, hex, strlen(joined),
		                                (bag_packing)pack, &err));
		/* The size of the file alone is not the entry's. */
		EXPECT(!bag_writer_add_file_tail(w, "data/access/y.pdf", src, tail, hex, strlen(orig),
		                                 (bag_packing)pack, &err));
		EXPECT(err && strstr(err->message, "size differs"));
		g_clear_error(&err);
		EXPECT(bag_writer_finish(w, &err));
		bag_writer_free(w);
		close(fd);
		GByteArray *got = entry_bytes(out, TOP "/data/access/x.pdf");
		EXPECT(got && got->len == strlen(joined) && memcmp(got->data, joined, got->len) == 0);
		if (got)
			g_byte_array_unref(got);
	}
	g_bytes_unref(tail);
	g_free(src);
	g_free(out);
	g_free(dir);
}

/*
 * Stored and deflated entries in one gzip stream (deflateParams between
 * entries): still one standard gzip member that gzip, tar, Python's
 * tarfile and our verifier read; incompressible data costs no more than
 * its size; text is still squeezed; bag_writer_digest is the file's hash.
 */
TEST(writer_mixed_levels)
{
	char *dir = unit_tmpdir();
	GError *err = NULL;
	size_t n = 300 * 1024;
	unsigned char *junk = g_malloc(n);
	guint32 x = 7;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 24);
	}
	GString *text = g_string_new(NULL);
	while (text->len < n)
		g_string_append(text, "The Ministry of Science and ICT announced a strategy. ");
	const char *names[] = { "stored.pdf", "text.txt", "probed.bin", "probed.txt", "empty" };
	const void *datas[] = { junk, text->str, junk, text->str, "" };
	size_t lens[] = { n, text->len, n, text->len, 0 };
	bag_packing packs[] = { BAG_STORE, BAG_DEFLATE, BAG_PROBE, BAG_PROBE, BAG_STORE };
	GString *man = g_string_new(NULL);
	char *srcs[5];
	uint64_t bytes = 0;
	for (int i = 0; i < 5; i++) {
		srcs[i] = g_build_filename(dir, names[i], NULL);
		EXPECT(g_file_set_contents(srcs[i], datas[i], (gssize)lens[i], NULL));
		char hex[65], *bp = g_strconcat("data/", names[i], NULL);
		hash_sha256_hex(datas[i], lens[i], hex);
		bag_manifest_add(man, hex, bp);
		g_free(bp);
		bytes += lens[i];
	}
	char *out = g_build_filename(dir, "m.tar.gz", NULL);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	bag_writer *w = bag_writer_new(fd, TOP, 1715299200, &err);
	char *info = g_strdup_printf("Payload-Oxum: %" G_GUINT64_FORMAT ".5\n", bytes);
	const char *bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	char hex[65];
	uint64_t size = 0;
	EXPECT(!bag_writer_digest(w, hex, &size)); /* not before finish */
	EXPECT(bag_writer_add_bytes(w, "bagit.txt", bagit, strlen(bagit), &err));
	EXPECT(bag_writer_add_bytes(w, "bag-info.txt", info, strlen(info), &err));
	EXPECT(bag_writer_add_bytes(w, "manifest-sha256.txt", man->str, man->len, &err));
	for (int i = 0; i < 5; i++) {
		char *bp = g_strconcat("data/", names[i], NULL);
		EXPECT(bag_writer_add_file(w, bp, srcs[i], NULL, 0, packs[i], &err));
		g_free(bp);
	}
	EXPECT(bag_writer_finish(w, &err));
	EXPECT(err == NULL);
	EXPECT(bag_writer_digest(w, hex, &size));
	bag_writer_free(w);
	close(fd);

	char fhex[65];
	uint64_t fsize = 0;
	EXPECT(hash_file_sha256(out, fhex, &fsize, NULL));
	EXPECT_STR(hex, fhex);
	EXPECT(size == fsize);
	/* Two copies of the junk stored (~600 KiB), two texts squeezed to
	 * almost nothing: far below the 1.2 MiB of input, a little above
	 * the junk. */
	EXPECT(fsize > 2 * n && fsize < 2 * n + 64 * 1024);

	const char *gz[] = { "gzip", "-t", out, NULL };
	EXPECT(run(dir, gz, NULL));
	char *listing = NULL;
	const char *tar[] = { "tar", "tzf", out, NULL };
	EXPECT(run(dir, tar, &listing));
	EXPECT(listing && strstr(listing, TOP "/data/probed.txt\n") &&
	       strstr(listing, TOP "/tagmanifest-sha256.txt\n"));
	const char *py[] = { "python3", "-c",
		"import sys, tarfile, hashlib\n"
		"t = tarfile.open(sys.argv[1], 'r:gz')\n"
		"for m in t.getmembers():\n"
		"    t.extractfile(m).read()\n"
		"print(len(t.getmembers()))\n", out, NULL };
	char *pyout = NULL;
	EXPECT(run(dir, py, &pyout));
	EXPECT_STR(pyout, "9\n");
	bag_report *r = bag_verify(out, NULL);
	EXPECT(r->valid);
	dump(r);
	EXPECT_INT(r->payload_files, 5);
	bag_report_free(r);

	for (int i = 0; i < 5; i++)
		g_free(srcs[i]);
	g_free(pyout);
	g_free(listing);
	g_free(info);
	g_free(out);
	g_string_free(man, TRUE);
	g_string_free(text, TRUE);
	g_free(junk);
	g_free(dir);
}

/* A full disk must say so, as a store error (exit 3). */
TEST(writer_disk_full)
{
	GError *err = NULL;
	int fd = open("/dev/full", O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "no /dev/full: skipped\n");
		return;
	}
	bag_writer *w = bag_writer_new(fd, TOP, 0, &err);
	/* Incompressible bytes, so that deflate must write before finish. */
	size_t n = 1 << 20;
	unsigned char *junk = g_malloc(n);
	guint32 x = 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 24);
	}
	bool ok = bag_writer_add_bytes(w, "data/junk", junk, n, &err) && bag_writer_finish(w, &err);
	EXPECT(!ok);
	EXPECT(err && err->code == ARC_ERROR_STORE);
	EXPECT(err && strstr(err->message, "write: No space left on device"));
	g_clear_error(&err);
	/* Refuses to go on after a failure. */
	EXPECT(!bag_writer_finish(w, &err));
	g_clear_error(&err);
	bag_writer_free(w);
	close(fd);
	g_free(junk);
}

/* ---- bags made by hand, to break them ------------------------------------ */

enum {
	V_FLIP = 1 << 0,    /* a bit of data/a.txt flipped after hashing */
	V_MISSING = 1 << 1, /* data/b.txt left out */
	V_EXTRA = 1 << 2,   /* data/extra.txt in no manifest */
	V_OXUM = 1 << 3,    /* Payload-Oxum lies */
	V_TAGMAN = 1 << 4,  /* bag-info.txt changed after the tag manifest */
	V_NOBAGIT = 1 << 5, /* no bagit.txt */
	V_DOTDOT = 1 << 6,  /* an entry TOP/../evil.txt */
	V_SYMLINK = 1 << 7, /* a symlink entry */
	V_DUP = 1 << 8,     /* data/a.txt twice */
	V_ZIP = 1 << 9,     /* zip instead of tar.gz */
	V_MD5 = 1 << 10,    /* a second payload manifest (md5) missing data/b.txt */
};

static void add_entry(struct archive *a, const char *path, const char *data, int type)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_mtime(e, 0, 0);
	if (type == AE_IFLNK) {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_symlink(e, data);
		archive_entry_set_size(e, 0);
		EXPECT(archive_write_header(a, e) == ARCHIVE_OK);
	} else {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(data));
		EXPECT(archive_write_header(a, e) == ARCHIVE_OK);
		EXPECT(archive_write_data(a, data, strlen(data)) == (la_ssize_t)strlen(data));
	}
	archive_entry_free(e);
}

static void add_file(struct archive *a, const char *rel, const char *data, GString *tagman)
{
	char *p = g_strconcat(TOP "/", rel, NULL);
	add_entry(a, p, data, AE_IFREG);
	if (tagman) {
		char hex[65];
		hash_sha256_hex(data, strlen(data), hex);
		bag_manifest_add(tagman, hex, rel);
	}
	g_free(p);
}

/* A bag with data/a.txt and data/b.txt, broken as the flags say, written
 * with libarchive alone (our writer would refuse most of these). */
static char *hand_bag(const char *dir, const char *name, unsigned flags)
{
	char *out = g_build_filename(dir, name, NULL);
	struct archive *a = archive_write_new();
	if (flags & V_ZIP) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	}
	EXPECT(archive_write_open_filename(a, out) == ARCHIVE_OK);

	const char *a_txt = "hello\n", *b_txt = "world!\n";
	char ha[65], hb[65];
	hash_sha256_hex(a_txt, strlen(a_txt), ha);
	hash_sha256_hex(b_txt, strlen(b_txt), hb);
	GString *man = g_string_new(NULL);
	bag_manifest_add(man, ha, "data/a.txt");
	bag_manifest_add(man, hb, "data/b.txt");
	GString *tagman = g_string_new(NULL);
	char *info = g_strdup_printf("Payload-Oxum: %s\n", flags & V_OXUM ? "120.2" : "13.2");

	if (!(flags & V_NOBAGIT))
		add_file(a, "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
		         tagman);
	if (flags & V_TAGMAN) {
		/* Listed with the hash of the old text, written with a new one. */
		char hex[65];
		char *changed = g_strconcat(info, "Contact-Name: someone else\n", NULL);
		add_entry(a, TOP "/bag-info.txt", changed, AE_IFREG);
		hash_sha256_hex(info, strlen(info), hex);
		bag_manifest_add(tagman, hex, "bag-info.txt");
		g_free(changed);
	} else {
		add_file(a, "bag-info.txt", info, tagman);
	}
	add_file(a, "manifest-sha256.txt", man->str, tagman);
	if (flags & V_MD5) {
		char hex[HASH_HEX_MAX];
		hash_ctx *h = hash_new(HASH_MASK(HASH_MD5));
		hash_update(h, a_txt, strlen(a_txt));
		hash_final_hex(h, HASH_MD5, hex);
		hash_free(h);
		char *m5 = g_strdup_printf("%s  data/a.txt\n", hex);
		add_file(a, "manifest-md5.txt", m5, tagman);
		g_free(m5);
	}
	add_file(a, "data/a.txt", flags & V_FLIP ? "helln\n" : a_txt, NULL);
	if (!(flags & V_MISSING))
		add_file(a, "data/b.txt", b_txt, NULL);
	if (flags & V_EXTRA)
		add_file(a, "data/extra.txt", "extra\n", NULL);
	if (flags & V_DUP)
		add_file(a, "data/a.txt", a_txt, NULL);
	if (flags & V_DOTDOT)
		add_entry(a, TOP "/../evil.txt", "evil\n", AE_IFREG);
	if (flags & V_SYMLINK)
		add_entry(a, TOP "/data/link", "/etc/passwd", AE_IFLNK);
	add_file(a, "tagmanifest-sha256.txt", tagman->str, NULL);
	EXPECT(archive_write_close(a) == ARCHIVE_OK);
	archive_write_free(a);
	g_free(info);
	g_string_free(man, TRUE);
	g_string_free(tagman, TRUE);
	return out;
}

static bag_report *verify_variant(const char *dir, unsigned flags)
{
	char *name = g_strdup_printf("v%x.%s", flags, flags & V_ZIP ? "zip" : "tar.gz");
	char *p = hand_bag(dir, name, flags);
	bag_report *r = bag_verify(p, NULL);
	g_free(name);
	g_free(p);
	return r;
}

TEST(hand_bag_valid)
{
	char *dir = unit_tmpdir();
	bag_report *r = verify_variant(dir, 0);
	EXPECT(r->valid);
	dump(r);
	EXPECT_STR(r->id, TOP);
	bag_report_free(r);
	r = verify_variant(dir, V_ZIP);
	EXPECT(r->valid);
	dump(r);
	bag_report_free(r);
	g_free(dir);
}

TEST(corrupt_variants)
{
	char *dir = unit_tmpdir();
	bag_report *r;

	r = verify_variant(dir, V_FLIP);
	EXPECT(!r->valid && has_problem(r, "data/a.txt", "sha256 mismatch"));
	EXPECT_INT(r->problems->len, 1);
	bag_report_free(r);

	r = verify_variant(dir, V_MISSING);
	EXPECT(has_problem(r, "data/b.txt", "listed in manifest-sha256.txt but missing"));
	EXPECT(has_problem(r, "bag-info.txt", "Payload-Oxum says 13.2, found 6.1"));
	bag_report_free(r);

	r = verify_variant(dir, V_EXTRA);
	EXPECT(has_problem(r, "data/extra.txt", "not in manifest-sha256.txt"));
	bag_report_free(r);

	r = verify_variant(dir, V_OXUM);
	EXPECT(has_problem(r, "bag-info.txt", "Payload-Oxum says 120.2, found 13.2"));
	EXPECT_INT(r->problems->len, 1);
	bag_report_free(r);

	r = verify_variant(dir, V_TAGMAN);
	EXPECT(has_problem(r, "bag-info.txt", "sha256 mismatch"));
	bag_report_free(r);

	r = verify_variant(dir, V_NOBAGIT);
	EXPECT(has_problem(r, "bagit.txt", "missing"));
	bag_report_free(r);

	r = verify_variant(dir, V_DOTDOT);
	EXPECT(has_problem(r, TOP "/../evil.txt", "escapes the bag"));
	bag_report_free(r);

	r = verify_variant(dir, V_SYMLINK);
	EXPECT(has_problem(r, "data/link", "symbolic link"));
	bag_report_free(r);

	r = verify_variant(dir, V_DUP);
	EXPECT(has_problem(r, "data/a.txt", "appears twice"));
	bag_report_free(r);

	r = verify_variant(dir, V_MD5);
	EXPECT(has_problem(r, "data/b.txt", "not in manifest-md5.txt"));
	EXPECT_INT(r->problems->len, 1);
	bag_report_free(r);

	r = verify_variant(dir, V_ZIP | V_FLIP | V_EXTRA);
	EXPECT(has_problem(r, "data/a.txt", "sha256 mismatch"));
	EXPECT(has_problem(r, "data/extra.txt", "not in manifest-sha256.txt"));
	bag_report_free(r);

	/* All at once: every one is named, not only the first. */
	r = verify_variant(dir, V_FLIP | V_MISSING | V_EXTRA | V_OXUM | V_TAGMAN);
	EXPECT(has_problem(r, "data/a.txt", "sha256 mismatch"));
	EXPECT(has_problem(r, "data/b.txt", "but missing"));
	EXPECT(has_problem(r, "data/extra.txt", "not in manifest-sha256.txt"));
	EXPECT(has_problem(r, "bag-info.txt", "Payload-Oxum says 120.2, found 12.2"));
	EXPECT(has_problem(r, "bag-info.txt", "sha256 mismatch"));
	bag_report_free(r);
	g_free(dir);
}

TEST(fast_mode)
{
	char *dir = unit_tmpdir();
	bag_verify_opts fast = { .fast = true };
	char *p = hand_bag(dir, "flip.tar.gz", V_FLIP);
	bag_report *r = bag_verify(p, &fast);
	EXPECT(r->valid); /* no checksums in --fast */
	bag_report_free(r);
	g_free(p);
	p = hand_bag(dir, "oxum.tar.gz", V_OXUM | V_MISSING);
	r = bag_verify(p, &fast);
	EXPECT(has_problem(r, "bag-info.txt", "Payload-Oxum"));
	EXPECT(has_problem(r, "data/b.txt", "missing"));
	bag_report_free(r);
	g_free(p);
	g_free(dir);
}

TEST(truncated_and_garbage)
{
	char *dir = unit_tmpdir();
	/* Enough payload that half the file cuts through the stream. */
	GString *big = g_string_new(NULL);
	for (int i = 0; i < 20000; i++)
		g_string_append_printf(big, "line %d %u\n", i, g_str_hash(big->str + big->len / 2));
	payload pl[] = { { "data/big.txt", big->str }, { "data/small.txt", "x\n" } };
	char *bag = writer_bag(dir, "t.tar.gz", pl, 2, NULL);
	char *data;
	gsize len;
	EXPECT(g_file_get_contents(bag, &data, &len, NULL));
	char *half = g_build_filename(dir, "half.tar.gz", NULL);
	EXPECT(g_file_set_contents(half, data, (gssize)(len / 2), NULL));
	bag_report *r = bag_verify(half, NULL);
	EXPECT(!r->valid);
	EXPECT(has_problem(r, half, "truncated or corrupt"));
	EXPECT_STR(r->id, TOP);
	bag_report_free(r);

	/* A flipped byte inside the deflate stream: corrupt, not a crash. */
	data[len / 2] ^= 0x10;
	char *flip = g_build_filename(dir, "flip.tar.gz", NULL);
	EXPECT(g_file_set_contents(flip, data, (gssize)len, NULL));
	r = bag_verify(flip, NULL);
	EXPECT(!r->valid);
	bag_report_free(r);

	char *junk = g_build_filename(dir, "junk.tar.gz", NULL);
	EXPECT(g_file_set_contents(junk, "not a bag at all", -1, NULL));
	r = bag_verify(junk, NULL);
	EXPECT(!r->valid && has_problem(r, junk, "truncated or corrupt"));
	bag_report_free(r);

	char *none = g_build_filename(dir, "none.tar.gz", NULL);
	r = bag_verify(none, NULL);
	EXPECT(!r->valid && has_problem(r, none, "No such file"));
	bag_report_free(r);

	g_free(none);
	g_free(junk);
	g_free(flip);
	g_free(half);
	g_free(data);
	g_free(bag);
	g_string_free(big, TRUE);
	g_free(dir);
}

TEST(sidecar)
{
	char *dir = unit_tmpdir();
	payload pl[] = { { "data/a.txt", "a\n" } };
	char *bag = writer_bag(dir, TOP ".tar.gz", pl, 1, NULL);
	char hex[65];
	EXPECT(hash_file_sha256(bag, hex, NULL, NULL));
	char *side = g_strconcat(bag, ".sha256", NULL);
	char *line = g_strdup_printf("%s  %s.tar.gz\n", hex, TOP);
	EXPECT(g_file_set_contents(side, line, -1, NULL));
	bag_report *r = bag_verify(bag, NULL);
	EXPECT(r->valid);
	dump(r);
	bag_report_free(r);
	/* sha256sum -c agrees. */
	const char *c[] = { "sha256sum", "-c", "--quiet", side, NULL };
	EXPECT(run(dir, c, NULL));

	line[0] = line[0] == '0' ? '1' : '0';
	EXPECT(g_file_set_contents(side, line, -1, NULL));
	r = bag_verify(bag, NULL);
	EXPECT(has_problem(r, TOP ".tar.gz.sha256", "sha256 of the bundle differs"));
	bag_report_free(r);
	g_free(line);
	g_free(side);
	g_free(bag);
	g_free(dir);
}

/* Bags of this tool: licence fields and access copies. */
TEST(our_profile)
{
	char *dir = unit_tmpdir();
	const char *lic = "Bag-Software-Agent: archive/0.1.0\nExternal-Identifier: " TOP "\n"
	                  "License: KOGL-Type-1\nLicense-Name: Type 1: Source Indication\n"
	                  "License-URL: https://www.kogl.or.kr/info/licenseType1.do\n";
	payload good[] = { { "data/attachments/x.pdf", "%PDF-1.4 original\n" },
		           { "data/access/x.pdf", "%PDF-1.4 original\nupdate\n" } };
	char *bag = writer_bag(dir, "good.tar.gz", good, 2, lic);
	bag_report *r = bag_verify(bag, NULL);
	EXPECT(r->valid && r->ours);
	dump(r);
	bag_report_free(r);
	g_free(bag);

	payload bad[] = { { "data/attachments/x.pdf", "%PDF-1.4 original\n" },
		          { "data/access/x.pdf", "%PDF-1.4 0riginal\nupdate\n" },
		          { "data/attachments/y.pdf", "%PDF-1.4 y\n" },
		          { "data/access/y.pdf", "%PDF-1.4 y\n" } };
	bag = writer_bag(dir, "bad.tar.gz", bad, 4, lic);
	r = bag_verify(bag, NULL);
	EXPECT(has_problem(r, "data/access/x.pdf", "not the original plus an appended update"));
	EXPECT(has_problem(r, "data/access/y.pdf", "not the original plus an appended update"));
	EXPECT_INT(r->problems->len, 2);
	bag_report_free(r);
	g_free(bag);

	const char *nourl = "Bag-Software-Agent: archive/0.1.0\nExternal-Identifier: other\n"
	                    "License: KOGL-Type-1\nLicense-Name: Type 1:\n  Source Indication\n";
	bag = writer_bag(dir, "nourl.tar.gz", good, 2, nourl);
	r = bag_verify(bag, NULL);
	EXPECT(has_problem(r, "bag-info.txt", "missing License-URL"));
	EXPECT(has_problem(r, "bag-info.txt", "External-Identifier"));
	bag_report_free(r);
	g_free(bag);

	/* The same bag from another tool is held to plain BagIt only. */
	bag = writer_bag(dir, "theirs.tar.gz", bad, 4, "Bag-Software-Agent: bagit.py\n");
	r = bag_verify(bag, NULL);
	EXPECT(r->valid && !r->ours);
	bag_report_free(r);
	g_free(bag);
	g_free(dir);
}

/* Directory bags: links and odd tag files. */
TEST(directory_bag)
{
	char *dir = unit_tmpdir();
	char *bag = hand_bag(dir, "d.tar.gz", 0);
	const char *x[] = { "tar", "xzf", bag, NULL };
	EXPECT(run(dir, x, NULL));
	char *bagdir = g_build_filename(dir, TOP, NULL);
	bag_report *r = bag_verify(bagdir, NULL);
	EXPECT(r->valid);
	dump(r);
	bag_report_free(r);

	char *link = g_build_filename(bagdir, "data", "link", NULL);
	EXPECT(symlink("/etc/passwd", link) == 0);
	char *bom = g_build_filename(bagdir, "bag-info.txt", NULL);
	/* A UTF-8 BOM in bag-info.txt is allowed; the Oxum still parses. */
	EXPECT(g_file_set_contents(bom, "\xEF\xBB\xBFPayload-Oxum: 99.2\r\n", -1, NULL));
	r = bag_verify(bagdir, NULL);
	EXPECT(has_problem(r, "data/link", "symbolic link"));
	EXPECT(has_problem(r, "bag-info.txt", "Payload-Oxum says 99.2, found 13.2"));
	bag_report_free(r);

	g_free(bom);
	g_free(link);
	g_free(bagdir);
	g_free(bag);
	g_free(dir);
}

/* Reports collected by bag_verify_each, as one text per bag. */
static bool collect(guint i, bag_report *r, void *arg)
{
	GPtrArray *out = arg;
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "%u %s %s %d %d %" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, i,
	                       r->path, r->id, r->valid, r->ours, r->payload_bytes, r->payload_files);
	for (guint k = 0; k < r->problems->len; k++) {
		const bag_problem *p = g_ptr_array_index(r->problems, k);
		g_string_append_printf(s, "|P %s: %s", p->file, p->reason);
	}
	for (guint k = 0; k < r->warnings->len; k++) {
		const bag_problem *p = g_ptr_array_index(r->warnings, k);
		g_string_append_printf(s, "|W %s: %s", p->file, p->reason);
	}
	g_ptr_array_add(out, g_string_free(s, FALSE));
	return true;
}

/* Several bags at once in children: the same reports, in the same order,
 * as one at a time in this process. */
TEST(verify_each_parallel)
{
	char *dir = unit_tmpdir();
	unsigned flags[] = { 0, V_FLIP, V_ZIP, V_MISSING | V_EXTRA, V_SYMLINK, V_DUP, 0, V_OXUM };
	const char *paths[G_N_ELEMENTS(flags) + 1];
	GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
		char *name = g_strdup_printf("p%zu.%s", i, flags[i] & V_ZIP ? "zip" : "tar.gz");
		g_ptr_array_add(owned, hand_bag(dir, name, flags[i]));
		paths[i] = g_ptr_array_index(owned, i);
		g_free(name);
	}
	paths[6] = "no-such-bag.tar.gz";
	GPtrArray *one = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *four = g_ptr_array_new_with_free_func(g_free);
	EXPECT(bag_verify_each(paths, G_N_ELEMENTS(flags), NULL, 1, collect, one, NULL));
	EXPECT(bag_verify_each(paths, G_N_ELEMENTS(flags), NULL, 4, collect, four, NULL));
	EXPECT_INT(one->len, G_N_ELEMENTS(flags));
	EXPECT_INT(four->len, G_N_ELEMENTS(flags));
	for (guint i = 0; i < one->len && i < four->len; i++)
		EXPECT_STR(g_ptr_array_index(four, i), g_ptr_array_index(one, i));
	EXPECT(strstr(g_ptr_array_index(four, 1), "|P data/a.txt: sha256 mismatch"));
	EXPECT(strstr(g_ptr_array_index(four, 6), "No such file"));
	g_ptr_array_unref(one);
	g_ptr_array_unref(four);
	g_ptr_array_unref(owned);
	g_free(dir);
}

/* Every form of path that some system reads as "outside" is refused. */
TEST(escaping_manifest_paths)
{
	static const char *const bad[] = { "/etc/passwd", "data/../../x", "~/x", "~root/x",
	                                   "C:\\Windows\\x", "c:x", "\\\\server\\share\\x",
	                                   "%HomeDrive%\\x", "data/..\\..\\x" };
	char *dir = unit_tmpdir();
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *bag = g_build_filename(dir, "b", NULL);
		char *data = g_build_filename(bag, "data", NULL);
		EXPECT(g_mkdir_with_parents(data, 0755) == 0);
		char *f = g_build_filename(data, "a.txt", NULL);
		EXPECT(g_file_set_contents(f, "a\n", -1, NULL));
		char *bt = g_build_filename(bag, "bagit.txt", NULL);
		EXPECT(g_file_set_contents(bt, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", -1, NULL));
		char hex[65];
		hash_sha256_hex("a\n", 2, hex);
		char *man = g_strdup_printf("%s  data/a.txt\n%s  %s\n", hex, hex, bad[i]);
		char *mp = g_build_filename(bag, "manifest-sha256.txt", NULL);
		EXPECT(g_file_set_contents(mp, man, -1, NULL));
		bag_report *r = bag_verify(bag, NULL);
		EXPECT(!r->valid);
		EXPECT(has_problem(r, "manifest-sha256.txt", "escapes the bag"));
		bag_report_free(r);
		g_free(mp);
		g_free(man);
		g_free(bt);
		g_free(f);
		g_free(data);
		g_free(bag);
	}
	g_free(dir);
}

/* A BagIt 0.96 bag whose payload manifest (sha256) also lists bag-info.txt,
 * as bags of before 0.97 may (tags.c), in the order: bagit.txt, the
 * payload manifest, a tag manifest in md5, bag-info.txt, the payload.
 * bag-info.txt comes after both manifests, so it must be hashed with the
 * payload manifest's algorithm too, not only the tag manifest's, for its
 * line to be checked at all. info_hex: the digest listed for it (NULL:
 * its own). */
static char *old_bag_listing_tag_file(const char *dir, const char *name, const char *info_hex)
{
	char *out = g_build_filename(dir, name, NULL);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	EXPECT(archive_write_open_filename(a, out) == ARCHIVE_OK);
	const char *bagit = "BagIt-Version: 0.96\nTag-File-Character-Encoding: UTF-8\n";
	const char *info = "Payload-Oxum: 6.1\n", *a_txt = "hello\n";
	char ha[65], hi[65], md5[HASH_HEX_MAX];
	hash_sha256_hex(a_txt, strlen(a_txt), ha);
	hash_sha256_hex(info, strlen(info), hi);
	GString *man = g_string_new(NULL), *tagman = g_string_new(NULL);
	bag_manifest_add(man, ha, "data/a.txt");
	bag_manifest_add(man, info_hex ? info_hex : hi, "bag-info.txt");
	const char *tagged[][2] = { { "bagit.txt", bagit }, { "manifest-sha256.txt", man->str },
		                    { "bag-info.txt", info } };
	for (size_t i = 0; i < G_N_ELEMENTS(tagged); i++) {
		hash_ctx *h = hash_new(HASH_MASK(HASH_MD5));
		hash_update(h, tagged[i][1], strlen(tagged[i][1]));
		hash_final_hex(h, HASH_MD5, md5);
		hash_free(h);
		bag_manifest_add(tagman, md5, tagged[i][0]);
	}
	add_file(a, "bagit.txt", bagit, NULL);
	add_file(a, "manifest-sha256.txt", man->str, NULL);
	add_file(a, "tagmanifest-md5.txt", tagman->str, NULL);
	add_file(a, "bag-info.txt", info, NULL);
	add_file(a, "data/a.txt", a_txt, NULL);
	EXPECT(archive_write_close(a) == ARCHIVE_OK);
	archive_write_free(a);
	g_string_free(man, TRUE);
	g_string_free(tagman, TRUE);
	return out;
}

/* Before 0.97 a tag file in the payload manifest is a warning naming the
 * line, and the line is checked like any other: a digest that differs
 * fails. (bagit-java's v0.96 bag-with-tagfiles-in-payload-manifest, in
 * tests/e2e/conformance.sh, is the real case.) */
TEST(tag_file_in_old_payload_manifest)
{
	char *dir = unit_tmpdir();
	char *p = old_bag_listing_tag_file(dir, "old.tar.gz", NULL);
	bag_report *r = bag_verify(p, NULL);
	dump(r);
	EXPECT(r->valid);
	EXPECT(has_problem_in(r->warnings, "manifest-sha256.txt",
	                      "line 2: 'bag-info.txt' is not in data/: a tag file in the payload manifest"));
	EXPECT(r->warnings->len == 1);
	EXPECT(r->payload_files == 1 && r->payload_bytes == 6);
	bag_report_free(r);
	g_free(p);

	p = old_bag_listing_tag_file(dir, "wrong.tar.gz",
	                             "0000000000000000000000000000000000000000000000000000000000000000");
	r = bag_verify(p, NULL);
	EXPECT(!r->valid);
	EXPECT(has_problem(r, "bag-info.txt", "sha256 mismatch"));
	bag_report_free(r);
	g_free(p);
	g_free(dir);
}

UNIT_MAIN(encode_decode_path, path_problem, write_list_and_verify, writer_refuses, writer_file_and_tail,
          writer_mixed_levels,
          writer_disk_full,
          hand_bag_valid, corrupt_variants, fast_mode, truncated_and_garbage, sidecar,
          our_profile, directory_bag, verify_each_parallel, escaping_manifest_paths,
          tag_file_in_old_payload_manifest)
