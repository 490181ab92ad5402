/*
 * store/disposal.h — disposal as Korean records law has it (SPEC,
 * "Retention and disposal"; 공공기록물 관리에 관한 법률 시행령 Art. 43):
 * nothing is destroyed by a schedule alone.
 *
 *   propose  freezes the bundles due on a day (neither held nor in an open
 *            batch) into a batch: one audit line holds the batch whole,
 *            each item with the SHA-256 its bundle had;
 *   review   records a person's decision on items: destroy, reset the
 *            period (from the same start), or defer to a later date; one
 *            line per item, written together;
 *   execute  once every item is decided, destroys those decided destroy,
 *            except bundles on hold since (kept) and bundles whose SHA-256
 *            is no longer the frozen one, that cannot be read, or that are
 *            gone (kept: verify them). A "disposal-execute" line comes first, then per item
 *            its disposal record ("dispose", written before the bundle and
 *            its sidecar are deleted) or why it was kept, then
 *            "disposal-executed". A run cut short is finished by the next
 *            one (recovery.h calls disposal_execute again): what is
 *            recorded done is skipped, never done twice.
 *
 * Every change is written to the audit log first, then mirrored in the
 * catalog (catalog_apply_event), so reindex gives the same answer. The
 * caller holds the store lock. Errors: ARC_ERROR_INPUT for what the user
 * asked that cannot be done (no such batch, an item already decided:
 * nothing is written), ARC_ERROR_STORE when the store fails.
 */
#ifndef ARC_DISPOSAL_H
#define ARC_DISPOSAL_H

#include <stdbool.h>
#include <glib.h>
#include "store/catalog.h"

/* The size past which a proposal line starts a new batch: a line is one
 * entry of the transparency log, which takes at most 65535 bytes. */
#define DISPOSAL_LINE_MAX 60000

/*
 * Freeze what is due on day (YYYY-MM-DD) into new batches, as many as it
 * takes for each batch's line to stay within DISPOSAL_LINE_MAX (one for a
 * few hundred bundles). batches receives their ids (char*, in order);
 * none when nothing is due (then nothing is written). A crash between two
 * batches leaves the first whole; the rest is still due, and proposed by
 * the next run.
 */
bool disposal_propose(const char *store_dir, catalog *c, const char *day, GPtrArray *batches,
                      GError **err);

typedef struct {
	const char *kind;  /* "destroy", "reset" or "defer" */
	const char *value; /* reset: the new period; defer: YYYY-MM-DD; destroy: NULL */
	const char *by;    /* who decided (the committee, the professional) */
	const char *reason;
	const char *meeting; /* the meeting's reference, or NULL */
} disposal_decision;

/*
 * Record decision d on the items ids (n of them; n 0: every item not yet
 * decided) of the open batch. All or nothing: an id not in the batch or
 * already decided, a reset that would leave the bundle due on the batch's
 * day, a deferral not after it, is ARC_ERROR_INPUT and nothing is written.
 * *count gets the number of items decided.
 */
bool disposal_review(const char *store_dir, catalog *c, const char *batch, char *const *ids,
                     guint n, const disposal_decision *d, guint *count, GError **err);

/*
 * Execute the batch (see above): every item must be decided, else
 * ARC_ERROR_INPUT. A batch already executed is ARC_ERROR_INPUT too. After
 * it, catalog_batch_items gives each item's outcome.
 */
bool disposal_execute(const char *store_dir, catalog *c, const char *batch, GError **err);

/*
 * For stores outside that law ([disposal] review = none): propose, decide
 * destroy (by the user running it) and execute, in one run; batches left
 * open before (a run cut short) are decided and executed first. batches
 * receives the ids of those executed (char*).
 */
bool disposal_apply(const char *store_dir, catalog *c, const char *day, GPtrArray *batches,
                    GError **err);

/* Finish every batch whose execution was begun and not finished (for
 * recovery, holding the lock). *finished counts them. */
bool disposal_finish_executions(const char *store_dir, catalog *c, unsigned *finished,
                                GError **err);

#endif
