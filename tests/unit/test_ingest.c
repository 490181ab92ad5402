/* Unit tests: ingest of one release, through the library (no argv). */
#include <archive.h>
#include <archive_entry.h>
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

/* A store with archive.conf holding conf (none when NULL), and an ingester. */
static void setup_conf(fixture *f, const ingest_opts *extra, const char *conf)
{
	GError *e = NULL;
	f->dir = unit_tmpdir();
	if (conf) {
		char *path = g_build_filename(f->dir, "archive.conf", NULL);
		EXPECT(g_file_set_contents(path, conf, -1, NULL));
		g_free(path);
	}
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

static void setup(fixture *f, const ingest_opts *extra)
{
	setup_conf(f, extra, NULL);
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

/* The file ID/name of the bundle at path, read with libarchive; NULL when
 * it is not there. */
static char *bundle_file(const char *path, const char *name)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	char *found = NULL;
	if (archive_read_open_filename(a, path, 10240) == ARCHIVE_OK) {
		struct archive_entry *en;
		while (!found && archive_read_next_header(a, &en) == ARCHIVE_OK) {
			const char *p = archive_entry_pathname(en);
			const char *slash = strchr(p, '/');
			if (!slash || strcmp(slash + 1, name) != 0)
				continue;
			GString *s = g_string_new(NULL);
			char buf[4096];
			la_ssize_t n;
			while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
				g_string_append_len(s, buf, n);
			found = g_string_free(s, FALSE);
		}
	}
	archive_read_free(a);
	return found;
}

/* bag-info.txt of the bundle at path holds line (with its newline). */
static bool bag_info_has(const char *path, const char *lines)
{
	char *info = bundle_file(path, "bag-info.txt");
	bool ok = info && strstr(info, lines);
	if (!ok)
		fprintf(stderr, "bag-info.txt of %s: no \"%s\" in:\n%s", path, lines,
		        info ? info : "(none)\n");
	g_free(info);
	return ok;
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
	/* The default period from 1 January after the release date. */
	EXPECT_STR(r->retention, "10y");
	EXPECT(r->retention_statutory);
	EXPECT_STR(r->retention_start, "2025-01-01");
	EXPECT_STR(r->disposal_date, "2035-01-01");
	EXPECT(bag_info_has(res.path, "\nRetention-Period: 10y\nRetention-Start: 2025-01-01\n"
	                              "Disposal-Date: 2035-01-01\n"));
	char *json = bundle_file(res.path, "metadata/release.json");
	EXPECT(json && strstr(json, "\"retention_start\": \"2025-01-01\""));
	EXPECT(json && strstr(json, "\"retention_statutory\": true"));
	EXPECT(json && strstr(json, "\"disposal_date\": \"2035-01-01\""));
	g_free(json);
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
	EXPECT_STR(res.record->retention_start, "2021-01-01");
	EXPECT(bag_info_has(res.path, "\nRetention-Period: permanent\nRetention-Start: 2021-01-01\n"
	                              "Disposal-Date: permanent\n"));
	/* --license skips license.consistent. */
	EXPECT(find(res.record, "license.consistent") == NULL);
	ingest_result_clear(&res);
	g_free(p);
	teardown(&f);
}

/* [retention] start = release-date, and a semi-permanent period. */
TEST(semi_permanent_from_the_release_date)
{
	ingest_opts o = { .retention = "semi-permanent" };
	fixture f;
	setup_conf(&f, &o, "[retention]\nstart = release-date\n");
	char *p = fixture_release("ko-2024-07-15-ai-semiconductor");
	ingest_result res;
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	EXPECT_STR(res.record->retention, "semi-permanent");
	EXPECT(res.record->retention_statutory);
	EXPECT_STR(res.record->retention_start, "2024-07-15");
	EXPECT_STR(res.record->disposal_date, "semi-permanent");
	EXPECT(bag_info_has(res.path, "\nRetention-Period: semi-permanent\n"
	                              "Retention-Start: 2024-07-15\nDisposal-Date: semi-permanent\n"));
	char *json = bundle_file(res.path, "metadata/release.json");
	EXPECT(json && strstr(json, "\"retention_start\": \"2024-07-15\""));
	EXPECT(json && strstr(json, "\"disposal_date\": \"semi-permanent\""));
	g_free(json);
	ingest_result_clear(&res);
	g_free(p);
	teardown(&f);
}

/* A period the Decree does not name, from the store's default and start. */
TEST(non_statutory_period_from_the_store)
{
	fixture f;
	setup_conf(&f, NULL, "[defaults]\nretention = 18m\n[retention]\nstart = next-year\n");
	char *p = fixture_release("ko-2024-07-15-ai-semiconductor");
	ingest_result res;
	EXPECT(ingest_path(&f, p, &res));
	EXPECT_INT(res.status, INGEST_ARCHIVED);
	EXPECT_STR(res.record->retention, "18m");
	EXPECT(!res.record->retention_statutory);
	EXPECT_STR(res.record->retention_start, "2025-01-01");
	EXPECT_STR(res.record->disposal_date, "2026-07-01");
	/* Recorded, not a check of its own. */
	EXPECT_STR(check_list_status(res.record->checks), "pass");
	char *json = bundle_file(res.path, "metadata/release.json");
	EXPECT(json && strstr(json, "\"retention_statutory\": false"));
	g_free(json);
	ingest_result_clear(&res);
	g_free(p);
	teardown(&f);
}

/* A start rule that is neither: a store error naming the file, key and value. */
TEST(bad_start_rule_is_a_store_error)
{
	const char *bad[] = { "tomorrow", "", "Next-Year" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *e = NULL;
		char *d = unit_tmpdir();
		char *conf = g_build_filename(d, "archive.conf", NULL);
		char *text = g_strdup_printf("[retention]\nstart = %s\n", bad[i]);
		EXPECT(g_file_set_contents(conf, text, -1, NULL));
		store *s = store_open(d, true, &e);
		EXPECT(s != NULL);
		ingest_opts o = { .now = 1795737600 };
		worker_limits_default(&o.limits);
		ingester *g = s ? ingester_new(s, NULL, &o, &e) : NULL;
		EXPECT(g == NULL);
		char *value = g_strdup_printf("start = %s:", bad[i]);
		EXPECT(e && e->code == ARC_ERROR_STORE && strstr(e->message, "archive.conf") &&
		       strstr(e->message, value));
		if (e)
			fprintf(stderr, "(expected) %s\n", e->message);
		ingester_free(g);
		g_clear_error(&e);
		store_close(s);
		g_free(value);
		g_free(text);
		g_free(conf);
		g_free(d);
	}
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
          semi_permanent_from_the_release_date, non_statutory_period_from_the_store,
          bad_start_rule_is_a_store_error,
          no_licence_anywhere_is_an_error_unless_configured, bad_options_are_usage_errors)
