/* Unit tests: the catalog — bundles from release.json, events from audit
 * lines, queries, and a rebuild that gives the same answers. */
#include <fcntl.h>
#include <unistd.h>
#include "unit.h"
#include "store/audit.h"
#include "bag/write.h"
#include "store/catalog.h"
#include "rows.h"
#include "core/errors.h"
#include "core/hash.h"

static char *release_json(const char *id, const char *disposal)
{
	return g_strdup_printf(
		"{\"id\": \"%s\", \"content_sha256\": \"c-%s\", \"title\": \"Title of %s\","
		" \"date\": \"2024-05-10\", \"organisation\": \"Ministry\","
		" \"license\": {\"id\": \"KOGL-Type-1\"}, \"retention\": \"1y\","
		" \"disposal_date\": \"%s\", \"check_status\": \"warn\", \"ingested_at\": \"2026-11-27T00:00:00Z\","
		" \"files\": [{\"path\": \"data/release/r.txt\", \"role\": \"release\", \"mime\": \"text/plain\","
		" \"size\": 3, \"sha256\": \"ab\"}],"
		" \"checks\": [{\"id\": \"release.contact\", \"level\": \"warning\", \"status\": \"fail\","
		" \"message\": \"no e-mail\", \"file\": \"r.txt\"}]}",
		id, id, id, disposal);
}

