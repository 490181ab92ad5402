/*
 * ingest/checks.h — check results: the list every ingest records.
 *
 * A check has an id ("pdf.open"), a level (error or warning: the level it
 * has when it fails), a status (pass or fail), a message a records officer
 * understands, and the file it concerns (a release-relative path, or NULL
 * for the release as a whole). Every check that ran is recorded, passed or
 * not. The list owns its results.
 */
#ifndef ARC_CHECKS_H
#define ARC_CHECKS_H

#include <stdbool.h>
#include <glib.h>
#include "core/json.h"

typedef enum { CHECK_LEVEL_ERROR, CHECK_LEVEL_WARNING } check_level;

typedef struct {
	char *id;
	check_level level;
	bool passed;
	char *message;
	char *file; /* may be NULL */
} check_result;

typedef struct {
	GPtrArray *items; /* of check_result* */
} check_list;

check_list *check_list_new(void);
void check_list_free(check_list *l);

void check_add(check_list *l, const char *id, check_level level, bool passed,
               const char *file, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Remove the passed results of id (a later failure supersedes them). */
void check_list_drop_passed(check_list *l, const char *id);

/* A failed check of level error (the release goes to quarantine). */
bool check_list_has_error(const check_list *l);
/* "pass" (nothing failed), "warn" (only warnings failed), "fail". */
const char *check_list_status(const check_list *l);
/* The first failed check with this id, or NULL. */
const check_result *check_list_find_failed(const check_list *l, const char *id);

/* Order the results by the position of their id in ids (NULL-terminated;
 * unknown ids last), keeping the order of results with the same id. */
void check_list_sort(check_list *l, const char *const *ids);

/* Write the list as a JSON array of {"id","level","status","message","file"}. */
void check_list_to_json(const check_list *l, json_writer *w);

#endif
