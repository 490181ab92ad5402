/*
 * release/text.c — string helpers over the UTF-8 lines of a release, shared by the
 * parser's files, and the one way they compile a regular expression.
 */
#include "parse.h"

#include <string.h>

GRegex *text_regex(const char *pattern, GRegexCompileFlags flags)
{
	/* G_REGEX_OPTIMIZE: PCRE2's JIT, compiled once before the workers
	 * fork; it halves release_parse's time on the bench corpus. The
	 * patterns are constants: one that fails to compile is a bug. */
	GRegex *r = g_regex_new(pattern, flags | G_REGEX_OPTIMIZE, 0, NULL);
	g_assert(r);
	return r;
}

bool text_is_hangul_syllable(gunichar c)
{
	return c >= 0xAC00 && c <= 0xD7A3;
}

bool text_is_control(gunichar c)
{
	if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return false;
	return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

bool text_only_whitespace(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)) && g_utf8_get_char(p) != 0xFEFF)
			return false;
	return true;
}

bool text_has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

void text_rtrim(char *s)
{
	char *end = s + strlen(s);
	while (end > s) {
		char *prev = g_utf8_find_prev_char(s, end);
		gunichar c = g_utf8_get_char(prev);
		if (!g_unichar_isspace(c) && c != 0xFEFF)
			break;
		end = prev;
	}
	*end = '\0';
}

const char *text_skip_space(const char *s)
{
	while (*s && g_unichar_isspace(g_utf8_get_char(s)))
		s = g_utf8_next_char(s);
	return s;
}

/* A trimmed copy. */
char *text_trimmed(const char *s)
{
	char *t = g_strdup(text_skip_space(s));
	text_rtrim(t);
	return t;
}

/* Lower-cased, white space removed: the form navigation words are
 * compared in, so that "알림 · 소식" is "알림·소식". */
char *text_compact(const char *s)
{
	char *lower = g_utf8_strdown(s, -1);
	GString *out = g_string_new(NULL);
	for (const char *p = lower; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_isspace(c))
			g_string_append_unichar(out, c);
	}
	g_free(lower);
	return g_string_free(out, FALSE);
}

/* Does s start with prefix, a whole word (not followed by a letter)? */
bool text_starts_with_word(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (g_ascii_strncasecmp(s, prefix, n) != 0)
		return false;
	return s[n] == '\0' || !g_unichar_isalnum(g_utf8_get_char(s + n));
}

/* Skip the decoration a line may open with: "※ 문의:", "[Contact]", "<담당>". */
const char *text_skip_decoration(const char *s)
{
	while (*s) {
		gunichar c = g_utf8_get_char(s);
		if (g_unichar_isalnum(c))
			break;
		s = g_utf8_next_char(s);
	}
	return s;
}

char *text_first_match(GRegex *regex, int group, const char *s)
{
	GMatchInfo *mi = NULL;
	char *found = NULL;
	if (g_regex_match(regex, s, 0, &mi)) {
		char *raw = g_match_info_fetch(mi, group);
		found = text_trimmed(raw);
		g_free(raw);
	}
	g_match_info_free(mi);
	return found;
}

