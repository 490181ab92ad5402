/* Unit tests: disposal batches (propose, review, execute), holds at
 * execution, tombstones, reindex and the catalog's migration. */
#include <sqlite3.h>
#include <unistd.h>
#include "store_fixture.h"
#include "store/audit.h"
#include "store/disposal.h"
#include "rows.h"
#include "store/retention.h"
#include "core/errors.h"

static char *read_log(const store_fixture *f)
{
	char *p = g_build_filename(f->dir, "audit.log", NULL), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	g_free(p);
	return s ? s : g_strdup("");
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void record_line(store_fixture *f, audit_entry *a)
{
	GError *e = NULL;
	char *line = NULL;
	EXPECT(audit_append(f->dir, a, &line, &e) && catalog_apply_event(f->c, line, &e));
	audit_entry_free(a);
	g_free(line);
}

static void hold(store_fixture *f, const char *id)
{
	audit_entry *a = audit_entry_new("hold");
	audit_entry_set(a, "id", id);
	audit_entry_set(a, "reason", "court order");
	audit_entry_set(a, "by", "서울중앙지방법원");
	record_line(f, a);
}

/* The first batch a proposal made, or NULL (caller frees). */
static bool propose(store_fixture *f, const char *day, char **batch, GError **e)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	bool ok = disposal_propose(f->dir, f->c, day, ids, e);
	*batch = ids->len ? g_strdup(g_ptr_array_index(ids, 0)) : NULL;
	g_ptr_array_unref(ids);
	return ok;
}

static const char *id_of(const store_fixture *f, guint i) { return g_ptr_array_index(f->ids, i); }

/* What the catalog says of batches, items, tombstones and schedules, as
 * one text (to compare a live catalog with a rebuilt one). */
static char *state(catalog *c)
{
	GError *e = NULL;
	GString *s = g_string_new(NULL);
	GPtrArray *bs = catalog_batches(c, &e);
	for (guint i = 0; bs && i < bs->len; i++) {
		const catalog_batch *b = g_ptr_array_index(bs, i);
		g_string_append_printf(s, "batch %s %s %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "\n",
		                       b->id, b->state, b->day, b->decided, b->items);
		GPtrArray *items = catalog_batch_items(c, b->id, &e);
		for (guint k = 0; items && k < items->len; k++) {
			const catalog_batch_item *it = g_ptr_array_index(items, k);
			g_string_append_printf(s, " %s %s %s %s %s %s\n", it->id, it->bundle_sha256,
			                       it->decision ? it->decision : "-",
			                       it->value ? it->value : "-",
			                       it->outcome ? it->outcome : "-", it->decided_by ? it->decided_by : "-");
		}
		if (items)
			g_ptr_array_unref(items);
	}
	GPtrArray *all = rows_all(c, &e);
	for (guint i = 0; all && i < all->len; i++) {
		const catalog_bundle *b = g_ptr_array_index(all, i);
		g_string_append_printf(s, "bundle %s %s %s %s %s\n", b->id, b->retention,
		                       b->retention_start, b->disposal_date,
		                       b->hold_reason ? b->hold_reason : "-");
	}
	GPtrArray *gone = catalog_disposals(c, &e);
	for (guint i = 0; gone && i < gone->len; i++) {
		const catalog_disposal *d = g_ptr_array_index(gone, i);
		g_string_append_printf(s, "destroyed %s %s %s %s\n", d->id, d->batch, d->decided_by,
		                       d->bundle_sha256);
	}
	EXPECT(bs && all && gone);
	if (bs)
		g_ptr_array_unref(bs);
	if (all)
		g_ptr_array_unref(all);
	if (gone)
		g_ptr_array_unref(gone);
	return g_string_free(s, FALSE);
}

TEST(nothing_due_makes_no_batch)
{
	store_fixture f;
	store_fixture_open(&f, "1y");
	GError *e = NULL;
	char *before = read_log(&f), *batch = (char *)"x";
	EXPECT(propose(&f, "2024-01-01", &batch, &e));
	EXPECT(batch == NULL && e == NULL);
	char *after = read_log(&f);
	EXPECT_STR(after, before);
	g_free(after);
	g_free(before);
	store_fixture_close(&f);
}

