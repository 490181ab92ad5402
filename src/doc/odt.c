/*
 * doc/odt.c — the text and facts of an OpenDocument text (ODF 1.2 part 1,
 * the package of part 3): content.xml's paragraphs, and the headers and
 * footers of styles.xml's master pages, written before them.
 *
 * Paragraphs are <text:p> and <text:h>, with the spans, links, fields
 * inside them; <text:s text:c="n"/> is n spaces, <text:tab/> a tab,
 * <text:line-break/> a new line. A paragraph inside a paragraph (a
 * footnote's or endnote's <text:note-body>, a text box in a frame) ends
 * the one around it before and after, so that it stands on lines of its
 * own; a table cell's paragraphs are lines of their own already.
 * <text:soft-page-break/> is where the application last laid out a page
 * break: it ends the paragraph and puts a form feed before the next one,
 * and pages = those + 1 (which is what the file knows of pages; a file
 * never laid out has none).
 *
 * Left out: <office:annotation> (comments in the margin: reviewers'
 * remarks, not the published text), <text:tracked-changes> (the text of
 * deletions kept for change tracking, which the document no longer says)
 * and <text:note-citation> (the note's number, which would run into the
 * word it follows).
 *
 * Active content: Basic/ or Scripts/ entries (macro libraries) make
 * macros; an event bound to a script (<script:event-listener>) or a link
 * to one (vnd.sun.star.script:, macro:) makes scripts; <draw:object>,
 * <draw:object-ole> or an "Object N/" entry make embedded (the
 * ObjectReplacements/ pictures of objects count for nothing alone).
 */
#include "xml.h"

#include <stdlib.h>
#include <string.h>

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT   "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_STYLE  "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_DRAW   "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_SCRIPT "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
#define NS_XLINK  "http://www.w3.org/1999/xlink"

/* Spaces one <text:s> may stand for: ODF sets no bound, a page does. */
#define SPACES_MAX 1024

typedef struct {
	doc_zip *z;
	doc_text *t;
	doc_info *info;
	bool pending;  /* text added since the last paragraph ended */
	int para;      /* open text:p and text:h */
	int skip;      /* depth of the element being skipped, -1 none */
	bool styles;   /* reading styles.xml: headers and footers alone */
	int in_hf;     /* open headers and footers (styles.xml) */
	int breaks;    /* soft page breaks (content.xml) */
} odt;

static bool add(odt *o, const char *s, size_t len, GError **err)
{
	if (!len || !o->para || (o->styles && !o->in_hf))
		return true;
	o->pending = true;
	return doc_text_add(o->t, s, len, err);
}

static bool flush(odt *o, GError **err)
{
	if (!o->pending)
		return true;
	o->pending = false;
	return doc_text_end_paragraph(o->t, err);
}

static bool is_paragraph(doc_xml *x)
{
	return doc_xml_is(x, NS_TEXT, "p") || doc_xml_is(x, NS_TEXT, "h");
}

static bool is_header_footer(doc_xml *x)
{
	static const char *const names[] = { "header", "footer", "header-left", "footer-left",
		                             "header-first", "footer-first" };
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (doc_xml_is(x, NS_STYLE, names[i]))
			return true;
	return false;
}

static bool is_skipped(doc_xml *x)
{
	return doc_xml_is(x, NS_OFFICE, "annotation") || doc_xml_is(x, NS_TEXT, "tracked-changes") ||
	       doc_xml_is(x, NS_TEXT, "note-citation");
}

static bool spaces(odt *o, doc_xml *x, GError **err)
{
	char *c = doc_xml_attr(x, NS_TEXT, "c");
	long n = c ? strtol(c, NULL, 10) : 1;
	g_free(c);
	n = n < 1 ? 1 : n > SPACES_MAX ? SPACES_MAX : n;
	char buf[SPACES_MAX];
	memset(buf, ' ', (size_t)n);
	return add(o, buf, (size_t)n, err);
}

