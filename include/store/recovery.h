/*
 * store/recovery.h — after a crash, bring the catalog and the bundle folder in
 * line with the audit log, the record of what happened.
 *
 * Runs at the start of every mutating command, holding the store lock
 * (store_lock has already removed the debris in tmp/):
 *  - a torn last line of the audit log (no newline at its end) is cut off
 *    and kept in STORE/audit.log.torn-TIME, or, when it is a whole line
 *    of the chain missing only its newline, completed; either repair is
 *    recorded as a "repair" audit line (audit_repair_tail in audit.h);
 *  - audit lines not yet in the catalog are mirrored into it;
 *  - a disposal recorded in the audit log whose bundle is still on disk is
 *    finished (the record is written before the files are deleted), once
 *    the file is read and found to be the bundle the record names: one
 *    that cannot be read (EIO, EACCES) is left as it is and listed, never
 *    deleted unread;
 *  - a bundle on disk without an ingest line in the audit log gets one,
 *    marked "recovered" (the crash fell between publishing it and
 *    recording it), and every bundle on disk gets its catalog row;
 *  - a sidecar without its bundle (the sidecar is published first) is
 *    removed;
 *  - a disposal batch whose execution was begun and not finished is
 *    finished (store/disposal.h).
 * A bundle too damaged to read is left as it is and listed: one bad bundle
 * must not stop the store from working.
 */
#ifndef ARC_RECOVERY_H
#define ARC_RECOVERY_H

#include <stdbool.h>
#include <glib.h>
#include "store/audit.h"
#include "store/catalog.h"

typedef struct {
	unsigned replayed;          /* audit lines mirrored into the catalog */
	unsigned recorded;          /* bundles given an ingest line */
	unsigned indexed;           /* bundles given a catalog row */
	unsigned disposals_finished;/* bundles deleted after their disposal record */
	unsigned orphans_removed;   /* sidecars without a bundle */
	unsigned executions_finished; /* disposal batches whose execution was finished */
	GPtrArray *unreadable;      /* char*: "path: reason" of bundles that could
	                               not be indexed (damaged); verify names them */
	GPtrArray *kept_unread;     /* char*: "path: reason" of bundles whose
	                               disposal the audit log records but which
	                               could not be read to tell they are the
	                               bundle disposed of: left as they are */
	GPtrArray *rows_restored;   /* char*: ids of bundles whose ingest the audit
	                               log records but the catalog had lost (no
	                               crash explains that); indexed again */
	audit_tail audit_tail;      /* a torn last audit line repaired (bytes 0:
	                               none); what was done, where the bytes are */
} recovery_report;

void recovery_report_clear(recovery_report *r);

bool recovery_run(const char *store_dir, catalog *c, recovery_report *rep, GError **err);

/* `archive reindex`: catalog_rebuild() (a damaged catalog set aside), then
 * recovery_run() on the new catalog, which is returned open (NULL on
 * failure). The caller holds the store lock. */
catalog *recovery_reindex(const char *store_dir, GPtrArray *skipped, recovery_report *rep,
                          GError **err);

#endif
