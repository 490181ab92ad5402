/*
 * doc/zip.c — the zip of an HWPX or ODT package through libarchive: the
 * entry list, and a named entry streamed with its inflation bounded.
 *
 * Seekable reading (the central directory), not streaming (the local
 * headers one after another): the central directory is what Hancom
 * Office, LibreOffice and every other zip reader take for the package,
 * and local headers may say otherwise (data before the first entry, an
 * entry the directory does not list); reading the applications' view
 * means the text kept is the text a reader of the document sees. It also
 * reads stored entries written with a data descriptor, which streaming
 * cannot delimit.
 *
 * libarchive reaches an entry only by walking the headers in order, so
 * the archive stays open at the last entry read and is reopened only when
 * a later read asks for an earlier entry (HWPX sections in spine order
 * against zip order): a few passes over the directory at most, never one
 * a read.
 *
 * Inflation is measured as it happens: the bytes that came out against
 * the file bytes libarchive consumed for the entry since its header
 * (archive_filter_bytes), never the sizes the headers declare.
 */
#include "zip.h"
#include "core/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZIP_BLOCK 16384
#define ZIP_CHUNK 65536
#define RATIO_FREE ((uint64_t)1 << 20) /* inflated bytes before the ratio applies */

struct doc_zip {
	char *path;
	int fd;            /* the file, opened once without following a link */
	struct archive *a; /* open after the header of entry `at`; NULL when closed */
	int at;            /* -1: before the first */
	GPtrArray *names;  /* zip order */
	GHashTable *index; /* name → index + 1 */
	uint64_t inflated; /* bytes inflated, all entries read together */
	/* the entry being read */
	bool reading;
	const char *entry; /* its name (in names) */
	uint64_t out;      /* bytes inflated from it */
	int64_t start;     /* file bytes consumed before its data */
};

unsigned doc_zip_count(const doc_zip *z) { return z->names->len; }
const char *doc_zip_name(const doc_zip *z, unsigned i) { return z->names->pdata[i]; }
bool doc_zip_has(const doc_zip *z, const char *name) { return g_hash_table_contains(z->index, name); }

static void zip_close(doc_zip *z)
{
	if (z->a)
		archive_read_free(z->a);
	z->a = NULL;
	z->at = -1;
	z->reading = false;
}

static bool zip_reopen(doc_zip *z, GError **err)
{
	zip_close(z);
	z->a = archive_read_new();
	archive_read_support_format_zip_seekable(z->a);
	if (lseek(z->fd, 0, SEEK_SET) != 0 || archive_read_open_fd(z->a, z->fd, ZIP_BLOCK) != ARCHIVE_OK) {
		const char *why = archive_error_string(z->a);
		doc_fail(err, "damaged: not a readable zip (%s)", why ? why : "unknown error");
		zip_close(z);
		return false;
	}
	return true;
}

/* The next header: 1, 0 at the end, -1 with err set. */
static int zip_next(doc_zip *z, struct archive_entry **e, GError **err)
{
	for (int retries = 0;; retries++) {
		int r = archive_read_next_header(z->a, e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r == ARCHIVE_RETRY && retries < 100)
			continue;
		if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) {
			const char *why = archive_error_string(z->a);
			doc_fail(err, "damaged: the zip: %s", why ? why : "unreadable header");
			return -1;
		}
		z->at++;
		return 1;
	}
}

static const char *entry_name(struct archive_entry *e)
{
	const char *n = archive_entry_pathname_utf8(e);
	return n ? n : archive_entry_pathname(e);
}

static bool zip_list(doc_zip *z, GError **err)
{
	struct archive_entry *e;
	int r;
	while ((r = zip_next(z, &e, err)) > 0) {
		const char *name = entry_name(e);
		if (z->names->len >= DOC_ZIP_ENTRIES_MAX) {
			doc_fail(err, "limit: more than %u entries in the zip", (unsigned)DOC_ZIP_ENTRIES_MAX);
			return false;
		}
		if (!name || !g_utf8_validate(name, -1, NULL)) {
			doc_fail(err, "damaged: a zip entry without a UTF-8 name");
			return false;
		}
		/* Two entries of one name: which one a reader shows is anybody's
		 * guess, so the text could not be said to be the document's. */
		if (g_hash_table_contains(z->index, name)) {
			doc_fail(err, "damaged: two zip entries named %s", name);
			return false;
		}
		char *copy = g_strdup(name);
		g_ptr_array_add(z->names, copy);
		g_hash_table_insert(z->index, copy, GUINT_TO_POINTER(z->names->len));
	}
	return r == 0;
}

