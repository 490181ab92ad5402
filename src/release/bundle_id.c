/*
 * release/bundle_id.c — slugs and bundle identifiers.
 */
#include "release/bundle_id.h"

#include <glib.h>
#include <string.h>

#define SLUG_MAX 48

char *bundle_slug(const char *title)
{
	GString *s = g_string_new(NULL);
	bool gap = false;
	for (const char *p = title ? title : ""; *p; p++) {
		if (g_ascii_isalnum(*p)) {
			if (gap && s->len > 0)
				g_string_append_c(s, '-');
			g_string_append_c(s, g_ascii_tolower(*p));
			gap = false;
		} else {
			gap = true;
		}
	}
	/* Cut at 48 characters, and never end on a joining dash. */
	if (s->len > SLUG_MAX)
		g_string_truncate(s, SLUG_MAX);
	while (s->len > 0 && s->str[s->len - 1] == '-')
		g_string_truncate(s, s->len - 1);
	if (s->len == 0)
		g_string_assign(s, "release");
	return g_string_free(s, FALSE);
}

char *bundle_id_make(const char *date_iso, const char *title, const char *content_sha256)
{
	char *slug = bundle_slug(title);
	char *id = g_strdup_printf("%s_%s_%.8s", date_iso, slug, content_sha256);
	g_free(slug);
	return id;
}

bool bundle_id_valid(const char *s)
{
	/* YYYY-MM-DD_ + slug + _ + 8 hex */
	size_t n = strlen(s);
	if (n < 11 + 1 + 1 + 8 || n > 11 + SLUG_MAX + 1 + 8)
		return false;
	for (int i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? s[i] == '-' : g_ascii_isdigit(s[i])))
			return false;
	if (s[10] != '_' || s[n - 9] != '_')
		return false;
	for (size_t i = n - 8; i < n; i++)
		if (!g_ascii_isxdigit(s[i]) || g_ascii_isupper(s[i]))
			return false;
	for (size_t i = 11; i < n - 9; i++)
		if (!(g_ascii_islower(s[i]) || g_ascii_isdigit(s[i]) || s[i] == '-'))
			return false;
	return true;
}
