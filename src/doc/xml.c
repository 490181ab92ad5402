/*
 * doc/xml.c — an XML entry of a zip read node by node with libxml2's
 * xmlTextReader, fed from the zip entry as it inflates (doc/zip.c).
 *
 * A DOCTYPE is refused twice over. The bytes are watched on their way
 * into libxml2: "<!DOCTYPE" before the root element stops the read before
 * libxml2 has seen it, so that an internal subset (entity declarations)
 * is never parsed at all. That watch knows only ASCII-compatible
 * encodings and a prolog without '<' in comments; for anything it misses,
 * the reader's DOCTYPE node ends the read before any content after it is
 * used, and with XML_PARSE_NOENT and DTD loading off, libxml2 neither
 * fetches nor substitutes an entity meanwhile.
 *
 * libxml2 reports errors to the reader's structured handler (and, while
 * the reader runs, to the thread's, for errors outside a parser), which
 * keeps the first: a library printing to stderr from the worker would
 * reach nobody. An error of our own from the read callback (a zip limit)
 * goes before libxml2's account of it ("I/O error").
 */
#include "xml.h"

#include <string.h>
#include <libxml/xmlreader.h>

struct doc_xml {
	doc_zip *z;
	char *name;
	xmlTextReaderPtr r;
	GError *io_err;   /* the read callback's failure */
	char *xml_err;    /* libxml2's first error */
	bool prolog;      /* the root element has not begun */
	char window[9];   /* the last bytes seen in the prolog */
	bool lt;          /* the last byte was '<' */
	bool empty_end;   /* the current node is the end of an empty element */
	bool at_end;
};

static const char DOCTYPE[] = "<!DOCTYPE";

/* Watch the prolog for "<!DOCTYPE"; false when it is there. */
static bool watch_prolog(doc_xml *x, const char *buf, size_t len)
{
	for (size_t i = 0; i < len && x->prolog; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (x->lt && (g_ascii_isalpha(c) || c == '_' || c == ':' || c >= 0x80)) {
			x->prolog = false; /* the root element's name */
			break;
		}
		memmove(x->window, x->window + 1, sizeof x->window - 1);
		x->window[sizeof x->window - 1] = (char)c;
		if (memcmp(x->window, DOCTYPE, sizeof x->window) == 0)
			return false;
		x->lt = c == '<';
	}
	return true;
}

static int io_read(void *ctx, char *buf, int len)
{
	doc_xml *x = ctx;
	if (x->io_err)
		return -1;
	gssize n = doc_zip_entry_read(x->z, buf, len > 0 ? (size_t)len : 0, &x->io_err);
	if (n < 0)
		return -1;
	if (!watch_prolog(x, buf, (size_t)n)) {
		doc_fail(&x->io_err, "damaged: a DTD in %s", x->name);
		return -1;
	}
	return (int)n;
}

static int io_close(void *ctx)
{
	return 0; /* the doc_xml owns what io_read reads from */
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	doc_xml *x = ctx;
	if (x->xml_err || !e || e->level < XML_ERR_ERROR)
		return;
	const char *m = e->message ? e->message : "malformed XML";
	size_t len = strcspn(m, "\n"); /* libxml2 goes on to dump bytes */
	x->xml_err = g_strdup_printf("line %d: %.*s", e->line, (int)len, m);
}

/* libxml2's errors outside a parser context (reading the input, creating
 * the reader) go to the thread's structured handler: this one, while the
 * reader runs. */
typedef struct {
	xmlStructuredErrorFunc fn;
	void *ctx;
} quiet;

static quiet quiet_begin(doc_xml *x)
{
	quiet q = { xmlStructuredError, xmlStructuredErrorContext };
	xmlSetStructuredErrorFunc(x, on_error);
	return q;
}

static void quiet_end(quiet q)
{
	xmlSetStructuredErrorFunc(q.ctx, q.fn);
}

