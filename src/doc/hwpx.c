/*
 * doc/hwpx.c — the text and facts of an HWPX document (OWPML, KS X 6101):
 * a zip (OCF) whose META-INF/container.xml names the package file
 * (Contents/content.hpf, OPF), whose spine lists the sections in reading
 * order. The zip's own order means nothing: Hancom Office writes
 * sections in any order, the spine is the document's.
 *
 * Elements are matched by local name alone, so that the Hancom 2011
 * namespaces (http://www.hancom.co.kr/hwpml/2011/...) and the OWPML 2024
 * ones (http://www.owpml.org/owpml/2024/...) read alike: the vocabulary
 * is the same. Text is what <t> holds in the runs of paragraphs <p>;
 * inside it <tab/>, <lineBreak/>, <nbSpace/>, <fwSpace/> and <hyphen/>
 * stand for characters. A <subList> (a table cell, a text box, a header,
 * footer, footnote, endnote or hidden comment) holds paragraphs of its
 * own inside a paragraph: the paragraph around it is ended before and
 * after, so that nested text is on lines of its own and never run into
 * the words around it. Empty paragraphs write no line.
 *
 * Active content: scripts in Scripts/ (JScript, UTF-16LE or UTF-8) other
 * than the default Hancom Office writes into every new document (see
 * script_is_default), and OLE objects (<ole> in a section, a BinData
 * entry that is .ole or a compound file).
 */
#include "xml.h"

#include <string.h>

/* Scripts larger than this are not looked into: not the default. */
#define SCRIPT_MAX ((uint64_t)1 << 20)

typedef struct {
	doc_zip *z;
	doc_text *t;
	doc_info *info;
	char *rootfile;  /* the package file's path */
	bool pending;    /* text added since the last paragraph ended */
} hwpx;

/* ---- text ---- */

static bool add(hwpx *h, const char *s, size_t len, GError **err)
{
	if (!len)
		return true;
	h->pending = true;
	return doc_text_add(h->t, s, len, err);
}

static bool flush(hwpx *h, GError **err)
{
	if (!h->pending)
		return true;
	h->pending = false;
	return doc_text_end_paragraph(h->t, err);
}

/* An element inside <t> that stands for a character ("" none, NULL a
 * line break). */
