/*
 * bag/write.c — a BagIt bag as one .tar.gz stream.
 *
 * libarchive builds the tar (pax restricted: plain ustar headers unless a
 * name is long or not ASCII, then a pax extended header, which every tar
 * since 2001 reads); its output goes through our write callback into zlib's
 * deflate with gzip framing, and from there to the fd in fixed-size chunks.
 * Compression is ours rather than libarchive's gzip filter so that the
 * header is deterministic (no name, mtime 0) and write errors keep their
 * errno: a full disk must read "write: No space left on device", not a
 * generic libarchive message, and so that the level can change between
 * entries: published PDFs, images and zip containers are already
 * compressed (deflate -6 saves ~1% at ~40 MB/s), so their bytes go into
 * stored blocks (nearly a memcpy both ways) while text and tag files are
 * squeezed (level SQUEEZE), all in one standard gzip stream (deflateParams).
 * libarchive writes unblocked (bytes_per_block 0), so every header and
 * data call reaches the callback at once and the switch falls exactly on
 * the entry's first data byte.
 *
 * The bundle's own SHA-256 and size are taken from the bytes as they are
 * written, so the finished bundle is never read back.
 */
#include "bag/write.h"
#include "bag/path.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/testhook.h"
#include "core/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (128 * 1024)
#define PROBE (64 * 1024) /* bytes deflate is tried on, for BAG_PROBE */
/* deflate's level for text and tag files. Level 2 against 6, measured on
 * the bench corpus (scripts/gen-corpus 100): 6% less CPU for the whole
 * ingest, bundles 0.4% larger (text is a small share of a bundle: the
 * PDFs are stored or barely squeezed either way). */
#define SQUEEZE 2

struct bag_writer {
	int fd;
	char *top_dir;
	time_t mtime;
	struct archive *a;
	z_stream z;
	bool z_ready;
	int level;            /* deflate's level now: SQUEEZE, or 0 (stored) */
	hash_ctx *out_hash;   /* SHA-256 of every byte written to fd */
	uint64_t out_size;
	char out_hex[65];     /* after finish */
	z_stream probe;       /* raw deflate at level 1, for BAG_PROBE */
	bool probe_ready;
	unsigned char *zbuf;  /* deflate output, CHUNK bytes */
	unsigned char *rbuf;  /* file input, CHUNK bytes */
	GString *tagmanifest; /* lines for tagmanifest-sha256.txt, in the order added */
	GError *io_err;       /* the first write error, kept with its errno */
	bool failed;          /* after any failure the stream is garbage: refuse more */
	bool finished;
};

static bool write_all(bag_writer *w, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			if (!w->io_err)
				arc_set_errno(&w->io_err, ARC_ERROR_STORE, errno, "write");
			return false;
		}
		hash_update(w->out_hash, p, (size_t)k);
		w->out_size += (uint64_t)k;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* Feed len bytes (none with Z_FINISH) through deflate and write whatever
 * comes out; the output buffer is drained each time it fills, so memory
 * stays at one chunk whatever the bag's size. */
static bool deflate_out(bag_writer *w, const void *data, size_t len, int flush)
{
	w->z.next_in = (Bytef *)(uintptr_t)data;
	w->z.avail_in = (uInt)len;
	for (;;) {
		w->z.next_out = w->zbuf;
		w->z.avail_out = CHUNK;
		int zr = deflate(&w->z, flush);
		if (zr == Z_STREAM_ERROR) {
			if (!w->io_err)
				g_set_error(&w->io_err, ARC_ERROR, ARC_ERROR_STORE,
				            "gzip: %s", w->z.msg ? w->z.msg : "deflate failed");
			return false;
		}
		size_t have = CHUNK - w->z.avail_out;
		if (have > 0 && !write_all(w, w->zbuf, have))
			return false;
		if (flush == Z_FINISH ? zr == Z_STREAM_END : w->z.avail_out != 0)
			break;
	}
	return true;
}

/*
 * Switch deflate's level between entries. deflateParams flushes what was
 * deflated so far into a block of the old kind first (zlib 1.2.12+ asks
 * for output room and says Z_BUF_ERROR until it had enough), so the
 * output is drained until it returns Z_OK.
 */
