/* Unit tests: digests, and the prefix digest taken in the same pass. */
#include "unit.h"
#include "core/errors.h"
#include "core/hash.h"

/* A file of n pseudo-random bytes; its bytes in *data. */
static char *make_file(const char *dir, size_t n, guint8 **data)
{
	char *path = g_build_filename(dir, "f.bin", NULL);
	guint8 *d = g_malloc(n ? n : 1);
	guint32 x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		d[i] = (guint8)x;
	}
	g_file_set_contents(path, (const char *)d, (gssize)n, NULL);
	*data = d;
	return path;
}

TEST(prefix_digest_matches_every_cut)
{
	char *dir = unit_tmpdir();
	const size_t size = 300000; /* more than two 128 KiB reads */
	guint8 *data = NULL;
	char *path = make_file(dir, size, &data);
	char whole[65];
	hash_sha256_hex(data, size, whole);
	/* Cuts at the start, inside, on and around the read size, at the end. */
	const uint64_t cuts[] = { 0, 1, 4095, 131071, 131072, 131073, 262144, size - 1, size };
	for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
		char hex[65], prefix[65], want[65];
		uint64_t got = 0;
		GError *err = NULL;
		EXPECT(hash_file_sha256_prefix(path, hex, &got, cuts[i], prefix, &err));
		hash_sha256_hex(data, (size_t)cuts[i], want);
		EXPECT_STR(hex, whole);
		EXPECT_STR(prefix, want);
		EXPECT_INT(got, size);
		g_clear_error(&err);
	}
	/* Longer than the file: no prefix digest. */
	char hex[65], prefix[65] = "x";
	EXPECT(hash_file_sha256_prefix(path, hex, NULL, size + 1, prefix, NULL));
	EXPECT_STR(prefix, "");
	g_free(data);
	g_free(path);
	g_free(dir);
}

TEST(empty_file_prefix)
{
	char *dir = unit_tmpdir();
	guint8 *data = NULL;
	char *path = make_file(dir, 0, &data);
	char hex[65], prefix[65], want[65];
	hash_sha256_hex("", 0, want);
	EXPECT(hash_file_sha256_prefix(path, hex, NULL, 0, prefix, NULL));
	EXPECT_STR(hex, want);
	EXPECT_STR(prefix, want);
	EXPECT(hash_file_sha256_prefix(path, hex, NULL, 1, prefix, NULL));
	EXPECT_STR(prefix, "");
	g_free(data);
	g_free(path);
	g_free(dir);
}

TEST(dup_goes_on_alone)
{
	hash_ctx *h = hash_new(HASH_MASK(HASH_SHA256) | HASH_MASK(HASH_SHA512));
	hash_update(h, "abc", 3);
	hash_ctx *d = hash_dup(h);
	hash_update(h, "def", 3);
	char a[HASH_HEX_MAX], b[HASH_HEX_MAX], want[65];
	hash_final_hex(d, HASH_SHA256, a);
	hash_final_hex(h, HASH_SHA256, b);
	hash_sha256_hex("abc", 3, want);
	EXPECT_STR(a, want);
	hash_sha256_hex("abcdef", 6, want);
	EXPECT_STR(b, want);
	hash_final_hex(d, HASH_SHA512, a);
	EXPECT_STR(a, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	hash_free(d);
	hash_free(h);
}

TEST(missing_file_is_input_error)
{
	char hex[65];
	GError *err = NULL;
	EXPECT(!hash_file_sha256("/nonexistent/x", hex, NULL, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT && strstr(err->message, "/nonexistent/x"));
	g_clear_error(&err);
}

UNIT_MAIN(prefix_digest_matches_every_cut, empty_file_prefix, dup_goes_on_alone,
          missing_file_is_input_error)
