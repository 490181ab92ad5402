/*
 * ingest/ingest.h — one release in, one bundle (or one quarantine folder) out.
 *
 * For each release: identify its files (libmagic), parse the release
 * document, extract each PDF's text in a worker, run the checks, decide
 * the licence, stamp access copies in a worker, write the bag into the
 * store's tmp/, and publish it atomically. A release failing an error-level
 * check (without --force) is copied to quarantine with reason.json.
 */
#ifndef ARC_INGEST_H
#define ARC_INGEST_H

#include <stdbool.h>
#include <time.h>
#include "store/catalog.h"
#include "release/input.h"
#include "ingest/metadata.h"
#include "store/store.h"
#include "core/worker.h"

typedef struct {
	const char *date;         /* --date YYYY-MM-DD, or NULL */
	int license_type;         /* --license: 1..4, or 0 */
	const char *retention;    /* --retention, or NULL: the store's default, then 10y */
	const char *organisation; /* --org, or NULL */
	bool dry_run;
	bool force;
	worker_limits limits;
	time_t now;               /* the run's clock: Bagging-Date, ingest date */
} ingest_opts;

typedef enum {
	INGEST_ARCHIVED,
	INGEST_ALREADY_ARCHIVED,
	INGEST_QUARANTINED,
	INGEST_DRY_RUN,
} ingest_status;

typedef struct {
	ingest_status status;
	char *id;              /* the bundle's id (also for already-archived and dry runs) */
	char *path;            /* the bundle, or the quarantine folder */
	release_record *record;/* fields and checks */
} ingest_result;

typedef struct ingester ingester;

/* Check opts (date, period, configured defaults) and set up. Bad values
 * are ARC_ERROR_USAGE. The store must be locked; every bundle and
 * quarantine is recorded in its audit log and catalog c. */
ingester *ingester_new(store *s, catalog *c, const ingest_opts *opts, GError **err);
void ingester_free(ingester *g);

/* Ingest one release. Returns false only when the run cannot go on
 * (ARC_ERROR_STORE: disk full, store unwritable); a bad release is a
 * result with status INGEST_QUARANTINED. */
bool ingest_release(ingester *g, const release_input *in, ingest_result *res, GError **err);
void ingest_result_clear(ingest_result *res);

typedef struct {
	/* When a release is taken up (may be NULL). */
	void (*started)(const release_input *in, void *user);
	/* Each release's result, in the order of releases, whatever jobs is. */
	void (*done)(const release_input *in, const ingest_result *res, void *user);
	void *user;
} ingest_callbacks;

/*
 * Ingest every release_input* of releases, up to jobs of them at once:
 * each is prepared (read, extracted, checked, stamped, bagged into tmp/)
 * in a forked child, and committed (published or quarantined, recorded)
 * by the caller's process in input order, so that the store, its records
 * and the results are the same, byte for byte, whatever jobs is. With
 * jobs 1 everything runs in this process. Returns false, with err naming
 * the release, when the run cannot go on; the releases before it are
 * committed and reported, none after it.
 */
bool ingest_run(ingester *g, GPtrArray *releases, unsigned jobs, const ingest_callbacks *cb,
                GError **err);

const char *ingest_status_name(ingest_status s); /* "archived", "already-archived", … */

#endif
