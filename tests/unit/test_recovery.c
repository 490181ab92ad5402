/* Unit tests: recovery after a crash, whole-store fixity. */
#include <errno.h>
#include <sqlite3.h>
#include <unistd.h>
#include "store_fixture.h"
#include "store/audit.h"
#include "store/fixity.h"
#include "rows.h"

static char *read_all(const char *path)
{
	char *s = NULL;
	g_file_get_contents(path, &s, NULL, NULL);
	return s ? s : g_strdup("");
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

TEST(recovery_on_a_sound_store_changes_nothing)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	char *log = g_build_filename(f.dir, "audit.log", NULL);
	char *before = read_all(log);
	recovery_report r;
	GError *e = NULL;
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.replayed + r.recorded + r.indexed + r.disposals_finished + r.orphans_removed, 0);
	char *after = read_all(log);
	EXPECT_STR(after, before);
	recovery_report_clear(&r);
	g_free(before);
	g_free(after);
	g_free(log);
	store_fixture_close(&f);
}

TEST(recovery_repairs_each_kind_of_interruption)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	/* 1. The catalog lost everything (it is a cache): replayed and re-indexed. */
	catalog_close(f.c);
	char *cat = g_build_filename(f.dir, "catalog.sqlite", NULL);
	char *wal = g_strconcat(cat, "-wal", NULL), *shm = g_strconcat(cat, "-shm", NULL);
	unlink(cat);
	unlink(wal);
	unlink(shm);
	f.c = catalog_open(f.dir, &e);
	recovery_report r;
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT(r.replayed >= 3);
	EXPECT_INT(r.indexed, 3);
	EXPECT_INT(r.recorded, 0); /* their ingest lines were there */
	recovery_report_clear(&r);
	GPtrArray *all = rows_all(f.c, &e);
	EXPECT_INT(all->len, 3);
	g_ptr_array_unref(all);

	/* 2. A disposal recorded but not carried out: finished. */
	catalog_bundle *b = catalog_get(f.c, g_ptr_array_index(f.ids, 0), &e);
	audit_entry *a = audit_entry_new("dispose");
	audit_entry_set(a, "id", b->id);
	EXPECT(audit_append(f.dir, a, NULL, &e));
	audit_entry_free(a);
	char *path = store_fixture_bundle(&f, 0);
	EXPECT(g_file_test(path, G_FILE_TEST_EXISTS));
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.disposals_finished, 1);
	recovery_report_clear(&r);
	EXPECT(!g_file_test(path, G_FILE_TEST_EXISTS));
	char *side = g_strconcat(path, ".sha256", NULL);
	EXPECT(!g_file_test(side, G_FILE_TEST_EXISTS));
	EXPECT(catalog_get(f.c, b->id, NULL) == NULL);
	catalog_bundle_free(b);

	/* 3. A bundle published but never recorded: recorded as recovered. */
	char *p1 = store_fixture_bundle(&f, 1);
	char *copy = g_strdup_printf("%s/bundles/2024/2024-01-01_copy_deadbeef.tar.gz", f.dir);
	char *cmd = g_strdup_printf("cp '%s' '%s' && cp '%s.sha256' '%s.sha256'", p1, copy, p1, copy);
	EXPECT(system(cmd) == 0);
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.recorded, 1);
	/* It holds another bag than its name says: it cannot be indexed under
	 * that name, but it is recorded and named, not silently dropped. */
	recovery_report_clear(&r);
	char *log = g_build_filename(f.dir, "audit.log", NULL);
	char *text = read_all(log);
	EXPECT(strstr(text, "\"id\":\"2024-01-01_copy_deadbeef\"") &&
	       strstr(text, "\"recovered\":true"));
	/* Run again: nothing more to record. */
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.recorded, 0);
	recovery_report_clear(&r);

	/* 4. A sidecar whose bundle never appeared: removed. */
	char *orphan = g_strdup_printf("%s/bundles/2024/2024-02-02_x_00000000.tar.gz.sha256", f.dir);
	g_file_set_contents(orphan, "00  x\n", -1, NULL);
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.orphans_removed, 1);
	recovery_report_clear(&r);
	EXPECT(!g_file_test(orphan, G_FILE_TEST_EXISTS));
	uint64_t lines = 0;
	EXPECT(audit_verify_chain(f.dir, &lines, NULL, NULL, &e));
	g_free(orphan);
	g_free(text);
	g_free(log);
	g_free(cmd);
	g_free(copy);
	g_free(p1);
	g_free(side);
	g_free(path);
	g_free(cat);
	g_free(wal);
	g_free(shm);
	store_fixture_close(&f);
}

