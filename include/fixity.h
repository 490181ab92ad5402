/*
 * fixity.h — verify the whole store: every bundle (in one streaming pass
 * each) with its .sha256 sidecar, the catalog's agreement with the files,
 * and the audit log's hash chain. Each bundle's verification is recorded
 * in the audit log ("verify" event) and so in the catalog; the caller
 * holds the store lock.
 */
#ifndef ARC_FIXITY_H
#define ARC_FIXITY_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "bag_verify.h"
#include "catalog.h"

typedef struct {
	GPtrArray *problems;     /* bag_problem*: the store's own (catalog, audit log, sidecars) */
	uint64_t audit_lines;    /* lines of an intact audit log */
	unsigned verified;       /* bundles verified */
	unsigned failed;         /* of which invalid */
} fixity_result;

/* Called after each bundle, in order, with its report (owned by fixity). */
typedef void (*fixity_progress)(const char *path, const bag_report *r, void *arg);

/* Verify every bundle of the store, then the catalog and the audit chain.
 * Returns false only when the store cannot be read or the records cannot
 * be written (ARC_ERROR_STORE); invalid bundles are in the result. */
bool fixity_run(const char *store_dir, catalog *c, const bag_verify_opts *opts,
                fixity_progress progress, void *arg, fixity_result *res, GError **err);
void fixity_result_clear(fixity_result *res);

#endif
