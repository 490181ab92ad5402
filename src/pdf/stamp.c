/*
 * pdf/stamp.c — the licence stamped into the access copy: an incremental
 * update, written by pdf/update.c after one write of the original where it
 * can, else saved by poppler and checked afterwards to begin with the
 * original's exact bytes.
 */
#include "poppler.h"
#include "core/disk.h"
#include "core/errors.h"
#include "pdf/update.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poppler.h>

/* ---- stamping -------------------------------------------------------------- */

/*
 * Is the whole of orig (the bytes poppler opened) the prefix of copy, with
 * copy longer? The copy is read in one streaming pass. False with *why set
 * when not; false with err set on an I/O error.
 */
static bool is_prefix(GBytes *orig, const char *copy, const char **why, GError **err)
{
	bool ok = false;
	FILE *b = NULL;
	enum { CHUNK = 65536 };
	char *bb = g_malloc(CHUNK);
	gsize size = 0;
	const char *a = g_bytes_get_data(orig, &size);
	*why = NULL;
	if (!(b = fopen(copy, "rbe"))) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, copy);
		goto out;
	}
	for (gsize at = 0; at < size;) {
		size_t na = size - at < CHUNK ? size - at : CHUNK;
		size_t nb = fread(bb, 1, na, b);
		if (ferror(b)) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, copy);
			goto out;
		}
		if (nb < na || memcmp(a + at, bb, na) != 0) {
			*why = "the PDF is damaged (its cross-reference table had to be rebuilt to "
			       "open it), so poppler rewrote it instead of appending the licence";
			goto out;
		}
		at += na;
	}
	if (fgetc(b) == EOF) {
		*why = "the PDF is damaged (its cross-reference table had to be rebuilt to "
		       "open it), so the licence could not be appended to it";
		goto out;
	}
	ok = true;
out:
	if (b)
		fclose(b);
	g_free(bb);
	return ok;
}

/* Write orig and then upd to path (made empty beforehand). */
static bool write_update(const char *path, GBytes *orig, const GByteArray *upd, GError **err)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	gsize n = 0;
	const char *a = g_bytes_get_data(orig, &n);
	bool ok = fd >= 0 && disk_write_all(fd, a, n) && disk_write_all(fd, upd->data, upd->len);
	if (!ok)
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
	if (fd >= 0 && close(fd) != 0 && ok) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		ok = false;
	}
	return ok;
}

/* poppler's save of doc, with these fields set, to tmp, checked to begin
 * with the bytes poppler opened. */
static bool poppler_save(PopplerDocument *doc, GBytes *bytes, const char *pdf_path,
                         const char *tmp, const pdf_info_fields *f, GError **err)
{
	poppler_document_set_keywords(doc, f->keywords);
	if (f->title)
		poppler_document_set_title(doc, f->title);
	if (f->author)
		poppler_document_set_author(doc, f->author);
	/* ModDate stays as it was: the same input must give the same copy. */
	GError *perr = NULL;
	const char *why = NULL;
	char *abs = g_canonicalize_filename(tmp, NULL);
	char *uri = g_filename_to_uri(abs, NULL, &perr);
	bool ok = uri && poppler_document_save(doc, uri, &perr);
	if (!ok)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: poppler cannot save the stamped copy: %s",
		            pdf_path, perr ? perr->message : "unknown error");
	else if (!(ok = is_prefix(bytes, tmp, &why, err)) && why)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", pdf_path, why);
	if (perr)
		g_error_free(perr);
	g_free(uri);
	g_free(abs);
	return ok;
}

/* Does the copy at path open, with the licence in its keywords and the
 * original's number of pages? */
static bool carries_licence(const char *path, const kogl_license *lic, int pages)
{
	PopplerDocument *check = pdf_open_doc(path, NULL, NULL);
	char *got = check ? poppler_document_get_keywords(check) : NULL;
	bool stamped = got && strstr(got, lic->id) && poppler_document_get_n_pages(check) == pages;
	g_free(got);
	if (check)
		g_object_unref(check);
	return stamped;
}