/* A bundle file in the store holding only what the catalog reads. */
static void make_bundle(const char *store, const char *id, const char *disposal)
{
	char year[5];
	g_strlcpy(year, id, sizeof year);
	char *dir = g_build_filename(store, "bundles", year, NULL);
	g_mkdir_with_parents(dir, 0755);
	char *name = g_strconcat(id, ".tar.gz", NULL);
	char *path = g_build_filename(dir, name, NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	GError *e = NULL;
	bag_writer *w = bag_writer_new(fd, id, 0, &e);
	char *json = release_json(id, disposal);
	EXPECT(bag_writer_add_bytes(w, "bagit.txt", "x", 1, &e));
	EXPECT(bag_writer_add_bytes(w, "metadata/release.json", json, strlen(json), &e));
	EXPECT(bag_writer_finish(w, &e));
	bag_writer_free(w);
	close(fd);
	char hex[65];
	EXPECT(hash_file_sha256(path, hex, NULL, &e));
	char *side = g_strconcat(path, ".sha256", NULL);
	char *line = g_strdup_printf("%s  %s\n", hex, name);
	g_file_set_contents(side, line, -1, NULL);
	g_free(line);
	g_free(side);
	g_free(json);
	g_free(path);
	g_free(name);
	g_free(dir);
}

/* Append an audit line and mirror it, as the commands do. */
static void event(const char *store, catalog *c, const char *ev, const char *id, const char *reason)
{
	audit_entry *e = audit_entry_new(ev);
	audit_entry_set(e, "id", id);
	if (reason)
		audit_entry_set(e, "reason", reason);
	if (strcmp(ev, "verify") == 0) {
		audit_entry_set_bool(e, "valid", true);
		audit_entry_set_json(e, "problems", "[]");
	}
	char *line = NULL;
	GError *err = NULL;
	EXPECT(audit_append(store, e, &line, &err));
	EXPECT(catalog_apply_event(c, line, &err));
	g_free(line);
	audit_entry_free(e);
}

/* Everything the catalog answers, as one string, to compare two catalogs. */
static char *answers(catalog *c)
{
	GString *s = g_string_new(NULL);
	GPtrArray *all = rows_all(c, NULL);
	for (guint i = 0; all && i < all->len; i++) {
		catalog_bundle *b = g_ptr_array_index(all, i);
		g_string_append_printf(s, "%s|%s|%s|%s|%s|%s|%s|%s|%s\n", b->id, b->path, b->title,
		                       b->disposal_date, b->bundle_sha256, b->hold_reason,
		                       b->last_verified, b->last_valid ? "valid" : "-", b->check_status);
		GPtrArray *ev = catalog_events(c, b->id, NULL);
		for (guint k = 0; ev && k < ev->len; k++)
			g_string_append_printf(s, "  %s\n", (char *)g_ptr_array_index(ev, k));
		if (ev)
			g_ptr_array_unref(ev);
	}
	GPtrArray *due = rows_due(c, "2030-01-01", NULL);
	for (guint i = 0; due && i < due->len; i++)
		g_string_append_printf(s, "due %s\n", ((catalog_bundle *)g_ptr_array_index(due, i))->id);
	if (due)
		g_ptr_array_unref(due);
	if (all)
		g_ptr_array_unref(all);
	return g_string_free(s, FALSE);
}

TEST(bundles_events_and_queries)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	catalog *c = catalog_open(d, &e);
	EXPECT(c != NULL);
	char *j = release_json("2024-05-10_a_00000001", "2025-05-10");
	EXPECT(catalog_add_bundle(c, "bundles/2024/2024-05-10_a_00000001.tar.gz", j, "aa", 10, &e));
	g_free(j);
	j = release_json("2024-05-10_b_00000002", "permanent");
	EXPECT(catalog_add_bundle(c, "bundles/2024/2024-05-10_b_00000002.tar.gz", j, "bb", 20, &e));
	g_free(j);
	EXPECT(!catalog_add_bundle(c, "x", "{\"no\": \"id\"}", "cc", 1, &e));
	EXPECT(e != NULL);
	g_clear_error(&e);
	EXPECT(!catalog_add_bundle(c, "x", "not json", "cc", 1, &e));
	g_clear_error(&e);

	GPtrArray *all = rows_all(c, &e);
	EXPECT_INT(all->len, 2);
	catalog_bundle *a = g_ptr_array_index(all, 0);
	EXPECT_STR(a->title, "Title of 2024-05-10_a_00000001");
	EXPECT_STR(a->license, "KOGL-Type-1");
	EXPECT_STR(a->release_date, "2024-05-10");
	EXPECT_INT(a->size, 10);
	g_ptr_array_unref(all);
	char *id = catalog_find_content(c, "c-2024-05-10_b_00000002", &e);
	EXPECT_STR(id, "2024-05-10_b_00000002");
	g_free(id);
	EXPECT(catalog_find_content(c, "nothing", &e) == NULL && e == NULL);

	GPtrArray *due = rows_due(c, "2025-05-10", &e);
	EXPECT_INT(due->len, 1); /* permanent is never due */
	g_ptr_array_unref(due);
	due = rows_due(c, "2025-05-09", &e);
	EXPECT_INT(due->len, 0);
	g_ptr_array_unref(due);

	event(d, c, "hold", "2024-05-10_a_00000001", "litigation");
	catalog_bundle *b = catalog_get(c, "2024-05-10_a_00000001", &e);
	EXPECT_STR(b->hold_reason, "litigation");
	catalog_bundle_free(b);
	GPtrArray *holds = catalog_holds(c, NULL, &e);
	EXPECT_INT(holds->len, 1);
	g_ptr_array_unref(holds);
	event(d, c, "hold-removed", "2024-05-10_a_00000001", NULL);
	b = catalog_get(c, "2024-05-10_a_00000001", &e);
	EXPECT(b->hold_reason == NULL);
	catalog_bundle_free(b);
	event(d, c, "verify", "2024-05-10_b_00000002", NULL);
	b = catalog_get(c, "2024-05-10_b_00000002", &e);
	EXPECT(b->last_verified != NULL && b->last_valid);
	catalog_bundle_free(b);
	EXPECT_INT(catalog_last_seq(c), 3);

	/* A line mirrored twice changes nothing. */
	char *line = NULL;
	audit_entry *x = audit_entry_new("hold");
	audit_entry_set(x, "id", "2024-05-10_b_00000002");
	audit_entry_set(x, "reason", "r");
	EXPECT(audit_append(d, x, &line, &e));
	audit_entry_free(x);
	EXPECT(catalog_apply_event(c, line, &e));
	EXPECT(catalog_apply_event(c, line, &e));
	GPtrArray *ev = catalog_events(c, "2024-05-10_b_00000002", &e);
	EXPECT_INT(ev->len, 2);
	g_ptr_array_unref(ev);
	g_free(line);

	event(d, c, "dispose", "2024-05-10_a_00000001", NULL);
	EXPECT(catalog_get(c, "2024-05-10_a_00000001", &e) == NULL);
	EXPECT(e == NULL);
	catalog_close(c);
	g_free(d);
}

