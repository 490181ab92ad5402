/* Unit tests: digests, and the running digest kept after a file. */
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

/* The running digest kept after a file's last byte goes on over bytes
 * that follow it: file + tail hashes as the two together would. */
TEST(kept_digest_goes_on_after_the_file)
{
	char *dir = unit_tmpdir();
	/* Empty, one byte, on and around the 128 KiB read, more than two reads. */
	const size_t sizes[] = { 0, 1, 131071, 131072, 131073, 300000 };
	static const char tail[] = "\n1 0 obj\n<< /Keywords (KOGL-Type-1) >>\nendobj\n%%EOF\n";
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		guint8 *data = NULL;
		char *path = make_file(dir, sizes[i], &data);
		char hex[65], want[65], joined[HASH_HEX_MAX];
		uint64_t got = 1;
		hash_ctx *running = NULL;
		GError *err = NULL;
		EXPECT(hash_file_sha256_keep(path, hex, &got, &running, &err));
		hash_sha256_hex(data, sizes[i], want);
		EXPECT_STR(hex, want);
		EXPECT_INT(got, sizes[i]);
		hash_update(running, tail, strlen(tail));
		hash_final_hex(running, HASH_SHA256, joined);
		guint8 *both = g_malloc(sizes[i] + strlen(tail));
		memcpy(both, data, sizes[i]);
		memcpy(both + sizes[i], tail, strlen(tail));
		hash_sha256_hex(both, sizes[i] + strlen(tail), want);
		EXPECT_STR(joined, want);
		hash_free(running);
		g_free(both);
		g_free(data);
		g_free(path);
		g_clear_error(&err);
	}
	/* A missing file: an error, and no running digest. */
	hash_ctx *none = NULL;
	char hex[65];
	GError *err = NULL;
	char *missing = g_build_filename(dir, "missing", NULL);
	EXPECT(!hash_file_sha256_keep(missing, hex, NULL, &none, &err));
	EXPECT(err && !none);
	g_clear_error(&err);
	g_free(missing);
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

UNIT_MAIN(kept_digest_goes_on_after_the_file, dup_goes_on_alone,
          missing_file_is_input_error)