TEST(a_batch_is_frozen_reviewed_and_executed)
{
	store_fixture f;
	store_fixture_open(&f, "1y");
	GError *e = NULL;
	hold(&f, id_of(&f, 2));
	char *batch = NULL;
	EXPECT(propose(&f, "2030-01-01", &batch, &e));
	EXPECT_STR(batch, "2030-01-01-1");
	GPtrArray *items = catalog_batch_items(f.c, batch, &e);
	EXPECT_INT(items->len, 2); /* the held one is not proposed */
	for (guint i = 0; i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		catalog_bundle *b = catalog_get(f.c, it->id, &e);
		EXPECT_STR(it->bundle_sha256, b->bundle_sha256);
		EXPECT_STR(b->batch, batch);
		EXPECT(strcmp(it->id, id_of(&f, 2)) != 0);
		catalog_bundle_free(b);
	}
	g_ptr_array_unref(items);
	/* In an open batch: not proposed again. */
	char *again = NULL;
	EXPECT(propose(&f, "2030-01-02", &again, &e) && again == NULL);
	/* Not all decided: no execution. */
	EXPECT(!disposal_execute(f.dir, f.c, batch, &e) && e->code == ARC_ERROR_INPUT);
	EXPECT(strstr(e->message, "2 of 2 items have no decision") != NULL);
	g_clear_error(&e);

	char *log = read_log(&f);
	/* Not in the batch, a reset leaving it due, a deferral not later:
	 * refused, nothing written. */
	char *bad_id[] = { (char *)"2024-01-01_x_00000000" };
	disposal_decision destroy = { "destroy", NULL, "기록물평가심의회", "no value", "2030-1" };
	guint n = 0;
	EXPECT(!disposal_review(f.dir, f.c, batch, bad_id, 1, &destroy, &n, &e));
	EXPECT(e && e->code == ARC_ERROR_INPUT && strstr(e->message, "not in batch"));
	g_clear_error(&e);
	char *first[] = { (char *)id_of(&f, 0) };
	disposal_decision reset_short = { "reset", "3y", "Kim", "r", NULL };
	EXPECT(!disposal_review(f.dir, f.c, batch, first, 1, &reset_short, &n, &e));
	EXPECT(e && strstr(e->message, "due again at once"));
	g_clear_error(&e);
	disposal_decision defer_early = { "defer", "2029-12-31", "Kim", "r", NULL };
	EXPECT(!disposal_review(f.dir, f.c, batch, first, 1, &defer_early, &n, &e));
	EXPECT(e && strstr(e->message, "not after the batch's day"));
	g_clear_error(&e);
	char *log2 = read_log(&f);
	EXPECT_STR(log2, log);
	g_free(log2);
	g_free(log);

	/* Reset the first to 30 years; destroy the rest. */
	disposal_decision reset = { "reset", "30y", "기록물평가심의회", "historical value", "2030-1" };
	EXPECT(disposal_review(f.dir, f.c, batch, first, 1, &reset, &n, &e) && n == 1);
	catalog_bundle *b0 = catalog_get(f.c, id_of(&f, 0), &e);
	EXPECT_STR(b0->retention, "30y");
	char want[RETENTION_DATE_MAX];
	retention_period p30;
	EXPECT(retention_parse("30y", &p30) && retention_disposal_date(b0->retention_start, &p30, want));
	EXPECT_STR(b0->disposal_date, want);
	catalog_bundle_free(b0);
	/* Decided: final. */
	EXPECT(!disposal_review(f.dir, f.c, batch, first, 1, &destroy, &n, &e));
	EXPECT(e && strstr(e->message, "already decided"));
	g_clear_error(&e);
	EXPECT(disposal_review(f.dir, f.c, batch, NULL, 0, &destroy, &n, &e) && n == 1);

	/* A hold placed since the decision keeps the bundle. */
	hold(&f, id_of(&f, 1));
	char *path1 = store_fixture_bundle(&f, 1);
	EXPECT(disposal_execute(f.dir, f.c, batch, &e));
	EXPECT(g_file_test(path1, G_FILE_TEST_EXISTS));
	items = catalog_batch_items(f.c, batch, &e);
	for (guint i = 0; i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		EXPECT_STR(it->outcome, strcmp(it->id, id_of(&f, 0)) == 0 ? "reset" : "kept-hold");
	}
	g_ptr_array_unref(items);
	catalog_batch *cb = catalog_batch_get(f.c, batch, &e);
	EXPECT_STR(cb->state, "executed");
	catalog_batch_free(cb);
	EXPECT(!disposal_execute(f.dir, f.c, batch, &e) && strstr(e->message, "executed already"));
	g_clear_error(&e);
	g_free(path1);
	g_free(batch);
	store_fixture_close(&f);
}