static const char *t_char(const char *local)
{
	static const struct {
		const char *name, *text;
	} chars[] = {
		{ "tab", "\t" }, { "nbSpace", " " }, { "fwSpace", " " }, { "hyphen", "-" },
		{ "lineBreak", NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(chars); i++)
		if (strcmp(local, chars[i].name) == 0)
			return chars[i].text;
	return "";
}

static bool on_start(hwpx *h, doc_xml *x, int *in_t, GError **err)
{
	const char *local = doc_xml_local(x);
	if (strcmp(local, "p") == 0 || strcmp(local, "subList") == 0)
		return flush(h, err);
	if (strcmp(local, "t") == 0) {
		(*in_t)++;
		return true;
	}
	if (strcmp(local, "ole") == 0)
		h->info->embedded = true;
	if (!*in_t)
		return true;
	const char *c = t_char(local);
	return c ? add(h, c, strlen(c), err) : flush(h, err);
}

static bool on_end(hwpx *h, doc_xml *x, int *in_t, GError **err)
{
	const char *local = doc_xml_local(x);
	if (strcmp(local, "t") == 0 && *in_t > 0)
		(*in_t)--;
	if (strcmp(local, "p") == 0 || strcmp(local, "subList") == 0)
		return flush(h, err);
	return true;
}

/* A section's paragraphs, the root <sec> already read. */
static bool read_section(hwpx *h, doc_xml *x, GError **err)
{
	int in_t = 0, rc;
	while ((rc = doc_xml_next(x, err)) > 0) {
		bool ok = true;
		if (doc_xml_is_start(x))
			ok = on_start(h, x, &in_t, err);
		else if (doc_xml_is_end(x))
			ok = on_end(h, x, &in_t, err);
		else if (in_t && doc_xml_is_text(x))
			ok = add(h, doc_xml_value(x), strlen(doc_xml_value(x)), err);
		if (!ok)
			return false;
	}
	return rc == 0 && flush(h, err);
}

/* ---- the package ---- */

/* The root element of x: 1 (read), 0 none, -1 error. */
static int root(doc_xml *x, GError **err)
{
	int rc;
	while ((rc = doc_xml_next(x, err)) > 0)
		if (doc_xml_is_start(x))
			return 1;
	return rc;
}

/* A digit string, as a version component must be. */
static bool is_number(const char *s)
{
	size_t n = s ? strspn(s, "0123456789") : 0;
	return n > 0 && n <= 9 && !s[n];
}

/* version.xml: <HCFVersion major minor micro buildNumber>, "5.1.1.0". */
static bool read_version(hwpx *h, GError **err)
{
	if (!doc_zip_has(h->z, "version.xml"))
		return true;
	doc_xml *x = doc_xml_open(h->z, "version.xml", err);
	if (!x)
		return false;
	int rc = root(x, err);
	if (rc > 0 && doc_xml_is(x, NULL, "HCFVersion")) {
		static const char *const parts[] = { "major", "minor", "micro", "buildNumber" };
		char *v[4];
		bool all = true;
		for (int i = 0; i < 4; i++) {
			v[i] = doc_xml_attr(x, NULL, parts[i]);
			all = all && is_number(v[i]);
		}
		if (all)
			h->info->version = g_strdup_printf("%s.%s.%s.%s", v[0], v[1], v[2], v[3]);
		for (int i = 0; i < 4; i++)
			g_free(v[i]);
	}
	doc_xml_free(x);
	return rc >= 0;
}

/* A path inside the package: relative, no "..", no backslash, no scheme. */
static bool path_inside(const char *p)
{
	if (!*p || p[0] == '/' || strchr(p, '\\') || strchr(p, ':'))
		return false;
	char **seg = g_strsplit(p, "/", -1);
	bool ok = true;
	for (char **s = seg; *s && ok; s++)
		ok = strcmp(*s, "..") != 0;
	g_strfreev(seg);
	return ok;
}

/* META-INF/container.xml's rootfile for the OWPML package (by media type,
 * else the first that is .hpf); Contents/content.hpf without one. */
static bool find_rootfile(hwpx *h, GError **err)
{
	const char *name = "META-INF/container.xml";
	if (!doc_zip_has(h->z, name)) {
		h->rootfile = g_strdup("Contents/content.hpf");
		return true;
	}
	doc_xml *x = doc_xml_open(h->z, name, err);
	int rc = 0;
	while (x && !h->rootfile && (rc = doc_xml_next(x, err)) > 0) {
		if (!doc_xml_is_start(x) || !doc_xml_is(x, NULL, "rootfile"))
			continue;
		char *path = doc_xml_attr(x, NULL, "full-path"), *type = doc_xml_attr(x, NULL, "media-type");
		if (path && ((type && strcmp(type, "application/hwpml-package+xml") == 0) ||
		             g_str_has_suffix(path, ".hpf")))
			h->rootfile = g_steal_pointer(&path);
		g_free(path);
		g_free(type);
	}
	bool ok = x && rc >= 0;
	doc_xml_free(x);
	if (ok && !h->rootfile)
		doc_fail(err, "damaged: %s names no OWPML package file", name);
	else if (ok && !path_inside(h->rootfile))
		doc_fail(err, "damaged: %s: the path %s leaves the package", name, h->rootfile);
	return ok && h->rootfile && path_inside(h->rootfile);
}

typedef struct {
	GHashTable *items; /* manifest id → href, of XML items */
	GHashTable *other; /* manifest ids of items that are not XML */
	GPtrArray *spine;  /* idrefs, reading order */
} opf;

static bool read_opf_node(opf *o, doc_xml *x, GError **err)
{
	bool item = doc_xml_is(x, NULL, "item"), ref = doc_xml_is(x, NULL, "itemref");
	if (!item && !ref)
		return true;
	if (g_hash_table_size(o->items) + g_hash_table_size(o->other) + o->spine->len >=
	    2 * DOC_ZIP_ENTRIES_MAX) {
		doc_fail(err, "limit: the package file lists more than %u items",
		         (unsigned)DOC_ZIP_ENTRIES_MAX);
		return false;
	}
	if (ref) {
		char *idref = doc_xml_attr(x, NULL, "idref");
		if (idref)
			g_ptr_array_add(o->spine, idref);
		return true;
	}
	char *id = doc_xml_attr(x, NULL, "id"), *href = doc_xml_attr(x, NULL, "href");
	char *type = doc_xml_attr(x, NULL, "media-type");
	/* Hancom Office puts its scripts in the spine too
	 * (application/x-javascript): they are no part of the text. */
	bool xml = !type || strstr(type, "xml");
	g_free(type);
	if (id && href && xml) {
		g_hash_table_replace(o->items, id, href);
	} else if (id && href) {
		g_hash_table_add(o->other, id);
		g_free(href);
	} else {
		g_free(id);
		g_free(href);
	}
	return true;
}

static bool read_opf(hwpx *h, opf *o, GError **err)
{
	doc_xml *x = doc_xml_open(h->z, h->rootfile, err);
	if (!x)
		return false;
	int rc = 0;
	bool ok = true;
	while (ok && (rc = doc_xml_next(x, err)) > 0)
		if (doc_xml_is_start(x))
			ok = read_opf_node(o, x, err);
	doc_xml_free(x);
	return ok && rc == 0;
}

/* The zip entry a manifest href names: from the package's top, as Hancom
 * Office writes them ("Contents/section0.xml"), else from the package
 * file's folder, as OPF says. NULL (err set) when it is in neither or
 * would leave the package. */
static char *resolve(hwpx *h, const char *href, GError **err)
{
	if (!path_inside(href)) {
		doc_fail(err, "damaged: %s: the path %s leaves the package", h->rootfile, href);
		return NULL;
	}
	if (doc_zip_has(h->z, href))
		return g_strdup(href);
	char *dir = g_path_get_dirname(h->rootfile);
	char *p = g_strcmp0(dir, ".") == 0 ? g_strdup(href) : g_strconcat(dir, "/", href, NULL);
	g_free(dir);
	if (doc_zip_has(h->z, p))
		return p;
	g_free(p);
	doc_fail(err, "damaged: the spine names %s, which is not in the package", href);
	return NULL;
}

/* One spine item: a section (<sec>) is read for its text; the header
 * (<head>) gives the version when version.xml did not; others pass. */
static bool read_item(hwpx *h, const char *entry, GError **err)
{
	doc_xml *x = doc_xml_open(h->z, entry, err);
	if (!x)
		return false;
	int rc = root(x, err);
	bool ok = rc >= 0;
	if (rc > 0 && doc_xml_is(x, NULL, "sec")) {
		if (h->info->sections >= DOC_SECTIONS_MAX) {
			doc_fail(err, "limit: more than %d sections", DOC_SECTIONS_MAX);
			ok = false;
		} else {
			if (h->info->sections++ > 0)
				doc_text_break(h->t);
			ok = read_section(h, x, err);
		}
	} else if (rc > 0 && doc_xml_is(x, NULL, "head") && !h->info->version) {
		char *v = doc_xml_attr(x, NULL, "version");
		if (v && strlen(v) <= 16 && strspn(v, "0123456789.") == strlen(v))
			h->info->version = g_steal_pointer(&v);
		g_free(v);
	}
	doc_xml_free(x);
	return ok;
}

static bool read_spine(hwpx *h, GError **err)
{
	opf o = { g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	          g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	          g_ptr_array_new_with_free_func(g_free) };
	bool ok = read_opf(h, &o, err);
	for (guint i = 0; ok && i < o.spine->len; i++) {
		if (g_hash_table_contains(o.other, o.spine->pdata[i]))
			continue;
		const char *href = g_hash_table_lookup(o.items, o.spine->pdata[i]);
		if (!href) {
			doc_fail(err, "damaged: the spine names item %.64s, which the manifest lacks",
			         (const char *)o.spine->pdata[i]);
			ok = false;
			break;
		}
		char *entry = resolve(h, href, err);
		ok = entry && read_item(h, entry, err);
		g_free(entry);
	}
	if (ok && h->info->sections == 0) {
		doc_fail(err, "damaged: the spine lists no section");
		ok = false;
	}
	g_hash_table_destroy(o.items);
	g_hash_table_destroy(o.other);
	g_ptr_array_free(o.spine, TRUE);
	return ok;
}

/* ---- active content ---- */

typedef struct {
	const char *p, *end;
	const char *tok;
	size_t len;
} js_lex;

/* The next JScript token (a name, or one other byte), skipping spaces and
 * comments; false at the end. Strings and regular expressions are not
 * understood: their quotes are tokens no default script has. */
static bool js_next(js_lex *l)
{
	for (;;) {
		while (l->p < l->end && g_ascii_isspace(*l->p))
			l->p++;
		if (l->end - l->p >= 2 && l->p[0] == '/' && l->p[1] == '/') {
			while (l->p < l->end && *l->p != '\n' && *l->p != '\r')
				l->p++;
		} else if (l->end - l->p >= 2 && l->p[0] == '/' && l->p[1] == '*') {
			const char *c = g_strstr_len(l->p + 2, l->end - l->p - 2, "*/");
			l->p = c ? c + 2 : l->end;
		} else {
			break;
		}
	}
	if (l->p >= l->end)
		return false;
	l->tok = l->p;
	if (g_ascii_isalpha(*l->p) || *l->p == '_' || *l->p == '$')
		while (l->p < l->end && (g_ascii_isalnum(*l->p) || *l->p == '_' || *l->p == '$'))
			l->p++;
	else
		l->p++;
	l->len = (size_t)(l->p - l->tok);
	return true;
}

static bool js_is(const js_lex *l, const char *s)
{
	return l->len == strlen(s) && memcmp(l->tok, s, l->len) == 0;
}

static bool js_name(const js_lex *l)
{
	return g_ascii_isalpha(*l->tok) || *l->tok == '_' || *l->tok == '$';
}

/* After "function": a name, parameters, and a body with nothing in it. */
static bool js_empty_function(js_lex *l)
{
	if (!js_next(l) || !js_name(l) || !js_next(l) || !js_is(l, "("))
		return false;
	while (js_next(l) && !js_is(l, ")"))
		if (!js_name(l) && !js_is(l, ","))
			return false;
	return js_is(l, ")") && js_next(l) && js_is(l, "{") && js_next(l) && js_is(l, "}");
}

/* After "var": one of the two declarations of Hancom's default header. */
static bool js_default_var(js_lex *l)
{
	GString *s = g_string_new(NULL);
	const char *before = l->p;
	while (s->len < 64 && js_next(l) && !js_is(l, ";")) {
		if (js_is(l, "var") || js_is(l, "function")) {
			l->p = before; /* a statement without its ';': give it back */
			break;
		}
		g_string_append_len(s, l->tok, (gssize)l->len);
		before = l->p;
	}
	bool ok = strcmp(s->str, "Documents=XHwpDocuments") == 0 ||
	          strcmp(s->str, "Document=Documents.Active_XHwpDocument") == 0;
	g_string_free(s, TRUE);
	return ok;
}

/*
 * Whether a script is no more than what Hancom Office puts in every new
 * document: the header script declares two variables
 *     var Documents = XHwpDocuments;
 *     var Document = Documents.Active_XHwpDocument;
 * and the source script holds empty event handlers
 *     function OnDocument_New()
 *     {
 *         //todo :
 *     }
 * (and OnDocument_Open likewise). Judged conservatively: anything else at
 * the top level, or any statement inside a function body, makes a script
 * that does something.
 */
static bool script_is_default(const char *s, size_t len)
{
	/* Hancom's is ASCII: a line end JScript knows and this lexer does
	 * not (U+2028, U+2029) could end a comment and hide a statement. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	js_lex l = { s, s + len, NULL, 0 };
	while (js_next(&l)) {
		if (js_is(&l, ";"))
			continue;
		if (js_is(&l, "function") ? !js_empty_function(&l)
		    : js_is(&l, "var")    ? !js_default_var(&l)
		                          : true)
			return false;
	}
	return true;
}

/* A script entry as UTF-8: UTF-16LE (Hancom Office's) with or without a
 * byte-order mark, or UTF-8; NULL when it is neither. */
static char *script_text(const GByteArray *b, size_t *len)
{
	const guint8 *d = b->data;
	gsize n = b->len, out = 0;
	char *s = NULL;
	if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || d[1] == 0)) {
		size_t skip = d[0] == 0xFF && d[1] == 0xFE ? 2 : 0;
		s = g_convert((const char *)d + skip, (gssize)((n - skip) & ~(gsize)1), "UTF-8",
		              "UTF-16LE", NULL, &out, NULL);
	} else {
		size_t skip = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		if (g_utf8_validate((const char *)d + skip, (gssize)(n - skip), NULL)) {
			s = g_strndup((const char *)d + skip, n - skip);
			out = n - skip;
		}
	}
	*len = out;
	return s;
}