/* The newest line of a kind, past later lines of other kinds; the same
 * kept statement of catalog_get answering id after id. */
TEST(last_event_and_get_again)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	catalog *c = catalog_open(d, &e);
	const char *a = "2024-05-10_a_00000001", *b = "2024-05-10_b_00000002";
	for (int i = 0; i < 2; i++) {
		const char *id = i ? b : a;
		char *j = release_json(id, "2025-05-10");
		char *path = g_strdup_printf("bundles/2024/%s.tar.gz", id);
		EXPECT(catalog_add_bundle(c, path, j, "aa", 10, &e));
		g_free(path);
		g_free(j);
	}
	EXPECT(catalog_last_event(c, a, "hold", NULL, &e) == NULL && e == NULL);
	event(d, c, "hold", a, "first");
	event(d, c, "verify", a, NULL);
	event(d, c, "hold", b, "other bundle");
	event(d, c, "hold", a, "second");
	event(d, c, "verify", a, NULL);
	char *line = catalog_last_event(c, a, "hold", NULL, &e);
	EXPECT(line && strstr(line, "\"second\"") && !strstr(line, "first"));
	g_free(line);
	line = catalog_last_event(c, a, "hold-removed", "hold", &e);
	EXPECT(line && strstr(line, "\"second\""));
	g_free(line);
	line = catalog_last_event(c, a, "verify", "hold", &e);
	EXPECT(line && strstr(line, "\"verify\""));
	g_free(line);
	EXPECT(catalog_last_event(c, "2024-05-10_c_00000003", "hold", NULL, &e) == NULL && e == NULL);
	g_setenv("ARCHIVE_TEST_CATALOG_BUSY", "1", TRUE);
	EXPECT(catalog_last_event(c, a, "hold", NULL, &e) == NULL && e &&
	       strstr(e->message, "database is locked"));
	g_clear_error(&e);
	EXPECT(catalog_get(c, a, &e) == NULL && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	g_unsetenv("ARCHIVE_TEST_CATALOG_BUSY");
	/* last_verified and last_valid: the newest verification's. */
	const char *times[] = { "2030-01-01T00:00:00Z", "2030-01-05T00:00:00Z", "2030-01-03T00:00:00Z" };
	for (int i = 0; i < 3; i++) {
		g_setenv("ARCHIVE_TEST_NOW", times[i], TRUE);
		event(d, c, "verify", b, NULL);
	}
	g_unsetenv("ARCHIVE_TEST_NOW");
	catalog_bundle *vb = catalog_get(c, b, &e);
	EXPECT(vb && vb->last_valid);
	EXPECT_STR(vb ? vb->last_verified : NULL, "2030-01-03T00:00:00Z"); /* the last recorded */
	catalog_bundle_free(vb);
	for (int i = 0; i < 4; i++) {
		const char *id = i % 2 ? b : a;
		catalog_bundle *got = catalog_get(c, id, &e);
		EXPECT(got && strcmp(got->id, id) == 0);
		catalog_bundle_free(got);
	}
	EXPECT(catalog_get(c, "2024-05-10_c_00000003", &e) == NULL && e == NULL);
	catalog_close(c);
	g_free(d);
}

/* A read the catalog cannot finish (SQLITE_BUSY after a row or two: the
 * test hook) is an error, never the rows it had as if they were all. */
