/*
 * doc/doc.c — what a document is (doc_sniff), the reader for it
 * (doc_extract), and the text sink the readers share (reader.h).
 */
#include "reader.h"
#include "core/errors.h"
#include "core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

const char *doc_format_name(doc_format f)
{
	switch (f) {
	case DOC_HWP: return "hwp";
	case DOC_HWP3: return "hwp3";
	case DOC_HWPX: return "hwpx";
	case DOC_ODT: return "odt";
	case DOC_NONE: break;
	}
	return NULL;
}

void doc_info_clear(doc_info *info)
{
	g_free(info->version);
	memset(info, 0, sizeof *info);
}

void doc_fail(GError **err, const char *fmt, ...)
{
	if (!err || *err)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, ARC_ERROR, ARC_ERROR_INPUT, m);
	g_free(m);
}

/* ---- bytes ---- */

uint16_t doc_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
uint32_t doc_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
uint64_t doc_le64(const uint8_t *p) { return doc_le32(p) | (uint64_t)doc_le32(p + 4) << 32; }

gunichar doc_utf16le_next(const uint8_t *u, size_t n, size_t *i)
{
	gunichar c = doc_le16(u + 2 * *i);
	if (c >= 0xD800 && c <= 0xDBFF && *i + 1 < n) {
		gunichar lo = doc_le16(u + 2 * *i + 2);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
			++*i;
		}
	}
	++*i;
	return c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c; /* a lone surrogate */
}

/* ---- what a file is ---- */