static bool set_level(bag_writer *w, int level)
{
	if (w->level == level)
		return true;
	for (;;) {
		w->z.next_out = w->zbuf;
		w->z.avail_out = CHUNK;
		int zr = deflateParams(&w->z, level, Z_DEFAULT_STRATEGY);
		size_t have = CHUNK - w->z.avail_out;
		if (have > 0 && !write_all(w, w->zbuf, have))
			return false;
		if (zr == Z_OK)
			break;
		if (zr != Z_BUF_ERROR || have == 0) {
			if (!w->io_err)
				g_set_error(&w->io_err, ARC_ERROR, ARC_ERROR_STORE, "gzip: %s",
				            w->z.msg ? w->z.msg : "cannot change the compression level");
			return false;
		}
	}
	w->level = level;
	return true;
}

static la_ssize_t tar_write_cb(struct archive *a, void *data, const void *buf, size_t len)
{
	bag_writer *w = data;
	/* After a failure (and when bag_writer_free closes an unfinished
	 * archive) the stream is garbage: swallow the end-of-archive blocks
	 * rather than append them to the fd. */
	if (w->failed)
		return (la_ssize_t)len;
	/* Chunked so that avail_in (uInt) can never overflow. */
	const unsigned char *p = buf;
	size_t left = len;
	while (left > 0) {
		size_t n = left > CHUNK ? CHUNK : left;
		if (!deflate_out(w, p, n, Z_NO_FLUSH)) {
			/* Not -1: libarchive would turn FATAL, and a FATAL
			 * archive is freed without closing its output, which
			 * leaks libarchive's own buffer. The failure is kept
			 * in w (io_err) and every caller checks w->failed. */
			w->failed = true;
			return (la_ssize_t)len;
		}
		p += n;
		left -= n;
	}
	return (la_ssize_t)len;
}

/* Nothing to open or close: the fd is the caller's, and the gzip trailer
 * is written by bag_writer_finish, where its errors can be reported. */
static int tar_open_cb(struct archive *a, void *data)
{
	(void)a, (void)data;
	return ARCHIVE_OK;
}

static int tar_close_cb(struct archive *a, void *data)
{
	(void)a, (void)data;
	return ARCHIVE_OK;
}

/* Move the stored write error (or libarchive's message) into err. */
static void fail(bag_writer *w, GError **err, const char *what)
{
	w->failed = true;
	if (w->io_err) {
		g_propagate_error(err, w->io_err);
		w->io_err = NULL;
	} else {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", what,
		            archive_error_string(w->a) ? archive_error_string(w->a) : "tar write failed");
	}
}

bag_writer *bag_writer_new(int fd, const char *top_dir, time_t mtime, GError **err)
{
	bag_writer *w = g_new0(bag_writer, 1);
	w->fd = fd;
	w->top_dir = g_strdup(top_dir);
	w->mtime = mtime;
	w->zbuf = g_malloc(CHUNK);
	w->rbuf = g_malloc(CHUNK);
	w->level = SQUEEZE;
	w->out_hash = hash_new(HASH_MASK(HASH_SHA256));
	w->tagmanifest = g_string_new(NULL);

	if (!top_dir || !*top_dir || strchr(top_dir, '/') || strcmp(top_dir, ".") == 0 ||
	    strcmp(top_dir, "..") == 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not a valid bag name",
		            top_dir ? top_dir : "(null)");
		goto fail;
	}
	/* windowBits 15+16: gzip framing; with no deflateSetHeader the header
	 * carries no name and mtime 0, so equal input gives equal bytes. */
	if (deflateInit2(&w->z, SQUEEZE, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "gzip: cannot initialise deflate");
		goto fail;
	}
	w->z_ready = true;

	w->a = archive_write_new();
	if (!w->a || archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->a, 0) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
	    archive_write_open(w->a, w, tar_open_cb, tar_write_cb, tar_close_cb) != ARCHIVE_OK) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "tar: %s",
		            w->a && archive_error_string(w->a) ? archive_error_string(w->a)
		                                               : "cannot start writing");
		goto fail;
	}
	return w;
fail:
	bag_writer_free(w);
	return NULL;
}

static bool is_tag_file(const char *path)
{
	return !g_str_has_prefix(path, "data/");
}

