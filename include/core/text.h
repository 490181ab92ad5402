/*
 * core/text.h — text as it enters and leaves the tool: Unicode
 * normalisation in linear time, control characters stripped where text
 * enters (a title, an organisation, a reason), bytes escaped where text
 * meets a terminal, and the UTF-8 locale libarchive needs for UTF-8 names.
 * Strings returned are the caller's (g_free).
 */
#ifndef ARC_TEXT_H
#define ARC_TEXT_H

#include <glib.h>
#include <locale.h>
#include <stdbool.h>

/* s (len bytes, or up to NUL when len < 0) normalised as mode
 * (G_NORMALIZE_NFC or G_NORMALIZE_NFKC) would, in time linear in its
 * length; NULL when s is not valid UTF-8. */
char *text_normalize(const char *s, gssize len, GNormalizeMode mode);

/* A control character that must never reach metadata: C0 other than tab
 * and newline, DEL, C1. */
bool text_is_unwanted_control(gunichar c);

/* A copy of the valid UTF-8 s without those control characters (and
 * without newlines too when one_line: a title, a name). */
char *text_strip_controls(const char *s, bool one_line);

/* A copy of s fit for a terminal: bytes that are not UTF-8 and control
 * characters (above; newlines too when one_line) as \xNN (C1 as \u0080…).
 * Text without them comes back unchanged. */
char *text_escape(const char *s, bool one_line);

/* Make LC_CTYPE a UTF-8 locale on this thread, as libarchive needs to
 * read and write UTF-8 entry names under any process locale (cron runs in
 * "C"); returns what to give text_utf8_locale_end. */
locale_t text_utf8_locale_begin(void);
void text_utf8_locale_end(locale_t previous);

#endif
