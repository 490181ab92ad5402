/*
 * bag/vctx.h — the state of one bag's verification, shared by the files
 * of the verifier (private to src/bag/):
 *
 *   entry.c         each entry hashed as it streams by, within the bomb limits
 *   read_archive.c  a .tar.gz/.tar/.zip in one pass (gzip decoded here, CRC checked)
 *   read_dir.c      an unpacked bag directory, in the order a bundle has
 *   tags.c          bagit.txt, bag-info.txt, manifests and fetch.txt parsed
 *   verdict.c       everything compared at the end: the report's problems
 *   verify.c        bag_verify() over the above, and many bags at once
 *
 * Entries arrive one by one (from libarchive, or from a sorted walk of a
 * directory) and go through bag_entry_begin/_data/_end. Each file is
 * hashed while it streams by and only its size and digests are kept; the
 * text of the tag files that must be parsed (bagit.txt, bag-info.txt, the
 * manifests) is kept until the end of the stream, where bag_verdict() compares
 * everything. Memory therefore grows with the number of files, never with
 * their size.
 *
 * Which digests to compute for a file depends on the manifests seen before
 * it: a file that comes before any manifest of its kind gets all five (odd
 * orders are rare and the cost is bounded); after them, only the
 * algorithms those manifests use. Our own bundles put manifest-sha256.txt
 * before the payload, so the payload is hashed with sha256 alone.
 */
#ifndef ARC_BAG_VCTX_H
#define ARC_BAG_VCTX_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <zlib.h>
#include "bag/verify.h"
#include "core/hash.h"

#define CHUNK (128 * 1024)
/* The parsed tag files are held in memory: a manifest of a few million
 * files fits well below this; anything larger is not a manifest. */
#define TAG_TEXT_MAX (256u * 1024 * 1024)
#define ALL_ALGS (HASH_MASK(HASH_N) - 1u)

/* Decompression limits. Verifying streams and never writes, so a bomb
 * costs only time; still, an auditor's nightly run must end. When
 * bag-info.txt (and its Payload-Oxum) comes before the payload, as in our
 * bundles, the entries may not decompress to more than twice what it
 * says plus BOMB_SLACK (room for the tag files, and for a wrong Oxum to be
 * reported rather than cut short). Without it, they may not decompress to
 * more than BOMB_RATIO times the compressed bytes read so far, once past
 * BOMB_SLACK: ordinary files compress at most about 10:1, deflate cannot
 * pass 1032:1, so only runs of one byte come near. */
#define BOMB_SLACK (256ull * 1024 * 1024)
#define BOMB_RATIO 1000ull
/* Deflate's best case: 1032 bytes out per byte in (RFC 1951 blocks of
 * maximal matches); a tar entry claiming more cannot be in the file. */
#define DEFLATE_MAX_RATIO 1032ull

enum { ACCESS_NONE, ACCESS_OK, ACCESS_BAD, ACCESS_UNCHECKED };

typedef struct {
	uint64_t size;
	unsigned mask;        /* algorithms computed */
	char *hex[HASH_N];    /* hex digests of the algorithms in mask */
	int access;           /* data/access/ copies: the prefix check's outcome */
} file_rec;

typedef struct {
	char *name;           /* "manifest-sha256.txt" */
	hash_alg alg;
	bool tag;             /* tagmanifest-* */
	GString *text;        /* raw bytes, parsed at the end */
	GPtrArray *paths;     /* decoded paths, in the order listed */
	GHashTable *hex;      /* path → lower-case hex */
} manifest;

typedef struct {
	const char *path;
	bool fast;
	bag_report *r;
	char *top;                 /* the serialisation's top directory */
	GHashTable *files;         /* bag-relative path → file_rec* */
	GPtrArray *order;          /* paths in stream order (owned by files) */
	GPtrArray *manifests;      /* manifest*, in stream order */
	GHashTable *tag_texts;     /* "bagit.txt"/"bag-info.txt"/"package-info.txt" → GString* */
	unsigned payload_algs, tag_algs;
	bool payload_manifest_seen, tag_manifest_seen;
	bool broken;               /* the stream ended early: absence proves nothing */
	bool stop;                 /* a limit was hit: read no further */
	bool oxum_known;           /* Payload-Oxum read before the payload */
	uint64_t oxum_bytes;
	uint64_t unpacked;         /* entry bytes read from the serialisation */
	uint64_t file_size;        /* of the serialisation */
	GHashTable *tolerated;     /* missing paths judged harmless: path → "empty" or "alias" */
	int version;               /* BagIt-Version as major * 1000 + minor, 0 unknown */

	/* The entry being streamed. */
	char *cur;
	file_rec *cur_rec;
	hash_ctx *cur_h;
	GString *cur_text;
	bool cur_text_too_big;
	hash_ctx *cur_prefix;      /* sha256 over the first prefix_len bytes */
	bool prefix_from_h;        /* cur_prefix is cur_h copied at prefix_len */
	uint64_t prefix_len;
	const char *prefix_want;   /* the original's sha256 (owned by its file_rec) */

	/* The raw file, for the sidecar check. */
	int fd;
	hash_ctx *raw_h;
	unsigned char *buf;
	uint64_t raw_in;           /* bytes read from the file */

	/* gzip is decoded here, not by libarchive, which checks neither the
	 * CRC-32 nor the length in a member's trailer. */
	bool gz;
	z_stream zs;
	unsigned char *zin;
	bool z_eof, z_member_done;
	char *z_error;             /* why the gzip stream is bad, or NULL */
} vctx;

#define PROBLEM(v, file, ...) bag_add_problem((v)->r->problems, file, __VA_ARGS__)
#define WARNING(v, file, ...) bag_add_problem((v)->r->warnings, file, __VA_ARGS__)

/* entry.c: an entry's bytes (begin, data..., end), and the limits on them. */
void bag_entry_begin(vctx *v, const char *rel);
void bag_entry_data(vctx *v, const void *data, size_t len);
void bag_entry_end(vctx *v, bool complete); /* complete: all its bytes arrived */
void bag_entry_reset(vctx *v);
bool bag_entry_needs_data(vctx *v);        /* false: only its size matters */
bool bag_over_budget(vctx *v, const char *file, uint64_t more, bool claim);
void bag_file_rec_free(gpointer p);
void bag_manifest_free(gpointer p);
void bag_gstring_free(gpointer p);

/* read_archive.c, read_dir.c: every entry through entry.c. */
void bag_read_archive(vctx *v);
void bag_read_dir(vctx *v);

/* tags.c */
bool bag_manifest_name(const char *rel, bool *tag, char **alg);
bool bag_is_info_file(const char *rel);
bool bag_hex_ok(const char *s, size_t want);
char *bag_tags_bagit_txt(vctx *v);
GHashTable *bag_tags_bag_info(vctx *v, const char *encoding, const char **name_out);
void bag_tags_manifest(vctx *v, manifest *m, const char *encoding);
void bag_tags_fetch(vctx *v, const char *encoding);

/* verdict.c */
void bag_verdict(vctx *v);
void bag_verdict_sidecar(vctx *v, const char *sidecar);

/* verify.c */
char *bag_default_id(const char *path);

#endif