static bool write_header(bag_writer *w, const char *path, uint64_t size, GError **err)
{
	bool ok = false;
	char *full = g_strconcat(w->top_dir, "/", path, NULL);
	struct archive_entry *e = archive_entry_new();
	const char *why = bag_path_problem(path);
	if (why || g_str_has_suffix(path, "/")) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not a file path inside the bag: %s",
		            path, why ? why : "ends in /");
		goto out;
	}
	/* Under C.UTF-8 a non-ASCII or long name goes into a pax "path"
	 * record as UTF-8; without it (no such locale), libarchive marks the
	 * record hdrcharset=BINARY, which tar reads as the same bytes. */
	archive_entry_set_pathname(e, full);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, w->mtime, 0);
	archive_entry_set_size(e, (la_int64_t)size);
	/* Headers (and pax records) are text: squeezed, whatever the entry
	 * before was. */
	if (!set_level(w, SQUEEZE)) {
		fail(w, err, full);
		goto out;
	}
	/* libarchive converts names through the locale's charset; under the
	 * C locale a UTF-8 name cannot be converted and libarchive 3.6 even
	 * crashes on a name set only as UTF-8. Headers are therefore written
	 * under a thread-local UTF-8 locale (the process's is left alone). */
	locale_t old = text_utf8_locale_begin();
	int r = archive_write_header(w->a, e);
	text_utf8_locale_end(old);
	if (r < ARCHIVE_WARN || w->failed) {
		fail(w, err, full);
		goto out;
	}
	ok = true;
out:
	archive_entry_free(e);
	g_free(full);
	return ok;
}

