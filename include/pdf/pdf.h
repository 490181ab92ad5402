/*
 * pdf/pdf.h — PDF text extraction, facts and licence stamping (poppler-glib).
 *
 * These functions parse untrusted PDFs: callers run them inside a worker
 * (pdf/worker.h), never in the main process, which gets pdf_info back
 * through the worker's wire (pdf_info_to_dict).
 */
#ifndef ARC_PDF_H
#define ARC_PDF_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "release/license.h"

typedef struct {
	int pages;
	char *pdf_version;     /* "1.7" */
	char *producer;        /* document information, NULL when absent */
	char *creator;
	char *creation_date;   /* ISO 8601 "2024-05-10T09:00:00Z", or NULL */
	char *title;
	char *author;
	char *keywords;
	char *pdfa;            /* "PDF/A-1b" when declared, else NULL */
	bool encrypted;
	uint64_t text_chars;   /* characters of extracted text, whitespace excluded */
	GArray *chars_per_page;/* guint per page, same measure */
	bool javascript;       /* JavaScript anywhere poppler shows it, or named in the
	                          raw bytes or the inflated object streams (text.c) */
	bool launch_action;
	bool embedded_files;
} pdf_info;

void pdf_info_clear(pdf_info *info);  /* frees members, zeroes */

/*
 * Open pdf_path, write its text to text_path (UTF-8, one form feed between
 * pages, streamed page by page) and fill info. Fails with ARC_ERROR_INPUT
 * and a reason when poppler cannot open it: "damaged or truncated: ...",
 * "needs a password" (check pdf.open). A PDF with only an owner password
 * opens and is extracted.
 */
bool pdf_extract(const char *pdf_path, const char *text_path, pdf_info *info, GError **err);

typedef struct {
	const kogl_license *license; /* required */
	const char *title;           /* release title: fills an empty Title */
	const char *organisation;    /* fills an empty Author; may be NULL */
} pdf_stamp_meta;

/*
 * The access copy's update: the bytes that, appended to the exact bytes of
 * pdf_path, make its access copy, with the document information stamped
 * (Keywords gain "KOGL-Type-N" and the licence URL; an empty Title gets the
 * release title; an empty Author the organisation). Written by
 * pdf_info_update (pdf/update.h) where it can; for a PDF that writer leaves
 * alone, or whose copy does not reopen with the licence, by poppler's save
 * (into a file made in scratch_dir and removed again), which must begin
 * with the exact bytes of pdf_path. The copy must open in poppler with the
 * licence and the original's page count. NULL with the reason when there
 * is none (poppler saves a PDF that needed repair rewritten: check
 * pdf.stamp); the caller unrefs.
 */
GBytes *pdf_stamp(const char *pdf_path, const char *scratch_dir, const pdf_stamp_meta *meta,
                  GError **err);

/*
 * pdf_extract, then pdf_stamp of the same open document (one open, one
 * parse, where the two calls take two). The stamp is a side line: its
 * failure is no failure of the call, only *update NULL (pdf_stamp, run by
 * itself, then tells why).
 */
bool pdf_extract_and_stamp(const char *pdf_path, const char *text_path, pdf_info *info,
                           const char *scratch_dir, const pdf_stamp_meta *meta, GBytes **update,
                           GError **err);

/* Is the file at path a PDF by its bytes: "%PDF-" within its first 1024
 * bytes (check attachment.type)? False for an empty or unreadable file. */
bool pdf_has_header(const char *path);

/* poppler's global set-up, made once in the parent and inherited by every
 * PDF worker it forks (see pdf.c). Parses only our own bytes. May be NULL. */
typedef struct pdf_warm pdf_warm;
pdf_warm *pdf_warm_up(void);
void pdf_warm_free(pdf_warm *w);

#endif
