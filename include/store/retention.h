/*
 * store/retention.h — retention periods and disposal dates (SPEC, "Retention").
 *
 * A period is "permanent" or N followed by y, m or d ("10y", "18m", "90d").
 * The disposal date is the release date plus the period; a day that does
 * not exist in the target month becomes its last day (2024-02-29 + 1y =
 * 2025-02-28).
 */
#ifndef ARC_RETENTION_H
#define ARC_RETENTION_H

#include <stdbool.h>

typedef struct {
	bool permanent;
	int amount;  /* N */
	char unit;   /* 'y', 'm' or 'd' */
} retention_period;

#define RETENTION_DEFAULT "10y"

/* Parse a period; false when it is none of the forms above. */
bool retention_parse(const char *s, retention_period *p);

/* The disposal date of a release dated release_iso (YYYY-MM-DD) into
 * out: "YYYY-MM-DD", or "permanent". False when the date is not valid. */
bool retention_disposal_date(const char *release_iso, const retention_period *p, char out[11]);

#endif
