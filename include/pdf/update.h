/*
 * pdf/update.h — the licence's incremental update written without poppler.
 *
 * poppler saves an incremental update by copying the whole original a byte
 * at a time through two virtual calls before appending its few hundred
 * bytes; this writes those bytes from the original's own cross-reference
 * data, so that the copy is one write of the original followed by them.
 */
#ifndef ARC_PDF_UPDATE_H
#define ARC_PDF_UPDATE_H

#include <stdbool.h>
#include <glib.h>

typedef struct {
	const char *keywords; /* UTF-8: the new Keywords, always written */
	const char *title;    /* UTF-8, or NULL: Title left as it is */
	const char *author;   /* likewise Author */
} pdf_info_fields;

/*
 * The bytes to append to the PDF pdf[0, len) so that its document
 * information carries f: the Info dictionary (its other entries copied as
 * they are), a cross-reference section of the kind the file's last one is
 * (a table, or an uncompressed stream), and a trailer whose /Prev is the
 * original's startxref. Deterministic: the same input gives the same bytes
 * (a new second /ID string derived from them). NULL and *why when the file
 * is one this writer leaves to poppler: encrypted, a hybrid or damaged
 * cross-reference, its Info dictionary in an object stream or not a
 * dictionary, nesting or sizes past sane limits.
 */
GByteArray *pdf_info_update(const guint8 *pdf, gsize len, const pdf_info_fields *f,
                            const char **why);

#endif