/* A disposal recorded, its bundle still there but unreadable (a bad
 * sector, no permission): recovery cannot tell it is the bundle that was
 * disposed of, so it leaves it, and says so. Read again, it goes. */
TEST(recovery_never_deletes_a_bundle_it_cannot_read)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	const char *kinds[] = { "eio", "eacces" };
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		catalog_bundle *b = catalog_get(f.c, g_ptr_array_index(f.ids, k), &e);
		audit_entry *a = audit_entry_new("dispose");
		audit_entry_set(a, "id", b->id);
		audit_entry_set(a, "bundle_sha256", b->bundle_sha256);
		EXPECT(audit_append(f.dir, a, NULL, &e));
		audit_entry_free(a);
		char *path = store_fixture_bundle(&f, k), *base = g_path_get_basename(path);
		char *hook = g_strdup_printf("%s:%s", kinds[k], base);
		g_setenv("ARCHIVE_TEST_READ", hook, TRUE);
		recovery_report r;
		EXPECT(recovery_run(f.dir, f.c, &r, &e));
		g_unsetenv("ARCHIVE_TEST_READ");
		EXPECT_INT(r.disposals_finished, 0);
		EXPECT(g_file_test(path, G_FILE_TEST_IS_REGULAR));
		EXPECT(r.kept_unread && r.kept_unread->len == 1 &&
		       strstr(g_ptr_array_index(r.kept_unread, 0), path) &&
		       strstr(g_ptr_array_index(r.kept_unread, 0), g_strerror(k ? EACCES : EIO)));
		EXPECT_INT(r.recorded, 0); /* nor taken for an unrecorded ingest */
		recovery_report_clear(&r);
		/* Readable again, and the bundle the record names: finished. */
		EXPECT(recovery_run(f.dir, f.c, &r, &e));
		EXPECT_INT(r.disposals_finished, 1);
		EXPECT(!g_file_test(path, G_FILE_TEST_EXISTS));
		recovery_report_clear(&r);
		g_free(hook);
		g_free(base);
		g_free(path);
		catalog_bundle_free(b);
	}
	store_fixture_close(&f);
}

static void count_progress(const char *path, const bag_report *r, void *arg)
{
	(void)path;
	(void)r;
	(*(int *)arg)++;
}

TEST(fixity_names_tampering)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	fixity_opts o = { .jobs = 1, .stale_days = -1 };
	fixity_result res;
	int seen = 0;
	EXPECT(fixity_run(f.dir, f.c, &o, count_progress, &seen, &res, &e));
	EXPECT_INT(seen, 3);
	EXPECT_INT(res.verified, 3);
	EXPECT_INT(res.failed, 0);
	EXPECT_INT(res.problems->len, 0);
	fixity_result_clear(&res);
	/* Every verification was recorded. */
	catalog_bundle *b = catalog_get(f.c, g_ptr_array_index(f.ids, 0), &e);
	EXPECT(b->last_verified && b->last_valid);
	catalog_bundle_free(b);

	/* A tampered sidecar, a changed audit line. */
	char *p = store_fixture_bundle(&f, 2);
	char *side = g_strconcat(p, ".sha256", NULL);
	char *name = g_path_get_basename(p);
	char *bogus = g_strdup_printf("%064d  %s\n", 0, name);
	g_file_set_contents(side, bogus, -1, NULL);
	char *log = g_build_filename(f.dir, "audit.log", NULL);
	char *text = read_all(log);
	char *changed = g_strdup(text);
	char *hit = strstr(changed, "\"event\":\"ingest\"");
	memcpy(hit, "\"event\":\"INGEST\"", 16);
	g_file_set_contents(log, changed, -1, NULL);
	EXPECT(fixity_run(f.dir, f.c, &o, NULL, NULL, &res, &e));
	EXPECT_INT(res.failed, 1);
	bool chain = false;
	for (guint i = 0; i < res.problems->len; i++) {
		const bag_problem *pr = g_ptr_array_index(res.problems, i);
		chain |= strcmp(pr->file, "audit.log") == 0 && strstr(pr->reason, "line 1 was changed");
	}
	EXPECT(chain);
	fixity_result_clear(&res);
	/* A bundle the catalog lists but that is gone: lost. */
	unlink(p);
	EXPECT(fixity_run(f.dir, f.c, &o, NULL, NULL, &res, &e));
	bool lost = false;
	for (guint i = 0; i < res.problems->len; i++)
		lost |= strstr(((bag_problem *)g_ptr_array_index(res.problems, i))->reason,
		               "not in the store") != NULL;
	EXPECT(lost);
	fixity_result_clear(&res);
	g_free(changed);
	g_free(text);
	g_free(log);
	g_free(bogus);
	g_free(name);
	g_free(side);
	g_free(p);
	store_fixture_close(&f);
}