doc_format doc_sniff_bytes(const uint8_t *d, size_t len)
{
	static const uint8_t cfb[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	static const char hwp3[] = "HWP Document File V3";
	if (len >= sizeof cfb && memcmp(d, cfb, sizeof cfb) == 0)
		return DOC_HWP;
	if (len >= sizeof hwp3 - 1 && memcmp(d, hwp3, sizeof hwp3 - 1) == 0)
		return DOC_HWP3;
	/* A zip's first local header: a "mimetype" entry whose bytes are the
	 * media type (ODF 1.2 part 3, 3.3; OWPML the same). Stored, as both
	 * say it must be; but Hancom's own blank.hwpx deflates it, so a
	 * deflated one is inflated here, into a buffer just big enough. */
	if (len < 30 || doc_le32(d) != 0x04034b50)
		return DOC_NONE;
	unsigned method = doc_le16(d + 8);
	size_t name_len = doc_le16(d + 26), extra = doc_le16(d + 28), size = doc_le32(d + 18);
	size_t at = 30 + name_len + extra;
	if (name_len != 8 || at > len || memcmp(d + 30, "mimetype", 8) != 0)
		return DOC_NONE;
	char type[64];
	size_t type_len = 0;
	if (method == 0 && size < sizeof type && at + size <= len) {
		memcpy(type, d + at, size);
		type_len = size;
	} else if (method == 8) {
		z_stream z = { 0 };
		if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
			return DOC_NONE;
		z.next_in = (Bytef *)(d + at);
		z.avail_in = (uInt)(len - at);
		z.next_out = (Bytef *)type;
		z.avail_out = sizeof type;
		int rc = inflate(&z, Z_FINISH);
		type_len = rc == Z_STREAM_END ? sizeof type - z.avail_out : 0;
		inflateEnd(&z);
	}
	static const char hwpx[] = "application/hwp+zip",
	                  odt[] = "application/vnd.oasis.opendocument.text";
	if (type_len == sizeof hwpx - 1 && memcmp(type, hwpx, type_len) == 0)
		return DOC_HWPX;
	if (type_len == sizeof odt - 1 && memcmp(type, odt, type_len) == 0)
		return DOC_ODT;
	return DOC_NONE;
}

doc_format doc_sniff(const char *path)
{
	uint8_t buf[DOC_SNIFF_BYTES];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return DOC_NONE;
	ssize_t n;
	do
		n = pread(fd, buf, sizeof buf, 0);
	while (n < 0 && errno == EINTR);
	close(fd);
	return n > 0 ? doc_sniff_bytes(buf, (size_t)n) : DOC_NONE;
}

/* ---- the text sink ---- */

struct doc_text {
	FILE *f;
	char *path;
	GString *para;      /* the paragraph being built */
	uint64_t written;   /* bytes written */
	uint64_t chars;     /* characters written, whitespace excluded */
	bool any;           /* a paragraph was written */
	bool pending_break; /* a form feed before the next paragraph */
	bool full;          /* DOC_TEXT_MAX reached */
	int write_errno;
};

doc_text *doc_text_open(const char *path, GError **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	doc_text *t = g_new0(doc_text, 1);
	t->f = f;
	t->path = g_strdup(path);
	t->para = g_string_new(NULL);
	return t;
}

static bool limit_reached(doc_text *t, GError **err)
{
	if (!t->full)
		return false;
	doc_fail(err, "limit: more than %" G_GUINT64_FORMAT " MiB of text", DOC_TEXT_MAX >> 20);
	return true;
}

bool doc_text_add(doc_text *t, const char *utf8, size_t len, GError **err)
{
	if (limit_reached(t, err))
		return false;
	if (t->written + t->para->len + len > DOC_TEXT_MAX) {
		t->full = true;
		return !limit_reached(t, err);
	}
	g_string_append_len(t->para, utf8, (gssize)len);
	return true;
}

bool doc_text_add_utf16le(doc_text *t, const uint8_t *u, size_t n, GError **err)
{
	char buf[4096 + 8];
	size_t used = 0;
	for (size_t i = 0; i < n;) {
		gunichar c = doc_utf16le_next(u, n, &i);
		used += (size_t)g_unichar_to_utf8(c, buf + used);
		if (used >= 4096) {
			if (!doc_text_add(t, buf, used, err))
				return false;
			used = 0;
		}
	}
	return used == 0 || doc_text_add(t, buf, used, err);
}

static void put(doc_text *t, const char *s, size_t len)
{
	if (t->write_errno || !len)
		return;
	if (fwrite(s, 1, len, t->f) != len)
		t->write_errno = errno ? errno : EIO;
	t->written += len;
}

bool doc_text_end_paragraph(doc_text *t, GError **err)
{
	if (limit_reached(t, err))
		return false;
	/* Invalid UTF-8 cannot come from our own decoders; from a zip's
	 * XML it has been refused by libxml2 already. Drop it if it does. */
	char *nfc = text_normalize(t->para->str, (gssize)t->para->len, G_NORMALIZE_NFC);
	g_string_truncate(t->para, 0);
	if (!nfc)
		return true;
	GString *clean = g_string_sized_new(strlen(nfc) + 2);
	uint64_t chars = 0;
	for (const char *p = nfc; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\n' || c == '\r' || c == '\f' || c == '\v')
			c = ' ';
		else if (text_is_unwanted_control(c) || c == 0xFEFF)
			continue;
		if (!g_unichar_isspace(c))
			chars++;
		g_string_append_unichar(clean, c);
	}
	g_free(nfc);
	g_string_append_c(clean, '\n');
	/* NFC may lengthen what doc_text_add counted (up to 3 times): the
	 * limit holds for what is written. */
	if (t->written + clean->len + 1 > DOC_TEXT_MAX) {
		g_string_free(clean, TRUE);
		t->full = true;
		return !limit_reached(t, err);
	}
	if (t->pending_break && t->any)
		put(t, "\f", 1);
	t->pending_break = false;
	put(t, clean->str, clean->len);
	g_string_free(clean, TRUE);
	t->chars += chars;
	t->any = true;
	return true;
}

void doc_text_break(doc_text *t)
{
	t->pending_break = true;
}

uint64_t doc_text_chars(const doc_text *t)
{
	return t->chars;
}

bool doc_text_close(doc_text *t, GError **err)
{
	int e = t->write_errno;
	if (fflush(t->f) != 0 && !e)
		e = errno ? errno : EIO;
	if (fclose(t->f) != 0 && !e)
		e = errno ? errno : EIO;
	if (e)
		arc_set_errno(err, ARC_ERROR_STORE, e, t->path);
	g_string_free(t->para, TRUE);
	g_free(t->path);
	g_free(t);
	return e == 0;
}

/* ---- the reader for a file ---- */

bool doc_extract(const char *path, doc_format format, const char *text_path, doc_info *info,
                 GError **err)
{
	memset(info, 0, sizeof *info);
	if (format == DOC_NONE)
		format = doc_sniff(path);
	info->format = format;
	if (format == DOC_NONE) {
		doc_fail(err, "not an HWP, HWPX or ODT document");
		return false;
	}
	if (format == DOC_HWP3) {
		doc_fail(err, "HWP 3: a format this tool does not read (kept byte-exact)");
		return false;
	}
	doc_text *t = doc_text_open(text_path, err);
	if (!t)
		return false;
	GError *e = NULL;
	bool ok = format == DOC_HWP    ? hwp_extract(path, t, info, &e)
	          : format == DOC_HWPX ? hwpx_extract(path, t, info, &e)
	                               : odt_extract(path, t, info, &e);
	if (ok && t->para->len)
		ok = doc_text_end_paragraph(t, &e); /* what a reader left unended */
	info->text_chars = doc_text_chars(t);
	GError *closing = NULL;
	if (!doc_text_close(t, &closing)) {
		g_clear_error(&e);
		e = closing;
		ok = false;
	}
	if (e)
		g_propagate_error(err, e);
	return ok;
}
