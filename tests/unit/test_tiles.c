/* Unit tests: the tree in tlog-tiles files, grown in batches, reopened,
 * rewritten after a crash, and refused when its files are short. */
#include "unit.h"
#include "core/errors.h"
#include "core/hash.h"
#include "log/tiles.h"

#include <sys/stat.h>
#include <unistd.h>

/* The reference: every complete subtree hash, level by level, in memory. */
typedef struct {
	GArray *level[64]; /* merkle_hash */
} ref_tree;

static void ref_init(ref_tree *r)
{
	for (int i = 0; i < 64; i++)
		r->level[i] = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
}

static void ref_free(ref_tree *r)
{
	for (int i = 0; i < 64; i++)
		g_array_unref(r->level[i]);
}

static void ref_add(ref_tree *r, const char *e, size_t len)
{
	merkle_hash h;
	merkle_leaf_hash(e, len, h);
	g_array_append_vals(r->level[0], h, 1);
	for (int k = 0; r->level[k]->len % 2 == 0; k++) {
		GArray *a = r->level[k];
		merkle_node_hash(g_array_index(a, merkle_hash, a->len - 2), g_array_index(a, merkle_hash, a->len - 1),
		                 h);
		g_array_append_vals(r->level[k + 1], h, 1);
	}
}

static bool ref_get(void *ctx, int level, uint64_t index, merkle_hash out, GError **err)
{
	ref_tree *r = ctx;
	if (index >= r->level[level]->len) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "no subtree");
		return false;
	}
	memcpy(out, g_array_index(r->level[level], merkle_hash, index), 32);
	return true;
}