static int cmp_str_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of every table of STORE/catalog.sqlite, tables by name and
 * rows sorted: what catalog_rebuild must reproduce. */
static char *dump_catalog(const char *dir)
{
	char *p = g_build_filename(dir, "catalog.sqlite", NULL);
	sqlite3 *db = NULL;
	GString *out = g_string_new(NULL);
	sqlite3_stmt *t = NULL;
	if (sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name",
	                       -1, &t, NULL) == SQLITE_OK) {
		while (sqlite3_step(t) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(t, 0);
			char *sql = g_strdup_printf("SELECT * FROM \"%s\"", name);
			sqlite3_stmt *r = NULL;
			GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
			if (sqlite3_prepare_v2(db, sql, -1, &r, NULL) == SQLITE_OK)
				while (sqlite3_step(r) == SQLITE_ROW) {
					GString *row = g_string_new(NULL);
					for (int i = 0; i < sqlite3_column_count(r); i++) {
						const unsigned char *v = sqlite3_column_text(r, i);
						g_string_append_printf(row, "%s|", v ? (const char *)v : "NULL");
					}
					g_ptr_array_add(rows, g_string_free(row, FALSE));
				}
			sqlite3_finalize(r);
			g_ptr_array_sort(rows, cmp_str_ptr);
			g_string_append_printf(out, "%s: %u rows\n", name, rows->len);
			for (guint i = 0; i < rows->len; i++)
				g_string_append_printf(out, "  %s\n", (char *)g_ptr_array_index(rows, i));
			g_ptr_array_unref(rows);
			g_free(sql);
		}
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	g_free(p);
	return g_string_free(out, FALSE);
}

/* Verifications recorded in batches (of 2 over 3 bundles: a full batch
 * and the rest; of 1; of the default): every one in the audit log, in
 * order, the chain intact, and the catalog exactly what a rebuild from
 * the log makes of it. */
TEST(fixity_records_in_batches)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GPtrArray *order = g_ptr_array_new();
	for (guint i = 0; i < f.ids->len; i++)
		g_ptr_array_add(order, g_ptr_array_index(f.ids, i));
	g_ptr_array_sort(order, cmp_str_ptr); /* path order: bundles/YYYY/ID */
	char *log = g_build_filename(f.dir, "audit.log", NULL);
	const unsigned sizes[] = { 2, 1, 0 };
	int64_t lines = 3; /* the ingests */
	for (int k = 0; k < 3; k++) {
		GError *e = NULL;
		fixity_opts o = { .jobs = 1, .stale_days = -1, .batch = sizes[k] };
		fixity_result res;
		int seen = 0;
		EXPECT(fixity_run(f.dir, f.c, &o, count_progress, &seen, &res, &e));
		lines += 3;
		EXPECT_INT(res.verified, 3);
		EXPECT_INT(res.problems->len, 0); /* the chain among them */
		EXPECT_INT(res.audit_lines, lines);
		EXPECT_INT(catalog_last_seq(f.c), lines);
		fixity_result_clear(&res);
		/* The last three lines: a verify of each bundle, in order. */
		char *text = read_all(log);
		char **l = g_strsplit(text, "\n", -1);
		for (guint i = 0; i < 3 && g_strv_length(l) == (guint)lines + 1; i++) {
			const char *line = l[lines - 3 + i];
			char *want = g_strdup_printf("\"event\":\"verify\",\"id\":\"%s\",",
			                             (char *)g_ptr_array_index(order, i));
			EXPECT(strstr(line, want) != NULL);
			EXPECT_INT(audit_line_seq(line), lines - 2 + i);
			g_free(want);
		}
		EXPECT_INT(g_strv_length(l), lines + 1);
		g_strfreev(l);
		g_free(text);
	}
	char *before = dump_catalog(f.dir);
	EXPECT(count(before, "verifications: 9 rows") == 1);
	GError *e = NULL;
	EXPECT(catalog_rebuild(f.dir, NULL, &e));
	char *after = dump_catalog(f.dir);
	/* (The dumps are long: on a difference, say where.) */
	EXPECT(strcmp(after, before) == 0);
	if (strcmp(after, before) != 0) {
		size_t at = 0;
		while (after[at] && after[at] == before[at])
			at++;
		fprintf(stderr, "catalog differs after rebuild at: %.200s\nwas: %.200s\n",
		        after + (at > 40 ? at - 40 : 0), before + (at > 40 ? at - 40 : 0));
	}
	g_free(after);
	g_free(before);
	g_free(log);
	g_ptr_array_unref(order);
	store_fixture_close(&f);
}

