/*
 * core/hash.h — message digests through OpenSSL's libcrypto (SHA-NI where the
 * CPU has it). The one hashing module of the project.
 *
 * A hash_ctx computes one or several algorithms over the same bytes in one
 * pass (verify needs that for bags with several manifests). Hex output is
 * lower-case. The caller owns what it creates and frees it with hash_free().
 */
#ifndef ARC_HASH_H
#define ARC_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef enum { HASH_MD5, HASH_SHA1, HASH_SHA224, HASH_SHA256, HASH_SHA512, HASH_N } hash_alg;

#define HASH_MASK(a) (1u << (a))
#define HASH_HEX_MAX 129 /* sha512: 128 hex digits and a NUL */

const char *hash_alg_name(hash_alg alg);           /* "sha256" */
bool hash_alg_from_name(const char *name, hash_alg *alg); /* case-insensitive */
size_t hash_alg_hexlen(hash_alg alg);              /* 64 for sha256 */

typedef struct hash_ctx hash_ctx;
hash_ctx *hash_new(unsigned alg_mask);
void hash_update(hash_ctx *h, const void *data, size_t len);
/* A copy of h as it is now: finishing the copy gives the digest of what
 * h has seen so far, and h goes on. */
hash_ctx *hash_dup(const hash_ctx *h);
/* Finish (once) and write the hex digest of alg; alg must be in the mask. */
void hash_final_hex(hash_ctx *h, hash_alg alg, char hex[HASH_HEX_MAX]);
void hash_free(hash_ctx *h);

/* SHA-256 of a memory buffer, hex. */
void hash_sha256_hex(const void *data, size_t len, char hex[65]);

/* SHA-256 of a file read in one streaming pass, without following a final
 * symlink (O_NOFOLLOW). *size receives its length when size is not NULL. */
bool hash_file_sha256(const char *path, char hex[65], uint64_t *size, GError **err);
/* The same; *running (when not NULL) receives the SHA-256 as it stands
 * after the file's last byte, to go on over bytes that follow it (the
 * access copy's update): the caller frees it. */
bool hash_file_sha256_keep(const char *path, char hex[65], uint64_t *size, hash_ctx **running,
                           GError **err);

#endif