static bool check_script(hwpx *h, const char *name, GError **err)
{
	GByteArray *b = doc_zip_read_head(h->z, name, SCRIPT_MAX + 1, err);
	if (!b)
		return false;
	size_t len = 0;
	char *s = b->len <= SCRIPT_MAX ? script_text(b, &len) : NULL;
	if (!s || !script_is_default(s, len))
		h->info->scripts = true;
	g_free(s);
	g_byte_array_free(b, TRUE);
	return true;
}

static bool check_bindata(hwpx *h, const char *name, GError **err)
{
	static const guint8 cfb[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	size_t n = strlen(name);
	if (n >= 4 && g_ascii_strcasecmp(name + n - 4, ".ole") == 0) {
		h->info->embedded = true;
		return true;
	}
	GByteArray *b = doc_zip_read_head(h->z, name, sizeof cfb, err);
	if (!b)
		return false;
	if (b->len == sizeof cfb && memcmp(b->data, cfb, sizeof cfb) == 0)
		h->info->embedded = true;
	g_byte_array_free(b, TRUE);
	return true;
}

/* Scripts/ and BinData/ entries, in zip order: one pass over the zip. */
static bool check_active(hwpx *h, GError **err)
{
	bool ok = true;
	for (unsigned i = 0; ok && i < doc_zip_count(h->z); i++) {
		const char *name = doc_zip_name(h->z, i);
		if (g_str_has_suffix(name, "/"))
			continue;
		if (g_str_has_prefix(name, "Scripts/"))
			ok = check_script(h, name, err);
		else if (g_str_has_prefix(name, "BinData/") && !h->info->embedded)
			ok = check_bindata(h, name, err);
	}
	return ok;
}

bool hwpx_extract(const char *path, doc_text *t, doc_info *info, GError **err)
{
	hwpx h = { .t = t, .info = info };
	h.z = doc_zip_open(path, err);
	bool ok = h.z && doc_zip_check_mimetype(h.z, "application/hwp+zip", err) && read_version(&h, err) &&
	          find_rootfile(&h, err) && read_spine(&h, err) && check_active(&h, err);
	doc_zip_free(h.z);
	g_free(h.rootfile);
	return ok;
}
