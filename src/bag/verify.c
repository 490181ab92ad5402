/*
 * bag_verify.c — check a BagIt bag in one streaming pass.
 *
 * Entries arrive one by one (from libarchive, or from a sorted walk of a
 * directory) and go through entry_begin/entry_data/entry_end. Each file is
 * hashed while it streams by and only its size and digests are kept; the
 * text of the tag files that must be parsed (bagit.txt, bag-info.txt, the
 * manifests) is kept until the end of the stream, where analyse() compares
 * everything. Memory therefore grows with the number of files, never with
 * their size.
 *
 * Which digests to compute for a file depends on the manifests seen before
 * it: a file that comes before any manifest of its kind gets all five (odd
 * orders are rare and the cost is bounded); after them, only the
 * algorithms those manifests use. Our own bundles put manifest-sha256.txt
 * before the payload, so the payload is hashed with sha256 alone.
 */
#include "bag/verify.h"
#include "bag/write.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/testhook.h"
#include "core/worker.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

void bag_add_problem(GPtrArray *list, const char *file, const char *fmt, ...)
{
	va_list ap;
	bag_problem *p = g_new0(bag_problem, 1);
	p->file = g_strdup(file);
	va_start(ap, fmt);
	p->reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(list, p);
}
#define PROBLEM(v, file, ...) bag_add_problem((v)->r->problems, file, __VA_ARGS__)
#define WARNING(v, file, ...) bag_add_problem((v)->r->warnings, file, __VA_ARGS__)

void bag_problem_free(gpointer p)
{
	bag_problem *b = p;
	g_free(b->file);
	g_free(b->reason);
	g_free(b);
}

static void file_rec_free(gpointer p)
{
	file_rec *f = p;
	for (int i = 0; i < HASH_N; i++)
		g_free(f->hex[i]);
	g_free(f);
}

static void manifest_free(gpointer p)
{
	manifest *m = p;
	g_free(m->name);
	if (m->text)
		g_string_free(m->text, TRUE);
	g_ptr_array_unref(m->paths);
	g_hash_table_unref(m->hex);
	g_free(m);
}

static void gstring_free(gpointer p) { g_string_free(p, TRUE); }

void bag_report_free(bag_report *r)
{
	if (!r)
		return;
	g_free(r->path);
	g_free(r->id);
	g_ptr_array_unref(r->problems);
	g_ptr_array_unref(r->warnings);
	g_free(r);
}

/* "manifest-<alg>.txt" or "tagmanifest-<alg>.txt" at the top of the bag. */
static bool manifest_name(const char *rel, bool *tag, char **alg)
{
	const char *p;
	if (g_str_has_prefix(rel, "manifest-"))
		*tag = false, p = rel + strlen("manifest-");
	else if (g_str_has_prefix(rel, "tagmanifest-"))
		*tag = true, p = rel + strlen("tagmanifest-");
	else
		return false;
	if (strchr(p, '/') || !g_str_has_suffix(p, ".txt") || strlen(p) <= 4)
		return false;
	*alg = g_strndup(p, strlen(p) - 4);
	return true;
}

static bool is_info_file(const char *rel)
{
	return strcmp(rel, "bagit.txt") == 0 || strcmp(rel, "bag-info.txt") == 0 ||
	       strcmp(rel, "package-info.txt") == 0 || strcmp(rel, "fetch.txt") == 0;
}

/* ---- streaming ---------------------------------------------------------- */

static void entry_begin(vctx *v, const char *rel)
{
	bool payload = g_str_has_prefix(rel, "data/");
	unsigned mask = 0;
	bool tag = false;
	char *alg_name = NULL;

	v->cur = g_strdup(rel);
	v->cur_rec = g_new0(file_rec, 1);
	if (!v->fast) {
		if (payload)
			mask = v->payload_manifest_seen ? v->payload_algs : ALL_ALGS;
		else
			mask = v->tag_manifest_seen ? v->tag_algs : ALL_ALGS;
		/* An original's sha256 is what its access copy must start with. */
		if (g_str_has_prefix(rel, "data/attachments/"))
			mask |= HASH_MASK(HASH_SHA256);
	}
	v->cur_rec->mask = mask;
	if (mask)
		v->cur_h = hash_new(mask);

	if (g_str_has_prefix(rel, "data/access/")) {
		char *orig = g_strconcat("data/attachments/", rel + strlen("data/access/"), NULL);
		file_rec *o = g_hash_table_lookup(v->files, orig);
		v->cur_rec->access = ACCESS_UNCHECKED;
		if (o) {
			v->prefix_len = o->size;
			v->prefix_want = o->hex[HASH_SHA256];
			/* When the entry's own digests include sha256, the
			 * prefix's is theirs copied where the prefix ends
			 * (entry_data): no second pass over those bytes. */
			v->prefix_from_h = v->prefix_want && (mask & HASH_MASK(HASH_SHA256));
			if (v->prefix_from_h && v->prefix_len == 0)
				v->cur_prefix = hash_dup(v->cur_h);
			else if (v->prefix_want && !v->prefix_from_h)
				v->cur_prefix = hash_new(HASH_MASK(HASH_SHA256));
		}
		g_free(orig);
	}

	if (manifest_name(rel, &tag, &alg_name)) {
		hash_alg alg;
		if (!hash_alg_from_name(alg_name, &alg)) {
			WARNING(v, rel, "unsupported algorithm '%s': not checked", alg_name);
		} else {
			manifest *m = g_new0(manifest, 1);
			m->name = g_strdup(rel);
			m->alg = alg;
			m->tag = tag;
			m->paths = g_ptr_array_new_with_free_func(g_free);
			m->hex = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
			m->text = g_string_new(NULL);
			g_ptr_array_add(v->manifests, m);
			v->cur_text = m->text;
			/* From now on files of this kind need this algorithm. */
			if (tag) {
				v->tag_algs |= HASH_MASK(alg);
				v->tag_manifest_seen = true;
			} else {
				v->payload_algs |= HASH_MASK(alg);
				v->payload_manifest_seen = true;
			}
		}
	} else if (is_info_file(rel)) {
		v->cur_text = g_string_new(NULL);
		g_hash_table_replace(v->tag_texts, g_strdup(rel), v->cur_text);
	}
	g_free(alg_name);
}

/* Whether `more` further entry bytes pass the decompression limits (see
 * BOMB_SLACK); when they do, the entry is named and reading stops. claim:
 * the bytes are only announced by a header, not yet read, so the ratio
 * (which is known only as the data flows) cannot be judged. */