doc_zip *doc_zip_open(const char *path, GError **err)
{
	doc_zip *z = g_new0(doc_zip, 1);
	z->path = g_strdup(path);
	z->at = -1;
	z->names = g_ptr_array_new_with_free_func(g_free);
	z->index = g_hash_table_new(g_str_hash, g_str_equal);
	/* As cfb_open: no link followed, no FIFO waited on. */
	struct stat st;
	z->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	bool regular = z->fd >= 0 && fstat(z->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (!regular) {
		doc_fail(err, "%s", z->fd < 0 ? g_strerror(errno) : "not a regular file");
		doc_zip_free(z);
		return NULL;
	}
	locale_t loc = text_utf8_locale_begin();
	bool ok = zip_reopen(z, err) && zip_list(z, err);
	zip_close(z);
	text_utf8_locale_end(loc);
	if (!ok) {
		doc_zip_free(z);
		return NULL;
	}
	return z;
}

void doc_zip_free(doc_zip *z)
{
	if (!z)
		return;
	zip_close(z);
	if (z->fd >= 0)
		close(z->fd);
	g_hash_table_destroy(z->index);
	g_ptr_array_free(z->names, TRUE);
	g_free(z->path);
	g_free(z);
}

/* Leave the archive just after the header of entry i. */
static bool zip_seek(doc_zip *z, int i, struct archive_entry **e, GError **err)
{
	if (!z->a || z->at >= i) {
		if (!zip_reopen(z, err))
			return false;
	}
	while (z->at < i) {
		int r = zip_next(z, e, err);
		if (r < 0)
			return false;
		if (r == 0) {
			doc_fail(err, "damaged: the zip ends before entry %d", i + 1);
			return false;
		}
	}
	if (strcmp(entry_name(*e) ? entry_name(*e) : "", doc_zip_name(z, (unsigned)i)) != 0) {
		doc_fail(err, "damaged: the zip changed while it was read");
		return false;
	}
	return true;
}

/* Whether entry name may have inflated to out bytes from compressed. */
static bool zip_bounded(doc_zip *z, const char *name, uint64_t out, uint64_t compressed,
                        GError **err)
{
	if (out > DOC_STREAM_MAX) {
		doc_fail(err, "limit: %s inflates beyond %" G_GUINT64_FORMAT " MiB", name,
		         DOC_STREAM_MAX >> 20);
		return false;
	}
	if (out > RATIO_FREE && out / DOC_INFLATE_RATIO > compressed) {
		doc_fail(err, "limit: %s inflates more than %d times its compressed size", name,
		         DOC_INFLATE_RATIO);
		return false;
	}
	if (z->inflated > DOC_INFLATED_MAX) {
		doc_fail(err, "limit: the package inflates beyond %" G_GUINT64_FORMAT " MiB",
		         DOC_INFLATED_MAX >> 20);
		return false;
	}
	return true;
}

bool doc_zip_entry_open(doc_zip *z, const char *name, GError **err)
{
	unsigned i = GPOINTER_TO_UINT(g_hash_table_lookup(z->index, name));
	z->reading = false;
	if (!i) {
		doc_fail(err, "damaged: no %s in the package", name);
		return false;
	}
	locale_t loc = text_utf8_locale_begin();
	struct archive_entry *e = NULL;
	bool ok = zip_seek(z, (int)i - 1, &e, err);
	if (ok && archive_entry_is_encrypted(e)) {
		doc_fail(err, "password-protected: %s is encrypted", name);
		ok = false;
	}
	if (ok) {
		z->reading = true;
		z->entry = doc_zip_name(z, i - 1);
		z->out = 0;
		z->start = archive_filter_bytes(z->a, -1);
	} else {
		zip_close(z); /* after an error libarchive's state is not to be trusted */
	}
	text_utf8_locale_end(loc);
	return ok;
}

gssize doc_zip_entry_read(doc_zip *z, char *buf, size_t len, GError **err)
{
	if (!z->reading || !z->a) {
		doc_fail(err, "damaged: a zip entry read after its end");
		return -1;
	}
	locale_t loc = text_utf8_locale_begin();
	la_ssize_t n = archive_read_data(z->a, buf, len);
	if (n < 0) {
		const char *why = archive_error_string(z->a);
		doc_fail(err, "damaged: %s: %s", z->entry, why ? why : "unreadable");
	} else if (n > 0) {
		int64_t used = archive_filter_bytes(z->a, -1) - z->start;
		z->out += (uint64_t)n;
		z->inflated += (uint64_t)n;
		if (!zip_bounded(z, z->entry, z->out, used > 0 ? (uint64_t)used : 0, err))
			n = -1;
	}
	if (n < 0) {
		zip_close(z);
		z->reading = false;
	}
	text_utf8_locale_end(loc);
	return n;
}

GByteArray *doc_zip_read_head(doc_zip *z, const char *name, uint64_t max, GError **err)
{
	if (!doc_zip_entry_open(z, name, err))
		return NULL;
	GByteArray *b = g_byte_array_new();
	char buf[ZIP_CHUNK];
	while (b->len < max) {
		size_t want = max - b->len < sizeof buf ? (size_t)(max - b->len) : sizeof buf;
		gssize n = doc_zip_entry_read(z, buf, want, err);
		if (n < 0) {
			g_byte_array_free(b, TRUE);
			return NULL;
		}
		if (n == 0)
			break;
		g_byte_array_append(b, (const guint8 *)buf, (guint)n);
	}
	g_byte_array_append(b, (const guint8 *)"", 1);
	g_byte_array_set_size(b, b->len - 1);
	return b;
}

bool doc_zip_check_mimetype(doc_zip *z, const char *type, GError **err)
{
	if (!doc_zip_has(z, "mimetype")) {
		doc_fail(err, "damaged: no mimetype entry (not a %s package)", type);
		return false;
	}
	GByteArray *m = doc_zip_read_head(z, "mimetype", 128, err);
	if (!m)
		return false;
	const char *got = (const char *)m->data;
	bool ok = strcmp(got, type) == 0;
	if (!ok)
		doc_fail(err, "damaged: the mimetype entry says %.60s, not %s",
		         g_utf8_validate(got, -1, NULL) && !strchr(got, '\n') ? got : "something else",
		         type);
	g_byte_array_free(m, TRUE);
	return ok;
}
