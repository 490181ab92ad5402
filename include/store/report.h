/*
 * store/report.h — the state of a store at a glance, for `archive report`.
 *
 * report_collect() gathers the numbers from the catalog (bundles, checks,
 * holds by requesting body, disposal dates, the disposal pipeline: due,
 * proposed, decided, executed) and from the audit log (the last fixity
 * run);
 * report_html() renders them as one self-contained HTML page (inline CSS
 * and SVG, no script, no external reference; every text escaped, since
 * titles and reasons come from untrusted releases); report_to_json()
 * writes the same numbers as one JSON object.
 *
 * The last fixity run: `archive verify` of the whole store holds the lock
 * and writes one "verify" audit line per bundle, so a run's lines are
 * consecutive in the log. The last run is the last such stretch of
 * "verify" lines, cut where another event intervenes or an id repeats
 * (two runs back to back). Problems of the store itself (catalog, audit
 * chain, sidecars) are not in the log and so not in the report.
 *
 * The report owns everything it holds; free it with report_free().
 */
#ifndef ARC_REPORT_H
#define ARC_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "store/catalog.h"
#include "core/json.h"

/* Years of disposal dates shown: the year of "now" and the 29 after it. */
#define REPORT_DISPOSAL_YEARS 30

typedef struct {
	char *id;
	char *time;      /* of its verify line */
	char *problems;  /* "file: reason; file: reason" */
} report_failure;

/* Holds of one requesting body. */
typedef struct {
	char *body;      /* hold_by as given; NULL: not named */
	unsigned holds;
	unsigned ended;  /* of them, past their until (in force until removed) */
} report_body;

/* What the executions of one year did: the year of the batch's
 * executed_at, for a destruction the year of its disposal record. (A
 * batch whose execution was cut short has no executed_at: what it kept
 * is in the totals, and in a year once the next run finishes it.) */
typedef struct {
	unsigned destroyed, reset, deferred, kept;
} report_year;

typedef struct {
	char now[11];                /* the day judged by, YYYY-MM-DD */
	unsigned bundles;
	int64_t bytes;
	GTree *by_year;              /* "2024" → count (GUINT_TO_POINTER) */
	GTree *by_license;           /* "KOGL-Type-1" → count */
	GTree *by_status;            /* check status "pass"/"warn"/"fail" → count */
	GTree *warnings;             /* check id → bundles where that warning failed */
	GTree *errors;               /* check id → bundles archived with --force despite it */
	/* Disposal dates of the bundles in the store. */
	int first_year;              /* year of now */
	unsigned due[REPORT_DISPOSAL_YEARS]; /* dated in first_year + i, after now */
	unsigned later;              /* dated after the last year shown */
	unsigned past_date;          /* dated on or before now, still in the store */
	unsigned due_now;            /* of those, neither held nor in an open batch
	                                (catalog_due: what a proposal takes now) */
	unsigned held_past_date;     /* of those, on hold (in an open batch or not) */
	unsigned semi_permanent;
	unsigned permanent;
	unsigned undated;            /* no disposal date the report can read */
	unsigned evaluation_due;     /* (semi-)permanent, evaluation date reached */
	/* The pipeline: items of open batches (state open or executing)
	 * without an outcome yet, undecided or decided by kind. */
	unsigned open_batches;
	unsigned proposed;           /* awaiting a decision */
	unsigned decided_destroy, decided_reset, decided_defer;
	/* What executions did. destroyed counts disposal records (every
	 * destroyed bundle's, batch or not); the others items' outcomes. */
	unsigned destroyed;
	unsigned reset, deferred;
	unsigned kept_hold, kept_changed, kept_missing, kept_other;
	GTree *executed_by_year;     /* "2027" → report_year* */
	GPtrArray *holds_by_body;    /* report_body*, bodies in byte order, then not named */
	unsigned holds_ended;        /* holds past their until, all bodies */
	GPtrArray *holds;            /* catalog_hold* */
	/* The last fixity run; run_verified 0 when the log has none. */
	unsigned run_verified;
	unsigned run_failed;
	char *run_start, *run_end;   /* times of its first and last verify line */
	GPtrArray *run_failures;     /* report_failure* */
	uint64_t audit_torn;         /* bytes after the audit log's last newline,
	                                left out (a torn line; 0: none) */
} report;

/* Gather the numbers of the store at store_dir (catalog c open) as of now
 * (YYYY-MM-DD). Errors: ARC_ERROR_STORE from the catalog or audit log. */
report *report_collect(const char *store_dir, catalog *c, const char *now, GError **err);
void report_free(report *r);

/* The page, UTF-8; caller frees. */
char *report_html(const report *r, const char *store_name);

/* The numbers as one JSON object's members (the caller opens and closes it). */
void report_to_json(const report *r, json_writer *w);

#endif
