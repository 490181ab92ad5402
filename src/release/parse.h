/*
 * release/parse.h — what the files of the release parser share (private to
 * src/release/; the interface is include/release/release.h).
 *
 *   text.c     string helpers over UTF-8 lines, and the one regex compiler
 *   decode.c   bytes to UTF-8: BOMs, UTF-16, a page's declared charset, CP949
 *   chrome.c   site navigation and header lines before the title
 *   contact.c  contact lines, phone numbers, e-mail addresses
 *   date.c     dates in the forms releases write them
 *   org.c      the issuing organisation, letterheads
 *   html.c     a saved HTML page as the lines a reader sees
 *   release.c  the structure of the lines (title, subtitles, body) and
 *              release_parse(), which runs all of the above
 *
 * Each file compiles its regular expressions once per process, in its
 * _init() (release_init() calls them all, before ingest forks workers).
 */
#ifndef ARC_RELEASE_PARSE_H
#define ARC_RELEASE_PARSE_H

#include <stdbool.h>
#include <glib.h>
#include "release/release.h"

/* text.c */
GRegex *text_regex(const char *pattern, GRegexCompileFlags flags); /* asserts it compiles */
bool text_is_hangul_syllable(gunichar c);
bool text_is_control(gunichar c);         /* C0/C1 controls other than \t \n \r \f \v */
bool text_only_whitespace(const char *s); /* (a BOM counts as white space) */
bool text_has_suffix_ci(const char *s, const char *suffix);
void text_rtrim(char *s);                 /* in place */
const char *text_skip_space(const char *s);
char *text_trimmed(const char *s);
/* Lower-cased, white space removed: "알림 · 소식" is "알림·소식". */
char *text_compact(const char *s);
/* Does s start with prefix, a whole word (not followed by a letter)? */
bool text_starts_with_word(const char *s, const char *prefix);
/* Past the decoration a line may open with: "※ 문의:", "[Contact]", "<담당>". */
const char *text_skip_decoration(const char *s);
/* The trimmed text of group of regex's first match in s, or NULL. */
char *text_first_match(GRegex *regex, int group, const char *s);

/* decode.c: the bytes as UTF-8 (*encoding: the static name of what they
 * were), or NULL with err (ARC_ERROR_INPUT: undecodable, binary, empty).
 * For HTML a declared charset is honoured when the bytes are not UTF-8. */
void decode_init(void);
char *decode_release(const char *bytes, size_t len, const char *name, bool html,
                     const char **encoding, GError **err);

/* chrome.c */
void chrome_init(void);
bool chrome_is_bullet(const char *s);      /* s opens with a list bullet */
bool chrome_is_nav_trail(const char *line); /* navigation words, a breadcrumb of them */
bool chrome_is_navigation(const char *line);/* a bulleted menu entry or a nav trail */
bool chrome_is_header_line(const char *line);/* release time, publication details */

/* contact.c */
void contact_init(void);
bool contact_is_line(const char *line);
bool contact_has_word(const char *line);
char *contact_find_phone(const char *s);
char *contact_find_email(const char *s);

/* date.c */
void date_init(void);

/* org.c */
void org_init(void);
/* The issuer: named in the licence statement, else the first ministry or
 * agency of the text. NULL when none. */
char *org_find(const char *text, const char *statement);
bool org_is_letterhead(const char *line);

/* release.c: the marker a subtitle line opens with ("-", "○", "□"), or NULL. */
const char *release_subtitle_marker(const char *line);

/* html.c */
typedef struct {
	char *text;          /* the main text, as lines */
	int headline_line;   /* its line holding the headline, or -1 */
	char *page_text;     /* every text of the page a reader sees, chrome too */
	char *meta_date;     /* YYYY-MM-DD from a <meta>, or NULL */
} html_page;

void html_init(void);
bool html_extract(const char *utf8, const char *name, html_page *page, GPtrArray *links,
                  GError **err);
void html_page_clear(html_page *p);

#endif
