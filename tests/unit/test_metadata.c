/* Unit tests: metadata rendering (bag-info, release.json, dc.xml, XMP). */
#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <json-glib/json-glib.h>
#include "unit.h"
#include "ingest/metadata.h"

static release_record *sample(void)
{
	release_record *r = release_record_new();
	r->id = g_strdup("2024-05-10_a-b_1a2b3c4d");
	r->content_sha256 = g_strdup("1a2b3c4d" "00000000000000000000000000000000000000000000000000000000");
	r->title = g_strdup("A & B <\"quoted\">\nsecond line");
	r->date = g_strdup("2024-05-10");
	r->date_source = "text";
	r->organisation = g_strdup("Ministry of Science and ICT");
	r->organisation_source = "text";
	r->license = kogl_get(3);
	r->license_source = "release";
	r->retention = g_strdup("10y");
	r->retention_statutory = true;
	strcpy(r->retention_start, "2025-01-01");
	strcpy(r->disposal_date, "2035-01-01");
	strcpy(r->bagging_date, "2026-11-27");
	r->ingested_at = g_strdup("2026-11-27T10:00:00Z");
	payload_file *f = release_record_add_payload(r, "data/release/r.txt", "/x/r.txt", "release");
	f->size = 10;
	f = release_record_add_payload(r, "data/attachments/한 글%.pdf", "/x/a.pdf", "attachment");
	f->size = 1234;
	pdf_record *p = g_new0(pdf_record, 1);
	p->rel = g_strdup("한 글%.pdf");
	p->opened = true;
	p->info.pages = 2;
	g_ptr_array_add(r->pdfs, p);
	check_add(r->checks, "release.contact", CHECK_LEVEL_WARNING, false, "r.txt", "no e-mail");
	return r;
}