static void note_facts(odt *o, doc_xml *x)
{
	if (doc_xml_is(x, NS_DRAW, "object") || doc_xml_is(x, NS_DRAW, "object-ole"))
		o->info->embedded = true;
	else if (doc_xml_is(x, NS_SCRIPT, "event-listener"))
		o->info->scripts = true;
	else if (doc_xml_is(x, NS_TEXT, "a")) {
		char *href = doc_xml_attr(x, NS_XLINK, "href");
		if (href && (g_str_has_prefix(href, "vnd.sun.star.script:") ||
		             g_ascii_strncasecmp(href, "macro:", 6) == 0))
			o->info->scripts = true;
		g_free(href);
	} else if (doc_xml_depth(x) == 0 && !o->styles && !o->info->version) {
		char *v = doc_xml_attr(x, NS_OFFICE, "version");
		if (v && strlen(v) <= 16 && strspn(v, "0123456789.") == strlen(v))
			o->info->version = g_steal_pointer(&v);
		g_free(v);
	}
}

static bool on_start(odt *o, doc_xml *x, GError **err)
{
	note_facts(o, x);
	if (is_skipped(x) || (o->styles && !o->in_hf && is_paragraph(x))) {
		o->skip = doc_xml_depth(x);
		return true;
	}
	if (is_header_footer(x))
		o->in_hf++;
	if (is_paragraph(x)) {
		o->para++;
		return flush(o, err);
	}
	if (!doc_xml_ns(x) || strcmp(doc_xml_ns(x), NS_TEXT) != 0)
		return true;
	const char *local = doc_xml_local(x);
	if (strcmp(local, "s") == 0)
		return spaces(o, x, err);
	if (strcmp(local, "tab") == 0)
		return add(o, "\t", 1, err);
	if (strcmp(local, "line-break") == 0)
		return flush(o, err);
	if (strcmp(local, "soft-page-break") == 0 && !o->styles) {
		o->breaks++;
		bool ok = flush(o, err);
		doc_text_break(o->t);
		return ok;
	}
	return true;
}

static bool on_end(odt *o, doc_xml *x, GError **err)
{
	if (is_header_footer(x) && o->in_hf > 0)
		o->in_hf--;
	if (is_paragraph(x) && o->para > 0) {
		o->para--;
		return flush(o, err);
	}
	return true;
}

static bool read_part(odt *o, const char *entry, bool styles, GError **err)
{
	doc_xml *x = doc_xml_open(o->z, entry, err);
	if (!x)
		return false;
	o->styles = styles;
	o->skip = -1;
	o->para = o->in_hf = 0;
	int rc = 0;
	bool ok = true;
	while (ok && (rc = doc_xml_next(x, err)) > 0) {
		if (o->skip >= 0) {
			if (doc_xml_is_end(x) && doc_xml_depth(x) == o->skip)
				o->skip = -1;
		} else if (doc_xml_is_start(x)) {
			ok = on_start(o, x, err);
		} else if (doc_xml_is_end(x)) {
			ok = on_end(o, x, err);
		} else if (doc_xml_is_text(x)) {
			ok = add(o, doc_xml_value(x), strlen(doc_xml_value(x)), err);
		}
	}
	doc_xml_free(x);
	return ok && rc == 0 && flush(o, err);
}

/* "Object 12/...": an embedded object's own folder. */
static bool is_object_entry(const char *name)
{
	if (!g_str_has_prefix(name, "Object "))
		return false;
	size_t digits = strspn(name + 7, "0123456789");
	return digits > 0 && name[7 + digits] == '/';
}

static void check_entries(odt *o)
{
	for (unsigned i = 0; i < doc_zip_count(o->z); i++) {
		const char *name = doc_zip_name(o->z, i);
		if (g_str_has_suffix(name, "/"))
			continue;
		if (g_str_has_prefix(name, "Basic/") || g_str_has_prefix(name, "Scripts/"))
			o->info->macros = true;
		if (is_object_entry(name))
			o->info->embedded = true;
	}
}

bool odt_extract(const char *path, doc_text *t, doc_info *info, GError **err)
{
	odt o = { .t = t, .info = info };
	o.z = doc_zip_open(path, err);
	bool ok = o.z && doc_zip_check_mimetype(o.z, "application/vnd.oasis.opendocument.text", err);
	if (ok) {
		check_entries(&o);
		if (doc_zip_has(o.z, "styles.xml"))
			ok = read_part(&o, "styles.xml", true, err);
	}
	ok = ok && read_part(&o, "content.xml", false, err);
	info->sections = o.breaks + 1;
	doc_zip_free(o.z);
	return ok;
}
