/*
 * doc/doc.h — the text and facts of office documents attached to a
 * release: HWP 5 (Hancom's compound file, also distribution documents),
 * HWPX (OWPML, a zip) and ODT (OpenDocument text, a zip).
 *
 * These functions parse untrusted files: callers run them in the document
 * worker (doc/worker.h), never in the process that packs bundles. Every
 * size, count, chain and depth read from a file is checked against the
 * limits below before anything is allocated for it, so that a hostile
 * file ends in an error with bounded memory; the worker's rlimits and
 * deadline are the second line.
 */
#ifndef ARC_DOC_H
#define ARC_DOC_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef enum {
	DOC_NONE = 0, /* none of these */
	DOC_HWP,      /* HWP 5.x: a compound file with a FileHeader stream */
	DOC_HWP3,     /* HWP 3.x ("HWP Document File V3.00"): recognised, not read */
	DOC_HWPX,     /* a zip whose mimetype entry is application/hwp+zip */
	DOC_ODT,      /* a zip whose mimetype entry is application/vnd.oasis.opendocument.text */
} doc_format;

/* "hwp", "hwp3", "hwpx", "odt"; NULL for DOC_NONE. */
const char *doc_format_name(doc_format f);

/*
 * What a file is, from its first bytes alone (at most DOC_SNIFF_BYTES,
 * read without following links): a compound file or an HWP 3 signature,
 * or a zip whose first entry is a stored "mimetype" naming HWPX or ODT.
 * For a compound file this says DOC_HWP on the signature alone; the
 * worker reads the rest. Safe in any process: it parses nothing further.
 */
#define DOC_SNIFF_BYTES 512
doc_format doc_sniff(const char *path);
doc_format doc_sniff_bytes(const uint8_t *data, size_t len);

/* Limits (one file): what is read beyond them is refused, with the
 * reason naming the limit. */
#define DOC_STREAM_MAX      ((uint64_t)64 << 20)  /* one compound-file stream, one zip entry read */
#define DOC_INFLATED_MAX    ((uint64_t)256 << 20) /* inflated bytes, all sections together */
#define DOC_INFLATE_RATIO   200                   /* inflated : compressed, beyond 1 MiB */
#define DOC_SECTIONS_MAX    1024                  /* sections (HWP, HWPX) */
#define DOC_RECORDS_MAX     (1u << 24)            /* HWP records, all sections together */
#define DOC_ZIP_ENTRIES_MAX 10000
#define DOC_XML_DEPTH_MAX   256
#define DOC_TEXT_MAX        ((uint64_t)64 << 20)  /* bytes of text written */

typedef struct {
	doc_format format;
	char *version;       /* HWP "5.1.0.1"; HWPX the version.xml/header version; ODT office:version */
	int sections;        /* HWP/HWPX sections; ODT pages (soft page breaks + 1) */
	/* HWP 5 FileHeader flags (false elsewhere) */
	bool compressed;
	bool password;
	bool distribution;   /* 배포용 문서: text read from ViewText */
	bool drm;
	bool kogl_flag;      /* the header says a KOGL licence applies */
	int kogl_type;       /* KOGL type the file's own metadata names (HWP header), 0 when none */
	/* active content (document.active_content) */
	bool scripts;        /* scripts other than Hancom's empty default script */
	bool macros;         /* ODF Basic/ or script macros */
	bool embedded;       /* embedded OLE objects or packages */
	uint64_t text_chars; /* characters of text written, whitespace excluded */
} doc_info;

void doc_info_clear(doc_info *info); /* frees members, zeroes */

/*
 * Read the document at path (format as doc_sniff said; DOC_NONE: sniff
 * it here) and write its text to text_path: UTF-8, NFC, LF, one form
 * feed between sections (HWP, HWPX) or pages (ODT), a line for each
 * paragraph, the text of tables, text boxes, headers and footers kept.
 * Fills info with all it learnt, also when it fails.
 *
 * Fails with ARC_ERROR_INPUT and a reason for the check document.text
 * ("password-protected", "DRM-protected", "HWP 3: not read", "damaged:
 * FAT chain loops at sector 7", "limit: section 3 inflates beyond 256
 * MiB"), and then text_path may hold part of the text or nothing; with
 * ARC_ERROR_STORE when text_path cannot be written.
 */
bool doc_extract(const char *path, doc_format format, const char *text_path, doc_info *info,
                 GError **err);

#endif
