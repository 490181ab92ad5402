/*
 * doc/zip.h (private to src/doc/) — the zip packages HWPX and ODT come in,
 * read with libarchive and never extracted: the list of entry names, and
 * one named entry at a time read as a stream, bounded while it inflates.
 *
 * doc_zip_open lists the entries (at most DOC_ZIP_ENTRIES_MAX, no name
 * twice). doc_zip_entry_open and _read then stream one entry's inflated
 * bytes, failing ("limit: ...") once it passes DOC_STREAM_MAX, or,
 * beyond its first MiB, DOC_INFLATE_RATIO times the compressed bytes
 * read so far, or once the package's entries together pass
 * DOC_INFLATED_MAX. Sizes the zip declares are never used for any of
 * that. The doc_zip owns its names; free it with doc_zip_free.
 */
#ifndef ARC_DOC_ZIP_H
#define ARC_DOC_ZIP_H

#include "reader.h"

typedef struct doc_zip doc_zip;

doc_zip *doc_zip_open(const char *path, GError **err);
void doc_zip_free(doc_zip *z);

unsigned doc_zip_count(const doc_zip *z);
const char *doc_zip_name(const doc_zip *z, unsigned i); /* in zip order */
bool doc_zip_has(const doc_zip *z, const char *name);

/*
 * Open entry name for reading (one entry at a time: opening another ends
 * this one), then read its inflated bytes: > 0, 0 at its end, -1 with err
 * set. Fails on a missing entry ("damaged: no <name> in the package"), a
 * damaged zip, an encrypted entry or a limit.
 */
bool doc_zip_entry_open(doc_zip *z, const char *name, GError **err);
gssize doc_zip_entry_read(doc_zip *z, char *buf, size_t len, GError **err);

/* The first bytes of an entry (at most max, max ≤ DOC_STREAM_MAX) into a
 * new GByteArray, NUL-terminated beyond its length; NULL on failure. */
GByteArray *doc_zip_read_head(doc_zip *z, const char *name, uint64_t max, GError **err);

/* Whether the mimetype entry says exactly type (ODF 1.2 part 3, 3.3;
 * OWPML likewise); false with err set when not or when it is missing. */
bool doc_zip_check_mimetype(doc_zip *z, const char *type, GError **err);

#endif