static bool over_budget(vctx *v, const char *file, uint64_t more, bool claim)
{
	if (v->fd < 0)
		return false; /* a directory: nothing is decompressed */
	uint64_t total = v->unpacked + more;
	if (total < v->unpacked)
		total = UINT64_MAX;
	/* The compressed bytes consumed so far: for gzip, what zlib has
	 * taken (not what it holds unread); else what libarchive read. */
	uint64_t in = v->gz ? v->raw_in - v->zs.avail_in : v->raw_in;
	if (!claim && total <= in)
		return false; /* no more out than in: not compressed at all */
	if (v->oxum_known) {
		uint64_t cap = v->oxum_bytes > (UINT64_MAX - BOMB_SLACK) / 2
		                       ? UINT64_MAX : 2 * v->oxum_bytes + BOMB_SLACK;
		if (total <= cap)
			return false;
		PROBLEM(v, file,
		        "decompresses to more than Payload-Oxum allows (%" PRIu64 " bytes of payload said, "
		        "more than %" PRIu64 " bytes unpacked): a decompression bomb or a wrong "
		        "Payload-Oxum; not read further",
		        v->oxum_bytes, cap);
	} else {
		if (claim || total <= BOMB_SLACK || total / BOMB_RATIO <= in)
			return false;
		PROBLEM(v, file,
		        "decompresses beyond %llu times its size (%" PRIu64 " bytes from %" PRIu64
		        "): a decompression bomb; not read further",
		        BOMB_RATIO, total, in);
	}
	v->stop = true;
	return true;
}

static void entry_data(vctx *v, const void *data, size_t len)
{
	if (over_budget(v, v->cur, len, false))
		return;
	v->unpacked += len;
	if (v->cur_h && v->prefix_from_h && !v->cur_prefix &&
	    v->cur_rec->size + len >= v->prefix_len) {
		size_t head = (size_t)(v->prefix_len - v->cur_rec->size);
		hash_update(v->cur_h, data, head);
		v->cur_prefix = hash_dup(v->cur_h);
		hash_update(v->cur_h, (const unsigned char *)data + head, len - head);
	} else if (v->cur_h) {
		hash_update(v->cur_h, data, len);
	}
	if (v->cur_prefix && !v->prefix_from_h && v->cur_rec->size < v->prefix_len) {
		uint64_t room = v->prefix_len - v->cur_rec->size;
		hash_update(v->cur_prefix, data, len < room ? len : (size_t)room);
	}
	if (v->cur_text && !v->cur_text_too_big) {
		if (v->cur_text->len + len > TAG_TEXT_MAX) {
			v->cur_text_too_big = true;
			PROBLEM(v, v->cur, "too large to be a tag file");
			g_string_truncate(v->cur_text, 0);
		} else {
			g_string_append_len(v->cur_text, data, (gssize)len);
		}
	}
	v->cur_rec->size += len;
}

static void entry_reset(vctx *v)
{
	g_clear_pointer(&v->cur, g_free);
	hash_free(v->cur_h);
	hash_free(v->cur_prefix);
	v->cur_h = v->cur_prefix = NULL;
	v->cur_text = NULL;
	v->cur_text_too_big = false;
	v->prefix_len = 0;
	v->prefix_want = NULL;
	v->prefix_from_h = false;
}

/* Payload-Oxum as soon as bag-info.txt has streamed by, for the
 * decompression limit; analyse() judges the field itself. */