TEST(a_read_cut_short_is_an_error)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	catalog *c = catalog_open(d, &e);
	const char *ids[] = { "2024-05-10_a_00000001", "2024-05-10_b_00000002" };
	for (int i = 0; i < 2; i++) {
		char *j = release_json(ids[i], "2025-05-10");
		char *path = g_strdup_printf("bundles/2024/%s.tar.gz", ids[i]);
		EXPECT(catalog_add_bundle(c, path, j, "aa", 10, &e));
		event(d, c, "hold", ids[i], "litigation");
		event(d, c, "verify", ids[i], NULL);
		g_free(path);
		g_free(j);
	}
	/* Each read's second step fails: the first row came, the rest not. */
	g_setenv("ARCHIVE_TEST_CATALOG_BUSY", "2", TRUE);
	GPtrArray *holds = catalog_holds(c, NULL, &e);
	EXPECT(!holds && e && e->code == ARC_ERROR_STORE && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	GPtrArray *ev = catalog_events(c, ids[0], &e);
	EXPECT(!ev && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	GPtrArray *all = rows_all(c, &e);
	EXPECT(!all && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	/* The first step fails: no row at all is not "none". */
	g_setenv("ARCHIVE_TEST_CATALOG_BUSY", "1", TRUE);
	GPtrArray *checks = catalog_checks(c, ids[0], &e);
	EXPECT(!checks && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	GPtrArray *files = catalog_files(c, ids[0], &e);
	EXPECT(!files && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	char *json = catalog_release_json(c, ids[0], &e);
	EXPECT(!json && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	char *found = catalog_find_content(c, "c-2024-05-10_a_00000001", &e);
	EXPECT(!found && e && strstr(e->message, "database is locked"));
	g_clear_error(&e);
	g_unsetenv("ARCHIVE_TEST_CATALOG_BUSY");
	/* And when it can finish, it answers in full. */
	holds = catalog_holds(c, NULL, &e);
	EXPECT(holds && holds->len == 2);
	ev = catalog_events(c, ids[0], &e);
	EXPECT(ev && ev->len == 2);
	EXPECT(e == NULL);
	if (holds)
		g_ptr_array_unref(holds);
	if (ev)
		g_ptr_array_unref(ev);
	if (all)
		g_ptr_array_unref(all);
	if (checks)
		g_ptr_array_unref(checks);
	if (files)
		g_ptr_array_unref(files);
	catalog_close(c);
	g_free(d);
}

TEST(rebuild_gives_the_same_answers)
{
	char *d = unit_tmpdir();
	GError *e = NULL;
	make_bundle(d, "2024-01-01_one_00000001", "2025-01-01");
	make_bundle(d, "2024-02-01_two_00000002", "2026-02-01");
	make_bundle(d, "2023-03-01_three_00000003", "permanent");
	catalog *c = catalog_open(d, &e);
	const char *ids[] = { "bundles/2024/2024-01-01_one_00000001.tar.gz",
		              "bundles/2024/2024-02-01_two_00000002.tar.gz",
		              "bundles/2023/2023-03-01_three_00000003.tar.gz" };
	for (int i = 0; i < 3; i++)
		EXPECT(catalog_add_bundle_file(c, d, ids[i], &e));
	if (e)
		fprintf(stderr, "%s\n", e->message);
	event(d, c, "ingest", "2024-01-01_one_00000001", NULL);
	event(d, c, "hold", "2024-02-01_two_00000002", "audit 2026");
	event(d, c, "verify", "2023-03-01_three_00000003", NULL);
	char *before = answers(c);
	EXPECT(strstr(before, "2024-02-01_two_00000002|") && strstr(before, "audit 2026"));
	catalog_close(c);

	/* Remove the catalog entirely, then rebuild from bundles + audit log. */
	char *p = g_build_filename(d, "catalog.sqlite", NULL);
	unlink(p);
	char *wal = g_strconcat(p, "-wal", NULL), *shm = g_strconcat(p, "-shm", NULL);
	unlink(wal);
	unlink(shm);
	EXPECT(catalog_rebuild(d, NULL, &e));
	c = catalog_open(d, &e);
	char *after = answers(c);
	EXPECT_STR(after, before);
	catalog_close(c);

	/* A damaged catalog file is set aside and rebuilt. */
	g_file_set_contents(p, "this is not a database, it is garbage........................", -1,
	                    NULL);
	unlink(wal);
	unlink(shm);
	EXPECT(catalog_rebuild(d, NULL, &e));
	c = catalog_open(d, &e);
	char *again = answers(c);
	EXPECT_STR(again, before);
	catalog_close(c);
	g_free(again);
	g_free(after);
	g_free(before);
	g_free(wal);
	g_free(shm);
	g_free(p);
	g_free(d);
}

UNIT_MAIN(bundles_events_and_queries, last_event_and_get_again, a_read_cut_short_is_an_error,
          rebuild_gives_the_same_answers)