/* A torn last audit line: recovery cuts it off (kept aside) before
 * anything is appended, records the repair in the log, and the chain
 * goes on; a whole line missing only its newline is completed. */
TEST(recovery_repairs_a_torn_audit_line)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *log = g_build_filename(f.dir, "audit.log", NULL);
	char *before = read_all(log);
	char *last = g_strrstr_len(before, (gssize)strlen(before) - 1, "\n") + 1;
	int nlines = count(before, "\n");
	/* The first 40 bytes of a line, as a cut write leaves them. */
	char *frag = g_strndup(last, 40);
	char *text = g_strconcat(before, frag, NULL);
	EXPECT(g_file_set_contents(log, text, -1, NULL));
	recovery_report r;
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT(e == NULL);
	EXPECT_INT(r.audit_tail.bytes, 40);
	EXPECT(!r.audit_tail.completed);
	EXPECT_INT(r.audit_tail.after_seq, nlines);
	EXPECT(r.audit_tail.kept && g_str_has_prefix(r.audit_tail.kept, "audit.log.torn-"));
	char *kept = g_build_filename(f.dir, r.audit_tail.kept ? r.audit_tail.kept : "-", NULL);
	char *k = read_all(kept);
	EXPECT_STR(k, frag);
	recovery_report_clear(&r);
	char *after = read_all(log);
	EXPECT(g_str_has_prefix(after, before));
	EXPECT(g_str_has_suffix(after, "\n"));
	EXPECT_INT(count(after, "\n"), nlines + 1);
	EXPECT(strstr(after + strlen(before), "\"event\":\"repair\",\"file\":\"audit.log\","
	                                      "\"repair\":\"torn line cut\"") &&
	       strstr(after + strlen(before), "\"bytes\":40,") &&
	       strstr(after + strlen(before), "\"kept\":\"audit.log.torn-"));
	uint64_t lines = 0;
	EXPECT(audit_verify_chain(f.dir, &lines, NULL, NULL, &e) && (int)lines == nlines + 1);
	/* Mirrored into the catalog like any line. */
	EXPECT_INT(catalog_last_seq(f.c), nlines + 1);
	/* Nothing more to do, and lines chain on. */
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT_INT(r.audit_tail.bytes, 0);
	recovery_report_clear(&r);
	audit_entry *a = audit_entry_new("hold");
	audit_entry_set(a, "id", g_ptr_array_index(f.ids, 0));
	EXPECT(audit_append(f.dir, a, NULL, &e));
	audit_entry_free(a);
	EXPECT(audit_verify_chain(f.dir, &lines, NULL, NULL, &e) && (int)lines == nlines + 2);

	/* The last line whole but for its newline: completed, not cut. */
	g_free(after);
	after = read_all(log);
	EXPECT(truncate(log, (off_t)strlen(after) - 1) == 0);
	EXPECT(recovery_run(f.dir, f.c, &r, &e));
	EXPECT(r.audit_tail.completed && !r.audit_tail.kept);
	EXPECT_INT(r.audit_tail.after_seq, nlines + 1);
	recovery_report_clear(&r);
	char *done = read_all(log);
	EXPECT(g_str_has_prefix(done, after));
	EXPECT(strstr(done + strlen(after), "\"repair\":\"newline added\""));
	EXPECT(audit_verify_chain(f.dir, &lines, NULL, NULL, &e) && (int)lines == nlines + 3);
	g_free(done);
	g_free(k);
	g_free(kept);
	g_free(after);
	g_free(text);
	g_free(frag);
	g_free(before);
	g_free(log);
	store_fixture_close(&f);
}

UNIT_MAIN(recovery_on_a_sound_store_changes_nothing, recovery_repairs_each_kind_of_interruption,
          recovery_never_deletes_a_bundle_it_cannot_read,
          fixity_names_tampering, fixity_records_in_batches,
          recovery_repairs_a_torn_audit_line)