/* Entry i: varied lengths, some empty. */
static char *entry_of(uint64_t i, size_t *len)
{
	if (i % 1000 == 7) {
		*len = 0;
		return g_strdup("");
	}
	char *e = g_strdup_printf("{\"seq\":%" G_GUINT64_FORMAT ",\"pad\":\"%.*s\"}", i, (int)(i % 97),
	                          "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	                          "abcdefghijklmnopqrstuvwxyz");
	*len = strlen(e);
	return e;
}

/* Append entries [from, from+n) (entry_of, or salted) to t and to r. */
static bool append_range(tlog_tiles *t, ref_tree *r, uint64_t from, size_t n, const char *salt)
{
	char **e = g_new0(char *, n + 1);
	size_t *lens = g_new(size_t, n);
	for (size_t i = 0; i < n; i++) {
		e[i] = entry_of(from + i, &lens[i]);
		if (salt) {
			char *s = g_strconcat(salt, e[i], NULL);
			g_free(e[i]);
			e[i] = s;
			lens[i] = strlen(s);
		}
		if (r)
			ref_add(r, e[i], lens[i]);
	}
	GError *err = NULL;
	bool ok = tlog_tiles_append(t, (const char *const *)e, lens, n, &err);
	if (!ok)
		fprintf(stderr, "append: %s\n", err->message);
	g_clear_error(&err);
	g_strfreev(e);
	g_free(lens);
	return ok;
}

static bool same_root(tlog_tiles *t, ref_tree *r)
{
	merkle_hash a, b;
	GError *err = NULL;
	uint64_t n = tlog_tiles_size(t);
	bool ok = merkle_tree_hash(n, tlog_tiles_hash, t, a, &err) && merkle_tree_hash(n, ref_get, r, b, NULL);
	if (err)
		fprintf(stderr, "root: %s\n", err->message);
	g_clear_error(&err);
	return ok && memcmp(a, b, 32) == 0;
}

static char *file_in(const char *dir, int level, uint64_t n, unsigned w)
{
	char *rel = tlog_tiles_path(level, n, w);
	char *p = g_build_filename(dir, rel, NULL);
	g_free(rel);
	return p;
}

static long long file_size(const char *dir, int level, uint64_t n, unsigned w)
{
	char *p = file_in(dir, level, n, w);
	struct stat st;
	long long s = stat(p, &st) == 0 ? (long long)st.st_size : -1;
	g_free(p);
	return s;
}

/* Every hash tile of a tree of size n is there, with its size (C2SP). */
static bool layout_holds(const char *dir, uint64_t n)
{
	for (int level = 0; n >> (8 * level); level++) {
		uint64_t m = n >> (8 * level);
		for (uint64_t k = 0; k < m / 256; k++)
			if (file_size(dir, level, k, 0) != 8192)
				return false;
		if (m % 256 && file_size(dir, level, m / 256, (unsigned)(m % 256)) != (long long)(m % 256) * 32)
			return false;
	}
	return true;
}

TEST(path_names)
{
	const struct {
		int level;
		uint64_t n;
		unsigned w;
		const char *want;
	} cases[] = {
		{ 0, 0, 0, "tile/0/000" },          { 0, 5, 0, "tile/0/005" },
		{ 2, 999, 0, "tile/2/999" },        { 0, 1000, 0, "tile/0/x001/000" },
		{ 0, 1234067, 0, "tile/0/x001/x234/067" }, { 0, 1234067, 12, "tile/0/x001/x234/067.p/12" },
		{ -1, 273, 0, "tile/entries/273" }, { -1, 1, 44, "tile/entries/001.p/44" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *p = tlog_tiles_path(cases[i].level, cases[i].n, cases[i].w);
		EXPECT_STR(p, cases[i].want);
		g_free(p);
	}
}

/* The 8-leaf tree of RFC 6962's vectors gives the notes' worked example. */
TEST(eight_leaf_files)
{
	char *dir = unit_tmpdir();
	static const char *const leaves[] = { "", "\x00", "\x10", "\x20\x21", "\x30\x31", "\x40\x41\x42\x43",
		                              "\x50\x51\x52\x53\x54\x55\x56\x57",
		                              "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f" };
	static const size_t lens[] = { 0, 1, 1, 2, 2, 4, 8, 16 };
	tlog_tiles *t = tlog_tiles_open(dir, 0, NULL);
	EXPECT(t && tlog_tiles_append(t, leaves, lens, 8, NULL));
	merkle_hash root;
	EXPECT(merkle_tree_hash(8, tlog_tiles_hash, t, root, NULL));
	char hex[65], *data = NULL;
	gsize len = 0;
	char *p = file_in(dir, 0, 0, 8);
	EXPECT(g_file_get_contents(p, &data, &len, NULL) && len == 256);
	hash_sha256_hex(data, len, hex);
	EXPECT_STR(hex, "aea2f1bbb5140fd5f8eacb503fdf54c00c3d860c72588e40233addd416bc8f10");
	g_free(data);
	g_free(p);
	p = file_in(dir, -1, 0, 8);
	EXPECT(g_file_get_contents(p, &data, &len, NULL) && len == 50);
	static const char bundle_hex[] = "0000000100000110000220210002303100044041424300085051525354555657"
	                                 "0010606162636465666768696a6b6c6d6e6f";
	for (size_t i = 0; len == 50 && i < 50; i++)
		EXPECT((uint8_t)data[i] == (g_ascii_xdigit_value(bundle_hex[2 * i]) << 4 |
		                            g_ascii_xdigit_value(bundle_hex[2 * i + 1])));
	g_free(data);
	g_free(p);
	/* root(8) of the vectors */
	hash_sha256_hex(root, 32, hex); /* only to compare it whole: */
	char want[65];
	hash_sha256_hex("\x5d\xc9\xda\x79\xa7\x06\x59\xa9\xad\x55\x9c\xb7\x01\xde\xd9\xa2"
	                "\xab\x9d\x82\x3a\xad\x2f\x49\x60\xcf\xe3\x70\xef\xf4\x60\x43\x28",
	                32, want);
	EXPECT_STR(hex, want);
	tlog_tiles_close(t);
	g_free(dir);
}

TEST(grow_in_batches_and_reopen)
{
	char *dir = unit_tmpdir();
	ref_tree r;
	ref_init(&r);
	GError *err = NULL;
	tlog_tiles *t = tlog_tiles_open(dir, 0, &err);
	EXPECT(t != NULL);
	merkle_hash empty, got;
	merkle_empty_root(empty);
	EXPECT(merkle_tree_hash(0, tlog_tiles_hash, t, got, NULL) && memcmp(got, empty, 32) == 0);
	EXPECT(append_range(t, &r, 0, 1, NULL));
	EXPECT(same_root(t, &r));
	static const size_t first[] = { 7, 1, 255, 37 }; /* 300 */
	uint64_t n = 1;
	for (size_t i = 0; i < G_N_ELEMENTS(first); n += first[i], i++) {
		EXPECT(append_range(t, &r, n, first[i], NULL));
		EXPECT(same_root(t, &r));
	}
	uint64_t old = n;
	merkle_hash old_root;
	merkle_tree_hash(old, ref_get, &r, old_root, NULL);
	static const size_t sizes[] = { 1, 2, 255, 256, 257, 1000, 3, 4097, 511, 6000 };
	for (size_t i = 0; n < 301 + 70000; i++) {
		size_t k = MIN(sizes[i % G_N_ELEMENTS(sizes)], 301 + 70000 - n);
		EXPECT(append_range(t, &r, n, k, NULL));
		n += k;
		EXPECT_INT(tlog_tiles_size(t), n);
		EXPECT(same_root(t, &r));
	}
	EXPECT(layout_holds(dir, n));
	/* 70301 leaves: 274 full tiles and 157 hashes at level 0, 274 hashes
	 * at level 1, one at level 2. */
	EXPECT_INT(file_size(dir, 0, 273, 0), 8192);
	EXPECT_INT(file_size(dir, 0, 274, 157), 157 * 32);
	EXPECT_INT(file_size(dir, 1, 0, 0), 8192);
	EXPECT_INT(file_size(dir, 1, 1, 18), 18 * 32);
	EXPECT_INT(file_size(dir, 2, 0, 1), 32);
	/* Subtrees at every level, between tile levels too. */
	for (int level = 0; level <= 16; level++) {
		uint64_t last = (n >> level) - 1;
		uint64_t picks[] = { 0, last / 3, last };
		for (size_t i = 0; i < G_N_ELEMENTS(picks); i++) {
			merkle_hash a, b;
			EXPECT(tlog_tiles_hash(t, level, picks[i], a, NULL));
			ref_get(&r, level, picks[i], b, NULL);
			EXPECT(memcmp(a, b, 32) == 0);
		}
	}
	EXPECT(!tlog_tiles_hash(t, 17, 0, got, &err) && err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	/* Entries read back, from full bundles and from the edge. */
	for (uint64_t i = 0; i < n; i += (i < 1100 || i > n - 300) ? 1 : 97) {
		size_t want_len = 0, len = 0;
		char *want = entry_of(i, &want_len), *e = NULL;
		EXPECT(tlog_tiles_entry(t, i, &e, &len, NULL));
		EXPECT(e && len == want_len && memcmp(e, want, len) == 0 && e[len] == '\0');
		g_free(e);
		g_free(want);
	}
	char *e = NULL;
	size_t len = 0;
	EXPECT(!tlog_tiles_entry(t, n, &e, &len, &err) && err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	/* Proofs over the tiles check against the reference's roots. */
	merkle_hash root;
	merkle_tree_hash(n, ref_get, &r, root, NULL);
	GArray *proof = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	uint64_t picks[] = { 0, 255, 256, 65535, 65536, n - 1 };
	for (size_t i = 0; i < G_N_ELEMENTS(picks); i++) {
		g_array_set_size(proof, 0);
		EXPECT(merkle_inclusion_proof(n, picks[i], tlog_tiles_hash, t, proof, NULL));
		EXPECT(merkle_verify_inclusion(picks[i], n, g_array_index(r.level[0], merkle_hash, picks[i]),
		                               (const merkle_hash *)(void *)proof->data, proof->len, root));
	}
	g_array_set_size(proof, 0);
	EXPECT(merkle_consistency_proof(old, n, tlog_tiles_hash, t, proof, NULL));
	EXPECT(merkle_verify_consistency(old, n, old_root, root, (const merkle_hash *)(void *)proof->data,
	                                 proof->len));
	g_array_unref(proof);
	tlog_tiles_close(t);
	/* Reopened at its size, it has the same root and grows the same. */
	t = tlog_tiles_open(dir, n, &err);
	EXPECT(t != NULL);
	EXPECT(t && same_root(t, &r));
	EXPECT(t && append_range(t, &r, n, 180, NULL) && append_range(t, &r, n + 180, 1, NULL));
	EXPECT(t && same_root(t, &r));
	tlog_tiles_close(t);
	t = tlog_tiles_open(dir, n + 181, &err);
	EXPECT(t && same_root(t, &r));
	tlog_tiles_close(t);
	g_clear_error(&err);
	ref_free(&r);
	g_free(dir);
}

TEST(layout_at_256_and_300)
{
	char *dir = unit_tmpdir();
	tlog_tiles *t = tlog_tiles_open(dir, 0, NULL);
	EXPECT(append_range(t, NULL, 0, 256, NULL));
	EXPECT_INT(file_size(dir, 0, 0, 0), 8192);
	EXPECT_INT(file_size(dir, 1, 0, 1), 32);
	EXPECT(file_size(dir, -1, 0, 0) > 0);
	EXPECT_INT(file_size(dir, 0, 1, 0), -1);
	EXPECT(append_range(t, NULL, 256, 44, NULL));
	EXPECT_INT(file_size(dir, 0, 1, 44), 44 * 32);
	EXPECT(file_size(dir, -1, 1, 44) > 0);
	EXPECT_INT(file_size(dir, 1, 0, 1), 32);
	EXPECT(layout_holds(dir, 300));
	tlog_tiles_close(t);
	g_free(dir);
}

static bool read_all(const char *dir, int level, uint64_t n, unsigned w, GBytes **out)
{
	char *p = file_in(dir, level, n, w), *data = NULL;
	gsize len = 0;
	bool ok = g_file_get_contents(p, &data, &len, NULL);
	*out = ok ? g_bytes_new_take(data, len) : NULL;
	g_free(p);
	return ok;
}

/* A run that crashed after its tiles but before its checkpoint: opened
 * again at the old size, the same entries rewrite the same files; other
 * entries overwrite them. */
TEST(append_again_after_a_crash)
{
	char *dir = unit_tmpdir();
	ref_tree r;
	ref_init(&r);
	tlog_tiles *t = tlog_tiles_open(dir, 0, NULL);
	EXPECT(append_range(t, &r, 0, 250, NULL));
	EXPECT(append_range(t, &r, 250, 10, NULL));
	tlog_tiles_close(t);
	GBytes *tile, *part, *bundle, *tile2, *part2, *bundle2;
	EXPECT(read_all(dir, 0, 0, 0, &tile) && read_all(dir, 0, 1, 4, &part) && read_all(dir, -1, 1, 4, &bundle));
	/* The partial tiles of size 250 are still there, and superseded. */
	EXPECT_INT(file_size(dir, 0, 0, 250), 250 * 32);
	GError *err = NULL;
	t = tlog_tiles_open(dir, 250, &err);
	EXPECT(t && append_range(t, NULL, 250, 10, NULL));
	EXPECT(t && same_root(t, &r));
	tlog_tiles_close(t);
	EXPECT(read_all(dir, 0, 0, 0, &tile2) && read_all(dir, 0, 1, 4, &part2) &&
	       read_all(dir, -1, 1, 4, &bundle2));
	EXPECT(g_bytes_equal(tile, tile2) && g_bytes_equal(part, part2) && g_bytes_equal(bundle, bundle2));
	g_bytes_unref(tile), g_bytes_unref(part), g_bytes_unref(bundle);
	g_bytes_unref(tile2), g_bytes_unref(part2), g_bytes_unref(bundle2);
	/* Other entries in their place. */
	ref_tree r2;
	ref_init(&r2);
	for (uint64_t i = 0; i < 250; i++) {
		size_t len;
		char *e = entry_of(i, &len);
		ref_add(&r2, e, len);
		g_free(e);
	}
	t = tlog_tiles_open(dir, 250, &err);
	EXPECT(t && append_range(t, &r2, 250, 10, "other "));
	EXPECT(t && same_root(t, &r2));
	tlog_tiles_close(t);
	t = tlog_tiles_open(dir, 260, &err);
	EXPECT(t && same_root(t, &r2));
	tlog_tiles_close(t);
	g_clear_error(&err);
	ref_free(&r);
	ref_free(&r2);
	g_free(dir);
}

static bool error_names(GError *err, int code, const char *part)
{
	if (err)
		fprintf(stderr, "  (error: %s)\n", err->message);
	return err && err->domain == ARC_ERROR && err->code == code && strstr(err->message, part);
}

static void truncate_file(const char *dir, int level, uint64_t n, unsigned w, off_t to)
{
	char *p = file_in(dir, level, n, w);
	EXPECT(truncate(p, to) == 0);
	g_free(p);
}

TEST(short_files_are_refused)
{
	char *dir = unit_tmpdir();
	tlog_tiles *t = tlog_tiles_open(dir, 0, NULL);
	EXPECT(append_range(t, NULL, 0, 300, NULL));
	tlog_tiles_close(t);
	GError *err = NULL;
	/* More leaves than stored: the partial tile of that size is missing. */
	EXPECT(!tlog_tiles_open(dir, 400, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/0/001.p/144"));
	g_clear_error(&err);
	EXPECT(!tlog_tiles_open(dir, 512, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/0/001"));
	g_clear_error(&err);
	/* A full tile left of the edge is not read by open nor append... */
	truncate_file(dir, 0, 0, 0, 100);
	t = tlog_tiles_open(dir, 300, &err);
	EXPECT(t != NULL);
	EXPECT(t && append_range(t, NULL, 300, 10, NULL));
	/* ...but a hash from it is an error naming it. */
	merkle_hash h;
	EXPECT(t && !tlog_tiles_hash(t, 0, 5, h, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/0/000: 100 bytes"));
	g_clear_error(&err);
	/* The root needs only tile/1/000.p/1's hash of it; a proof of a
	 * leaf in it needs the tile itself. */
	EXPECT(t && merkle_tree_hash(310, tlog_tiles_hash, t, h, NULL));
	GArray *proof = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	EXPECT(t && !merkle_inclusion_proof(310, 5, tlog_tiles_hash, t, proof, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/0/000"));
	g_clear_error(&err);
	g_array_unref(proof);
	tlog_tiles_close(t);
	/* A short tile or bundle of the edge. */
	truncate_file(dir, 0, 1, 54, 54 * 32 - 1);
	EXPECT(!tlog_tiles_open(dir, 310, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/0/001.p/54"));
	g_clear_error(&err);
	truncate_file(dir, -1, 1, 44, 10);
	EXPECT(!tlog_tiles_open(dir, 300, &err));
	EXPECT(error_names(err, ARC_ERROR_STORE, "tile/entries/001.p/44"));
	g_clear_error(&err);
	g_free(dir);
}

TEST(oversized_entry_is_refused)
{
	char *dir = unit_tmpdir();
	tlog_tiles *t = tlog_tiles_open(dir, 0, NULL);
	char *big = g_malloc0(65536);
	const char *e[] = { "fine", big };
	size_t lens[] = { 4, 65536 };
	GError *err = NULL;
	EXPECT(!tlog_tiles_append(t, e, lens, 2, &err));
	EXPECT(error_names(err, ARC_ERROR_INPUT, "65536 bytes"));
	g_clear_error(&err);
	EXPECT_INT(tlog_tiles_size(t), 0);
	EXPECT_INT(file_size(dir, 0, 0, 1), -1);
	/* The largest entry fits, and reads back whole. */
	lens[1] = 65535;
	EXPECT(tlog_tiles_append(t, e, lens, 2, NULL));
	char *got = NULL;
	size_t len = 0;
	EXPECT(tlog_tiles_entry(t, 1, &got, &len, NULL) && len == 65535 && memcmp(got, big, len) == 0);
	g_free(got);
	tlog_tiles_close(t);
	t = tlog_tiles_open(dir, 2, &err);
	EXPECT(t && tlog_tiles_entry(t, 1, &got, &len, NULL) && len == 65535);
	g_free(got);
	tlog_tiles_close(t);
	g_clear_error(&err);
	g_free(big);
	g_free(dir);
}

UNIT_MAIN(path_names, eight_leaf_files, grow_in_batches_and_reopen, layout_at_256_and_300,
          append_again_after_a_crash, short_files_are_refused, oversized_entry_is_refused)
