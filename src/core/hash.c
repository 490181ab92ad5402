/*
 * core/hash.c — digests via libcrypto's EVP interface.
 */
#include "core/hash.h"
#include "core/errors.h"
#include "core/testhook.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

static const struct {
	const char *name;
	size_t hexlen;
	const EVP_MD *(*md)(void);
} algs[HASH_N] = {
	[HASH_MD5] = { "md5", 32, EVP_md5 },
	[HASH_SHA1] = { "sha1", 40, EVP_sha1 },
	[HASH_SHA224] = { "sha224", 56, EVP_sha224 },
	[HASH_SHA256] = { "sha256", 64, EVP_sha256 },
	[HASH_SHA512] = { "sha512", 128, EVP_sha512 },
};

struct hash_ctx {
	unsigned mask;
	bool finished;
	EVP_MD_CTX *md[HASH_N];
	unsigned char digest[HASH_N][EVP_MAX_MD_SIZE];
};

const char *hash_alg_name(hash_alg alg) { return algs[alg].name; }
size_t hash_alg_hexlen(hash_alg alg) { return algs[alg].hexlen; }

bool hash_alg_from_name(const char *name, hash_alg *alg)
{
	for (int i = 0; i < HASH_N; i++)
		if (g_ascii_strcasecmp(name, algs[i].name) == 0) {
			*alg = (hash_alg)i;
			return true;
		}
	return false;
}

hash_ctx *hash_new(unsigned alg_mask)
{
	hash_ctx *h = g_new0(hash_ctx, 1);
	h->mask = alg_mask;
	for (int i = 0; i < HASH_N; i++) {
		if (!(alg_mask & HASH_MASK(i)))
			continue;
		h->md[i] = EVP_MD_CTX_new();
		/* Allocation failure inside OpenSSL is as fatal as g_new's. */
		if (!h->md[i] || !EVP_DigestInit_ex(h->md[i], algs[i].md(), NULL))
			g_error("hash: cannot initialise %s", algs[i].name);
	}
	return h;
}

hash_ctx *hash_dup(const hash_ctx *h)
{
	hash_ctx *d = g_new0(hash_ctx, 1);
	d->mask = h->mask;
	d->finished = h->finished;
	memcpy(d->digest, h->digest, sizeof d->digest);
	for (int i = 0; i < HASH_N; i++) {
		if (!h->md[i])
			continue;
		d->md[i] = EVP_MD_CTX_new();
		if (!d->md[i] || !EVP_MD_CTX_copy_ex(d->md[i], h->md[i]))
			g_error("hash: cannot copy %s", algs[i].name);
	}
	return d;
}

void hash_update(hash_ctx *h, const void *data, size_t len)
{
	g_return_if_fail(!h->finished);
	for (int i = 0; i < HASH_N; i++)
		if (h->md[i])
			EVP_DigestUpdate(h->md[i], data, len);
}

static void to_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

void hash_final_hex(hash_ctx *h, hash_alg alg, char hex[HASH_HEX_MAX])
{
	g_return_if_fail(h->md[alg] != NULL);
	if (!h->finished) {
		for (int i = 0; i < HASH_N; i++)
			if (h->md[i])
				EVP_DigestFinal_ex(h->md[i], h->digest[i], NULL);
		h->finished = true;
	}
	to_hex(h->digest[alg], algs[alg].hexlen / 2, hex);
}

void hash_free(hash_ctx *h)
{
	if (!h)
		return;
	for (int i = 0; i < HASH_N; i++)
		EVP_MD_CTX_free(h->md[i]);
	g_free(h);
}

void hash_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char d[32];
	EVP_Digest(data, len, d, NULL, EVP_sha256(), NULL);
	to_hex(d, sizeof d, hex);
}

bool hash_file_sha256(const char *path, char hex[65], uint64_t *size, GError **err)
{
	return hash_file_sha256_keep(path, hex, size, NULL, err);
}

bool hash_file_sha256_keep(const char *path, char hex[65], uint64_t *size, hash_ctx **running,
                           GError **err)
{
	bool ok = false;
	uint64_t total = 0;
	hash_ctx *h = NULL;
	unsigned char *buf = g_malloc(1 << 17);
	/* O_NONBLOCK: a file swapped for a FIFO after the directory walk must
	 * not hang the run in open(); it is refused below. */
	int injected = testhook_read_error(path);
	int fd = injected ? (errno = injected, -1)
	                  : open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", path, g_strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not a regular file", path);
		goto out;
	}
	h = hash_new(HASH_MASK(HASH_SHA256));
	for (;;) {
		ssize_t n = read(fd, buf, 1 << 17);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: read: %s", path,
			            g_strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		hash_update(h, buf, (size_t)n);
		total += (uint64_t)n;
	}
	if (running)
		*running = hash_dup(h);
	char full[HASH_HEX_MAX];
	hash_final_hex(h, HASH_SHA256, full);
	memcpy(hex, full, 65);
	if (size)
		*size = total;
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	hash_free(h);
	g_free(buf);
	return ok;
}
