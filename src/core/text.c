/*
 * core/text.c — normalisation, control characters, escapes and the UTF-8
 * locale (core/text.h).
 *
 * GLib's g_utf8_normalize composes by shifting the rest of its buffer for
 * every pair it composes, so it is quadratic in the length of what it is
 * given: 1.6 MB of Hangul took 29 s. ICU would be linear but is one more
 * library for one function; instead the text is cut where normalisation
 * cannot reach across, and only the pieces between are given to GLib.
 */
#include "core/text.h"

#include <string.h>

/* Characters every normalisation form leaves as they are and that never
 * compose with the character before them: ASCII and the precomposed
 * Hangul syllables, nearly all of a Korean or English text. */
static bool plain(gunichar c)
{
	return c < 0x80 || (c >= 0xAC00 && c <= 0xD7A3);
}

/* The starters (canonical combining class 0) that can still be the second
 * character of a canonical composition (Unicode's NFC_Quick_Check=Maybe
 * with ccc 0): a piece must not begin with one. */
static bool composes_with_previous(gunichar c)
{
	static const gunichar one[] = { 0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7,
		                        0x0C56, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF,
		                        0x0DDF, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357,
		                        0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930 };
	if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2))
		return true; /* Hangul vowel and trailing jamo */
	for (size_t i = 0; i < G_N_ELEMENTS(one); i++)
		if (c == one[i])
			return true;
	return false;
}

/* Longest piece handed to GLib when no plain character ends it sooner:
 * its cost is quadratic in this, not in the text. */
#define PIECE_MAX 1024

char *text_normalize(const char *s, gssize len, GNormalizeMode mode)
{
	size_t n = len < 0 ? strlen(s) : (size_t)len;
	if (!g_utf8_validate(s, (gssize)n, NULL))
		return NULL;
	const char *p = s, *end = s + n;
	GString *out = g_string_sized_new(n + 1);
	while (p < end) {
		/* Plain characters followed by a plain one are copied as
		 * they are (the one after cannot compose with them). */
		const char *q = p;
		while (q < end) {
			const char *next = g_utf8_next_char(q);
			if (!plain(g_utf8_get_char(q)) || (next < end && !plain(g_utf8_get_char(next))))
				break;
			q = next;
		}
		g_string_append_len(out, p, q - p);
		if (q == end)
			break;
		/* A piece: up to the next plain character followed by a plain
		 * one, or a starter that composes with nothing before it once
		 * the piece is long. */
		const char *r = g_utf8_next_char(q);
		for (size_t count = 1; r < end; count++) {
			gunichar c = g_utf8_get_char(r);
			const char *next = g_utf8_next_char(r);
			if (plain(c) && (next == end || plain(g_utf8_get_char(next))))
				break;
			if (count >= PIECE_MAX && g_unichar_combining_class(c) == 0 &&
			    !composes_with_previous(c))
				break;
			r = next;
		}
		char *piece = g_utf8_normalize(q, r - q, mode);
		g_string_append(out, piece);
		g_free(piece);
		p = r;
	}
	return g_string_free(out, FALSE);
}

bool text_is_unwanted_control(gunichar c)
{
	if (c == '\t' || c == '\n')
		return false;
	return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

char *text_strip_controls(const char *s, bool one_line)
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (text_is_unwanted_control(c) || (one_line && c == '\n'))
			continue;
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	return g_string_free(out, FALSE);
}

char *text_escape(const char *s, bool one_line)
{
	GString *out = g_string_sized_new(strlen(s));
	const char *p = s, *end = s + strlen(s);
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (unsigned char)*p++);
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c >= 0x80 && c <= 0x9F)
			g_string_append_printf(out, "\\u%04x", c);
		else if (text_is_unwanted_control(c) || (one_line && c == '\n'))
			g_string_append_printf(out, "\\x%02x", c);
		else
			g_string_append_len(out, p, next - p);
		p = next;
	}
	return g_string_free(out, FALSE);
}

locale_t text_utf8_locale_begin(void)
{
	/* Made once and kept: newlocale per bundle would be wasted work. */
	static locale_t utf8;
	static gsize made;
	if (g_once_init_enter(&made)) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		g_once_init_leave(&made, 1);
	}
	return utf8 ? uselocale(utf8) : (locale_t)0;
}

void text_utf8_locale_end(locale_t previous)
{
	if (previous)
		uselocale(previous);
}
