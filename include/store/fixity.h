/*
 * store/fixity.h — verify the whole store: every bundle (in one streaming pass
 * each) with its .sha256 sidecar, the catalog's agreement with the files,
 * and the audit log's hash chain. Each bundle's verification is recorded
 * in the audit log ("verify" event) and so in the catalog, in batches
 * (FIXITY_BATCH below); the caller holds the store lock.
 *
 * For nightly runs on a large store, a run may verify only some bundles:
 * those not verified for some days, least recently verified first (never
 * verified before all), at most so many. The catalog's and the audit
 * log's checks always cover the whole store: they are cheap.
 */
#ifndef ARC_FIXITY_H
#define ARC_FIXITY_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "bag/verify.h"
#include "store/catalog.h"

typedef struct {
	bag_verify_opts verify;
	int jobs;         /* bundles verified at once (forked children); <= 1: one */
	int stale_days;   /* < 0: every bundle; else those not verified within so many days */
	unsigned limit;   /* 0: no limit; else verify at most so many */
	const GPtrArray *rows_restored; /* char* ids whose catalog row had been
	                                   lost (recovery_report), or NULL */
	unsigned batch;   /* verifications recorded together; 0: FIXITY_BATCH */
} fixity_opts;

/* Verifications are recorded in batches of so many bundles: their audit
 * lines in one write and one fsync, then in the catalog in one
 * transaction. A crash loses at most the records of the batch not yet
 * written (the bundles' verification, not the store's consistency). */
#define FIXITY_BATCH 64

typedef struct {
	GPtrArray *problems;     /* bag_problem*: the store's own (catalog, audit log, sidecars) */
	uint64_t audit_lines;    /* lines of an intact audit log */
	unsigned verified;       /* bundles verified */
	unsigned failed;         /* of which invalid */
	unsigned not_due;        /* bundles left out by stale_days or limit */
} fixity_result;

/* Called after each bundle, in order, with its report (owned by fixity);
 * its record may still be in the batch, written after the call. */
typedef void (*fixity_progress)(const char *path, const bag_report *r, void *arg);

/* Verify the bundles of the store that opts selects (in path order when it
 * selects all, else least recently verified first), then the catalog and
 * the audit chain. The verifications are recorded in batches of
 * opts->batch, the last when all are done (or a record failed).
 * Returns false only when the store cannot be read, the records cannot be
 * written, or the bundles cannot all be verified (bag_verify_each cannot
 * wait for its workers) (ARC_ERROR_STORE); invalid bundles are in the
 * result. */
bool fixity_run(const char *store_dir, catalog *c, const fixity_opts *opts,
                fixity_progress progress, void *arg, fixity_result *res, GError **err);
void fixity_result_clear(fixity_result *res);

#endif