TEST(execution_destroys_with_a_record_and_keeps_a_changed_bundle)
{
	store_fixture f;
	store_fixture_open(&f, "1y");
	GError *e = NULL;
	char *batch = NULL;
	EXPECT(propose(&f, "2030-01-01", &batch, &e) && batch);
	disposal_decision destroy = { "destroy", NULL, "Kim Records", "no further value", "M-7" };
	guint n;
	EXPECT(disposal_review(f.dir, f.c, batch, NULL, 0, &destroy, &n, &e) && n == 3);
	/* Bundle 1 changed since it was frozen. */
	char *p1 = store_fixture_bundle(&f, 1);
	FILE *fp = fopen(p1, "ab");
	fputc('x', fp);
	fclose(fp);
	EXPECT(disposal_execute(f.dir, f.c, batch, &e));
	EXPECT(g_file_test(p1, G_FILE_TEST_EXISTS));
	for (guint i = 0; i < 3; i += 2) {
		char *p = store_fixture_bundle(&f, i), *side = g_strconcat(p, ".sha256", NULL);
		EXPECT(!g_file_test(p, G_FILE_TEST_EXISTS) && !g_file_test(side, G_FILE_TEST_EXISTS));
		catalog_disposal *d = catalog_disposal_get(f.c, id_of(&f, i), &e);
		EXPECT(d && strcmp(d->batch, batch) == 0 && strcmp(d->decided_by, "Kim Records") == 0 &&
		       strcmp(d->meeting, "M-7") == 0 && strcmp(d->reason, "no further value") == 0 &&
		       d->bundle_sha256 && strlen(d->bundle_sha256) == 64 && d->retention_start &&
		       d->decided_user && d->user && d->disposed_at);
		catalog_disposal_free(d);
		EXPECT(catalog_get(f.c, id_of(&f, i), &e) == NULL && !e);
		g_free(side);
		g_free(p);
	}
	GPtrArray *items = catalog_batch_items(f.c, batch, &e);
	const catalog_batch_item *it1 = NULL;
	for (guint i = 0; i < items->len; i++)
		if (strcmp(((catalog_batch_item *)g_ptr_array_index(items, i))->id, id_of(&f, 1)) == 0)
			it1 = g_ptr_array_index(items, i);
	EXPECT(it1 && strcmp(it1->outcome, "kept-changed") == 0 && strstr(it1->detail, "SHA-256 is now"));
	g_ptr_array_unref(items);
	char *log = read_log(&f);
	EXPECT_INT(count(log, "\"event\":\"dispose\""), 2);
	EXPECT_INT(count(log, "\"event\":\"disposal-kept\""), 1);
	EXPECT_INT(count(log, "\"event\":\"disposal-executed\""), 1);
	g_free(log);

	/* Rebuilt from bundles and audit log: the same answers. */
	char *live = state(f.c);
	EXPECT(catalog_rebuild(f.dir, NULL, &e));
	char *rebuilt = state(f.c);
	EXPECT_STR(rebuilt, live);
	g_free(rebuilt);
	g_free(live);
	g_free(p1);
	g_free(batch);
	store_fixture_close(&f);
}

TEST(an_execution_cut_short_is_finished_once)
{
	store_fixture f;
	store_fixture_open(&f, "1y");
	GError *e = NULL;
	char *batch = NULL;
	EXPECT(propose(&f, "2030-01-01", &batch, &e) && batch);
	disposal_decision destroy = { "destroy", NULL, "Kim", "r", NULL };
	guint n;
	EXPECT(disposal_review(f.dir, f.c, batch, NULL, 0, &destroy, &n, &e));
	/* As a crash leaves it: begun, one bundle recorded destroyed. */
	audit_entry *x = audit_entry_new("disposal-execute");
	audit_entry_set(x, "batch", batch);
	record_line(&f, x);
	unsigned done = 0;
	EXPECT(disposal_finish_executions(f.dir, f.c, &done, &e) && done == 1);
	for (guint i = 0; i < 3; i++) {
		char *p = store_fixture_bundle(&f, i);
		EXPECT(!g_file_test(p, G_FILE_TEST_EXISTS));
		g_free(p);
	}
	EXPECT(disposal_finish_executions(f.dir, f.c, &done, &e) && done == 0);
	char *log = read_log(&f);
	EXPECT_INT(count(log, "\"event\":\"dispose\""), 3);
	EXPECT_INT(count(log, "\"event\":\"disposal-executed\""), 1);
	g_free(log);
	g_free(batch);
	store_fixture_close(&f);
}

TEST(semi_permanent_is_never_proposed_but_evaluated)
{
	store_fixture f;
	store_fixture_open(&f, "semi-permanent");
	GError *e = NULL;
	char *batch = NULL;
	EXPECT(propose(&f, "2500-01-01", &batch, &e) && !batch);
	GPtrArray *ev = rows_evaluation_due(f.c, "2090-01-01", &e);
	EXPECT_INT(ev->len, 0);
	g_ptr_array_unref(ev);
	ev = rows_evaluation_due(f.c, "2200-01-01", &e);
	EXPECT_INT(ev->len, 3);
	const catalog_bundle *b = g_ptr_array_index(ev, 0);
	char when[11];
	EXPECT(retention_evaluation_date(b->retention_start, when));
	g_ptr_array_unref(ev);
	ev = rows_evaluation_due(f.c, when, &e);
	EXPECT(ev->len >= 1);
	g_ptr_array_unref(ev);
	store_fixture_close(&f);
}