/* pdf_stamp of the document given open with its bytes (which it takes and
 * releases), or, when given is NULL, of pdf_path opened here. The update
 * is written by pdf_info_update where it can (one write of the original,
 * where poppler's save copies it a byte at a time), by poppler where not
 * or where that copy does not open with the licence. */
bool pdf_stamp_doc(PopplerDocument *given, GBytes *given_bytes, const char *pdf_path,
                   const char *out_path, const pdf_stamp_meta *meta, GError **err)
{
	bool ok = false;
	PopplerDocument *doc = given;
	GBytes *bytes = given_bytes;
	char *tmp = NULL, *keywords = NULL, *cur = NULL, *title = NULL, *author = NULL;
	GByteArray *upd = NULL;

	if (!meta || !meta->license) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: no licence to stamp", pdf_path);
		goto out;
	}
	if (!doc)
		doc = pdf_open_doc(pdf_path, &bytes, err);
	if (!doc)
		goto out;

	/* Keywords carry the licence id, its English and Korean names and its
	 * URL: the document information has no field for rights, and Keywords
	 * is the one every PDF reader shows. */
	const kogl_license *lic = meta->license;
	char *stamp = g_strdup_printf("%s; Korea Open Government License %s; 공공누리 %s; %s", lic->id,
	                              lic->name_en, lic->name_ko, lic->url);
	cur = poppler_document_get_keywords(doc);
	if (pdf_is_blank(cur))
		keywords = g_strdup(stamp);
	else if (strstr(cur, stamp))
		keywords = g_strdup(cur); /* stamped before: no second copy */
	else
		keywords = g_strdup_printf("%s; %s", cur, stamp);
	g_free(stamp);
	g_free(cur);
	cur = poppler_document_get_title(doc);
	if (pdf_is_blank(cur) && meta->title && *meta->title)
		title = g_strdup(meta->title);
	g_free(cur);
	cur = poppler_document_get_author(doc);
	if (pdf_is_blank(cur) && meta->organisation && *meta->organisation)
		author = g_strdup(meta->organisation);
	pdf_info_fields fields = { keywords, title, author };

	/* A unique name beside out_path, so the final rename stays on one file
	 * system and a failed save never leaves a half-written out_path. */
	tmp = g_strdup_printf("%s.tmp-XXXXXX", out_path);
	int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		g_clear_pointer(&tmp, g_free);
		goto out;
	}
	close(fd);
	gsize len = 0;
	const guint8 *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
	const char *why = NULL;
	if (data && (upd = pdf_info_update(data, len, &fields, &why))) {
		if (!write_update(tmp, bytes, upd, err))
			goto out;
		ok = carries_licence(tmp, lic, poppler_document_get_n_pages(doc));
	}
	/* The appended update must itself be readable and carry the licence. */
	if (!ok && (!poppler_save(doc, bytes, pdf_path, tmp, &fields, err) ||
	            !carries_licence(tmp, lic, poppler_document_get_n_pages(doc)))) {
		if (err && !*err)
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: the stamped copy does not open with the licence in its keywords",
			            pdf_path);
		ok = false;
		goto out;
	}
	if (rename(tmp, out_path) < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, out_path);
		ok = false;
		goto out;
	}
	g_clear_pointer(&tmp, g_free);
	ok = true;
out:
	if (tmp)
		unlink(tmp);
	if (upd)
		g_byte_array_unref(upd);
	if (doc)
		g_object_unref(doc);
	if (bytes)
		g_bytes_unref(bytes);
	g_free(cur);
	g_free(keywords);
	g_free(title);
	g_free(author);
	g_free(tmp);
	return ok;
}

bool pdf_stamp(const char *pdf_path, const char *out_path, const pdf_stamp_meta *meta,
               GError **err)
{
	return pdf_stamp_doc(NULL, NULL, pdf_path, out_path, meta, err);
}

bool pdf_extract_and_stamp(const char *pdf_path, const char *text_path, pdf_info *info,
                           const char *access_out, const pdf_stamp_meta *meta, bool *stamped,
                           GError **err)
{
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	*stamped = false;
	if (!pdf_extract_keep(pdf_path, text_path, info, &doc, &bytes, err))
		return false;
	*stamped = pdf_stamp_doc(doc, bytes, pdf_path, access_out, meta, NULL);
	return true;
}

