/*
 * store/retention.h — retention periods, their start and the disposal date
 * (SPEC, "Retention and disposal"; 공공기록물 관리에 관한 법률 시행령 Art. 26).
 *
 * A period is "permanent" (영구), "semi-permanent" (준영구), or N followed by
 * y, m or d ("10y", "18m", "90d"). The statutory ones are 1y 3y 5y 10y 30y,
 * semi-permanent and permanent; any other is kept, and recorded as
 * non-statutory.
 *
 * The period starts (기산일) on 1 January of the year after the release
 * date (Art. 26(5)), or, by the old rule a store may choose, on the
 * release date itself. The disposal date is the start plus the period; a
 * day that does not exist in the target month becomes its last day
 * (2024-02-29 + 1y = 2025-02-28). Semi-permanent and permanent records
 * have no disposal date: they are due for evaluation 70 years after
 * their start.
 */
#ifndef ARC_RETENTION_H
#define ARC_RETENTION_H

#include <stdbool.h>

typedef enum {
	RETENTION_TERM,           /* N years, months or days */
	RETENTION_SEMI_PERMANENT, /* 준영구 */
	RETENTION_PERMANENT,      /* 영구 */
} retention_kind;

typedef struct {
	retention_kind kind;
	int amount;     /* N (RETENTION_TERM) */
	char unit;      /* 'y', 'm' or 'd' (RETENTION_TERM) */
	bool statutory; /* one of the periods the Decree names */
} retention_period;

typedef enum {
	RETENTION_START_NEXT_YEAR,    /* 1 January after the release date */
	RETENTION_START_RELEASE_DATE, /* the release date */
} retention_start_rule;

#define RETENTION_DEFAULT "10y"
/* Room for a disposal date: "YYYY-MM-DD", "semi-permanent", "permanent". */
#define RETENTION_DATE_MAX 16
/* Years after the start at which a semi-permanent or permanent record is
 * evaluated again. */
#define RETENTION_EVALUATION_YEARS 70

/* Parse a period; false when it is none of the forms above. */
bool retention_parse(const char *s, retention_period *p);

/* "next-year" or "release-date"; false for anything else. */
bool retention_start_rule_parse(const char *s, retention_start_rule *r);

/* The start of the period of a release dated release_iso (YYYY-MM-DD).
 * False when the date is not valid. */
bool retention_start(const char *release_iso, retention_start_rule r, char out[11]);

/* The disposal date of a period starting on start_iso: "YYYY-MM-DD", or
 * "semi-permanent" / "permanent". False when the date is not valid, or
 * the result is past 9999-12-31. */
bool retention_disposal_date(const char *start_iso, const retention_period *p,
                             char out[RETENTION_DATE_MAX]);

/* start_iso plus RETENTION_EVALUATION_YEARS. False when not a valid date. */
bool retention_evaluation_date(const char *start_iso, char out[11]);

#endif