/* The tables of a catalog made before disposal batches (user_version 0). */
static const char v0_schema[] =
	"CREATE TABLE bundles( id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT, release_date TEXT,"
	" organisation TEXT, license TEXT, retention TEXT, disposal_date TEXT,"
	" check_status TEXT, content_sha256 TEXT, bundle_sha256 TEXT, size INTEGER,"
	" ingested_at TEXT, release_json TEXT NOT NULL);"
	"CREATE TABLE files(bundle_id TEXT NOT NULL, path TEXT, role TEXT, mime TEXT, size INTEGER,"
	" sha256 TEXT);"
	"CREATE TABLE checks(bundle_id TEXT NOT NULL, check_id TEXT, level TEXT, status TEXT,"
	" message TEXT, file TEXT);"
	"CREATE TABLE events(seq INTEGER PRIMARY KEY, time TEXT, user TEXT, event TEXT,"
	" bundle_id TEXT, line TEXT NOT NULL);"
	"CREATE TABLE holds(bundle_id TEXT PRIMARY KEY, reason TEXT, user TEXT, since TEXT);"
	"CREATE TABLE verifications(seq INTEGER PRIMARY KEY, bundle_id TEXT, time TEXT,"
	" valid INTEGER, problems TEXT);"
	"CREATE TABLE disposals(bundle_id TEXT PRIMARY KEY, title TEXT, bundle_sha256 TEXT,"
	" retention TEXT, release_date TEXT, disposal_date TEXT, disposed_at TEXT, user TEXT,"
	" seq INTEGER);";

TEST(an_old_catalog_migrates_in_place)
{
	store_fixture f;
	store_fixture_open(&f, "1y");
	GError *e = NULL;
	hold(&f, id_of(&f, 0));
	/* As an old store has it: release.json without retention_start, the
	 * catalog in the old tables (rows copied over, the audit lines too). */
	char *db = g_build_filename(f.dir, "catalog.sqlite", NULL);
	catalog_close(f.c);
	sqlite3 *h;
	EXPECT(sqlite3_open(db, &h) == SQLITE_OK);
	char *sql = g_strdup_printf(
		"CREATE TABLE ob AS SELECT id, path, title, release_date, organisation, license,"
		" retention, disposal_date, check_status, content_sha256, bundle_sha256, size,"
		" ingested_at, json_remove(release_json, '$.retention_start') AS release_json"
		" FROM bundles;"
		"CREATE TABLE oe AS SELECT * FROM events; CREATE TABLE of AS SELECT * FROM files;"
		"CREATE TABLE oc AS SELECT * FROM checks;"
		"DROP TABLE bundles; DROP TABLE events; DROP TABLE files; DROP TABLE checks;"
		"DROP TABLE holds; DROP TABLE verifications; DROP TABLE disposals; DROP TABLE schedules;"
		"DROP TABLE batches; DROP TABLE batch_items; %s"
		"INSERT INTO bundles SELECT * FROM ob; INSERT INTO events SELECT * FROM oe;"
		"INSERT INTO files SELECT * FROM of; INSERT INTO checks SELECT * FROM oc;"
		"INSERT INTO holds SELECT json_extract(line, '$.id'), json_extract(line, '$.reason'),"
		" user, time FROM events WHERE event = 'hold';"
		"DROP TABLE ob; DROP TABLE oe; DROP TABLE of; DROP TABLE oc; PRAGMA user_version = 0;",
		v0_schema);
	char *msg = NULL;
	EXPECT(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK);
	if (msg)
		fprintf(stderr, "%s\n", msg);
	sqlite3_free(msg);
	sqlite3_close(h);
	g_free(sql);
	EXPECT((f.c = catalog_open(f.dir, &e)) != NULL);
	catalog_bundle *b = catalog_get(f.c, id_of(&f, 0), &e);
	/* The old rule: the release date. */
	EXPECT_STR(b->retention_start, b->release_date);
	EXPECT_STR(b->hold_by, "서울중앙지방법원");
	catalog_bundle_free(b);
	/* Migrated, it works: a batch proposed, and reindex agrees. */
	char *batch = NULL;
	EXPECT(propose(&f, "2030-01-01", &batch, &e) && batch);
	char *live = state(f.c);
	g_free(db);
	g_free(batch);
	g_free(live);
	store_fixture_close(&f);
}

UNIT_MAIN(nothing_due_makes_no_batch, a_batch_is_frozen_reviewed_and_executed,
          execution_destroys_with_a_record_and_keeps_a_changed_bundle,
          an_execution_cut_short_is_finished_once, semi_permanent_is_never_proposed_but_evaluated,
          an_old_catalog_migrates_in_place)
