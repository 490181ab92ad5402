/*
 * bag/path.c — the one check that a path stays inside a bag, and RFC 8493's
 * percent-encoding of manifest paths. Hand-written: the RFC's encoding is
 * exactly three escapes, which no URI library does (they decode every %XX).
 */
#include "bag/path.h"

#include <string.h>

const char *bag_path_problem(const char *p)
{
	if (!*p)
		return "is empty";
	if (p[0] == '/')
		return "escapes the bag (absolute path)";
	if (p[0] == '~')
		return "escapes the bag (home directory)";
	if (g_ascii_isalpha(p[0]) && p[1] == ':')
		return "escapes the bag (Windows drive)";
	if (p[0] == '\\')
		return "escapes the bag (Windows root or UNC path)";
	if (p[0] == '%' && strchr(p + 1, '%'))
		return "escapes the bag (Windows environment variable)";
	/* "..\\" climbs on Windows: split on both separators. */
	char **parts = g_strsplit_set(p, "/\\", -1);
	const char *why = NULL;
	for (char **q = parts; *q && !why; q++) {
		if (strcmp(*q, "..") == 0)
			why = "escapes the bag (..)";
		else if ((!**q && q[1]) || strcmp(*q, ".") == 0)
			why = "is not a plain path (an empty or '.' component)";
	}
	g_strfreev(parts);
	return why;
}

char *bag_path_normal(const char *path)
{
	char **parts = g_strsplit(path, "/", -1);
	GPtrArray *keep = g_ptr_array_new();
	for (char **p = parts; *p; p++)
		if (**p && strcmp(*p, ".") != 0)
			g_ptr_array_add(keep, *p);
	g_ptr_array_add(keep, NULL);
	char *out = keep->len > 1 ? g_strjoinv("/", (char **)keep->pdata) : NULL;
	g_ptr_array_unref(keep);
	g_strfreev(parts);
	return out;
}

char *bag_encode_path(const char *path)
{
	GString *s = g_string_sized_new(strlen(path) + 8);
	for (const char *p = path; *p; p++) {
		switch (*p) {
		case '%': g_string_append(s, "%25"); break;
		case '\r': g_string_append(s, "%0D"); break;
		case '\n': g_string_append(s, "%0A"); break;
		default: g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

char *bag_decode_path(const char *path)
{
	GString *s = g_string_sized_new(strlen(path));
	for (const char *p = path; *p; p++) {
		if (p[0] == '%' && p[1] && p[2]) {
			if (p[1] == '2' && p[2] == '5') {
				g_string_append_c(s, '%');
				p += 2;
				continue;
			}
			if (p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
				g_string_append_c(s, '\r');
				p += 2;
				continue;
			}
			if (p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
				g_string_append_c(s, '\n');
				p += 2;
				continue;
			}
		}
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