static void early_oxum(vctx *v, const GString *text)
{
	if (!text)
		return;
	const char *p = text->str;
	while (p) {
		guint64 bytes;
		if (g_ascii_strncasecmp(p, "Payload-Oxum:", 13) == 0) {
			const char *q = p + 13 + strspn(p + 13, " \t");
			char *end;
			bytes = g_ascii_strtoull(q, &end, 10);
			if (end != q && *end == '.') {
				v->oxum_bytes = bytes;
				v->oxum_known = true;
			}
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/* complete: all bytes arrived. A file cut short by a broken stream is not
 * recorded: its digests would prove nothing. */
static void entry_end(vctx *v, bool complete)
{
	file_rec *f = v->cur_rec;
	v->cur_rec = NULL;
	if (!complete) {
		file_rec_free(f);
		entry_reset(v);
		return;
	}
	for (int i = 0; i < HASH_N; i++)
		if (f->mask & HASH_MASK(i)) {
			char hex[HASH_HEX_MAX];
			hash_final_hex(v->cur_h, (hash_alg)i, hex);
			f->hex[i] = g_strdup(hex);
		}
	if (f->access == ACCESS_UNCHECKED) {
		char *orig = g_strconcat("data/attachments/", v->cur + strlen("data/access/"), NULL);
		file_rec *o = g_hash_table_lookup(v->files, orig);
		if (o && (v->cur_prefix || v->prefix_from_h)) {
			/* No copy of the running digest: it never reached the
			 * original's length. */
			char hex[HASH_HEX_MAX] = "";
			if (v->cur_prefix)
				hash_final_hex(v->cur_prefix, HASH_SHA256, hex);
			f->access = f->size > o->size && strcmp(hex, v->prefix_want) == 0
			                    ? ACCESS_OK : ACCESS_BAD;
		} else if (o && v->fast) {
			/* --fast reads no checksums: the sizes are all we can say. */
			f->access = f->size > o->size ? ACCESS_OK : ACCESS_BAD;
		}
		g_free(orig);
	}
	if (!v->oxum_known && (strcmp(v->cur, "bag-info.txt") == 0 ||
	                       strcmp(v->cur, "package-info.txt") == 0))
		early_oxum(v, g_hash_table_lookup(v->tag_texts, v->cur));
	g_hash_table_insert(v->files, v->cur, f);
	g_ptr_array_add(v->order, v->cur);
	v->cur = NULL; /* now owned by files */
	entry_reset(v);
}

/* Whether the bytes of the entry matter; in --fast mode payload files are
 * only counted, so a directory walk need not even open them. */
static bool entry_needs_data(vctx *v)
{
	return v->cur_h || v->cur_text || v->cur_prefix;
}

/* ---- tar/zip ------------------------------------------------------------ */

/* The bag-relative path of an archive entry, or NULL (problem recorded)
 * when it escapes the bag or is not under the one top directory. "" is
 * the top directory itself. */
static char *entry_rel(vctx *v, const char *name, bool is_dir)
{
	char *rel = NULL;
	if (name[0] == '/') {
		PROBLEM(v, name, "absolute path");
		return NULL;
	}
	char **parts = g_strsplit(name, "/", -1);
	GPtrArray *keep = g_ptr_array_new();
	for (char **p = parts; *p; p++) {
		if (!**p || strcmp(*p, ".") == 0)
			continue;
		if (strcmp(*p, "..") == 0) {
			PROBLEM(v, name, "escapes the bag (..)");
			goto out;
		}
		g_ptr_array_add(keep, *p);
	}
	if (keep->len == 0)
		goto out; /* "./": says nothing */
	const char *first = g_ptr_array_index(keep, 0);
	if (!v->top) {
		if (keep->len == 1 && !is_dir) {
			PROBLEM(v, name, "not under a top directory");
			goto out;
		}
		v->top = g_strdup(first);
	} else if (strcmp(first, v->top) != 0) {
		PROBLEM(v, name, "not under the top directory '%s/'", v->top);
		goto out;
	}
	if (keep->len == 1 && !is_dir) {
		PROBLEM(v, name, "not under a top directory");
		goto out;
	}
	g_ptr_array_add(keep, NULL);
	rel = g_strjoinv("/", (char **)keep->pdata + 1);
out:
	g_ptr_array_unref(keep);
	g_strfreev(parts);
	return rel;
}

/* Raw bytes of the serialisation, hashed for the sidecar on the way. */
static ssize_t raw_read(vctx *v, unsigned char *buf)
{
	for (;;) {
		ssize_t n = read(v->fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0) {
			v->raw_in += (uint64_t)n;
			if (v->raw_h)
				hash_update(v->raw_h, buf, (size_t)n);
		}
		return n;
	}
}

static ssize_t gz_fail(vctx *v, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static ssize_t gz_fail(vctx *v, const char *fmt, ...)
{
	va_list ap;
	if (!v->z_error) {
		va_start(ap, fmt);
		v->z_error = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The next decompressed bytes of a gzip file into v->buf: > 0 bytes, 0 at
 * the clean end of the last member, -1 with v->z_error set. Members may
 * follow one another (RFC 1952 §2.2); each one's CRC-32 and length are
 * checked by zlib (windowBits 15 + 16). */
static ssize_t gz_pull(vctx *v)
{
	if (v->z_error)
		return -1;
	for (;;) {
		if (v->zs.avail_in == 0 && !v->z_eof) {
			ssize_t n = raw_read(v, v->zin);
			if (n < 0)
				return gz_fail(v, "read: %s", g_strerror(errno));
			if (n == 0)
				v->z_eof = true;
			v->zs.next_in = v->zin;
			v->zs.avail_in = (uInt)n;
		}
		if (v->z_member_done) {
			if (v->zs.avail_in == 0) {
				if (v->z_eof)
					return 0;
				continue;
			}
			inflateReset(&v->zs);
			v->z_member_done = false;
		}
		v->zs.next_out = v->buf;
		v->zs.avail_out = CHUNK;
		int rc = inflate(&v->zs, Z_NO_FLUSH);
		size_t got = CHUNK - v->zs.avail_out;
		/* An error may come with the last bytes before it (a bad CRC
		 * with the end of the member): those are delivered first, the
		 * error at the next call. */
		if (rc == Z_STREAM_END)
			v->z_member_done = true;
		else if (rc == Z_DATA_ERROR && v->zs.msg && strcmp(v->zs.msg, "incorrect data check") == 0)
			gz_fail(v, "corrupt gzip stream: CRC-32 mismatch");
		else if (rc == Z_DATA_ERROR && v->zs.msg && strcmp(v->zs.msg, "incorrect length check") == 0)
			gz_fail(v, "corrupt gzip stream: length in the trailer differs");
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			gz_fail(v, "corrupt gzip stream: %s", v->zs.msg ? v->zs.msg : "inflate failed");
		if (got > 0)
			return (ssize_t)got;
		if (v->z_error)
			return -1;
		if (v->z_eof && v->zs.avail_in == 0 && !v->z_member_done)
			return gz_fail(v, "truncated gzip stream: it ends before its trailer");
	}
}

static la_ssize_t read_cb(struct archive *a, void *data, const void **buf)
{
	vctx *v = data;
	ssize_t n = v->gz ? gz_pull(v) : raw_read(v, v->buf);
	if (n < 0) {
		if (v->z_error)
			archive_set_error(a, EIO, "%s", v->z_error);
		else
			archive_set_error(a, errno, "read: %s", g_strerror(errno));
		return -1;
	}
	*buf = v->buf;
	return n;
}

static void stream_broken(vctx *v, struct archive *a)
{
	const char *msg = v->z_error ? v->z_error : archive_error_string(a);
	PROBLEM(v, v->path, "truncated or corrupt: %s", msg ? msg : "unexpected end of data");
	v->broken = true;
}

/* What an entry's header may claim, given the file it comes from: no more
 * than the file for a plain tar, no more than deflate's best ratio allows
 * for gzip; UINT64_MAX when unknown (zip, other filters). */
static uint64_t entry_room(vctx *v, struct archive *a)
{
	if (v->gz)
		return v->file_size > UINT64_MAX / DEFLATE_MAX_RATIO
		               ? UINT64_MAX : v->file_size * DEFLATE_MAX_RATIO + 65536;
	if (archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE &&
	    (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR)
		return v->file_size;
	return UINT64_MAX;
}

static void verify_archive(vctx *v)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	unsigned char *dbuf = g_malloc(CHUNK);
	unsigned char magic[2];
	struct stat st;
	locale_t loc = (locale_t)0, old_loc = (locale_t)0;

	if (fstat(v->fd, &st) == 0)
		v->file_size = (uint64_t)st.st_size;
	if (pread(v->fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		v->gz = true;
		v->zin = g_malloc(CHUNK);
		if (inflateInit2(&v->zs, 15 + 16) != Z_OK) {
			v->gz = false;
			PROBLEM(v, v->path, "cannot start zlib");
			v->broken = true;
			goto out;
		}
	}
	/* libarchive converts entry names to the locale's character set; in
	 * the C locale (cron's) a zip's UTF-8 name then has no name at all.
	 * Bag paths are UTF-8 (RFC 8493 §2.1.3): read them in C.UTF-8. */
	loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (loc)
		old_loc = uselocale(loc);
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open(a, v, NULL, read_cb, NULL) != ARCHIVE_OK) {
		stream_broken(v, a);
		goto out;
	}
	for (int retries = 0;;) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY && ++retries < 100)
			continue;
		if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) {
			stream_broken(v, a);
			break;
		}
		retries = 0;
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name) {
			PROBLEM(v, v->path, "an entry without a name");
			continue;
		}
		mode_t type = archive_entry_filetype(e);
		char *rel = entry_rel(v, name, type == AE_IFDIR);
		const char *shown = rel && *rel ? rel : name;
		bool take = false;
		if (archive_entry_hardlink(e))
			PROBLEM(v, shown, "hard link");
		else if (type == AE_IFLNK)
			PROBLEM(v, shown, "symbolic link");
		else if (type == AE_IFDIR)
			;
		else if (type != AE_IFREG)
			PROBLEM(v, shown, "device or FIFO");
		else if (!rel)
			;
		else if (g_hash_table_contains(v->files, rel))
			PROBLEM(v, rel, "appears twice");
		else
			take = true;

		/* A header may claim any size; the file bounds what it can hold.
		 * Past a lying header the stream means nothing: stop there. */
		if (type == AE_IFREG && archive_entry_size_is_set(e)) {
			uint64_t claim = (uint64_t)archive_entry_size(e), room = entry_room(v, a);
			if (claim > room) {
				PROBLEM(v, shown, "claims %" PRIu64 " bytes, more than the archive holds (%" PRIu64
				        " bytes%s)", claim, v->file_size, v->gz ? " of gzip" : "");
				v->broken = v->stop = true;
			} else if (take && over_budget(v, shown, claim, true)) {
				v->broken = true;
			}
			if (v->stop) {
				g_free(rel);
				break;
			}
		}

		if (take) {
			entry_begin(v, rel);
			bool complete = true;
			if (!entry_needs_data(v) && archive_entry_size_is_set(e)) {
				/* Still read through (skip decompresses) so that a
				 * truncated stream is noticed; the header's size counts. */
				if (archive_read_data_skip(a) < ARCHIVE_WARN) {
					complete = false;
				} else {
					v->cur_rec->size = (uint64_t)archive_entry_size(e);
					v->unpacked += v->cur_rec->size;
				}
			} else {
				/* A zip entry with a data descriptor has no size
				 * before its data: count what arrives. */
				for (int warns = 0;;) {
					la_ssize_t n = archive_read_data(a, dbuf, CHUNK);
					if (n == 0)
						break;
					if (n < 0 && (n != ARCHIVE_WARN || ++warns > 100)) {
						complete = false;
						break;
					}
					if (n > 0)
						entry_data(v, dbuf, (size_t)n);
					if (v->stop) {
						complete = false;
						break;
					}
				}
			}
			entry_end(v, complete);
			if (!complete) {
				if (v->stop)
					v->broken = true;
				else
					stream_broken(v, a);
				g_free(rel);
				break;
			}
		}
		g_free(rel);
	}
	/* libarchive stops at the tar end marker; the gzip trailer (CRC-32,
	 * length) comes after it and must be read to be checked. */
	if (v->gz && !v->broken) {
		ssize_t n;
		while ((n = gz_pull(v)) > 0)
			;
		if (n < 0) {
			PROBLEM(v, v->path, "truncated or corrupt: %s", v->z_error);
			v->broken = true;
		}
	}
out:
	archive_read_free(a);
	if (old_loc)
		uselocale(old_loc);
	if (loc)
		freelocale(loc);
	if (v->gz)
		inflateEnd(&v->zs);
	g_free(v->zin);
	v->zin = NULL;
	g_free(dbuf);
}

/* ---- directories -------------------------------------------------------- */

/* Walk order: what decides how the rest is hashed first (bagit.txt,
 * bag-info.txt, the manifests), then the other tag files, then the
 * originals before their access copies, tag manifests last, as in our
 * bundles; sorted by name within each group so output is stable. */
static int dir_rank(const char *rel)
{
	bool tag;
	char *alg = NULL;
	int rank;
	if (strcmp(rel, "bagit.txt") == 0)
		rank = 0;
	else if (is_info_file(rel))
		rank = 1;
	else if (manifest_name(rel, &tag, &alg))
		rank = tag ? 6 : 2;
	else if (g_str_has_prefix(rel, "data/attachments/"))
		rank = 4;
	else if (g_str_has_prefix(rel, "data/"))
		rank = 5;
	else
		rank = 3;
	g_free(alg);
	return rank;
}

static int dir_cmp(gconstpointer a, gconstpointer b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = dir_rank(x), ry = dir_rank(y);
	return rx != ry ? rx - ry : strcmp(x, y);
}

static void walk(vctx *v, const char *root, const char *rel, GPtrArray *out)
{
	GError *err = NULL;
	char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
	GDir *d = g_dir_open(dir, 0, &err);
	if (!d) {
		PROBLEM(v, rel ? rel : v->path, "%s", err->message);
		g_error_free(err);
		g_free(dir);
		return;
	}
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	while ((n = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(n));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)dir_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		char *r = rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		char *full = g_build_filename(root, r, NULL);
		struct stat st;
		if (lstat(full, &st) != 0)
			PROBLEM(v, r, "%s", g_strerror(errno));
		else if (S_ISLNK(st.st_mode))
			PROBLEM(v, r, "symbolic link");
		else if (S_ISDIR(st.st_mode))
			walk(v, root, r, out);
		else if (!S_ISREG(st.st_mode))
			PROBLEM(v, r, "device or FIFO");
		else {
			g_ptr_array_add(out, r);
			r = NULL;
		}
		g_free(r);
		g_free(full);
	}
	g_ptr_array_unref(names);
	g_free(dir);
}

static void verify_dir(vctx *v)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	walk(v, v->path, NULL, files);
	g_ptr_array_sort(files, dir_cmp);
	for (guint i = 0; i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		char *full = g_build_filename(v->path, rel, NULL);
		int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		bool complete = true;
		if (fd < 0 || fstat(fd, &st) != 0) {
			PROBLEM(v, rel, "%s", g_strerror(errno));
			goto next;
		}
		entry_begin(v, rel);
		if (!entry_needs_data(v)) {
			v->cur_rec->size = (uint64_t)st.st_size;
		} else {
			for (;;) {
				ssize_t n = read(fd, v->buf, CHUNK);
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0) {
					PROBLEM(v, rel, "read: %s", g_strerror(errno));
					complete = false;
					break;
				}
				if (n == 0)
					break;
				entry_data(v, v->buf, (size_t)n);
			}
		}
		entry_end(v, complete);
	next:
		if (fd >= 0)
			close(fd);
		g_free(full);
	}
	g_ptr_array_unref(files);
}

