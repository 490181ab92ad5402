/*
 * store/disposal.h — retention run: what is due, and disposing of it.
 *
 * A bundle is due when its disposal date is on or before the given day and
 * it is not "permanent". A due bundle on hold is kept (refused). Disposing
 * of a bundle writes its disposal record to the audit log first (id,
 * title, bundle SHA-256, period, release date, disposal date, the day of
 * the run), then deletes the bundle and its sidecar, then updates the
 * catalog: a crash leaves either nothing done or a record whose deletion
 * the next run finishes (recovery.h). Never a deletion without a record.
 */
#ifndef ARC_DISPOSAL_H
#define ARC_DISPOSAL_H

#include <stdbool.h>
#include <glib.h>
#include "store/catalog.h"

typedef enum {
	DISPOSAL_DUE,      /* dry run: would be disposed of */
	DISPOSAL_DONE,     /* disposed of */
	DISPOSAL_HELD,     /* due, but on hold: kept */
} disposal_status;

typedef struct {
	catalog_bundle *bundle; /* owned */
	disposal_status status;
} disposal_item;

void disposal_item_free(disposal_item *d);

/*
 * The bundles due on day (YYYY-MM-DD), oldest disposal date first
 * (disposal_item*). With apply, dispose of every one not on hold (the
 * caller holds the store lock). At the first failure to write or delete
 * it sets err (ARC_ERROR_STORE) and disposes of nothing more, but still
 * returns the list: what was done says DISPOSAL_DONE. NULL only when the
 * catalog cannot be read.
 */
GPtrArray *disposal_run(const char *store_dir, catalog *c, const char *day, bool apply,
                        GError **err);

#endif
