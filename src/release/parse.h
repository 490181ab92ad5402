/*
 * release/parse.h — what the files of the release parser share (private to
 * src/release/; the interface is include/release/release.h).
 *
 *   text.c     string helpers over UTF-8 lines, and the one regex compiler
 *   decode.c   bytes to UTF-8: BOMs, UTF-16, a page's declared charset, CP949
 *   chrome.c   what each line of a page is (site chrome, metadata, a
 *              department line, a header, a speaker, a sentence, other text)
 *   headline.c which text line is the headline, from where the lines stand
 *   contact.c  contact lines, phone numbers, e-mail addresses
 *   date.c     dates in the forms releases write them
 *   org.c      the issuing organisation, letterheads, department lines
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

/* chrome.c: what a line is. */
typedef enum {
	LINE_BLANK,
	LINE_CHROME,     /* skip links, banners, landmarks, controls, breadcrumbs, pictures,
	                    notices, surveys, footers */
	LINE_LABEL,      /* a section or board label (보도자료, Press Releases): chrome too */
	LINE_PREV_NEXT,  /* a link to another release (이전글, 다음기사…, Prev Post …, a
	                    row of a board's list) */
	LINE_META,       /* the date and department line, "등록일 : …", "Date" and its value */
	LINE_DEPT,       /* a line naming only an organisation (and its division) */
	LINE_HEADER,     /* a release header (보도일시 …, a letterhead) */
	LINE_CONTACT,    /* a contact line (contact.c) */
	LINE_SPEAKER,    /* "<이름 직함>", "최대환 앵커>" */
	LINE_END,        /* "<끝>": the body ends */
	LINE_MARKER,     /* opens with a body marker (□ ○ ㅇ ▷ …) or is a section
	                    heading ("I. 모두 발언") */
	LINE_SENTENCE,   /* prose */
	LINE_TEXT,       /* anything else: headlines are among these */
} line_kind;

void chrome_init(void);
/* The kind of every line of lines (NULL-terminated) into kinds. */
void chrome_kinds(char **lines, line_kind *kinds);
/* Chrome a page leaves whatever its place: the kinds a cleaned text drops. */
#define LINE_IS_CHROME(k) ((k) == LINE_CHROME || (k) == LINE_LABEL || (k) == LINE_PREV_NEXT)
bool chrome_is_bullet(const char *s);      /* s opens with a list bullet */
bool chrome_is_nav_trail(const char *line); /* navigation words, a breadcrumb of them */
bool chrome_is_navigation(const char *line);/* a bulleted menu entry or a nav trail */
/* A date glued to the end of a headline ("… institutions 2021-07-07"):
 * true, and *cut the byte where it starts (its space). */
bool chrome_glued_date(const char *line, size_t *cut);
/* Is the line a board's button back to its list ("목록", "List")? */
bool chrome_is_list_button(const char *line);
/* Does the line open with an end mark ("<끝>", "(끝)출처 : …")? */
bool chrome_opens_with_end(const char *line);

/* headline.c: the index of the headline among lines, or -1 when none can
 * be told apart, and then *why says why (the caller frees it). html_line:
 * the line an HTML page's headline element gave, or -1; hints: other
 * titles the page states (og:title, <title>), or NULL. */
int headline_find(char **lines, const line_kind *kinds, int html_line, const char *const *hints,
                  char **why);

/* contact.c */
void contact_init(void);
bool contact_is_line(const char *line);
bool contact_has_word(const char *line);
/* A contact's label alone ("연락처", "Contact:"): its lines follow. */
bool contact_is_label(const char *line);
char *contact_find_phone(const char *s);
bool contact_has_number(const char *s); /* a phone number or an e-mail address */
char *contact_find_email(const char *s);

/* date.c */
void date_init(void);

/* org.c */
void org_init(void);
/* The issuer, from what the page says of itself, in this order: the
 * licence statement, the date and department lines (dept), the contact,
 * the header and site name above the headline (head), the subject the
 * body's first sentence opens with (lead). Any may be NULL; NULL when none
 * names one. */
char *org_find(const char *statement, const char *dept, const char *contact, const char *head,
               const char *lead);
bool org_is_letterhead(const char *line);
/* A line naming nothing but an organisation, perhaps with one of its
 * divisions: "Ministry of Unification", "외교부 > 대변인실" (a department
 * line under a headline, or the site's name above it). */
bool org_is_department_line(const char *line);

/* release.c: the marker a subtitle line opens with ("-", "○", "□"), or NULL. */
const char *release_subtitle_marker(const char *line);

/* html.c */
typedef struct {
	char *text;          /* the main text, as lines */
	int headline_line;   /* its line holding the headline, or -1 */
	char *page_text;     /* every text of the page a reader sees, chrome too */
	char *meta_date;     /* YYYY-MM-DD from a <meta>, or NULL */
	char *og_title;      /* <meta property="og:title">, the site's suffix cut, or NULL */
	char *title;         /* <title>'s first part (the page's, before the site's), or NULL */
	char *site;          /* the site's name: its logo's alt text, else <title>'s last part */
} html_page;

void html_init(void);
bool html_extract(const char *utf8, const char *name, html_page *page, GPtrArray *links,
                  GError **err);
void html_page_clear(html_page *p);

#endif