/* ---- tag files ---------------------------------------------------------- */

/* The text of a tag file as UTF-8 (caller frees), or NULL (problem noted).
 * A UTF-8 BOM is dropped; UTF-16 with a BOM and the encoding bagit.txt
 * names are converted. */
static char *tag_text(vctx *v, const char *name, const GString *raw, const char *encoding)
{
	const char *p = raw->str;
	gsize len = raw->len;
	char *out = NULL;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) {
		out = g_convert(p, (gssize)len, "UTF-8", "UTF-16", NULL, NULL, NULL);
		if (!out)
			PROBLEM(v, name, "cannot be decoded as UTF-16");
		return out;
	}
	if (encoding && g_ascii_strcasecmp(encoding, "UTF-8") != 0 &&
	    g_ascii_strcasecmp(encoding, "UTF8") != 0) {
		out = g_convert(p, (gssize)len, "UTF-8", encoding, NULL, NULL, NULL);
		if (!out)
			PROBLEM(v, name, "cannot be decoded as %s", encoding);
		return out;
	}
	if (memchr(p, '\0', len) || !g_utf8_validate(p, (gssize)len, NULL)) {
		PROBLEM(v, name, "not valid UTF-8");
		return g_utf8_make_valid(p, (gssize)len);
	}
	return g_strndup(p, len);
}

/* Lines without their CR/LF. */
static char **split_lines(const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		size_t n = strlen(*l);
		if (n > 0 && (*l)[n - 1] == '\r')
			(*l)[n - 1] = '\0';
	}
	return lines;
}

/* bagit.txt: exactly "BagIt-Version: M.N" and
 * "Tag-File-Character-Encoding: ENC"; returns the encoding (caller frees),
 * or NULL when it cannot be trusted. */
static char *check_bagit_txt(vctx *v)
{
	GString *raw = g_hash_table_lookup(v->tag_texts, "bagit.txt");
	char *enc = NULL;
	if (!raw) {
		/* After a break it may lie beyond it: the break is the problem. */
		if (!v->broken)
			PROBLEM(v, "bagit.txt", "missing");
		return NULL;
	}
	/* RFC 8493 §2.1.1: bagit.txt is UTF-8 and must not start with a BOM. */
	if (raw->len >= 3 && memcmp(raw->str, "\xEF\xBB\xBF", 3) == 0) {
		PROBLEM(v, "bagit.txt", "starts with a byte order mark");
		return NULL;
	}
	if (memchr(raw->str, '\0', raw->len) || !g_utf8_validate(raw->str, (gssize)raw->len, NULL)) {
		PROBLEM(v, "bagit.txt", "not valid UTF-8");
		return NULL;
	}
	char **lines = split_lines(raw->str);
	bool version_seen = false;
	for (char **l = lines; *l; l++) {
		const char *s = *l;
		if (g_str_has_prefix(s, "BagIt-Version: ")) {
			const char *val = s + strlen("BagIt-Version: ");
			unsigned major, minor;
			if (!g_regex_match_simple("^[0-9]+\\.[0-9]+$", val, 0, 0))
				PROBLEM(v, "bagit.txt", "malformed BagIt-Version '%s'", val);
			else if (sscanf(val, "%u.%u", &major, &minor) == 2 && major < 1000 && minor < 1000)
				v->version = (int)(major * 1000 + minor);
			version_seen = true;
		} else if (g_str_has_prefix(s, "Tag-File-Character-Encoding: ")) {
			const char *val = s + strlen("Tag-File-Character-Encoding: ");
			if (!*val || strpbrk(val, " \t"))
				PROBLEM(v, "bagit.txt", "malformed Tag-File-Character-Encoding '%s'", val);
			else
				enc = g_strdup(val);
		} else if (*s) {
			PROBLEM(v, "bagit.txt", "malformed line '%s'", s);
		}
	}
	if (!version_seen)
		PROBLEM(v, "bagit.txt", "no BagIt-Version line");
	if (!enc) {
		bool had = false;
		for (char **l = lines; *l; l++)
			had |= g_str_has_prefix(*l, "Tag-File-Character-Encoding:");
		if (!had)
			PROBLEM(v, "bagit.txt", "no Tag-File-Character-Encoding line");
	}
	g_strfreev(lines);
	return enc;
}