static bool write_data(bag_writer *w, const char *path, const void *data, size_t len,
                       GError **err)
{
	const unsigned char *p = data;
	while (len > 0) {
		la_ssize_t n = archive_write_data(w->a, p, len);
		if (n <= 0 || w->failed) {
			fail(w, err, path);
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool refuse_if_done(bag_writer *w, GError **err)
{
	if (w->failed || w->finished) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "bag %s: writer already %s",
		            w->top_dir, w->failed ? "failed" : "finished");
		return true;
	}
	return false;
}

/* Add without recording in the tag manifest: tagmanifest-sha256.txt itself. */
static bool add_bytes(bag_writer *w, const char *path, const void *data, size_t len,
                      GError **err)
{
	if (!write_header(w, path, len, err) || !write_data(w, path, data, len, err))
		return false;
	if (archive_write_finish_entry(w->a) < ARCHIVE_WARN || w->failed) {
		fail(w, err, path);
		return false;
	}
	testhook_crash_point("bag.entry");
	return true;
}

bool bag_writer_add_bytes(bag_writer *w, const char *path, const void *data, size_t len,
                          GError **err)
{
	if (refuse_if_done(w, err) || !add_bytes(w, path, data, len, err))
		return false;
	if (is_tag_file(path)) {
		char hex[65];
		hash_sha256_hex(data, len, hex);
		bag_manifest_add(w->tagmanifest, hex, path);
	}
	return true;
}

/*
 * Would deflate gain on these bytes? They are deflated at level 1 into a
 * scratch stream: at least 10% smaller is worth squeezing; less is data
 * compressed already (random-looking: an HWP body, an unknown archive).
 * The same bytes give the same answer, so equal input keeps equal bundles.
 */
static bool worth_deflating(bag_writer *w, const unsigned char *p, size_t n)
{
	if (n < 512)
		return true; /* too few to judge; costs nothing either way */
	if (!w->probe_ready) {
		if (deflateInit2(&w->probe, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return true;
		w->probe_ready = true;
	} else {
		deflateReset(&w->probe);
	}
	size_t take = n < PROBE ? n : PROBE;
	w->probe.next_in = (Bytef *)(uintptr_t)p;
	w->probe.avail_in = (uInt)take;
	w->probe.next_out = w->zbuf;
	w->probe.avail_out = CHUNK; /* deflateBound(PROBE) < CHUNK: one call finishes */
	if (deflate(&w->probe, Z_FINISH) != Z_STREAM_END)
		return true;
	return (size_t)w->probe.total_out * 10 < take * 9;
}

/* Bytes of the entry being written: hashed, and the level chosen on the
 * first of them (the header went out squeezed). */
static bool put_data(bag_writer *w, const char *path, const void *data, size_t len,
                     bag_packing packing, bool *first, hash_ctx *h, GError **err)
{
	hash_update(h, data, len);
	if (*first && len > 0) {
		*first = false;
		bool squeeze = packing == BAG_DEFLATE ||
		               (packing == BAG_PROBE && worth_deflating(w, data, len));
		if (!set_level(w, squeeze ? SQUEEZE : 0)) {
			fail(w, err, path);
			return false;
		}
	}
	return len == 0 || write_data(w, path, data, len, err);
}

bool bag_writer_add_file(bag_writer *w, const char *path, const char *src,
                         const char *expected_sha256, uint64_t expected_size,
                         bag_packing packing, GError **err)
{
	return bag_writer_add_file_tail(w, path, src, NULL, expected_sha256, expected_size, packing,
	                                err);
}

bool bag_writer_add_file_tail(bag_writer *w, const char *path, const char *src, GBytes *tail,
                              const char *expected_sha256, uint64_t expected_size,
                              bag_packing packing, GError **err)
{
	bool first = true;
	bool ok = false;
	hash_ctx *h = NULL;
	struct stat st;
	uint64_t total = 0;
	gsize tail_len = 0;
	const void *tail_data = tail ? g_bytes_get_data(tail, &tail_len) : NULL;

	if (refuse_if_done(w, err))
		return false;
	/* O_NOFOLLOW: a symlink swapped in after the checks is never read;
	 * O_NONBLOCK: nor does a FIFO swapped in block open(). */
	int fd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", src, g_strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", src, g_strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not a regular file", src);
		goto out;
	}
	uint64_t size = (uint64_t)st.st_size; /* of src; the entry has the tail too */
	if (expected_sha256 && size + tail_len != expected_size) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: changed while being archived (size differs)", src);
		goto out;
	}
	if (!write_header(w, path, size + tail_len, err))
		goto out;

	h = hash_new(HASH_MASK(HASH_SHA256));
	for (;;) {
		ssize_t n = read(fd, w->rbuf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->failed = true; /* the entry is cut short: the tar is garbage */
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: read: %s", src,
			            g_strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		/* Never write past the size in the header: a file that grows
		 * is caught by the size check below instead. */
		uint64_t room = size > total ? size - total : 0;
		size_t put = (uint64_t)n < room ? (size_t)n : (size_t)room;
		total += (uint64_t)n;
		if (!put_data(w, path, w->rbuf, put, packing, &first, h, err))
			goto out;
	}
	if (total != size) {
		w->failed = true;
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: changed while being archived (size differs)", src);
		goto out;
	}
	if (!put_data(w, path, tail_data, tail_len, packing, &first, h, err))
		goto out;
	char hex[HASH_HEX_MAX];
	hash_final_hex(h, HASH_SHA256, hex);
	if (expected_sha256 && g_ascii_strcasecmp(hex, expected_sha256) != 0) {
		/* The bytes are in the stream already: the bag is garbage. */
		w->failed = true;
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: changed while being archived (sha256 differs)", src);
		goto out;
	}
	if (archive_write_finish_entry(w->a) < ARCHIVE_WARN || w->failed) {
		fail(w, err, path);
		goto out;
	}
	testhook_crash_point("bag.entry");
	if (is_tag_file(path))
		bag_manifest_add(w->tagmanifest, hex, path);
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	hash_free(h);
	return ok;
}

bool bag_writer_tagmanifest_digest(const bag_writer *w, char hex[65])
{
	if (!w->finished)
		return false;
	hash_sha256_hex(w->tagmanifest->str, w->tagmanifest->len, hex);
	return true;
}

bool bag_writer_finish(bag_writer *w, GError **err)
{
	if (refuse_if_done(w, err))
		return false;
	if (!add_bytes(w, "tagmanifest-sha256.txt", w->tagmanifest->str, w->tagmanifest->len, err))
		return false;
	/* Closing writes the end-of-archive blocks through the callback. */
	if (archive_write_close(w->a) != ARCHIVE_OK || w->failed) {
		fail(w, err, w->top_dir);
		return false;
	}
	if (!deflate_out(w, NULL, 0, Z_FINISH)) {
		fail(w, err, w->top_dir);
		return false;
	}
	char hex[HASH_HEX_MAX];
	hash_final_hex(w->out_hash, HASH_SHA256, hex);
	memcpy(w->out_hex, hex, sizeof w->out_hex);
	w->finished = true;
	return true;
}

bool bag_writer_digest(const bag_writer *w, char hex[65], uint64_t *size)
{
	if (!w->finished)
		return false;
	memcpy(hex, w->out_hex, 65);
	if (size)
		*size = w->out_size;
	return true;
}

void bag_writer_free(bag_writer *w)
{
	if (!w)
		return;
	if (w->a) {
		/* After a failure libarchive would try to write the end blocks
		 * again; the stream is garbage anyway, so drop them. */
		if (!w->finished)
			w->failed = true;
		archive_write_free(w->a);
	}
	if (w->z_ready)
		deflateEnd(&w->z);
	if (w->probe_ready)
		deflateEnd(&w->probe);
	hash_free(w->out_hash);
	if (w->tagmanifest)
		g_string_free(w->tagmanifest, TRUE);
	g_clear_error(&w->io_err);
	g_free(w->zbuf);
	g_free(w->rbuf);
	g_free(w->top_dir);
	g_free(w);
}

void bag_manifest_add(GString *m, const char *hex, const char *path)
{
	char *enc = bag_encode_path(path);
	g_string_append_printf(m, "%s  %s\n", hex, enc);
	g_free(enc);
}
