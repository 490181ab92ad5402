/*
 * store/retention.c — periods and disposal dates, with GLib's calendar (GDate
 * clamps to the month's last day, which is what the SPEC asks for).
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
	if (strcmp(s, "permanent") == 0) {
		p->permanent = true;
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
	p->amount = (int)n;
	p->unit = end[0];
	return true;
}

bool retention_disposal_date(const char *release_iso, const retention_period *p, char out[11])
{
	int y, m, d;
	char tail;
	if (strlen(release_iso) != 10 ||
	    sscanf(release_iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return false;
	if (p->permanent) {
		strcpy(out, "permanent");
		return true;
	}
	GDate *date = g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
	switch (p->unit) {
	case 'y': g_date_add_years(date, (guint)p->amount); break;
	case 'm': g_date_add_months(date, (guint)p->amount); break;
	default: g_date_add_days(date, (guint)p->amount); break;
	}
	/* GDate years stop at 65535; periods are capped well below that. */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)g_date_get_year(date) % 10000u,
	         (unsigned)g_date_get_month(date) % 100u, (unsigned)g_date_get_day(date) % 100u);
	g_date_free(date);
	return true;
}