/* bag-info.txt: "Label: value" with continuation lines. Returns the
 * fields as label → value (the first of repeated labels), or NULL when
 * there is no bag-info. */
static GHashTable *parse_bag_info(vctx *v, const char *encoding, const char **name_out)
{
	const char *name = "bag-info.txt";
	GString *raw = g_hash_table_lookup(v->tag_texts, name);
	if (!raw) {
		name = "package-info.txt"; /* BagIt 0.93 to 0.95 */
		raw = g_hash_table_lookup(v->tag_texts, name);
	}
	*name_out = name;
	if (!raw)
		return NULL;
	char *text = tag_text(v, name, raw, encoding);
	if (!text)
		return NULL;
	GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **lines = split_lines(text);
	GString *label = NULL, *value = NULL;
	int lineno = 0;
	for (char **l = lines;; l++) {
		const char *s = *l;
		lineno++;
		if (s && (*s == ' ' || *s == '\t')) {
			if (!label) {
				PROBLEM(v, name, "line %d: continuation without a label", lineno);
				continue;
			}
			g_string_append_c(value, ' ');
			g_string_append(value, s + strspn(s, " \t"));
			continue;
		}
		/* A new label (or the end): store the previous one. */
		if (label) {
			g_strstrip(value->str);
			value->len = strlen(value->str);
			if (!g_hash_table_contains(fields, label->str))
				g_hash_table_insert(fields, g_strdup(label->str), g_strdup(value->str));
			g_string_free(label, TRUE);
			g_string_free(value, TRUE);
			label = value = NULL;
		}
		if (!s)
			break;
		if (!*s)
			continue;
		const char *colon = strchr(s, ':');
		if (!colon || colon == s) {
			PROBLEM(v, name, "line %d: not 'Label: value'", lineno);
			continue;
		}
		label = g_string_new_len(s, colon - s);
		g_strstrip(label->str);
		label->len = strlen(label->str);
		value = g_string_new(colon + 1);
	}
	g_strfreev(lines);
	g_free(text);
	return fields;
}

static bool hex_ok(const char *s, size_t want)
{
	if (strlen(s) != want)
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isxdigit(*p))
			return false;
	return true;
}

/* Why a manifest or fetch path would leave the bag, or NULL when it stays
 * inside. A tool that fetches or unpacks would write where it points, so
 * every form some system reads as "elsewhere" is refused: an absolute
 * path, "..", a home directory ("~", "~user"), a Windows drive ("C:"), UNC
 * path ("\\server") or variable ("%HomeDrive%"). */
static const char *path_problem(const char *p)
{
	if (!*p)
		return "is empty";
	if (p[0] == '/')
		return "escapes the bag (absolute path)";
	if (p[0] == '~')
		return "escapes the bag (home directory)";
	if (g_ascii_isalpha(p[0]) && p[1] == ':')
		return "escapes the bag (Windows drive)";
	if (p[0] == '\\')
		return "escapes the bag (Windows root or UNC path)";
	if (p[0] == '%' && strchr(p + 1, '%'))
		return "escapes the bag (Windows environment variable)";
	/* "..\\" climbs on Windows: split on both separators. */
	char **parts = g_strsplit_set(p, "/\\", -1);
	bool up = false;
	for (char **q = parts; *q; q++)
		up |= strcmp(*q, "..") == 0;
	g_strfreev(parts);
	return up ? "escapes the bag (..)" : NULL;
}

static void parse_manifest(vctx *v, manifest *m, const char *encoding)
{
	char *text = tag_text(v, m->name, m->text, encoding);
	if (!text)
		return;
	char **lines = split_lines(text);
	int lineno = 0;
	for (char **l = lines; *l; l++) {
		const char *s = *l;
		lineno++;
		if (!*s)
			continue;
		size_t hl = strcspn(s, " \t");
		const char *rest = s + hl + strspn(s + hl, " \t");
		char *hex = g_ascii_strdown(s, (gssize)hl);
		char *path = NULL;
		if (!hex_ok(hex, hash_alg_hexlen(m->alg)) || !*rest) {
			PROBLEM(v, m->name, "line %d: not '<%s> <path>'", lineno, hash_alg_name(m->alg));
			goto next;
		}
		/* md5sum's binary-mode marker and a leading "./" are common in
		 * bags made by hand; both mean the same file. */
		if (*rest == '*') {
			WARNING(v, m->name, "line %d: '*' before the path (md5sum binary mode)", lineno);
			rest++;
		}
		path = bag_decode_path(rest);
		char *p = path;
		while (g_str_has_prefix(p, "./"))
			p += 2;
		if (p != path)
			WARNING(v, m->name, "line %d: '%s' starts with './'", lineno, path);
		const char *why = path_problem(p);
		if (why) {
			PROBLEM(v, m->name, "line %d: '%s' %s", lineno, p, why);
			goto next;
		}
		if (!m->tag && !g_str_has_prefix(p, "data/")) {
			PROBLEM(v, m->name, "line %d: '%s' is not in data/", lineno, p);
			goto next;
		}
		const char *seen = g_hash_table_lookup(m->hex, p);
		if (seen) {
			/* Before 1.0 a repeated line with the same digest was only
			 * sloppy; RFC 8493 §2.1.3 makes every path appear once. */
			if (strcmp(seen, hex) == 0 && v->version > 0 && v->version < 1000)
				WARNING(v, m->name, "'%s' listed twice", p);
			else
				PROBLEM(v, m->name, "'%s' listed twice", p);
			goto next;
		}
		char *key = g_strdup(p);
		g_ptr_array_add(m->paths, key);
		g_hash_table_insert(m->hex, key, hex);
		hex = NULL;
	next:
		g_free(hex);
		g_free(path);
	}
	g_strfreev(lines);
	g_free(text);
}

/* fetch.txt: "<url> <length> <path>". Nothing is fetched; the paths must
 * still stay inside the payload, as a tool that fetches would write them. */
