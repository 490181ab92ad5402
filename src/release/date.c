/*
 * release/date.c — the dates of a release, in the forms releases write them
 * ("2024-05-10", "2024. 5. 10.", "2024년 5월 10일", "May 10, 2024", "10 May 2024").
 */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#define MONTHS "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
               "aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

/* Each form, and which match group holds year, month and day. */
static const struct {
	const char *pattern;
	int y, m, d;
} date_forms[] = {
	{ "(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])", 1, 2, 3 },
	{ "(?<![0-9])([0-9]{4})\\s*([./])\\s*([0-9]{1,2})\\s*\\2\\s*([0-9]{1,2})(?![0-9])\\.?",
	  1, 3, 4 },
	{ "(?<![0-9])([0-9]{4})\\s*년\\s*([0-9]{1,2})\\s*월\\s*([0-9]{1,2})\\s*일", 1, 2, 3 },
	/* "DateSeptember 12, 2024": a label glued to it */
	{ "(?:\\b|(?<=date))" MONTHS "\\.?\\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\\s+([0-9]{4})(?![0-9])", 3, 1, 2 },
	{ "(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?\\s+" MONTHS "\\.?,?\\s+([0-9]{4})(?![0-9])",
	  3, 2, 1 },
};

static GRegex *date_re[G_N_ELEMENTS(date_forms)], *date_whole[G_N_ELEMENTS(date_forms)];

void date_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms); i++) {
		char *whole = g_strdup_printf("^\\s*(?:%s)\\s*$", date_forms[i].pattern);
		date_re[i] = text_regex(date_forms[i].pattern, G_REGEX_CASELESS);
		date_whole[i] = text_regex(whole, G_REGEX_CASELESS);
		g_free(whole);
	}
	g_once_init_leave(&done, 1);
}

static int month_number(const char *s)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec" };
	if (g_ascii_isdigit(s[0]))
		return atoi(s);
	for (int i = 0; i < 12; i++)
		if (g_ascii_strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* Format the date a match found, when it is a real one. Years outside
 * 1900–2100 are numbers that look like dates, not release dates. */
static bool match_to_iso(GMatchInfo *mi, int form, char iso[11])
{
	char *ys = g_match_info_fetch(mi, date_forms[form].y);
	char *ms = g_match_info_fetch(mi, date_forms[form].m);
	char *ds = g_match_info_fetch(mi, date_forms[form].d);
	int y = atoi(ys), m = month_number(ms), d = atoi(ds);
	bool ok = y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
	          g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
	if (ok)
		g_snprintf(iso, 11, "%04d-%02d-%02d", y, m, d);
	g_free(ys);
	g_free(ms);
	g_free(ds);
	return ok;
}

bool release_parse_date(const char *s, char iso[11])
{
	bool ok = false;
	date_init();
	if (!s)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms) && !ok; i++) {
		GMatchInfo *mi = NULL;
		if (g_regex_match(date_whole[i], s, 0, &mi))
			ok = match_to_iso(mi, (int)i, iso);
		g_match_info_free(mi);
	}
	return ok;
}

bool release_find_date(const char *text, char iso[11])
{
	gint best = -1;
	date_init();
	if (!text)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(date_forms); i++) {
		GMatchInfo *mi = NULL;
		g_regex_match(date_re[i], text, 0, &mi);
		/* An impossible date (2024-02-30) is skipped, not the end of the search. */
		for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
			gint start, end;
			char found[11];
			g_match_info_fetch_pos(mi, 0, &start, &end);
			if (best >= 0 && start >= best)
				break;
			if (match_to_iso(mi, (int)i, found)) {
				best = start;
				memcpy(iso, found, 11);
				break;
			}
		}
		g_match_info_free(mi);
	}
	return best >= 0;
}

