/* Unit tests: ingest of one release, through the library (no argv). */
#include <unistd.h>
#include "unit.h"
#include "ingest/ingest.h"
#include "release/license.h"
#include "core/errors.h"

typedef struct {
	char *dir;
	store *s;
	catalog *c;
	ingester *g;
} fixture;

static void setup(fixture *f, const ingest_opts *extra)
{
	GError *e = NULL;
	f->dir = unit_tmpdir();
	f->s = store_open(f->dir, true, &e);
	EXPECT(f->s && store_lock(f->s, &e));
	f->c = catalog_open(f->dir, &e);
	EXPECT(f->c != NULL);
	ingest_opts o = extra ? *extra : (ingest_opts){ 0 };
	o.now = 1795737600; /* 2026-11-27 */
	worker_limits_default(&o.limits);
	f->g = ingester_new(f->s, f->c, &o, &e);
	EXPECT(f->g != NULL);
	if (e)
		fprintf(stderr, "%s\n", e->message);
	g_clear_error(&e);
}

static void teardown(fixture *f)
{
	ingester_free(f->g);
	catalog_close(f->c);
	store_close(f->s);
	g_free(f->dir);
}

static bool ingest_path(fixture *f, const char *path, ingest_result *res)
{
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	GError *e = NULL;
	bool ok = input_collect(path, rs, NULL, &e) && rs->len == 1 &&
	          ingest_release(f->g, g_ptr_array_index(rs, 0), res, &e);
	if (e)
		fprintf(stderr, "%s\n", e->message);
	g_clear_error(&e);
	g_ptr_array_unref(rs);
	return ok;
}

