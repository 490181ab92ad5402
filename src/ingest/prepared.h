/*
 * ingest/prepared.h — what ingest.c (one release) and run.c (the run,
 * with release workers) share; private to src/ingest/.
 */
#ifndef ARC_INGEST_PREPARED_H
#define ARC_INGEST_PREPARED_H

#include "core/filetype.h"
#include "ingest/decide.h"
#include "ingest/ingest.h"
#include "pdf/pdf.h"
#include "pdf/worker.h"
#include "doc/worker.h"

struct ingester {
	store *store;
	catalog *catalog;
	ingest_opts opts;
	filetype *ft;
	retention_period period;
	char *retention;
	int default_license; /* archive.conf, 0 when none */
	char today[11];
	GArray *known;       /* while release workers run (ingest_run): the content SHA-256s
	                        of the store's bundles, 32 bytes each, sorted */
	pdf_warm *warm;      /* poppler set up once, before workers fork */
	pdf_worker *pdf;     /* poppler's long-lived child (pdf/worker.h) */
	doc_worker *docw;    /* the HWP, HWPX and ODT reader's (doc/worker.h) */
	release_policy policy; /* the options and archive.conf, for decide.h */
};

typedef enum {
	PREP_BUNDLE,          /* a finished bundle in work, to publish */
	PREP_ALREADY,         /* the same content is in the store already */
	PREP_QUARANTINE,      /* to copy to quarantine with reason_json */
	PREP_DRY_RUN,         /* --dry-run: would be archived */
	PREP_DRY_QUARANTINE,  /* --dry-run: would be quarantined */
} prep_kind;

/* The finished bundle's name in the work folder. */
#define PREP_BUNDLE_FILE "bundle.tar.gz"

typedef struct {
	prep_kind kind;
	char *work;             /* the work folder under tmp/; removed by prepared_clear */
	char *bundle;           /* PREP_BUNDLE: the finished bundle, in work */
	char bundle_sha256[65];
	char tagmanifest_sha256[65]; /* of its tagmanifest-sha256.txt */
	int64_t bundle_size;
	char *release_json;     /* PREP_BUNDLE: what the catalog records */
	char *reason_json;      /* PREP_QUARANTINE */
	char *existing;         /* PREP_ALREADY: the id of the bundle with this content
	                           (NULL from a release worker: ingest_commit looks it up) */
	release_record *record; /* prepared here: all of it; through a pipe: id, title,
	                         * content hash and checks, all that commit and output read */
} prepared;

void prepared_clear(prepared *p);

/* All the work on one release that nothing else in the store can see
 * (ingest.c, "preparing a release"); false only when the run cannot go on. */
bool ingest_prepare(ingester *g, const release_input *in, prepared *p, GError **err);

/* For the release workers, which must not use the parent's catalog
 * connection: g->known, copied from the catalog before they fork. */
bool ingest_snapshot_known(ingester *g, GError **err);
void ingest_forget_known(ingester *g);

/* Publish or quarantine, and record it, in the parent, in input order.
 * res takes the record; p is cleared (its work folder removed). */
bool ingest_commit(ingester *g, const release_input *in, prepared *p, ingest_result *res,
                   GError **err);

#endif
