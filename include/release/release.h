/*
 * release/release.h — parsing of a release document (plain text or HTML): decoding
 * to UTF-8, dropping site navigation, and finding the title, subtitle
 * lines, body, contact, date, organisation, licence statement and
 * references to attachments.
 *
 * HTML is parsed with libxml2: page chrome (<nav>, <header>, <footer>,
 * <aside>, <form>, scripts, elements whose id/class name navigation) is
 * dropped, the headline of the main content (<article>, <main>) is the
 * title, and the extracted text goes through the same line rules as a .txt
 * release, so both forms give the same fields.
 *
 * release_parse() returns a release_doc the caller frees with
 * release_doc_free(). Every string in it is UTF-8 (NFC), owned by the doc.
 */
#ifndef ARC_RELEASE_H
#define ARC_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef struct {
	char *encoding;      /* what the bytes were: "UTF-8", "UTF-8 with BOM",
	                        "UTF-16LE with BOM", "UTF-16BE with BOM", "EUC-KR" */
	char *text;          /* normalised text: UTF-8, NFC, LF line ends, no BOM,
	                        navigation dropped; ends with one newline */
	char *title;         /* NULL when none was found */
	char *title_problem; /* when title is NULL: why no line could be told
	                        apart as the headline */
	GPtrArray *subtitles;/* char*: the "- ..." lines under the title */
	char *body;          /* the paragraphs between subtitles and contact */
	char *contact;       /* the contact line(s) as written, or NULL */
	char *contact_phone; /* e.g. "+82-44-202-4034", or NULL */
	char *contact_email; /* e.g. "press@msit.go.kr", or NULL */
	char *date;          /* YYYY-MM-DD found in the text, or NULL */
	char *organisation;  /* issuing organisation found in the text, or NULL */
	int license_type;    /* KOGL type 1..4 stated in the text, 0 when none */
	char *license_statement; /* the statement's line, or NULL */
	unsigned license_types_stated; /* bit N set: type N stated (for conflicts) */
	bool mentions_attachment; /* the text refers to an attached PDF or file
	                             ("attached PDF", "첨부", "붙임", "별첨") */
	char *language;      /* "ko" when Hangul dominates the body, else "en" */
	char *date_source;   /* where date came from: "text" (a visible date),
	                        "html-meta" (<meta name="date"> and the like);
	                        NULL when date is NULL */
	GPtrArray *attachment_links; /* char*: HTML links to attachments (a
	                        .pdf/.hwp/.hwpx/.docx/.zip target, or 첨부/붙임/
	                        download): the link text, else the target's
	                        file name; empty (never NULL) for text */
} release_doc;

/*
 * Parse the bytes of a release document. name is the file name (for
 * messages and to tell .txt from .html). On failure (empty, binary, or not
 * decodable in any supported encoding) returns NULL and sets err with
 * ARC_ERROR_INPUT and a message such as "x.txt: not text (binary data)";
 * that is check release.readable. An HTML page with no text outside its
 * navigation fails as "x.html: empty ...". HTML bytes that are not UTF-8
 * are decoded by the charset the page declares (<meta charset>, http-equiv
 * Content-Type) before EUC-KR is guessed; encoding then names that charset.
 */
release_doc *release_parse(const char *bytes, size_t len, const char *name, GError **err);
void release_doc_free(release_doc *doc);

/* Compile the parser's patterns now (once per process; on first use
 * otherwise): called before forking, so that children share them. */
void release_init(void);

/*
 * Parse one date as releases write it: "2024-05-10", "May 10, 2024",
 * "10 May 2024", "2024.05.10", "2024. 5. 10.", "2024년 5월 10일". On success
 * writes "YYYY-MM-DD" into iso and returns true. Only real calendar dates.
 */
bool release_parse_date(const char *s, char iso[11]);

/* Find the first full date (with year) anywhere in text; see above. */
bool release_find_date(const char *text, char iso[11]);

#endif