/* The value of an XPath expression over well-formed XML, or NULL. */
static char *xpath(const char *xml, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "x.xml", NULL, XML_PARSE_NONET);
	if (!doc)
		return NULL;
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlXPathRegisterNs(ctx, BAD_CAST "xmpRights", BAD_CAST "http://ns.adobe.com/xap/1.0/rights/");
	xmlXPathRegisterNs(ctx, BAD_CAST "rdf", BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *out = NULL;
	if (o) {
		xmlChar *s = xmlXPathCastToString(o);
		out = g_strdup((const char *)s);
		xmlFree(s);
		xmlXPathFreeObject(o);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

TEST(bag_info_fields)
{
	release_record *r = sample();
	char *s = metadata_bag_info(r);
	const char *want[] = {
		"Source-Organization: Ministry of Science and ICT\n",
		"Bagging-Date: 2026-11-27\n",
		"Bag-Software-Agent: archive/" ARCHIVE_VERSION "\n",
		"Payload-Oxum: 1244.2\n",
		"External-Identifier: 2024-05-10_a-b_1a2b3c4d\n",
		"External-Description: A & B <\"quoted\"> second line\n",
		"Release-Date: 2024-05-10\n",
		"License: KOGL-Type-3\n",
		"License-Name: Korea Open Government License Type 3: Source Indication + Change Prohibition\n",
		"License-URL: https://www.kogl.or.kr/info/licenseType3.do\n",
		/* Retention-Start right after Retention-Period. */
		"\nRetention-Period: 10y\nRetention-Start: 2025-01-01\nDisposal-Date: 2035-01-01\n",
		"Check-Status: warn\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
		if (!strstr(s, want[i])) {
			fprintf(stderr, "missing: %s", want[i]);
			EXPECT(0);
		}
	g_free(s);
	release_record_free(r);
}

TEST(bag_info_semi_permanent)
{
	release_record *r = sample();
	g_free(r->retention);
	r->retention = g_strdup("semi-permanent");
	strcpy(r->disposal_date, "semi-permanent");
	char *s = metadata_bag_info(r);
	EXPECT(strstr(s, "\nRetention-Period: semi-permanent\nRetention-Start: 2025-01-01\n"
	                 "Disposal-Date: semi-permanent\n") != NULL);
	g_free(s);
	release_record_free(r);
}

/* release.json's retention fields: their names, types and order. */
TEST(release_json_retention_fields)
{
	const struct {
		const char *period, *start, *disposal;
		bool statutory;
	} cases[] = {
		{ "10y", "2025-01-01", "2035-01-01", true },
		{ "18m", "2024-05-10", "2025-11-10", false },
		{ "semi-permanent", "2025-01-01", "semi-permanent", true },
		{ "permanent", "2025-01-01", "permanent", true },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_record *r = sample();
		g_free(r->retention);
		r->retention = g_strdup(cases[i].period);
		r->retention_statutory = cases[i].statutory;
		strcpy(r->retention_start, cases[i].start);
		strcpy(r->disposal_date, cases[i].disposal);
		char *j = metadata_release_json(r);
		JsonParser *p = json_parser_new();
		GError *e = NULL;
		EXPECT(json_parser_load_from_data(p, j, -1, &e));
		JsonNode *root = json_parser_get_root(p);
		JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
		EXPECT(o != NULL);
		if (o) {
			EXPECT_STR(json_object_get_string_member(o, "retention"), cases[i].period);
			EXPECT_STR(json_object_get_string_member(o, "retention_start"), cases[i].start);
			EXPECT_STR(json_object_get_string_member(o, "disposal_date"), cases[i].disposal);
			JsonNode *st = json_object_get_member(o, "retention_statutory");
			EXPECT(st && JSON_NODE_HOLDS_VALUE(st) &&
			       json_node_get_value_type(st) == G_TYPE_BOOLEAN &&
			       json_node_get_boolean(st) == cases[i].statutory);
		}
		/* Next to each other, between retention and disposal_date. */
		const char *a = strstr(j, "\"retention\":"), *b = strstr(j, "\"retention_start\":"),
		           *c = strstr(j, "\"retention_statutory\":"), *d = strstr(j, "\"disposal_date\":");
		EXPECT(a && b && c && d && a < b && a < c && b < d && c < d);
		g_clear_error(&e);
		g_object_unref(p);
		g_free(j);
		release_record_free(r);
	}
}

/* No organisation named anywhere: no Source-Organization line, no creator,
 * no "Source:" in the rights — never a placeholder written as a name. */
TEST(no_organisation_no_made_up_name)
{
	release_record *r = sample();
	g_clear_pointer(&r->organisation, g_free);
	r->organisation_source = "none";
	char *s = metadata_bag_info(r);
	EXPECT(strstr(s, "Source-Organization") == NULL);
	EXPECT(strstr(s, "unknown") == NULL);
	EXPECT(strstr(s, "External-Identifier: 2024-05-10_a-b_1a2b3c4d\n") != NULL);
	char *x = metadata_dc_xml(r);
	char *creator = xpath(x, "count(/metadata/dc:creator)");
	EXPECT_STR(creator, "0");
	char *rights = xpath(x, "/metadata/dc:rights[@xml:lang='en']");
	EXPECT(rights && !strstr(rights, "Source:") && strstr(rights, "Type 3"));
	g_free(creator);
	g_free(rights);
	g_free(x);
	g_free(s);
	release_record_free(r);
}

TEST(dc_xml_is_well_formed_and_escaped)
{
	release_record *r = sample();
	char *x = metadata_dc_xml(r);
	char *t = xpath(x, "/metadata/dc:title");
	EXPECT_STR(t, "A & B <\"quoted\">\nsecond line");
	char *rights = xpath(x, "/metadata/dc:rights[@xml:lang='ko']");
	EXPECT(rights && strstr(rights, "제3유형: 출처표시+변경금지"));
	char *id = xpath(x, "/metadata/dc:identifier");
	EXPECT_STR(id, "2024-05-10_a-b_1a2b3c4d");
	g_free(t);
	g_free(rights);
	g_free(id);
	g_free(x);
	release_record_free(r);
}

TEST(xmp_is_well_formed)
{
	release_record *r = sample();
	char *x = metadata_xmp(r, g_ptr_array_index(r->pdfs, 0));
	EXPECT(g_str_has_prefix(x, "<?xpacket begin="));
	EXPECT(strstr(x, "<?xpacket end=\"r\"?>") != NULL);
	char *m = xpath(x, "//xmpRights:Marked");
	EXPECT_STR(m, "True");
	char *ws = xpath(x, "//xmpRights:WebStatement");
	EXPECT_STR(ws, "https://www.kogl.or.kr/info/licenseType3.do");
	char *ko = xpath(x, "//xmpRights:UsageTerms/rdf:Alt/rdf:li[@xml:lang='ko']");
	EXPECT(ko && strstr(ko, "공공누리"));
	g_free(m);
	g_free(ws);
	g_free(ko);
	g_free(x);
	release_record_free(r);
}

TEST(release_json_holds_checks_and_files)
{
	release_record *r = sample();
	char *j = metadata_release_json(r);
	EXPECT(strstr(j, "\"id\": \"release.contact\"") != NULL);
	EXPECT(strstr(j, "\"status\": \"fail\"") != NULL);
	EXPECT(strstr(j, "\"path\": \"data/attachments/한 글%.pdf\"") != NULL);
	EXPECT(strstr(j, "\"check_status\": \"warn\"") != NULL);
	EXPECT(strstr(j, "\"pages\": 2") != NULL);
	char *q = metadata_reason_json(r, "in/x");
	EXPECT(strstr(q, "\"status\": \"quarantined\"") != NULL);
	EXPECT(strstr(q, "\"release\": \"in/x\"") != NULL);
	/* Well-formed JSON: python3 parses both, when it is there. */
	char *python = g_find_program_in_path("python3");
	if (python) {
		const char *docs[] = { j, q };
		for (int i = 0; i < 2; i++) {
			char *argv[] = { "python3", "-c", "import json,sys; json.load(sys.stdin)", NULL };
			GError *e = NULL;
			GSubprocess *p = g_subprocess_newv((const char *const *)argv,
			                                   G_SUBPROCESS_FLAGS_STDIN_PIPE, &e);
			EXPECT(p != NULL);
			GBytes *in = g_bytes_new(docs[i], strlen(docs[i]));
			EXPECT(g_subprocess_communicate(p, in, NULL, NULL, NULL, &e));
			EXPECT(g_subprocess_get_if_exited(p) && g_subprocess_get_exit_status(p) == 0);
			g_bytes_unref(in);
			g_object_unref(p);
		}
	}
	g_free(python);
	g_free(q);
	g_free(j);
	release_record_free(r);
}

UNIT_MAIN(bag_info_fields, bag_info_semi_permanent, release_json_retention_fields, no_organisation_no_made_up_name, dc_xml_is_well_formed_and_escaped, xmp_is_well_formed,
          release_json_holds_checks_and_files)
