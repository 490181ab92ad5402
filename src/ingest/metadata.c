/*
 * ingest/metadata.c — rendering a release_record as bag-info.txt, release.json,
 * Dublin Core and XMP. XML is written with libxml2's text writer, so every
 * value is escaped by the library, not by hand.
 */
#include "ingest/metadata.h"
#include "core/json.h"
#include "core/text.h"

#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <string.h>

static void payload_free(gpointer p)
{
	payload_file *f = p;
	g_free(f->bag_path);
	g_free(f->src);
	if (f->tail)
		g_bytes_unref(f->tail);
	g_free(f->mime);
	g_free(f);
}

static void pdf_record_free(gpointer p)
{
	pdf_record *d = p;
	g_free(d->rel);
	g_free(d->src);
	g_free(d->open_error);
	pdf_info_clear(&d->info);
	g_free(d->text_path);
	g_free(d->text_date);
	hash_free(d->src_hash);
	g_free(d->stamp_error);
	if (d->early_update)
		g_bytes_unref(d->early_update);
	g_free(d->early_title);
	g_free(d->early_organisation);
	g_free(d);
}

static void doc_record_free(gpointer p)
{
	doc_record *d = p;
	g_free(d->rel);
	g_free(d->src);
	doc_info_clear(&d->info);
	g_free(d->text_error);
	g_free(d->text_path);
	g_free(d);
}

release_record *release_record_new(void)
{
	release_record *r = g_new0(release_record, 1);
	r->payload = g_ptr_array_new_with_free_func(payload_free);
	r->pdfs = g_ptr_array_new_with_free_func(pdf_record_free);
	r->docs = g_ptr_array_new_with_free_func(doc_record_free);
	r->checks = check_list_new();
	return r;
}

void release_record_free(release_record *r)
{
	if (!r)
		return;
	release_doc_free(r->doc);
	g_free(r->id);
	g_free(r->content_sha256);
	g_free(r->title);
	g_free(r->date);
	g_free(r->organisation);
	g_free(r->retention);
	g_free(r->ingested_at);
	g_ptr_array_unref(r->payload);
	g_ptr_array_unref(r->pdfs);
	g_ptr_array_unref(r->docs);
	check_list_free(r->checks);
	g_free(r);
}

payload_file *release_record_add_payload(release_record *r, const char *bag_path,
                                         const char *src, const char *role)
{
	payload_file *f = g_new0(payload_file, 1);
	f->bag_path = g_strdup(bag_path);
	f->src = g_strdup(src);
	f->role = role;
	g_ptr_array_add(r->payload, f);
	return f;
}

char *metadata_payload_oxum(const release_record *r)
{
	uint64_t bytes = 0;
	for (guint i = 0; i < r->payload->len; i++)
		bytes += ((payload_file *)g_ptr_array_index(r->payload, i))->size;
	return g_strdup_printf("%" PRIu64 ".%u", bytes, r->payload->len);
}

