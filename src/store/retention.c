/*
 * store/retention.c — periods and dates, with GLib's calendar (GDate clamps
 * to the month's last day, which is what the SPEC asks for).
 */
#include "store/retention.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool retention_parse(const char *s, retention_period *p)
{
	memset(p, 0, sizeof *p);
	if (strcmp(s, "permanent") == 0 || strcmp(s, "semi-permanent") == 0) {
		p->kind = s[0] == 'p' ? RETENTION_PERMANENT : RETENTION_SEMI_PERMANENT;
		p->statutory = true;
		return true;
	}
	if (!g_ascii_isdigit(s[0]))
		return false;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	/* Nothing is kept longer than permanent; 1000 years is a typo. */
	if (errno || n < 1 || n > 1000 * 366 || strlen(end) != 1 || !strchr("ymd", end[0]))
		return false;
	if ((end[0] == 'y' && n > 1000) || (end[0] == 'm' && n > 12000))
		return false;
	p->kind = RETENTION_TERM;
	p->amount = (int)n;
	p->unit = end[0];
	p->statutory = p->unit == 'y' && (n == 1 || n == 3 || n == 5 || n == 10 || n == 30);
	return true;
}

bool retention_start_rule_parse(const char *s, retention_start_rule *r)
{
	if (strcmp(s, "next-year") == 0)
		*r = RETENTION_START_NEXT_YEAR;
	else if (strcmp(s, "release-date") == 0)
		*r = RETENTION_START_RELEASE_DATE;
	else
		return false;
	return true;
}

/* A GDate of a strict YYYY-MM-DD; NULL when it is not one. Each
 * character is checked: sscanf alone would take "2024- 5-10" and
 * "+024-05-10", and year 0 is no GDate. */
static GDate *parse_day(const char *iso)
{
	if (strlen(iso) != 10)
		return NULL;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? iso[i] != '-' : !g_ascii_isdigit(iso[i]))
			return NULL;
	int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
	if (y < 1 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	return g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* Write date as YYYY-MM-DD and free it; false (out untouched) past year
 * 9999, which has no four-digit form. GDate years stop at 65535, and the
 * periods retention_parse accepts stay below that from any 4-digit year. */
static bool format_day(GDate *date, char out[11])
{
	unsigned y = g_date_get_year(date);
	bool ok = y <= 9999;
	if (ok)
		snprintf(out, 11, "%04u-%02u-%02u", y, (unsigned)g_date_get_month(date) % 100u,
		         (unsigned)g_date_get_day(date) % 100u);
	g_date_free(date);
	return ok;
}

bool retention_start(const char *release_iso, retention_start_rule r, char out[11])
{
	GDate *date = parse_day(release_iso);
	if (!date)
		return false;
	if (r == RETENTION_START_NEXT_YEAR)
		g_date_set_dmy(date, 1, G_DATE_JANUARY, (GDateYear)(g_date_get_year(date) + 1));
	return format_day(date, out);
}

bool retention_disposal_date(const char *start_iso, const retention_period *p,
                             char out[RETENTION_DATE_MAX])
{
	GDate *date = parse_day(start_iso);
	if (!date)
		return false;
	if (p->kind != RETENTION_TERM) {
		g_date_free(date);
		strcpy(out, p->kind == RETENTION_PERMANENT ? "permanent" : "semi-permanent");
		return true;
	}
	switch (p->unit) {
	case 'y': g_date_add_years(date, (guint)p->amount); break;
	case 'm': g_date_add_months(date, (guint)p->amount); break;
	default: g_date_add_days(date, (guint)p->amount); break;
	}
	return format_day(date, out);
}

bool retention_evaluation_date(const char *start_iso, char out[11])
{
	GDate *date = parse_day(start_iso);
	if (!date)
		return false;
	g_date_add_years(date, RETENTION_EVALUATION_YEARS);
	return format_day(date, out);
}