doc_xml *doc_xml_open(doc_zip *z, const char *name, GError **err)
{
	if (!doc_zip_entry_open(z, name, err))
		return NULL;
	doc_xml *x = g_new0(doc_xml, 1);
	x->z = z;
	x->name = g_strdup(name);
	x->prolog = true;
	quiet q = quiet_begin(x);
	x->r = xmlReaderForIO(io_read, io_close, x, name, NULL, XML_PARSE_NONET);
	quiet_end(q);
	if (!x->r) {
		if (x->io_err)
			g_propagate_error(err, g_steal_pointer(&x->io_err));
		else
			doc_fail(err, "damaged: %s: not XML", name);
		doc_xml_free(x);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(x->r, on_error, x);
	return x;
}

void doc_xml_free(doc_xml *x)
{
	if (!x)
		return;
	if (x->r) {
		quiet q = quiet_begin(x);
		xmlFreeTextReader(x->r);
		quiet_end(q);
	}
	g_clear_error(&x->io_err);
	g_free(x->xml_err);
	g_free(x->name);
	g_free(x);
}

static int fail(doc_xml *x, GError **err)
{
	x->at_end = true;
	if (x->io_err)
		g_propagate_error(err, g_steal_pointer(&x->io_err));
	else
		doc_fail(err, "damaged: %s: %s", x->name, x->xml_err ? x->xml_err : "malformed XML");
	return -1;
}

int doc_xml_next(doc_xml *x, GError **err)
{
	if (x->at_end)
		return 0;
	/* An empty element is one node to xmlTextReader; the readers see a
	 * start and an end, as for any other element. */
	if (!x->empty_end && xmlTextReaderNodeType(x->r) == XML_READER_TYPE_ELEMENT &&
	    xmlTextReaderIsEmptyElement(x->r) == 1) {
		x->empty_end = true;
		return 1;
	}
	x->empty_end = false;
	quiet q = quiet_begin(x);
	int rc = xmlTextReaderRead(x->r);
	quiet_end(q);
	if (rc < 0 || x->xml_err || x->io_err)
		return fail(x, err);
	if (rc == 0) {
		x->at_end = true;
		return 0;
	}
	int type = xmlTextReaderNodeType(x->r);
	if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
		doc_fail(&x->io_err, "damaged: a DTD in %s", x->name);
		return fail(x, err);
	}
	if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(x->r) >= DOC_XML_DEPTH_MAX) {
		doc_fail(&x->io_err, "limit: %s nests elements beyond depth %d", x->name,
		         DOC_XML_DEPTH_MAX);
		return fail(x, err);
	}
	return 1;
}

bool doc_xml_is_start(doc_xml *x)
{
	return !x->empty_end && xmlTextReaderNodeType(x->r) == XML_READER_TYPE_ELEMENT;
}

bool doc_xml_is_end(doc_xml *x)
{
	return x->empty_end || xmlTextReaderNodeType(x->r) == XML_READER_TYPE_END_ELEMENT;
}

bool doc_xml_is_text(doc_xml *x)
{
	int t = xmlTextReaderNodeType(x->r);
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE;
}

const char *doc_xml_local(doc_xml *x)
{
	const xmlChar *s = xmlTextReaderConstLocalName(x->r);
	return s ? (const char *)s : "";
}

const char *doc_xml_ns(doc_xml *x)
{
	const xmlChar *s = xmlTextReaderConstNamespaceUri(x->r);
	return s ? (const char *)s : "";
}

const char *doc_xml_value(doc_xml *x)
{
	const xmlChar *s = xmlTextReaderConstValue(x->r);
	return s ? (const char *)s : "";
}

int doc_xml_depth(doc_xml *x)
{
	return xmlTextReaderDepth(x->r);
}

bool doc_xml_is(doc_xml *x, const char *ns, const char *local)
{
	return strcmp(doc_xml_local(x), local) == 0 && (!ns || strcmp(doc_xml_ns(x), ns) == 0);
}

char *doc_xml_attr(doc_xml *x, const char *ns, const char *local)
{
	char *v = NULL;
	if (xmlTextReaderNodeType(x->r) != XML_READER_TYPE_ELEMENT)
		return NULL;
	if (ns) {
		xmlChar *s = xmlTextReaderGetAttributeNs(x->r, (const xmlChar *)local,
		                                         (const xmlChar *)ns);
		v = s ? g_strdup((const char *)s) : NULL;
		xmlFree(s);
		return v;
	}
	/* Any namespace: walk the attributes, then back to the element. */
	for (int ok = xmlTextReaderMoveToFirstAttribute(x->r); ok == 1 && !v;
	     ok = xmlTextReaderMoveToNextAttribute(x->r)) {
		if (strcmp(doc_xml_local(x), local) == 0)
			v = g_strdup(doc_xml_value(x));
	}
	xmlTextReaderMoveToElement(x->r);
	return v;
}