static void check_fetch(vctx *v, const char *encoding)
{
	GString *raw = g_hash_table_lookup(v->tag_texts, "fetch.txt");
	if (!raw)
		return;
	char *text = tag_text(v, "fetch.txt", raw, encoding);
	if (!text)
		return;
	char **lines = split_lines(text);
	int lineno = 0;
	for (char **l = lines; *l; l++) {
		lineno++;
		const char *s = *l;
		if (!*s)
			continue;
		size_t n1 = strcspn(s, " \t");
		const char *len = s + n1 + strspn(s + n1, " \t");
		size_t n2 = strcspn(len, " \t");
		const char *rest = len + n2 + strspn(len + n2, " \t");
		if (!n1 || !n2 || !*rest) {
			PROBLEM(v, "fetch.txt", "line %d: not '<url> <length> <path>'", lineno);
			continue;
		}
		char *path = bag_decode_path(rest);
		const char *why = path_problem(path);
		if (why)
			PROBLEM(v, "fetch.txt", "line %d: '%s' %s", lineno, path, why);
		else if (!g_str_has_prefix(path, "data/"))
			PROBLEM(v, "fetch.txt", "line %d: '%s' is not a path in data/", lineno, path);
		g_free(path);
	}
	g_strfreev(lines);
	g_free(text);
}

/* ---- the verdict -------------------------------------------------------- */

/* Names a file's path may take on other disks: case folded (macOS and
 * Windows disks are case-insensitive) and NFC (macOS stores NFD). */
static char *path_fold(const char *p)
{
	char *nfc = g_utf8_normalize(p, -1, G_NORMALIZE_NFC);
	char *fold = nfc ? g_utf8_casefold(nfc, -1) : g_strdup(p);
	g_free(nfc);
	return fold;
}

static const char *const system_files[] = { ".DS_Store", "Thumbs.db", "desktop.ini" };

/* A missing file that loses nothing (see README, "Decisions"): another
 * name of a file that is there, listed with the same digest (the bag was
 * made on a case-insensitive or normalising disk, where both names are
 * one file), or an empty system file that copying tools leave behind.
 * Returns the warning's reason, or NULL when the absence is a problem. */
static char *missing_tolerated(vctx *v, manifest *m, const char *p)
{
	const char *hex = g_hash_table_lookup(m->hex, p);
	char *want = path_fold(p), *why = NULL;
	for (guint i = 0; !why && i < m->paths->len; i++) {
		const char *q = g_ptr_array_index(m->paths, i);
		if (strcmp(q, p) == 0 || !g_hash_table_contains(v->files, q))
			continue;
		char *fold = path_fold(q);
		if (strcmp(fold, want) == 0 && strcmp(g_hash_table_lookup(m->hex, q), hex) == 0) {
			why = g_strdup_printf("listed in %s but missing; the same digest is listed for %s, "
			                      "the same name on a case-insensitive or Unicode-normalising "
			                      "disk", m->name, q);
			g_hash_table_replace(v->tolerated, g_strdup(p), "alias");
		}
		g_free(fold);
	}
	g_free(want);
	if (why)
		return why;
	char *base = g_path_get_basename(p);
	for (size_t i = 0; i < G_N_ELEMENTS(system_files); i++) {
		char empty[HASH_HEX_MAX];
		hash_ctx *h;
		if (strcmp(base, system_files[i]) != 0)
			continue;
		h = hash_new(HASH_MASK(m->alg));
		hash_final_hex(h, m->alg, empty);
		hash_free(h);
		if (strcmp(empty, hex) == 0) {
			why = g_strdup_printf("listed in %s but missing: an empty system file, which "
			                      "copying tools drop; nothing is lost", m->name);
			g_hash_table_replace(v->tolerated, g_strdup(p), "empty");
		}
	}
	g_free(base);
	return why;
}

static void check_manifest_entries(vctx *v, manifest *m)
{
	for (guint i = 0; i < m->paths->len; i++) {
		const char *p = g_ptr_array_index(m->paths, i);
		file_rec *f = g_hash_table_lookup(v->files, p);
		if (!f) {
			char *why;
			/* After a break the file may simply lie beyond it. */
			if (v->broken)
				continue;
			if ((why = missing_tolerated(v, m, p))) {
				WARNING(v, p, "%s", why);
				g_free(why);
			} else {
				PROBLEM(v, p, "listed in %s but missing", m->name);
			}
			continue;
		}
		if (v->fast)
			continue;
		if (!(f->mask & HASH_MASK(m->alg))) {
			WARNING(v, p, "not checked against %s: the manifest follows the file", m->name);
			continue;
		}
		if (strcmp(f->hex[m->alg], g_hash_table_lookup(m->hex, p)) != 0)
			PROBLEM(v, p, "%s mismatch", hash_alg_name(m->alg));
	}
}

static void check_oxum(vctx *v, const char *info_name, const char *oxum, uint64_t bytes,
                       uint64_t count)
{
	guint64 ob, oc;
	/* An empty system file left behind was counted by the bag's maker. */
	GHashTableIter it;
	gpointer kind;
	uint64_t empties = 0;
	g_hash_table_iter_init(&it, v->tolerated);
	while (g_hash_table_iter_next(&it, NULL, &kind))
		empties += strcmp(kind, "empty") == 0;
	char **parts = g_strsplit(oxum, ".", -1);
	if (g_strv_length(parts) != 2 || !g_ascii_string_to_unsigned(parts[0], 10, 0, G_MAXUINT64, &ob, NULL) ||
	    !g_ascii_string_to_unsigned(parts[1], 10, 0, G_MAXUINT64, &oc, NULL))
		PROBLEM(v, info_name, "Payload-Oxum '%s' is not octets.count", oxum);
	else if ((ob != bytes || (oc != count && oc != count + empties)) && !v->broken)
		PROBLEM(v, info_name, "Payload-Oxum says %s, found %" PRIu64 ".%" PRIu64, oxum, bytes,
		        count);
	g_strfreev(parts);
}

