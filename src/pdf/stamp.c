/*
 * pdf/stamp.c — the licence stamped into the access copy: an incremental
 * update, written by pdf/update.c where it can, else saved by poppler and
 * checked afterwards to begin with the original's exact bytes. Only the
 * update leaves: the bundle's writer appends it to the original itself.
 */
#include "poppler.h"
#include "core/errors.h"
#include "pdf/update.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <poppler.h>

/* ---- stamping -------------------------------------------------------------- */

/* The largest update the worker hands back: poppler's and ours write only
 * the document information and a cross-reference section. */
#define UPDATE_MAX (16u << 20)

#define DAMAGED "the PDF is damaged (its cross-reference table had to be rebuilt to open it), "

/*
 * What the file at copy holds after the whole of orig (the bytes poppler
 * opened): the update poppler appended, read in one streaming pass. NULL
 * with *why set when copy does not begin with orig or adds nothing; NULL
 * with err set on an I/O error.
 */
static GBytes *appended(GBytes *orig, const char *copy, const char **why, GError **err)
{
	enum { CHUNK = 65536 };
	GByteArray *tail = g_byte_array_new();
	char *buf = g_malloc(CHUNK);
	gsize size = 0;
	const char *a = g_bytes_get_data(orig, &size);
	bool ok = false;
	FILE *f = fopen(copy, "rbe");
	*why = NULL;
	if (!f)
		goto fail;
	for (gsize at = 0; at < size; at += CHUNK) {
		size_t want = MIN(size - at, (gsize)CHUNK);
		size_t got = fread(buf, 1, want, f);
		if (ferror(f))
			goto fail;
		if (got < want || memcmp(a + at, buf, want) != 0) {
			*why = DAMAGED "so poppler rewrote it instead of appending the licence";
			goto out;
		}
	}
	for (size_t got = CHUNK; got == CHUNK && tail->len <= UPDATE_MAX;) {
		got = fread(buf, 1, CHUNK, f);
		if (ferror(f))
			goto fail;
		g_byte_array_append(tail, (const guint8 *)buf, (guint)got);
	}
	if (tail->len == 0)
		*why = DAMAGED "so the licence could not be appended to it";
	else if (tail->len > UPDATE_MAX)
		*why = "poppler's update of it is too large";
	else
		ok = true;
	goto out;
fail:
	arc_set_errno(err, ARC_ERROR_STORE, errno, copy);
out:
	if (f)
		fclose(f);
	g_free(buf);
	if (!ok) {
		g_byte_array_unref(tail);
		return NULL;
	}
	return g_byte_array_free_to_bytes(tail);
}

/* poppler's save of doc with these fields set, into a file made in
 * scratch_dir and removed again: the bytes it appended to the original. */
static GBytes *poppler_update(PopplerDocument *doc, GBytes *bytes, const char *pdf_path,
                              const char *scratch_dir, const pdf_info_fields *f, GError **err)
{
	GBytes *tail = NULL;
	GError *perr = NULL;
	const char *why = NULL;
	char *uri = NULL;
	char *tmp = g_build_filename(scratch_dir ? scratch_dir : ".", "stamp-XXXXXX.pdf", NULL);
	int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		g_free(tmp);
		return NULL;
	}
	close(fd);
	poppler_document_set_keywords(doc, f->keywords);
	if (f->title)
		poppler_document_set_title(doc, f->title);
	if (f->author)
		poppler_document_set_author(doc, f->author);
	/* ModDate stays as it was: the same input must give the same copy. */
	char *abs = g_canonicalize_filename(tmp, NULL);
	uri = g_filename_to_uri(abs, NULL, &perr);
	g_free(abs);
	if (!uri || !poppler_document_save(doc, uri, &perr))
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: poppler cannot save the stamped copy: %s",
		            pdf_path, perr ? perr->message : "unknown error");
	else if (!(tail = appended(bytes, tmp, &why, err)) && why)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", pdf_path, why);
	if (perr)
		g_error_free(perr);
	unlink(tmp);
	g_free(uri);
	g_free(tmp);
	return tail;
}

/* Does orig followed by update open, with the licence in its keywords and
 * the original's number of pages? Read from the two where they are, not
 * joined into a third copy of the PDF. */
static bool carries_licence(GBytes *orig, GBytes *update, const kogl_license *lic, int pages)
{
	GInputStream *in = g_memory_input_stream_new_from_bytes(orig);
	g_memory_input_stream_add_bytes(G_MEMORY_INPUT_STREAM(in), update);
	goffset len = (goffset)(g_bytes_get_size(orig) + g_bytes_get_size(update));
	PopplerDocument *check = poppler_document_new_from_stream(in, len, NULL, NULL, NULL);
	char *got = check ? poppler_document_get_keywords(check) : NULL;
	bool stamped = got && strstr(got, lic->id) && poppler_document_get_n_pages(check) == pages;
	g_free(got);
	if (check)
		g_object_unref(check);
	g_object_unref(in);
	return stamped;
}

/* pdf_stamp of the document given open with its bytes (which it takes and
 * releases), or, when given is NULL, of pdf_path opened here. The update
 * is written by pdf_info_update where it can (poppler's save copies the
 * original a byte at a time, and into a file), by poppler where not or
 * where that copy does not open with the licence. */
GBytes *pdf_stamp_doc(PopplerDocument *given, GBytes *given_bytes, const char *pdf_path,
                      const char *scratch_dir, const pdf_stamp_meta *meta, GError **err)
{
	GBytes *update = NULL;
	PopplerDocument *doc = given;
	GBytes *bytes = given_bytes;
	char *keywords = NULL, *cur = NULL, *title = NULL, *author = NULL;
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

	int pages = poppler_document_get_n_pages(doc);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	const char *why = NULL;
	if ((upd = pdf_info_update(data, len, &fields, &why)) && upd->len <= UPDATE_MAX) {
		update = g_byte_array_free_to_bytes(g_steal_pointer(&upd));
		if (!carries_licence(bytes, update, lic, pages))
			g_clear_pointer(&update, g_bytes_unref);
	}
	/* The appended update must itself be readable and carry the licence. */
	if (!update && (update = poppler_update(doc, bytes, pdf_path, scratch_dir, &fields, err)) &&
	    !carries_licence(bytes, update, lic, pages)) {
		g_clear_pointer(&update, g_bytes_unref);
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: the stamped copy does not open with the licence in its keywords",
		            pdf_path);
	}
out:
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
	return update;
}

GBytes *pdf_stamp(const char *pdf_path, const char *scratch_dir, const pdf_stamp_meta *meta,
                  GError **err)
{
	return pdf_stamp_doc(NULL, NULL, pdf_path, scratch_dir, meta, err);
}

bool pdf_extract_and_stamp(const char *pdf_path, const char *text_path, pdf_info *info,
                           const char *scratch_dir, const pdf_stamp_meta *meta, GBytes **update,
                           GError **err)
{
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	*update = NULL;
	if (!pdf_extract_keep(pdf_path, text_path, info, &doc, &bytes, err))
		return false;
	*update = pdf_stamp_doc(doc, bytes, pdf_path, scratch_dir, meta, NULL);
	return true;
}
