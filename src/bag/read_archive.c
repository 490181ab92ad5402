/*
 * bag/read_archive.c — a bag serialisation (.tar.gz/.tgz, .tar, .zip) read in one
 * streaming pass through libarchive, never extracted; gzip is decoded here
 * with zlib, member by member up to each trailer, since libarchive checks
 * neither the CRC-32 nor the length.
 */
#include "vctx.h"
#include "bag/path.h"
#include "core/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bag-relative path of an archive entry, or NULL (problem recorded)
 * when it escapes the bag or is not under the one top directory. "" is
 * the top directory itself. */
static char *entry_rel(vctx *v, const char *name, bool is_dir)
{
	if (name[0] == '/') {
		PROBLEM(v, name, "absolute path");
		return NULL;
	}
	/* "./top//x" is "top/x": tar writes such names, and they say nothing. */
	char *norm = bag_path_normal(name), *rel = NULL;
	const char *why = norm ? bag_path_problem(norm) : NULL;
	if (!norm)
		return NULL;
	if (why) {
		PROBLEM(v, name, "%s", why);
		goto out;
	}
	const char *slash = strchr(norm, '/');
	size_t first = slash ? (size_t)(slash - norm) : strlen(norm);
	if (!slash && !is_dir) {
		PROBLEM(v, name, "not under a top directory");
		goto out;
	}
	if (!v->top) {
		v->top = g_strndup(norm, first);
	} else if (strlen(v->top) != first || strncmp(norm, v->top, first) != 0) {
		PROBLEM(v, name, "not under the top directory '%s/'", v->top);
		goto out;
	}
	rel = g_strdup(slash ? slash + 1 : "");
out:
	g_free(norm);
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

void bag_read_archive(vctx *v)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	unsigned char *dbuf = g_malloc(CHUNK);
	unsigned char magic[2];
	struct stat st;
	locale_t old_loc = (locale_t)0;

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
	old_loc = text_utf8_locale_begin();
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
			} else if (take && bag_over_budget(v, shown, claim, true)) {
				v->broken = true;
			}
			if (v->stop) {
				g_free(rel);
				break;
			}
		}

		if (take) {
			bag_entry_begin(v, rel);
			bool complete = true;
			if (!bag_entry_needs_data(v) && archive_entry_size_is_set(e)) {
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
						bag_entry_data(v, dbuf, (size_t)n);
					if (v->stop) {
						complete = false;
						break;
					}
				}
			}
			bag_entry_end(v, complete);
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
	text_utf8_locale_end(old_loc);
	if (v->gz)
		inflateEnd(&v->zs);
	g_free(v->zin);
	v->zin = NULL;
	g_free(dbuf);
}

