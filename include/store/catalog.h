/*
 * store/catalog.h — STORE/catalog.sqlite: an index of the store for quick
 * answers (list, show, retention), rebuildable at any time.
 *
 * It holds nothing of its own. A bundle's row, files and checks come from
 * the bundle's metadata/release.json; holds, verifications, disposals and
 * events come from the audit log's lines. Both go in through the same two
 * functions whether live (ingest, hold, …) or in catalog_rebuild(), so a
 * rebuilt catalog answers exactly as the one it replaces. SQLite's JSON
 * functions read release.json and the audit lines.
 *
 * Strings in returned structs are owned by them; free with the _free
 * functions. Errors are ARC_ERROR_STORE ("catalog.sqlite: …"). A read
 * answers in full or fails: one SQLite could not finish (SQLITE_BUSY past
 * the busy timeout, an I/O error) returns NULL and err, never the rows
 * it had read. The walks of the whole store (catalog_each…) hand rows on
 * as they read them, so that memory does not grow with the store: one
 * that fails part way returns false and err after the rows handed on.
 */
#ifndef ARC_CATALOG_H
#define ARC_CATALOG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "core/json.h"

typedef struct catalog catalog;

/* Open (creating when missing) STORE/catalog.sqlite in WAL mode. */
catalog *catalog_open(const char *store_dir, GError **err);
void catalog_close(catalog *c);

/* Record a bundle now in the store, from its release.json, in one
 * transaction (replacing an earlier row of the same id). */
bool catalog_add_bundle(catalog *c, const char *bundle_path, const char *release_json,
                        const char *bundle_sha256, int64_t bundle_size, GError **err);

/* Mirror one audit line (seq order; a line already mirrored is skipped):
 * the events table, and holds, verifications and disposals. A "dispose"
 * line takes the bundle's row out of bundles. */
bool catalog_apply_event(catalog *c, const char *audit_line, GError **err);

/* catalog_apply_event for each of lines (char*, in seq order), in one
 * transaction: all are mirrored or none (one commit, one fsync, for a
 * batch of lines appended together). */
bool catalog_apply_events(catalog *c, const GPtrArray *lines, GError **err);

/* The highest audit seq mirrored (0 for none). */
int64_t catalog_last_seq(catalog *c);

typedef struct {
	char *id;
	char *path;
	char *title;
	char *release_date;
	char *organisation;
	char *license;
	/* The schedule: as ingest recorded it, or as a later decision (a
	 * reset period, a deferral) made it. */
	char *retention;
	char *retention_start; /* YYYY-MM-DD */
	char *disposal_date;  /* YYYY-MM-DD, "semi-permanent" or "permanent" */
	char *check_status;
	char *bundle_sha256;
	char *content_sha256;
	char *ingested_at;
	int64_t size;
	char *hold_reason;    /* NULL when not on hold */
	char *hold_by;        /* the body that asked for the hold, or NULL */
	char *hold_until;     /* its end, or NULL */
	char *batch;          /* the open disposal batch it is in, or NULL */
	char *last_verified;  /* time of the last verification, NULL if never */
	bool last_valid;
} catalog_bundle;

void catalog_bundle_free(catalog_bundle *b);
/* Its strings freed, the struct zeroed (not freed). */
void catalog_bundle_clear(catalog_bundle *b);
/* The bundle's fields as members of the object w is writing (--json). */
void catalog_bundle_to_json(const catalog_bundle *b, json_writer *w);

/*
 * The walks of the whole store: fn is called with each row in turn, which
 * is freed after the call (fn may keep strings by taking them: setting
 * the field to NULL), so that memory does not grow with the store. fn
 * returns false to stop the walk; when it also set err, that is the
 * walk's error. Returns false with err when a row could not be read
 * (SQLITE_BUSY past the busy timeout, an I/O error) or fn set err: the
 * rows fn was given are then not all there are.
 */
typedef bool (*catalog_bundle_fn)(catalog_bundle *b, void *arg, GError **err);

/* Every bundle, by id. */
bool catalog_each(catalog *c, catalog_bundle_fn fn, void *arg, GError **err);
/* What a disposal proposal on date (YYYY-MM-DD) takes: bundles whose
 * disposal date is on or before it, neither on hold nor in an open batch;
 * never semi-permanent or permanent ones. Oldest disposal date first. */
bool catalog_each_due(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                      GError **err);
/* catalog_each_due for a fn that changes the catalog (a disposal
 * proposal freezing batches): the rows are those due when the walk began,
 * handed on a chunk at a time with no read open while fn runs. */
bool catalog_each_due_fixed(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                            GError **err);
/* Semi-permanent and permanent bundles whose evaluation date (start +
 * RETENTION_EVALUATION_YEARS, store/retention.h) is on or before date. */
bool catalog_each_evaluation_due(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                                 GError **err);

/* 1 when the catalog lists bundle id, 0 when not, -1 with err when it
 * cannot say (one primary-key lookup: cheaper than catalog_get). */
int catalog_has_bundle(catalog *c, const char *id, GError **err);
/* Reads between these two share one read transaction, where each would
 * take and drop its own (catalog_has_bundle of every bundle file, at
 * recovery). Nothing is written in between. Inside a transaction begin
 * does nothing, and so does the end that follows it. */
