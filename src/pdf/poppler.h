/*
 * pdf/poppler.h — what the files of pdf/ share (private to src/pdf/):
 *
 *   pdf.c    opening a PDF through poppler (from a mapping of its bytes),
 *            the header check, poppler's set-up before workers fork
 *   text.c   the text, page by page, and the facts (pages, document
 *            information, encryption, active content)
 *   stamp.c  the licence stamped into an access copy, an incremental
 *            update checked to begin with the original's exact bytes
 *   update.c that update written without poppler (pdf/update.h)
 *   worker.c the long-lived child all of it runs in, and its wire format
 */
#ifndef ARC_PDF_POPPLER_H
#define ARC_PDF_POPPLER_H

#include <stdbool.h>
#include <glib.h>
#include <poppler.h>
#include "pdf/pdf.h"

/* Open path from a mapping of its bytes (*raw, when not NULL, receives
 * them: the caller unrefs). ARC_ERROR_INPUT with the reason poppler gives. */
PopplerDocument *pdf_open_doc(const char *path, GBytes **raw, GError **err);
/* A document information string made safe (valid UTF-8, NULL when empty);
 * takes s. */
char *pdf_clean_string(char *s);
bool pdf_is_blank(const char *s);

/* pdf_extract, keeping the open document and its bytes when keep is not
 * NULL (for pdf_extract_and_stamp). */
bool pdf_extract_keep(const char *pdf_path, const char *text_path, pdf_info *info,
                      PopplerDocument **keep, GBytes **keep_bytes, GError **err);
/* pdf_stamp of a document already open (given may be NULL: opened here). */
GBytes *pdf_stamp_doc(PopplerDocument *given, GBytes *given_bytes, const char *pdf_path,
                      const char *scratch_dir, const pdf_stamp_meta *meta, GError **err);

#endif
