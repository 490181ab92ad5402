/*
 * ingest/decide.h — what ingest decides about a release once its files
 * are read and its PDFs extracted: the record's fields (title, date,
 * organisation, retention, licence) and SPEC's document, PDF and licence
 * checks (release.title, release.date, release.contact,
 * attachment.present, pdf.open, pdf.text, pdf.active_content,
 * pdf.matches_release, license.detected, license.consistent). The checks
 * about files and bundles (input.file, attachment.type, pdf.stamp) are
 * ingest's, which reads and packs the files. Nothing here reads or writes
 * a file: what the PDFs' texts say ingest read into their pdf_records.
 */
#ifndef ARC_RELEASE_CHECKS_H
#define ARC_RELEASE_CHECKS_H

#include <stdbool.h>
#include <stdint.h>
#include "release/input.h"
#include "ingest/metadata.h"
#include "store/retention.h"

/* What the options and archive.conf decide, over every release of a run. */
typedef struct {
	int license_type;              /* --license, 0: none */
	int default_license;           /* archive.conf license, 0: none */
	const char *organisation;      /* --organisation, or NULL */
	const char *conf_organisation; /* archive.conf organisation, or NULL */
	const char *date;              /* --date as given (a valid date), or NULL */
	const char *today;             /* the run's day, YYYY-MM-DD */
	const char *retention;         /* the retention period as named */
	const retention_period *period;
	retention_start_rule start_rule; /* archive.conf [retention] start */
	int64_t now;                   /* the run's clock: ingested_at */
} release_policy;

/* Title, date (and date_source, date_pdf), organisation, retention (its
 * start by pol->start_rule, whether it is statutory), disposal and bagging
 * dates, ingested_at. */
void release_decide_fields(const release_policy *pol, release_record *r);

/* release_decide_fields, then every check named above and the licence
 * (r->license, NULL when none is found: license.detected fails). */
void release_decide(const release_policy *pol, release_record *r, const release_input *in);

/* Before extraction (to stamp the access copy in the same worker): the
 * licence as far as it is known without the PDFs (--license, else the
 * release's statement, which wins over any PDF's), or NULL; and the title
 * and organisation release_decide_fields will choose. */
const kogl_license *release_early_license(const release_policy *pol, const release_record *r);
char *release_decided_title(const release_record *r);
/* --org, else archive.conf's, else the one the page names (SPEC); NULL
 * ("none") when there is none. */
char *release_decided_organisation(const release_policy *pol, const release_record *r,
                                   const char **source);

/* pdf.matches_release: is title in text, as a whole once spacing and
 * punctuation are folded away, or by at least 80% of its words? */
bool release_title_in_text(const char *title, const char *text);

#endif