bool catalog_read_begin(catalog *c, GError **err);
bool catalog_read_end(catalog *c, GError **err);
/* How many bundles the catalog lists (-1 with err when it cannot say). */
int64_t catalog_count(catalog *c, GError **err);
/* The length of the longest bundle id (0 for none), for columns. */
int catalog_id_width(catalog *c, GError **err);

/* One bundle; NULL without err when there is no such id. */
catalog_bundle *catalog_get(catalog *c, const char *id, GError **err);
/* The id of the bundle holding this content; NULL without err when none
 * does. Caller frees. */
char *catalog_find_content(catalog *c, const char *content_sha256, GError **err);
/* A bundle's release.json as recorded; NULL without err when there is no
 * such bundle. Caller frees. */
char *catalog_release_json(catalog *c, const char *id, GError **err);
typedef struct {
	char *id, *level, *status, *message, *file;
} catalog_check;

typedef struct {
	char *path, *role, *mime, *sha256;
	int64_t size;
} catalog_file;

/* A bundle's check results and payload files, in recorded order. */
GPtrArray *catalog_checks(catalog *c, const char *id, GError **err);
GPtrArray *catalog_files(catalog *c, const char *id, GError **err);

/* The audit lines that concern a bundle, oldest first (char*). */
GPtrArray *catalog_events(catalog *c, const char *id, GError **err);
/* The newest audit line of a bundle whose event is `event` or `or_event`
 * (NULL: only `event`), or NULL (with err set when the catalog could not
 * be read): one row read, however many verifications the bundle has had. */
char *catalog_last_event(catalog *c, const char *id, const char *event, const char *or_event,
                         GError **err);

typedef struct {
	char *id;
	char *reason;
	char *user;
	char *since;
	char *by;    /* the body that asked (감사원, 검찰, a court), or NULL */
	char *until; /* YYYY-MM-DD, or NULL: until removed */
} catalog_hold;

void catalog_hold_free(catalog_hold *h);
/* Every hold in force, by id (catalog_hold*). With before (YYYY-MM-DD),
 * only those whose until is before it (ended, yet in force until removed). */
GPtrArray *catalog_holds(catalog *c, const char *before, GError **err);

/* A disposal batch (SPEC, "Retention and disposal"). */
typedef struct {
	char *id;          /* "2026-12-02-1": the day it judged by, and a count */
	char *day;         /* the --now of the proposal */
	char *proposed_at; /* time of the proposal */
	char *user;
	char *state;       /* "open", "executing" (begun, not finished), "executed" */
	char *executed_at; /* NULL until executed */
	int64_t items, decided;
} catalog_batch;

/* An item of a batch: the bundle as frozen, its decision, its outcome. */
typedef struct {
	char *batch, *id, *title, *retention, *retention_start, *disposal_date, *bundle_sha256;
	char *decision; /* NULL (undecided), "destroy", "reset" or "defer" */
	char *value;    /* reset: the period; defer: the date */
	char *decided_by, *reason, *meeting, *decided_user, *decided_at;
	/* NULL until executed; then "destroyed", "kept-hold", "kept-changed",
	 * "kept-unreadable", "kept-missing", "reset" or "deferred" */
	char *outcome;
	char *detail;   /* what kept it (the hold, the SHA-256 found) */
} catalog_batch_item;

void catalog_batch_free(catalog_batch *b);
void catalog_batch_item_free(catalog_batch_item *i);
/* Every batch, oldest first (catalog_batch*). */
GPtrArray *catalog_batches(catalog *c, GError **err);
/* One batch; NULL without err when there is none of that id. */
catalog_batch *catalog_batch_get(catalog *c, const char *id, GError **err);
/* A batch's items, by bundle id (catalog_batch_item*). */
GPtrArray *catalog_batch_items(catalog *c, const char *batch, GError **err);

/* The disposal record of a destroyed bundle: the fields of its "dispose"
 * audit line. */
typedef struct {
	char *id, *title, *bundle_sha256, *retention, *retention_start, *release_date;
	char *disposal_date, *batch, *decision, *decided_by, *meeting, *reason, *decided_user;
	char *decided_at, *disposed_at, *user;
	char *line; /* the audit line itself */
} catalog_disposal;

void catalog_disposal_free(catalog_disposal *d);
/* Every disposal record, by id (catalog_disposal*). */
GPtrArray *catalog_disposals(catalog *c, GError **err);
/* One; NULL without err when the bundle was never destroyed. */
catalog_disposal *catalog_disposal_get(catalog *c, const char *id, GError **err);

/*
 * Rebuild STORE/catalog.sqlite from the bundles (their release.json and
 * .sha256 sidecars) and the audit log alone, in one transaction. A bundle
 * that cannot be read is left out and named in skipped (char*, "path:
 * reason"). The caller holds the store lock.
 */
bool catalog_rebuild(const char *store_dir, GPtrArray *skipped, GError **err);

/* Add the bundle at STORE/rel (its release.json, sidecar hash and size). */
bool catalog_add_bundle_file(catalog *c, const char *store_dir, const char *rel, GError **err);

/* release.json of a bundle file, read from the start of its stream.
 * Caller frees; NULL with err when the bundle has none. */
char *catalog_read_release_json(const char *bundle_path, GError **err);

#endif
