/*
 * doc/reader.h (private to src/doc/) — what the format readers share: the
 * text sink they write paragraphs to, and their entry points.
 */
#ifndef ARC_DOC_READER_H
#define ARC_DOC_READER_H

#include "doc/doc.h"

/*
 * The text sink: paragraphs in, a UTF-8 NFC text file out. A paragraph is
 * built with doc_text_add (UTF-8) or doc_text_add_utf16le and ended with
 * doc_text_end_paragraph, which normalises it, drops control characters
 * other than tab, writes it with a newline and counts its characters.
 * doc_text_break starts a new section or page: one form feed before the
 * next paragraph written (none before the first, none at the end). At most
 * DOC_TEXT_MAX bytes are written; beyond that the sink fails the read
 * ("limit: ...") at the next call, which returns false.
 */
typedef struct doc_text doc_text;

doc_text *doc_text_open(const char *path, GError **err);
bool doc_text_add(doc_text *t, const char *utf8, size_t len, GError **err);
bool doc_text_add_utf16le(doc_text *t, const uint8_t *units, size_t n_units, GError **err);
bool doc_text_end_paragraph(doc_text *t, GError **err);
void doc_text_break(doc_text *t);
uint64_t doc_text_chars(const doc_text *t);
/* Flush and close; false (ARC_ERROR_STORE) when the file could not be
 * written. Always frees t. */
bool doc_text_close(doc_text *t, GError **err);

/* The readers (hwp.c, hwpx.c, odt.c): fill info, write to t; fail as
 * doc_extract does. */
bool hwp_extract(const char *path, doc_text *t, doc_info *info, GError **err);
bool hwpx_extract(const char *path, doc_text *t, doc_info *info, GError **err);
bool odt_extract(const char *path, doc_text *t, doc_info *info, GError **err);

/* Little-endian integers at p. */
uint16_t doc_le16(const uint8_t *p);
uint32_t doc_le32(const uint8_t *p);
uint64_t doc_le64(const uint8_t *p);

/* The character at UTF-16LE unit *i of the n at u, *i moved past it (one
 * unit, or two for a surrogate pair); a lone surrogate is U+FFFD. */
gunichar doc_utf16le_next(const uint8_t *u, size_t n, size_t *i);

/* A failure of the file's (ARC_ERROR_INPUT), message printf-style. */
void doc_fail(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
