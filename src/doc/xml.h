/*
 * doc/xml.h (private to src/doc/) — one XML entry of a zip package read
 * as a stream of nodes (libxml2's xmlTextReader), strictly: no network,
 * no DTD loaded, no entity substituted, and a document with a DOCTYPE
 * refused outright ("damaged: a DTD in <entry>"): neither OWPML nor ODF
 * has any use for one, and refusing it ends billion laughs and external
 * entities before they start. Elements nest at most DOC_XML_DEPTH_MAX
 * deep. libxml2 prints nothing: its first error becomes the failure.
 *
 * Names are matched by local name and namespace URI, never by prefix.
 * Strings returned by the accessors belong to the reader and last until
 * the next doc_xml_next; doc_xml_attr's are the caller's (g_free).
 */
#ifndef ARC_DOC_XML_H
#define ARC_DOC_XML_H

#include "zip.h"

typedef struct doc_xml doc_xml;

/* Open entry name of z; NULL with err set. z must outlive the reader and
 * not be read otherwise until doc_xml_free. */
doc_xml *doc_xml_open(doc_zip *z, const char *name, GError **err);
void doc_xml_free(doc_xml *x);

/* The next node: 1, 0 at the end of the document, -1 with err set. */
int doc_xml_next(doc_xml *x, GError **err);

bool doc_xml_is_start(doc_xml *x); /* an element's start (also an empty one) */
bool doc_xml_is_end(doc_xml *x);   /* an element's end (also an empty one's, at once) */
bool doc_xml_is_text(doc_xml *x);  /* character data, CDATA, whitespace */
const char *doc_xml_local(doc_xml *x);
const char *doc_xml_ns(doc_xml *x); /* "" when none */
const char *doc_xml_value(doc_xml *x);
int doc_xml_depth(doc_xml *x);

/* Whether the current element is local in namespace ns (NULL: any). */
bool doc_xml_is(doc_xml *x, const char *ns, const char *local);

/* The value of the current element's attribute of that local name in ns
 * (NULL: in any namespace or none), or NULL. */
char *doc_xml_attr(doc_xml *x, const char *ns, const char *local);

#endif