static void analyse(vctx *v)
{
	bag_report *r = v->r;
	const char *info_name;
	char *enc = check_bagit_txt(v);
	GHashTable *info = parse_bag_info(v, enc, &info_name);
	check_fetch(v, enc);
	int n_payload_manifests = 0;

	for (guint i = 0; i < v->manifests->len; i++) {
		manifest *m = g_ptr_array_index(v->manifests, i);
		parse_manifest(v, m, enc);
		if (!m->tag)
			n_payload_manifests++;
	}

	/* What the stream held. */
	for (guint i = 0; i < v->order->len; i++) {
		const char *p = g_ptr_array_index(v->order, i);
		if (!g_str_has_prefix(p, "data/"))
			continue;
		file_rec *f = g_hash_table_lookup(v->files, p);
		r->payload_files++;
		r->payload_bytes += f->size;
	}

	if (n_payload_manifests == 0 && !v->broken)
		PROBLEM(v, "manifest-*.txt", "no payload manifest");
	for (guint i = 0; i < v->manifests->len; i++)
		check_manifest_entries(v, g_ptr_array_index(v->manifests, i));
	/* Every payload file in every payload manifest (RFC 8493 §3). */
	for (guint i = 0; i < v->order->len; i++) {
		const char *p = g_ptr_array_index(v->order, i);
		if (!g_str_has_prefix(p, "data/"))
			continue;
		for (guint k = 0; k < v->manifests->len; k++) {
			manifest *m = g_ptr_array_index(v->manifests, k);
			if (!m->tag && !g_hash_table_contains(m->hex, p))
				PROBLEM(v, p, "not in %s", m->name);
		}
	}

	if (info) {
		const char *oxum = g_hash_table_lookup(info, "Payload-Oxum");
		const char *agent = g_hash_table_lookup(info, "Bag-Software-Agent");
		if (oxum)
			check_oxum(v, info_name, oxum, r->payload_bytes, r->payload_files);
		r->ours = agent && g_str_has_prefix(agent, "archive/");
		if (r->ours) {
			static const char *const required[] = { "License", "License-Name", "License-URL",
			                                        "Payload-Oxum", "External-Identifier" };
			for (size_t i = 0; i < G_N_ELEMENTS(required); i++) {
				const char *val = g_hash_table_lookup(info, required[i]);
				if (!val || !*val)
					PROBLEM(v, info_name, "missing %s", required[i]);
			}
			const char *ext = g_hash_table_lookup(info, "External-Identifier");
			if (ext && *ext && r->id && strcmp(ext, r->id) != 0)
				PROBLEM(v, info_name, "External-Identifier '%s' is not the bag's name '%s'",
				        ext, r->id);
		}
	}

	/* Our access copies: the original's exact bytes plus an update. */
	if (r->ours) {
		for (guint i = 0; i < v->order->len; i++) {
			const char *p = g_ptr_array_index(v->order, i);
			file_rec *f = g_hash_table_lookup(v->files, p);
			if (f->access == ACCESS_NONE || f->access == ACCESS_OK)
				continue;
			char *orig = g_strconcat("data/attachments/", p + strlen("data/access/"), NULL);
			if (f->access == ACCESS_BAD)
				PROBLEM(v, p, "not the original plus an appended update");
			else if (!g_hash_table_contains(v->files, orig))
				PROBLEM(v, p, "no original %s", orig);
			else
				PROBLEM(v, p, "cannot be checked: it comes before %s", orig);
			g_free(orig);
		}
	}
	if (info)
		g_hash_table_unref(info);
	g_free(enc);
}

/* "<hex>  <name>" of FILE.sha256 against the raw bytes' sha256. */
static void check_sidecar(vctx *v, const char *sidecar)
{
	char *text = NULL, *hex = NULL;
	gsize len;
	char *name = g_path_get_basename(sidecar);
	char raw[HASH_HEX_MAX];
	if (!g_file_get_contents(sidecar, &text, &len, NULL)) {
		PROBLEM(v, name, "cannot be read");
		goto out;
	}
	size_t hl = strcspn(text, " \t\r\n");
	hex = g_ascii_strdown(text, (gssize)hl);
	if (!hex_ok(hex, 64)) {
		PROBLEM(v, name, "not in sha256sum format");
		goto out;
	}
	hash_final_hex(v->raw_h, HASH_SHA256, raw);
	if (strcmp(raw, hex) != 0) {
		PROBLEM(v, name, "sha256 of the bundle differs");
		goto out;
	}
	const char *fn = text + hl + strspn(text + hl, " \t*");
	size_t fl = strcspn(fn, "\r\n");
	char *base = g_path_get_basename(v->path);
	if (fl != strlen(base) || strncmp(fn, base, fl) != 0)
		WARNING(v, name, "names '%.*s', not '%s'", (int)fl, fn, base);
	g_free(base);
out:
	g_free(hex);
	g_free(text);
	g_free(name);
}

static char *default_id(const char *path)
{
	char *base = g_path_get_basename(path);
	static const char *const ext[] = { ".tar.gz", ".tgz", ".tar", ".zip" };
	for (size_t i = 0; i < G_N_ELEMENTS(ext); i++)
		if (g_str_has_suffix(base, ext[i]) && strlen(base) > strlen(ext[i])) {
			base[strlen(base) - strlen(ext[i])] = '\0';
			break;
		}
	return base;
}

bag_report *bag_verify(const char *path, const bag_verify_opts *opts)
{
	bag_report *r = g_new0(bag_report, 1);
	vctx v = { .path = path, .fast = opts && opts->fast, .r = r, .fd = -1 };
	char *sidecar = NULL;
	struct stat st;

	r->path = g_strdup(path);
	r->problems = g_ptr_array_new_with_free_func(bag_problem_free);
	r->warnings = g_ptr_array_new_with_free_func(bag_problem_free);
	v.files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, file_rec_free);
	v.order = g_ptr_array_new();
	v.manifests = g_ptr_array_new_with_free_func(manifest_free);
	v.tag_texts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, gstring_free);
	v.tolerated = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	v.buf = g_malloc(CHUNK);

	if (stat(path, &st) != 0) {
		PROBLEM(&v, path, "%s", g_strerror(errno));
		r->id = default_id(path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r->id = g_path_get_basename(path);
		verify_dir(&v);
		analyse(&v);
		goto out;
	}
	v.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (v.fd < 0) {
		PROBLEM(&v, path, "%s", g_strerror(errno));
		r->id = default_id(path);
		goto out;
	}
	if (g_str_has_suffix(path, ".tar.gz")) {
		sidecar = g_strconcat(path, ".sha256", NULL);
		if (g_file_test(sidecar, G_FILE_TEST_EXISTS))
			v.raw_h = hash_new(HASH_MASK(HASH_SHA256));
	}
	verify_archive(&v);
	r->id = v.top ? g_strdup(v.top) : default_id(path);
	analyse(&v);
	if (v.raw_h) {
		/* libarchive stops at the end-of-archive marker; the sidecar
		 * covers the whole file, so hash what it left unread. */
		for (;;) {
			ssize_t n = read(v.fd, v.buf, CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			hash_update(v.raw_h, v.buf, (size_t)n);
		}
		check_sidecar(&v, sidecar);
	}
out:
	r->valid = r->problems->len == 0;
	if (v.cur_rec) /* never left set, but keep the cleanup total */
		file_rec_free(v.cur_rec);
	entry_reset(&v);
	if (v.fd >= 0)
		close(v.fd);
	hash_free(v.raw_h);
	g_free(sidecar);
	g_free(v.top);
	g_ptr_array_unref(v.order);
	g_hash_table_unref(v.files);
	g_ptr_array_unref(v.manifests);
	g_hash_table_unref(v.tag_texts);
	g_hash_table_unref(v.tolerated);
	g_free(v.z_error);
	g_free(v.buf);
	return r;
}

char *bag_decode_path(const char *path)
{
	GString *s = g_string_sized_new(strlen(path));
	for (const char *p = path; *p; p++) {
		if (p[0] == '%' && p[1] && p[2]) {
			if (p[1] == '2' && p[2] == '5') {
				g_string_append_c(s, '%');
				p += 2;
				continue;
			}
			if (p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
				g_string_append_c(s, '\r');
				p += 2;
				continue;
			}
			if (p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
				g_string_append_c(s, '\n');
				p += 2;
				continue;
			}
		}
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

/* ---- several bags at once ----------------------------------------------- */

/* A report crosses the pipe from a child as a serialised GVariant. */
#define REPORT_TYPE "(ssbbtta(ss)a(ss))"

static GVariant *problems_variant(const GPtrArray *list)
{
	GVariantBuilder b;
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ss)"));
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		g_variant_builder_add(&b, "(ss)", p->file ? p->file : "", p->reason ? p->reason : "");
	}
	return g_variant_builder_end(&b);
}

static GBytes *report_pack(const bag_report *r)
{
	GVariant *v = g_variant_ref_sink(g_variant_new(
		"(ssbbtt@a(ss)@a(ss))", r->path, r->id ? r->id : "", r->valid, r->ours,
		(guint64)r->payload_bytes, (guint64)r->payload_files, problems_variant(r->problems),
		problems_variant(r->warnings)));
	GBytes *b = g_variant_get_data_as_bytes(v);
	g_variant_unref(v);
	return b;
}

void bag_problems_to_json(json_writer *w, const GPtrArray *list)
{
	json_begin_array(w);
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		json_begin_object(w);
		json_kv_string(w, "file", p->file);
		json_kv_string(w, "reason", p->reason);
		json_end_object(w);
	}
	json_end_array(w);
}