/* A bag-info value must stay on its line: newlines become spaces. */
static void bag_info_line(GString *s, const char *label, const char *value)
{
	char *v = g_strdup(value ? value : "");
	for (char *p = v; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	g_string_append_printf(s, "%s: %s\n", label, v);
	g_free(v);
}

char *metadata_bag_info(const release_record *r)
{
	GString *s = g_string_new(NULL);
	char *oxum = metadata_payload_oxum(r);
	char *agent = g_strdup_printf("archive/%s", ARCHIVE_VERSION);
	char *lname = g_strdup_printf("Korea Open Government License %s", r->license->name_en);
	if (r->organisation) /* none named anywhere: no line rather than a made-up name */
		bag_info_line(s, "Source-Organization", r->organisation);
	bag_info_line(s, "Bagging-Date", r->bagging_date);
	bag_info_line(s, "Bag-Software-Agent", agent);
	bag_info_line(s, "Payload-Oxum", oxum);
	bag_info_line(s, "External-Identifier", r->id);
	bag_info_line(s, "External-Description", r->title);
	bag_info_line(s, "Release-Date", r->date);
	bag_info_line(s, "License", r->license->id);
	bag_info_line(s, "License-Name", lname);
	bag_info_line(s, "License-Name-Korean", r->license->name_ko);
	bag_info_line(s, "License-URL", r->license->url);
	bag_info_line(s, "Retention-Period", r->retention);
	bag_info_line(s, "Retention-Start", r->retention_start);
	bag_info_line(s, "Disposal-Date", r->disposal_date);
	bag_info_line(s, "Check-Status", check_list_status(r->checks));
	bag_info_line(s, "Release-Content-SHA256", r->content_sha256);
	g_free(oxum);
	g_free(agent);
	g_free(lname);
	return g_string_free(s, FALSE);
}

static void json_fields(json_writer *w, const release_record *r)
{
	const release_doc *d = r->doc;
	json_kv_string(w, "title", r->title);
	json_key(w, "subtitles");
	json_begin_array(w);
	for (guint i = 0; d && i < d->subtitles->len; i++)
		json_string(w, g_ptr_array_index(d->subtitles, i));
	json_end_array(w);
	json_kv_string(w, "date", r->date);
	json_kv_string(w, "date_source", r->date_source);
	json_kv_string(w, "organisation", r->organisation);
	json_kv_string(w, "organisation_source", r->organisation_source);
	json_key(w, "contact");
	json_begin_object(w);
	json_kv_string(w, "text", d ? d->contact : NULL);
	json_kv_string(w, "phone", d ? d->contact_phone : NULL);
	json_kv_string(w, "email", d ? d->contact_email : NULL);
	json_end_object(w);
	json_key(w, "license");
	if (r->license) {
		json_begin_object(w);
		json_kv_string(w, "id", r->license->id);
		json_kv_string(w, "name", r->license->name_en);
		json_kv_string(w, "name_ko", r->license->name_ko);
		json_kv_string(w, "url", r->license->url);
		json_kv_string(w, "source", r->license_source);
		json_kv_string(w, "statement", d ? d->license_statement : NULL);
		json_end_object(w);
	} else {
		json_null(w);
	}
	json_kv_string(w, "language", d ? d->language : NULL);
	json_kv_string(w, "encoding", d ? d->encoding : NULL);
}

static void json_pdf(json_writer *w, const pdf_record *p)
{
	json_begin_object(w);
	json_kv_string(w, "file", p->rel);
	json_kv_bool(w, "opened", p->opened);
	if (!p->opened) {
		json_kv_string(w, "error", p->open_error);
		json_end_object(w);
		return;
	}
	const pdf_info *i = &p->info;
	json_kv_int(w, "pages", i->pages);
	json_kv_string(w, "pdf_version", i->pdf_version);
	json_kv_string(w, "producer", i->producer);
	json_kv_string(w, "creator", i->creator);
	json_kv_string(w, "creation_date", i->creation_date);
	json_kv_string(w, "title", i->title);
	json_kv_string(w, "author", i->author);
	json_kv_string(w, "pdfa", i->pdfa);
	json_kv_bool(w, "encrypted", i->encrypted);
	json_kv_int(w, "text_chars", (int64_t)i->text_chars);
	json_key(w, "text_chars_per_page");
	json_begin_array(w);
	for (guint k = 0; i->chars_per_page && k < i->chars_per_page->len; k++)
		json_int(w, g_array_index(i->chars_per_page, guint, k));
	json_end_array(w);
	json_kv_bool(w, "javascript", i->javascript);
	json_kv_bool(w, "launch_action", i->launch_action);
	json_kv_bool(w, "embedded_files", i->embedded_files);
	if (p->license_type)
		json_kv_string(w, "license_stated", kogl_get(p->license_type)->id);
	else
		json_kv_string(w, "license_stated", NULL);
	json_kv_bool(w, "stamped", p->stamped);
	if (p->stamp_error)
		json_kv_string(w, "stamp_error", p->stamp_error);
	json_end_object(w);
}

static void json_doc(json_writer *w, const doc_record *d)
{
	const doc_info *i = &d->info;
	json_begin_object(w);
	json_kv_string(w, "file", d->rel);
	json_kv_string(w, "format", doc_format_name(i->format));
	json_kv_string(w, "version", i->version);
	json_kv_bool(w, "text_extracted", d->text_error == NULL);
	json_kv_string(w, "text_error", d->text_error);
	json_kv_int(w, "sections", i->sections);
	json_kv_int(w, "text_chars", (int64_t)i->text_chars);
	if (i->format == DOC_HWP) {
		json_kv_bool(w, "compressed", i->compressed);
		json_kv_bool(w, "password", i->password);
		json_kv_bool(w, "distribution", i->distribution);
		json_kv_bool(w, "drm", i->drm);
		json_kv_bool(w, "kogl_flag", i->kogl_flag);
	}
	json_kv_bool(w, "scripts", i->scripts);
	json_kv_bool(w, "macros", i->macros);
	json_kv_bool(w, "embedded_objects", i->embedded);
	json_kv_string(w, "license_stated",
	               d->license_type ? kogl_get(d->license_type)->id : NULL);
	json_end_object(w);
}

static void json_tool(json_writer *w)
{
	json_key(w, "tool");
	json_begin_object(w);
	json_kv_string(w, "name", "archive");
	json_kv_string(w, "version", ARCHIVE_VERSION);
	json_end_object(w);
}

static void json_files_and_checks(json_writer *w, const release_record *r)
{
	json_key(w, "files");
	json_begin_array(w);
	for (guint i = 0; i < r->payload->len; i++) {
		const payload_file *f = g_ptr_array_index(r->payload, i);
		json_begin_object(w);
		json_kv_string(w, "path", f->bag_path);
		json_kv_string(w, "role", f->role);
		json_kv_string(w, "mime", f->mime);
		json_kv_int(w, "size", (int64_t)f->size);
		json_kv_string(w, "sha256", f->sha256[0] ? f->sha256 : NULL);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "pdfs");
	json_begin_array(w);
	for (guint i = 0; i < r->pdfs->len; i++)
		json_pdf(w, g_ptr_array_index(r->pdfs, i));
	json_end_array(w);
	json_key(w, "documents");
	json_begin_array(w);
	for (guint i = 0; i < r->docs->len; i++)
		json_doc(w, g_ptr_array_index(r->docs, i));
	json_end_array(w);
	json_kv_string(w, "check_status", check_list_status(r->checks));
	json_key(w, "checks");
	check_list_to_json(r->checks, w);
}

char *metadata_release_json(const release_record *r)
{
	json_writer *w = json_new(true);
	json_begin_object(w);
	json_kv_string(w, "id", r->id);
	json_kv_string(w, "content_sha256", r->content_sha256);
	json_fields(w, r);
	json_kv_string(w, "retention", r->retention);
	json_kv_bool(w, "retention_statutory", r->retention_statutory);
	json_kv_string(w, "retention_start", r->retention_start);
	json_kv_string(w, "disposal_date", r->disposal_date);
	json_kv_string(w, "bagging_date", r->bagging_date);
	json_kv_string(w, "ingested_at", r->ingested_at);
	json_tool(w);
	json_files_and_checks(w, r);
	json_end_object(w);
	return json_finish(w);
}

void metadata_json_reasons(json_writer *w, const release_record *r)
{
	json_begin_array(w);
	for (guint i = 0; i < r->checks->items->len; i++) {
		const check_result *c = g_ptr_array_index(r->checks->items, i);
		if (!c->passed && c->level == CHECK_LEVEL_ERROR)
			json_string(w, c->message);
	}
	json_end_array(w);
}

char *metadata_reason_json(const release_record *r, const char *source)
{
	json_writer *w = json_new(true);
	json_begin_object(w);
	json_kv_string(w, "release", source);
	json_kv_string(w, "status", "quarantined");
	json_kv_string(w, "quarantined_at", r->ingested_at);
	json_key(w, "reasons");
	metadata_json_reasons(w, r);
	json_fields(w, r);
	json_tool(w);
	json_files_and_checks(w, r);
	json_end_object(w);
	return json_finish(w);
}

/* The text writer's buffer as a new string. */
static char *finish_xml(xmlTextWriterPtr xw, xmlBufferPtr buf)
{
	xmlTextWriterEndDocument(xw);
	xmlFreeTextWriter(xw); /* flushes into buf */
	char *s = g_strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

static void el(xmlTextWriterPtr xw, const char *name, const char *value)
{
	if (value && *value)
		xmlTextWriterWriteElement(xw, BAD_CAST name, BAD_CAST value);
}

static char *rights_en(const release_record *r)
{
	if (!r->organisation)
		return g_strdup_printf("Korea Open Government License (KOGL) %s. %s",
		                       r->license->name_en, r->license->url);
	return g_strdup_printf("Korea Open Government License (KOGL) %s. Source: %s. %s",
	                       r->license->name_en, r->organisation, r->license->url);
}

static char *rights_ko(const release_record *r)
{
	if (!r->organisation)
		return g_strdup_printf("공공누리 %s. %s", r->license->name_ko, r->license->url);
	return g_strdup_printf("공공누리 %s. 출처: %s. %s", r->license->name_ko, r->organisation,
	                       r->license->url);
}

char *metadata_dc_xml(const release_record *r)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr xw = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(xw, 1);
	xmlTextWriterSetIndentString(xw, BAD_CAST "  ");
	xmlTextWriterStartDocument(xw, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(xw, BAD_CAST "metadata");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:dcterms", BAD_CAST "http://purl.org/dc/terms/");
	el(xw, "dc:title", r->title);
	const release_doc *d = r->doc;
	for (guint i = 0; d && i < d->subtitles->len; i++)
		el(xw, "dc:description", g_ptr_array_index(d->subtitles, i));
	el(xw, "dc:creator", r->organisation);
	el(xw, "dc:publisher", r->organisation);
	el(xw, "dc:date", r->date);
	el(xw, "dc:type", "Text");
	el(xw, "dc:format", "text/plain");
	if (r->pdfs->len > 0)
		el(xw, "dc:format", "application/pdf");
	/* Each kind of office document once, in attachment order. */
	GPtrArray *types = g_ptr_array_new();
	for (guint i = 0; i < r->docs->len; i++) {
		doc_format f = ((const doc_record *)g_ptr_array_index(r->docs, i))->info.format;
		const char *t = f == DOC_HWPX ? "application/hwp+zip"
		                : f == DOC_ODT ? "application/vnd.oasis.opendocument.text"
		                               : "application/x-hwp";
		if (!g_ptr_array_find_with_equal_func(types, t, g_str_equal, NULL)) {
			g_ptr_array_add(types, (gpointer)t);
			el(xw, "dc:format", t);
		}
	}
	g_ptr_array_unref(types);
	el(xw, "dc:language", d ? d->language : NULL);
	el(xw, "dc:identifier", r->id);
	char *en = rights_en(r), *ko = rights_ko(r);
	xmlTextWriterStartElement(xw, BAD_CAST "dc:rights");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xml:lang", BAD_CAST "en");
	xmlTextWriterWriteString(xw, BAD_CAST en);
	xmlTextWriterEndElement(xw);
	xmlTextWriterStartElement(xw, BAD_CAST "dc:rights");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xml:lang", BAD_CAST "ko");
	xmlTextWriterWriteString(xw, BAD_CAST ko);
	xmlTextWriterEndElement(xw);
	el(xw, "dcterms:license", r->license->url);
	el(xw, "dcterms:available", r->date);
	xmlTextWriterEndElement(xw);
	g_free(en);
	g_free(ko);
	return finish_xml(xw, buf);
}

/* <NAME><rdf:Alt><rdf:li xml:lang=...>…</rdf:li>…</rdf:Alt></NAME> */
static void lang_alt(xmlTextWriterPtr xw, const char *name, const char *en, const char *ko)
{
	const char *langs[] = { "x-default", "en", "ko" };
	const char *vals[] = { en, en, ko };
	xmlTextWriterStartElement(xw, BAD_CAST name);
	xmlTextWriterStartElement(xw, BAD_CAST "rdf:Alt");
	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		xmlTextWriterStartElement(xw, BAD_CAST "rdf:li");
		xmlTextWriterWriteAttribute(xw, BAD_CAST "xml:lang", BAD_CAST langs[i]);
		xmlTextWriterWriteString(xw, BAD_CAST vals[i]);
		xmlTextWriterEndElement(xw);
	}
	xmlTextWriterEndElement(xw);
	xmlTextWriterEndElement(xw);
}

char *metadata_xmp(const release_record *r, const pdf_record *pdf)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr xw = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(xw, 1);
	xmlTextWriterSetIndentString(xw, BAD_CAST " ");
	/* An XMP packet, readable as a sidecar by exiftool and friends. */
	xmlTextWriterWritePI(xw, BAD_CAST "xpacket",
	                     BAD_CAST "begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
	xmlTextWriterStartElement(xw, BAD_CAST "x:xmpmeta");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:x", BAD_CAST "adobe:ns:meta/");
	xmlTextWriterStartElement(xw, BAD_CAST "rdf:RDF");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:rdf",
	                            BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	xmlTextWriterStartElement(xw, BAD_CAST "rdf:Description");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "rdf:about", BAD_CAST "");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:xmpRights",
	                            BAD_CAST "http://ns.adobe.com/xap/1.0/rights/");
	xmlTextWriterWriteAttribute(xw, BAD_CAST "xmlns:cc", BAD_CAST "http://creativecommons.org/ns#");
	lang_alt(xw, "dc:title", r->title, NULL);
	char *en = rights_en(r), *ko = rights_ko(r);
	lang_alt(xw, "dc:rights", en, ko);
	el(xw, "xmpRights:Marked", "True");
	el(xw, "xmpRights:WebStatement", r->license->url);
	lang_alt(xw, "xmpRights:UsageTerms", en, ko);
	el(xw, "cc:license", r->license->url);
	/* XML 1.0 can hold no C0 control, not even as a reference: a name
	 * with one is given escaped (the bag keeps it byte-exact). */
	char *source = text_escape(pdf->rel, true);
	el(xw, "dc:source", source);
	g_free(source);
	xmlTextWriterEndElement(xw); /* rdf:Description */
	xmlTextWriterEndElement(xw); /* rdf:RDF */
	xmlTextWriterEndElement(xw); /* x:xmpmeta */
	xmlTextWriterWritePI(xw, BAD_CAST "xpacket", BAD_CAST "end=\"r\"");
	g_free(en);
	g_free(ko);
	return finish_xml(xw, buf);
}