static const check_result *find(const release_record *r, const char *id)
{
	for (guint i = 0; i < r->checks->items->len; i++) {
		const check_result *c = g_ptr_array_index(r->checks->items, i);
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

static char *fixture_release(const char *name)
{
	return g_build_filename(unit_fixtures(), "releases", name, NULL);
}

TEST(sample_release_archived_with_its_warnings)
{
	fixture f;
	setup(&f, NULL);
	char *p = fixture_release("msit-2024-05-10-ai-digital-diplomacy");
	ingest_result res;
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	const release_record *r = res.record;
	EXPECT_STR(r->title, "No Barriers Between Ministries in AI and Digital Diplomacy");
	EXPECT(r->license == kogl_get(1));
	EXPECT_STR(r->license_source, "release");
	EXPECT_STR(r->organisation, "Ministry of Science and ICT");
	/* The text has "May 10" only; the PDF's first page has the year. */
	EXPECT_STR(r->date, "2024-05-10");
	EXPECT_STR(r->date_source, "pdf");
	EXPECT(g_str_has_prefix(res.id, "2024-05-10_no-barriers-between-ministries-in-ai-and-digital_"));
	EXPECT(g_str_has_suffix(res.path, ".tar.gz") && g_file_test(res.path, G_FILE_TEST_IS_REGULAR));
	const check_result *c = find(r, "release.contact");
	EXPECT(c && !c->passed && c->level == CHECK_LEVEL_WARNING && strstr(c->message, "e-mail"));
	c = find(r, "release.date");
	EXPECT(c && !c->passed);
	const char *must_pass[] = { "input.file", "release.readable", "release.title",
		                    "attachment.present", "attachment.type", "pdf.open", "pdf.text",
		                    "pdf.matches_release", "license.detected", "license.consistent",
		                    "pdf.active_content", "pdf.stamp" };
	for (size_t i = 0; i < G_N_ELEMENTS(must_pass); i++) {
		c = find(r, must_pass[i]);
		if (!c || !c->passed)
			fprintf(stderr, "check %s: %s\n", must_pass[i], c ? c->message : "did not run");
		EXPECT(c && c->passed);
	}
	EXPECT_STR(check_list_status(r->checks), "warn");
	char *id = g_strdup(res.id);
	ingest_result_clear(&res);

	/* The same content again: already archived, same id. */
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ALREADY_ARCHIVED);
	EXPECT_STR(res.id, id);
	ingest_result_clear(&res);
	g_free(id);
	g_free(p);
	teardown(&f);
}

TEST(korean_release)
{
	fixture f;
	setup(&f, NULL);
	char *p = fixture_release("ko-2024-07-15-ai-semiconductor");
	ingest_result res;
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	EXPECT_STR(res.record->date, "2024-07-15");
	EXPECT_STR(res.record->date_source, "text");
	EXPECT(g_str_has_prefix(res.id, "2024-07-15_release_"));
	EXPECT(res.record->license == kogl_get(1));
	EXPECT_STR(check_list_status(res.record->checks), "pass");
	const check_result *c = find(res.record, "pdf.matches_release");
	EXPECT(c && c->passed);
	ingest_result_clear(&res);
	g_free(p);
	teardown(&f);
}

TEST(options_override_text)
{
	ingest_opts o = { .date = "2020-01-02", .license_type = 4, .organisation = "Some Office",
		          .retention = "permanent" };
	fixture f;
	setup(&f, &o);
	char *p = fixture_release("en-2024-06-03-quantum-strategy");
	ingest_result res;
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	EXPECT_STR(res.record->date, "2020-01-02");
	EXPECT_STR(res.record->date_source, "option");
	EXPECT(res.record->license == kogl_get(4));
	EXPECT_STR(res.record->organisation, "Some Office");
	EXPECT_STR(res.record->disposal_date, "permanent");
	/* --license skips license.consistent. */
	EXPECT(find(res.record, "license.consistent") == NULL);
	ingest_result_clear(&res);
	g_free(p);
	teardown(&f);
}

TEST(no_licence_anywhere_is_an_error_unless_configured)
{
	fixture f;
	setup(&f, NULL);
	char *rel = g_build_filename(f.dir, "in", NULL);
	g_mkdir_with_parents(rel, 0755);
	char *doc = g_build_filename(rel, "r.txt", NULL);
	g_file_set_contents(doc, "A Plain Title\n\nSome body text. Contact: 044-202-1234, a@b.kr\n",
	                    -1, NULL);
	ingest_result res;
	EXPECT(ingest_path(&f, rel, &res));
	EXPECT_INT(res.status, INGEST_QUARANTINED);
	const check_result *c = find(res.record, "license.detected");
	EXPECT(c && !c->passed && c->level == CHECK_LEVEL_ERROR);
	EXPECT(res.path && g_file_test(res.path, G_FILE_TEST_IS_DIR));
	ingest_result_clear(&res);
	teardown(&f);

	/* With a store default the same release is archived, with a warning. */
	setup(&f, NULL);
	char *conf = g_build_filename(f.dir, "archive.conf", NULL);
	g_file_set_contents(conf, "[defaults]\nlicense = kogl-2\n", -1, NULL);
	ingester_free(f.g);
	store_close(f.s);
	GError *e = NULL;
	f.s = store_open(f.dir, true, &e);
	store_lock(f.s, &e);
	ingest_opts o = { .now = 1795737600 };
	worker_limits_default(&o.limits);
	f.g = ingester_new(f.s, f.c, &o, &e);
	EXPECT(ingest_path(&f, rel, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	EXPECT(res.record->license == kogl_get(2));
	c = find(res.record, "license.detected");
	EXPECT(c && !c->passed && c->level == CHECK_LEVEL_WARNING);
	ingest_result_clear(&res);
	teardown(&f);
	g_free(conf);
	g_free(doc);
	g_free(rel);
}

TEST(bad_options_are_usage_errors)
{
	GError *e = NULL;
	char *d = unit_tmpdir();
	store *s = store_open(d, true, &e);
	ingest_opts o = { .date = "2024-13-01" };
	EXPECT(ingester_new(s, NULL, &o, &e) == NULL);
	EXPECT(e && e->code == ARC_ERROR_USAGE && strstr(e->message, "2024-13-01"));
	g_clear_error(&e);
	o = (ingest_opts){ .retention = "forever" };
	EXPECT(ingester_new(s, NULL, &o, &e) == NULL);
	EXPECT(e && e->code == ARC_ERROR_USAGE && strstr(e->message, "forever"));
	g_clear_error(&e);
	store_close(s);
	g_free(d);
}

UNIT_MAIN(sample_release_archived_with_its_warnings, korean_release, options_override_text,
          no_licence_anywhere_is_an_error_unless_configured, bad_options_are_usage_errors)