bag_report *bag_report_new(const char *path)
{
	bag_report *r = g_new0(bag_report, 1);
	r->path = g_strdup(path);
	r->problems = g_ptr_array_new_with_free_func(bag_problem_free);
	r->warnings = g_ptr_array_new_with_free_func(bag_problem_free);
	return r;
}

static void problems_unpack(GVariant *a, GPtrArray *list)
{
	GVariantIter it;
	const char *file, *reason;
	g_variant_iter_init(&it, a);
	while (g_variant_iter_next(&it, "(&s&s)", &file, &reason))
		bag_add_problem(list, file, "%s", reason);
}

/* NULL when the bytes are not a whole report (the child died mid-write). */
static bag_report *report_unpack(const char *path, GBytes *bytes)
{
	GVariant *v = g_variant_ref_sink(
		g_variant_new_from_bytes(G_VARIANT_TYPE(REPORT_TYPE), bytes, FALSE));
	if (g_bytes_get_size(bytes) == 0 || !g_variant_is_normal_form(v)) {
		g_variant_unref(v);
		return NULL;
	}
	const char *p, *id;
	gboolean valid, ours;
	guint64 bytes_n, files_n;
	GVariant *probs, *warns;
	g_variant_get(v, "(&s&sbbtt@a(ss)@a(ss))", &p, &id, &valid, &ours, &bytes_n, &files_n,
	              &probs, &warns);
	bag_report *r = bag_report_new(path);
	r->id = g_strdup(id);
	r->valid = valid;
	r->ours = ours;
	r->payload_bytes = bytes_n;
	r->payload_files = files_n;
	problems_unpack(probs, r->problems);
	problems_unpack(warns, r->warnings);
	g_variant_unref(probs);
	g_variant_unref(warns);
	g_variant_unref(v);
	return r;
}

typedef struct {
	const char *const *paths;
	guint n;
	const bag_verify_opts *opts;
} each_arg;

/* In a verify worker: the report on bag number *request. */
static GBytes *verify_job(void *arg, GBytes *request, GError **err)
{
	const each_arg *a = arg;
	guint32 i;
	if (g_bytes_get_size(request) != sizeof i) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "verify worker: a malformed request");
		return NULL;
	}
	memcpy(&i, g_bytes_get_data(request, NULL), sizeof i);
	if (i >= a->n) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "verify worker: no bag %u", i);
		return NULL;
	}
	testhook_worker_job(a->paths[i]);
	bag_report *r = bag_verify(a->paths[i], a->opts);
	GBytes *b = report_pack(r);
	bag_report_free(r);
	return b;
}

/* The report a worker sent, or one that says why there is none. */
static bag_report *job_report(worker_job *j, const char *path)
{
	GError *e = NULL;
	GBytes *b = worker_finish_bytes(j, &e);
	bag_report *r = b ? report_unpack(path, b) : NULL;
	if (b)
		g_bytes_unref(b);
	if (!r) {
		r = bag_report_new(path);
		r->id = default_id(path);
		bag_add_problem(r->problems, path, "not verified: %s",
		            e ? e->message : "the verifying worker sent a malformed report");
		r->valid = false;
	}
	g_clear_error(&e);
	return r;
}

bool bag_verify_each(const char *const *paths, guint n, const bag_verify_opts *opts, int jobs,
                     bag_verify_each_fn fn, void *arg)
{
	bool go_on = true;
	if (jobs <= 1) {
		for (guint i = 0; go_on && i < n; i++) {
			bag_report *r = bag_verify(paths[i], opts);
			go_on = fn(i, r, arg);
			bag_report_free(r);
		}
		return go_on;
	}
	/* `jobs` workers, each verifying bag after bag with the next one
	 * queued (so none waits while the parent records a report); reports
	 * are handed on in the list's order, so the output is the same as
	 * with one. */
	static const worker_limits none = { 0, 0, 0, 0 };
	each_arg ea = { paths, n, opts };
	worker_pool *pool = worker_pool_new(&none, (guint)jobs, 2, 0, verify_job, &ea);
	worker_job **js = g_new0(worker_job *, n ? n : 1);
	bag_report **ready = g_new0(bag_report *, n ? n : 1);
	guint next = 0, started = 0;
	struct pollfd *pfd = g_new0(struct pollfd, 2 * (gsize)jobs);
	guint *which = g_new0(guint, 2 * (gsize)jobs);
	while (go_on && next < n) {
		for (; started < n && started < next + 2 * (guint)jobs; started++) {
			guint32 idx = started;
			GBytes *req = g_bytes_new(&idx, sizeof idx);
			GError *e = NULL;
			if (!(js[started] = worker_pool_submit(pool, req, &e))) {
				bag_report *r = ready[started] = bag_report_new(paths[started]);
				r->id = default_id(paths[started]);
				bag_add_problem(r->problems, paths[started], "not verified: %s", e->message);
				g_error_free(e);
			}
			g_bytes_unref(req);
		}
		if (ready[next]) {
			go_on = fn(next, ready[next], arg);
			bag_report_free(ready[next]);
			ready[next++] = NULL;
			continue;
		}
		nfds_t np = 0;
		for (guint i = next; i < started; i++)
			if (js[i]) {
				pfd[np] = (struct pollfd){ .fd = worker_job_fd(js[i]), .events = POLLIN };
				which[np++] = i;
			}
		int wait_ms = -1; /* 0 for a job with no socket (worker_job_fd) */
		for (nfds_t k = 0; k < np; k++)
			if (pfd[k].fd < 0)
				wait_ms = 0;
		if (poll(pfd, np, wait_ms) < 0 && errno != EINTR)
			break;
		/* A finished job frees its worker for the next bag at once. */
		for (nfds_t k = 0; k < np; k++)
			if ((pfd[k].revents || pfd[k].fd < 0) && worker_job_read(js[which[k]])) {
				ready[which[k]] = job_report(js[which[k]], paths[which[k]]);
				js[which[k]] = NULL;
			}
	}
	/* Stopped early: the jobs not finished go with the pool (their
	 * workers killed), the reports not handed on are dropped. */
	worker_pool_free(pool);
	for (guint i = next; i < started; i++)
		if (ready[i])
			bag_report_free(ready[i]);
	g_free(which);
	g_free(pfd);
	g_free(ready);
	g_free(js);
	return go_on;
}
