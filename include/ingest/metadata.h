/*
 * ingest/metadata.h — the facts of one release being bundled, and the files that
 * record them: bag-info.txt, metadata/release.json, metadata/dc.xml, the
 * XMP rights sidecars, and reason.json for quarantine.
 *
 * ingest fills a release_record; the functions here only render it. Every
 * function returns a new string the caller frees with g_free.
 */
#ifndef ARC_METADATA_H
#define ARC_METADATA_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "ingest/checks.h"
#include "core/hash.h"
#include "core/json.h"
#include "release/license.h"
#include "pdf/pdf.h"
#include "doc/doc.h"
#include "release/release.h"
#include "store/retention.h"

/* One file of the payload, in bag order. */
typedef struct {
	char *bag_path;   /* "data/attachments/x.pdf" */
	char *src;        /* where its bytes are: the input, or the work folder */
	GBytes *tail;     /* bytes after src's (an access copy's update), or NULL */
	char *mime;       /* libmagic's type ("text/plain" for what we made) */
	uint64_t size;
	char sha256[65];
	const char *role; /* "release", "attachment", "text", "access" */
} payload_file;

/* One PDF attachment and what its worker found. */
typedef struct {
	char *rel;          /* release-relative name, "x.pdf" */
	char *src;          /* the input file */
	bool opened;        /* poppler opened it (check pdf.open) */
	char *open_error;   /* why not */
	pdf_info info;      /* when opened */
	int license_type;   /* KOGL type stated in its text, 0 when none */
	char *text_path;    /* extracted text in the work folder, or NULL */
	/* What its text says, read once after extraction (ingest.c): at
	 * most text_read of its text_size bytes were read. */
	uint64_t text_size, text_read;
	char *text_date;    /* a full date on its first page, YYYY-MM-DD, or NULL */
	bool title_found;   /* the release title is in it (pdf.matches_release) */
	hash_ctx *src_hash; /* SHA-256 after its last byte, as first read */
	bool stamped;       /* its access copy (src and an update) is in the payload */
	char *stamp_error;  /* why there is no access copy */
	/* The update of an access copy the extraction worker stamped ahead,
	 * with the licence, title and organisation the release was expected
	 * to get; used only when those are what it got (see ingest.c). */
	GBytes *early_update;
	const kogl_license *early_license;
	char *early_title;
	char *early_organisation;
} pdf_record;

/* One HWP, HWPX or ODT attachment and what its worker found. */
typedef struct {
	char *rel;          /* release-relative name, "x.hwp" */
	char *src;          /* the input file */
	doc_info info;      /* info.format: what it is; the rest as far as it was read */
	char *text_error;   /* why its text could not be read (document.text), or NULL */
	char *text_path;    /* extracted text in the work folder, or NULL */
	uint64_t text_size, text_read; /* as pdf_record's */
	int license_type;   /* KOGL type stated in its text, else its header's; 0 when none */
	bool title_found;   /* the release title is in it (document.matches_release) */
} doc_record;

typedef struct {
	char *id;
	char *content_sha256;  /* over the release's files: see ingest.c */
	release_doc *doc;      /* owned; NULL when no document could be read */
	char *title;
	char *date;            /* YYYY-MM-DD */
	const char *date_source; /* "option", "text", "html-meta", "pdf", "ingest-date" */
	const char *date_pdf;  /* with "pdf": the PDF it came from (a pdf_record's rel) */
	char *organisation;    /* NULL when none is named ("none") */
	const char *organisation_source; /* "option", "config", "text", "none" */
	const kogl_license *license; /* NULL only for quarantined releases */
	const char *license_source;  /* "option", "release", "pdf", "document", "config" */
	char *retention;       /* "10y" */
	bool retention_statutory; /* one of the Decree's periods (store/retention.h) */
	char retention_start[11]; /* YYYY-MM-DD: when the period starts (기산일) */
	char disposal_date[RETENTION_DATE_MAX]; /* YYYY-MM-DD, "semi-permanent" or "permanent" */
	char bagging_date[11];
	char *ingested_at;     /* ISO 8601 UTC */
	GPtrArray *payload;    /* payload_file*, bag order */
	GPtrArray *pdfs;       /* pdf_record* */
	GPtrArray *docs;       /* doc_record*: HWP, HWPX and ODT attachments */
	check_list *checks;
} release_record;

release_record *release_record_new(void);
void release_record_free(release_record *r);
payload_file *release_record_add_payload(release_record *r, const char *bag_path,
                                         const char *src, const char *role);

/* Payload-Oxum "<octets>.<files>". */
char *metadata_payload_oxum(const release_record *r);

char *metadata_bag_info(const release_record *r);
char *metadata_release_json(const release_record *r);
char *metadata_dc_xml(const release_record *r);
char *metadata_xmp(const release_record *r, const pdf_record *pdf);
/* reason.json of a quarantined release: source, checks, and what was found. */
char *metadata_reason_json(const release_record *r, const char *source);
/* Why a release is quarantined: the messages of its failed error checks,
 * as a JSON array (reason.json's "reasons", the audit line's). */
void metadata_json_reasons(json_writer *w, const release_record *r);

#endif
