/*
 * store/catalog.c — the SQLite index of the store.
 *
 * Invariant: every row can be derived from a bundle's release.json or an
 * audit line; nothing is written here that is not written there first.
 * That is what makes catalog_rebuild() exact, and the catalog a cache.
 */
#include "store/catalog.h"
#include "store/audit.h"
#include "core/errors.h"
#include "core/json.h"
#include "store/store.h"
#include "core/testhook.h"
#include "core/text.h"
#include "store/retention.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct catalog {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *get; /* catalog_get's, kept prepared: it runs once a bundle */
	sqlite3_stmt *has; /* catalog_has_bundle's: recovery runs it once a bundle */
	bool reading;      /* catalog_read_begin began a transaction */
};

/*
 * The tables. bundles is what each release.json says at ingest (bag-info
 * is immutable); schedules, what later decisions made of a bundle's
 * period (a reset, a deferral). A batch of disposal is frozen whole by one
 * audit line (its items, with the SHA-256 each had); decisions, execution
 * and disposal records follow from theirs.
 */
#define SCHEMA_VERSION 1
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS bundles("
	" id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT, release_date TEXT,"
	" organisation TEXT, license TEXT, retention TEXT, disposal_date TEXT,"
	" check_status TEXT, content_sha256 TEXT, bundle_sha256 TEXT, size INTEGER,"
	" ingested_at TEXT, release_json TEXT NOT NULL, retention_start TEXT);"
	"CREATE INDEX IF NOT EXISTS bundles_content ON bundles(content_sha256);"
	"CREATE INDEX IF NOT EXISTS bundles_disposal ON bundles(disposal_date);"
	"CREATE TABLE IF NOT EXISTS files(bundle_id TEXT NOT NULL, path TEXT, role TEXT,"
	" mime TEXT, size INTEGER, sha256 TEXT);"
	"CREATE INDEX IF NOT EXISTS files_bundle ON files(bundle_id);"
	"CREATE TABLE IF NOT EXISTS checks(bundle_id TEXT NOT NULL, check_id TEXT, level TEXT,"
	" status TEXT, message TEXT, file TEXT);"
	"CREATE INDEX IF NOT EXISTS checks_bundle ON checks(bundle_id);"
	"CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, time TEXT, user TEXT,"
	" event TEXT, bundle_id TEXT, line TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS events_bundle ON events(bundle_id);"
	"CREATE TABLE IF NOT EXISTS holds(bundle_id TEXT PRIMARY KEY, reason TEXT, user TEXT,"
	" since TEXT, body TEXT, until TEXT);"
	"CREATE TABLE IF NOT EXISTS verifications(seq INTEGER PRIMARY KEY, bundle_id TEXT,"
	" time TEXT, valid INTEGER, problems TEXT);"
	"CREATE INDEX IF NOT EXISTS verifications_bundle ON verifications(bundle_id);"
	"CREATE TABLE IF NOT EXISTS disposals(bundle_id TEXT PRIMARY KEY, title TEXT,"
	" bundle_sha256 TEXT, retention TEXT, release_date TEXT, disposal_date TEXT,"
	" disposed_at TEXT, user TEXT, seq INTEGER, retention_start TEXT, batch TEXT,"
	" decision TEXT, decided_by TEXT, meeting TEXT, reason TEXT, decided_user TEXT,"
	" decided_at TEXT, line TEXT);"
	"CREATE TABLE IF NOT EXISTS schedules(bundle_id TEXT PRIMARY KEY, retention TEXT,"
	" retention_start TEXT, disposal_date TEXT, seq INTEGER);"
	"CREATE TABLE IF NOT EXISTS batches(id TEXT PRIMARY KEY, day TEXT, proposed_at TEXT,"
	" user TEXT, state TEXT NOT NULL, executed_at TEXT, seq INTEGER);"
	"CREATE TABLE IF NOT EXISTS batch_items(batch TEXT NOT NULL, bundle_id TEXT NOT NULL,"
	" title TEXT, retention TEXT, retention_start TEXT, disposal_date TEXT,"
	" bundle_sha256 TEXT, decision TEXT, value TEXT, decided_by TEXT, reason TEXT,"
	" meeting TEXT, decided_user TEXT, decided_at TEXT, outcome TEXT, detail TEXT,"
	" PRIMARY KEY(batch, bundle_id));"
	"CREATE INDEX IF NOT EXISTS batch_items_bundle ON batch_items(bundle_id);";

/*
 * SQLite's message, with the reason of the system call behind it when
 * there is one: a full disk under `ulimit -f` is SQLITE_IOERR, "disk I/O
 * error", and only errno says "File too large"; a read-only store says
 * "unable to open database file" where errno says "Permission denied".
 * (sqlite3_system_errno is meaningful only after such an error.)
 */
static char *db_message(catalog *c, const char *msg)
{
	int code = sqlite3_errcode(c->db) & 0xff;
	int e = sqlite3_system_errno(c->db);
	if (e && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
	          code == SQLITE_READONLY))
		return g_strdup_printf("%s (%s)", msg, g_strerror(e));
	return g_strdup(msg);
}

static bool db_error(catalog *c, GError **err, const char *what)
{
	char *m = db_message(c, sqlite3_errmsg(c->db));
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s: %s", c->path, what, m);
	g_free(m);
	return false;
}

static bool exec(catalog *c, const char *sql, GError **err)
{
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char *m = db_message(c, msg ? msg : sqlite3_errmsg(c->db));
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", c->path, m);
		g_free(m);
		sqlite3_free(msg);
		return false;
	}
	return true;
}

static bool derive(catalog *c, JsonObject *o, const char *line, GError **err);

static int64_t pragma_int(catalog *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Derive every table from the audit lines in events again (a migration). */
static bool rederive_events(catalog *c, GError **err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT line FROM events ORDER BY seq", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(c, err, "read");
	bool ok = true;
	int rc;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		JsonObject *o = json_read_object(line, -1, NULL);
		ok = !o || derive(c, o, line, err);
		if (o)
			json_object_unref(o);
	}
	if (ok && rc != SQLITE_DONE)
		ok = db_error(c, err, "read");
	sqlite3_finalize(st);
	return ok;
}

/*
 * Bring the tables to SCHEMA_VERSION (PRAGMA user_version; 0 before
 * disposal batches). A catalog of version 0 keeps its rows: bundles gain
 * retention_start (what release.json records, else the release date: the
 * rule of those stores), and the tables derived from audit lines (holds,
 * disposals, and the new ones) are derived again from the lines the events
 * table holds, as catalog_rebuild would. One transaction; a second opener
 * waits and finds it done.
 */
static bool migrate(catalog *c, GError **err)
{
	if (pragma_int(c, "PRAGMA user_version") >= SCHEMA_VERSION)
		return true;
	if (!exec(c, "BEGIN IMMEDIATE", err))
		return false;
	bool ok = true;
	int64_t v = pragma_int(c, "PRAGMA user_version");
	bool old = pragma_int(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'bundles'") > 0;
	if (v < SCHEMA_VERSION && old)
		ok = exec(c, "ALTER TABLE bundles ADD COLUMN retention_start TEXT;"
		             " UPDATE bundles SET retention_start = COALESCE("
		             "json_extract(release_json, '$.retention_start'), release_date);"
		             " DROP TABLE IF EXISTS holds; DROP TABLE IF EXISTS disposals;",
		          err) &&
		     exec(c, schema, err) && rederive_events(c, err);
	else if (v < SCHEMA_VERSION)
		ok = exec(c, schema, err);
	char *set = g_strdup_printf("PRAGMA user_version = %d", SCHEMA_VERSION);
	ok = ok && (v >= SCHEMA_VERSION || exec(c, set, err)) && exec(c, "COMMIT", err);
	g_free(set);
	if (!ok)
		exec(c, "ROLLBACK", NULL);
	return ok;
}

static catalog *open_path(const char *path, GError **err)
{
	catalog *c = g_new0(catalog, 1);
	c->path = g_strdup(path);
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		db_error(c, err, "cannot open");
		catalog_close(c);
		return NULL;
	}
	/* Readers (list, show) wait out a writer's commit instead of failing. */
	sqlite3_busy_timeout(c->db, 10000);
	/* Keep catalog.sqlite-wal and -shm when the last connection closes: a
	 * user who may read the store but not write it (an auditor; a store
	 * owned by the records office) can then read the catalog, since
	 * SQLite reads a WAL database without write access only when those
	 * files exist (it cannot create them in a read-only folder). */
	int persist = 1;
	sqlite3_file_control(c->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	/* The WAL stays on disk (above); after each checkpoint it is cut back
	 * to at most 1 MiB rather than keeping its largest size for ever.
	 * synchronous=NORMAL: in WAL mode a commit is not flushed to disk
	 * (checkpoints are); a power cut may lose the last commits but never
	 * corrupts the database. The catalog is a cache of what the audit
	 * log, which is flushed before it, records: the next run's recovery
	 * puts lost rows back from the log (recovery.c). FULL cost two
	 * fdatasyncs per release, a third of ingest's waiting on the disk. */
	if (!exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	             " PRAGMA journal_size_limit=1048576;",
	          err) ||
	    !migrate(c, err)) {
		catalog_close(c);
		return NULL;
	}
	return c;
}

catalog *catalog_open(const char *store_dir, GError **err)
{
	char *p = g_build_filename(store_dir, "catalog.sqlite", NULL);
	catalog *c = open_path(p, err);
	g_free(p);
	return c;
}

void catalog_close(catalog *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->has);
	sqlite3_close(c->db);
	g_free(c->path);
	g_free(c);
}

/*
 * Run one statement; its parameters ?1…?n follow as types says, one
 * letter each: 's' a string (NULL binds NULL), 'i' an int64_t.
 */
static bool run(catalog *c, GError **err, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(c, err, "prepare");
	va_list ap;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(c, err, "write");
	return true;
}

/* Savepoints, not BEGIN: they commit on their own, and nest inside the
 * single transaction of catalog_rebuild(). */
static bool finish_savepoint(catalog *c, const char *name, bool ok, GError **err)
{
	char *sql = ok ? g_strdup_printf("RELEASE %s", name)
	               : g_strdup_printf("ROLLBACK TO %s; RELEASE %s", name, name);
	bool done = exec(c, sql, ok ? err : NULL);
	g_free(sql);
	return ok && done;
}

bool catalog_add_bundle(catalog *c, const char *bundle_path, const char *release_json,
                        const char *bundle_sha256, int64_t bundle_size, GError **err)
{
	JsonObject *r = json_read_object(release_json, -1, NULL);
	const char *id = json_get_string(r, "id");
	if (!id) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: release.json is not valid or has no id",
		            bundle_path);
		if (r)
			json_object_unref(r);
		return false;
	}
	if (!exec(c, "SAVEPOINT add_bundle", err)) {
		json_object_unref(r);
		return false;
	}
	/* Bundles made before the start rule record none: theirs was the
	 * release date. */
	const char *start = json_get_string(r, "retention_start");
	bool ok = run(c, err, "INSERT OR REPLACE INTO bundles(id, path, title, release_date,"
	                      " organisation, license, retention, disposal_date, check_status,"
	                      " content_sha256, bundle_sha256, size, ingested_at, release_json,"
	                      " retention_start) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
	                      "?14,?15)",
	              "sssssssssssisss", id, bundle_path,
	              json_get_string(r, "title"), json_get_string(r, "date"),
	              json_get_string(r, "organisation"),
	              json_get_string(json_get_object(r, "license"), "id"),
	              json_get_string(r, "retention"), json_get_string(r, "disposal_date"),
	              json_get_string(r, "check_status"), json_get_string(r, "content_sha256"),
	              bundle_sha256, bundle_size, json_get_string(r, "ingested_at"), release_json,
	              start ? start : json_get_string(r, "date"));
	ok = ok && run(c, err, "DELETE FROM files WHERE bundle_id = ?1", "s", id) &&
	     run(c, err, "DELETE FROM checks WHERE bundle_id = ?1", "s", id);
	JsonArray *files = json_get_array(r, "files"), *checks = json_get_array(r, "checks");
	for (guint i = 0; ok && files && i < json_array_get_length(files); i++) {
		JsonObject *f = json_array_get_object_element(files, i);
		ok = run(c, err, "INSERT INTO files VALUES(?1,?2,?3,?4,?5,?6)", "ssssis", id,
		         json_get_string(f, "path"), json_get_string(f, "role"),
		         json_get_string(f, "mime"), json_get_int(f, "size", 0),
		         json_get_string(f, "sha256"));
	}
	for (guint i = 0; ok && checks && i < json_array_get_length(checks); i++) {
		JsonObject *k = json_array_get_object_element(checks, i);
		ok = run(c, err, "INSERT INTO checks VALUES(?1,?2,?3,?4,?5,?6)", "ssssss", id,
		         json_get_string(k, "id"), json_get_string(k, "level"),
		         json_get_string(k, "status"), json_get_string(k, "message"),
		         json_get_string(k, "file"));
	}
	json_object_unref(r);
	ok = finish_savepoint(c, "add_bundle", ok, err);
	if (ok)
		testhook_crash_point("catalog.add_bundle");
	return ok;
}

static bool derive_verify(catalog *c, JsonObject *o, GError **err)
{
	JsonArray *problems = json_get_array(o, "problems");
	char *text = NULL;
	if (problems) {
		JsonNode *n = json_node_init_array(json_node_alloc(), problems);
		json_writer *w = json_new(false);
		json_node(w, n);
		text = json_finish(w);
		json_node_unref(n);
	}
	bool ok = run(c, err, "INSERT OR REPLACE INTO verifications VALUES(?1,?2,?3,?4,?5)", "issis",
	              json_get_int(o, "seq", 0), json_get_string(o, "id"),
	              json_get_string(o, "time"), (int64_t)json_get_bool(o, "valid", false), text);
	g_free(text);
	return ok;
}

/* A frozen batch: its row, and one per item as the proposal froze it. */
static bool derive_proposal(catalog *c, JsonObject *o, GError **err)
{
	const char *batch = json_get_string(o, "batch");
	bool ok = run(c, err, "INSERT OR REPLACE INTO batches(id, day, proposed_at, user, state, seq)"
	                      " VALUES(?1,?2,?3,?4,'open',?5)",
	              "ssssi", batch, json_get_string(o, "now"), json_get_string(o, "time"),
	              json_get_string(o, "user"), json_get_int(o, "seq", 0));
	JsonArray *items = json_get_array(o, "items");
	for (guint i = 0; ok && items && i < json_array_get_length(items); i++) {
		JsonObject *it = json_array_get_object_element(items, i);
		ok = run(c, err, "INSERT OR REPLACE INTO batch_items(batch, bundle_id, title, retention,"
		                 " retention_start, disposal_date, bundle_sha256) VALUES(?1,?2,?3,?4,?5,"
		                 "?6,?7)",
		         "sssssss", batch, json_get_string(it, "id"), json_get_string(it, "title"),
		         json_get_string(it, "retention"), json_get_string(it, "retention_start"),
		         json_get_string(it, "disposal_date"), json_get_string(it, "bundle_sha256"));
	}
	return ok;
}

/* A decision on an item; a reset or a deferral is the bundle's schedule
 * from now on (the line records the dates it leads to). */
static bool derive_decision(catalog *c, JsonObject *o, GError **err)
{
	const char *id = json_get_string(o, "id"), *kind = json_get_string(o, "decision");
	bool ok = run(c, err, "UPDATE batch_items SET decision = ?3, value = ?4, decided_by = ?5,"
	                      " reason = ?6, meeting = ?7, decided_user = ?8, decided_at = ?9"
	                      " WHERE batch = ?1 AND bundle_id = ?2",
	              "sssssssss", json_get_string(o, "batch"), id, kind,
	              json_get_string(o, "value"), json_get_string(o, "by"),
	              json_get_string(o, "reason"), json_get_string(o, "meeting"),
	              json_get_string(o, "user"), json_get_string(o, "time"));
	if (ok && g_strcmp0(kind, "destroy") != 0)
		ok = run(c, err, "INSERT OR REPLACE INTO schedules VALUES(?1,?2,?3,?4,?5)", "ssssi", id,
		         json_get_string(o, "retention"), json_get_string(o, "retention_start"),
		         json_get_string(o, "disposal_date"), json_get_int(o, "seq", 0));
	return ok;
}

/* A disposal record: the tombstone, for ever; the bundle's rows go. */
static bool derive_dispose(catalog *c, JsonObject *o, const char *line, GError **err)
{
	const char *id = json_get_string(o, "id"), *batch = json_get_string(o, "batch");
	return run(c, err, "INSERT OR REPLACE INTO disposals VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
	                   "?11,?12,?13,?14,?15,?16,?17,?18)",
	           "ssssssssisssssssss", id, json_get_string(o, "title"),
	           json_get_string(o, "bundle_sha256"), json_get_string(o, "retention"),
	           json_get_string(o, "release_date"), json_get_string(o, "disposal_date"),
	           json_get_string(o, "time"), json_get_string(o, "user"),
	           json_get_int(o, "seq", 0), json_get_string(o, "retention_start"), batch,
	           json_get_string(o, "decision"), json_get_string(o, "decided_by"),
	           json_get_string(o, "meeting"), json_get_string(o, "reason"),
	           json_get_string(o, "decided_user"), json_get_string(o, "decided_at"), line) &&
	       (!batch || run(c, err, "UPDATE batch_items SET outcome = 'destroyed' WHERE batch = ?1"
	                              " AND bundle_id = ?2",
	                      "ss", batch, id)) &&
	       run(c, err, "DELETE FROM files WHERE bundle_id = ?1", "s", id) &&
	       run(c, err, "DELETE FROM checks WHERE bundle_id = ?1", "s", id) &&
	       run(c, err, "DELETE FROM schedules WHERE bundle_id = ?1", "s", id) &&
	       run(c, err, "DELETE FROM bundles WHERE id = ?1", "s", id);
}

/* What an audit line says, in the catalog's tables (the events table has
 * the line itself). */
static bool derive(catalog *c, JsonObject *o, const char *line, GError **err)
{
	const char *event = json_get_string(o, "event"), *id = json_get_string(o, "id");
	const char *batch = json_get_string(o, "batch");
	if (!event)
		return true;
	if (strcmp(event, "hold") == 0)
		return run(c, err, "INSERT OR REPLACE INTO holds VALUES(?1,?2,?3,?4,?5,?6)", "ssssss",
		           id, json_get_string(o, "reason"), json_get_string(o, "user"),
		           json_get_string(o, "time"), json_get_string(o, "by"),
		           json_get_string(o, "until"));
	if (strcmp(event, "hold-extended") == 0)
		return run(c, err, "UPDATE holds SET until = ?2 WHERE bundle_id = ?1", "ss", id,
		           json_get_string(o, "until"));
	if (strcmp(event, "hold-removed") == 0)
		return run(c, err, "DELETE FROM holds WHERE bundle_id = ?1", "s", id);
	if (strcmp(event, "verify") == 0)
		return derive_verify(c, o, err);
	if (strcmp(event, "disposal-proposed") == 0)
		return derive_proposal(c, o, err);
	if (strcmp(event, "disposal-decision") == 0)
		return derive_decision(c, o, err);
	if (strcmp(event, "disposal-execute") == 0)
		return run(c, err, "UPDATE batches SET state = 'executing' WHERE id = ?1", "s", batch);
	if (strcmp(event, "disposal-kept") == 0)
		return run(c, err, "UPDATE batch_items SET outcome = 'kept-' || ?3, detail = ?4"
		                   " WHERE batch = ?1 AND bundle_id = ?2",
		           "ssss", batch, id, json_get_string(o, "why"), json_get_string(o, "detail"));
	if (strcmp(event, "disposal-executed") == 0)
		return run(c, err, "UPDATE batches SET state = 'executed', executed_at = ?2 WHERE id = ?1",
		           "ss", batch, json_get_string(o, "time")) &&
		       run(c, err, "UPDATE batch_items SET outcome = CASE decision WHEN 'reset' THEN"
		                   " 'reset' WHEN 'defer' THEN 'deferred' ELSE 'kept' END"
		                   " WHERE batch = ?1 AND outcome IS NULL",
		           "s", batch);
	if (strcmp(event, "dispose") == 0)
		return derive_dispose(c, o, line, err);
	return true;
}

bool catalog_apply_event(catalog *c, const char *line, GError **err)
{
	JsonObject *o = json_read_object(line, -1, NULL);
	int64_t seq = json_get_int(o, "seq", 0);
	/* Not ours (no seq): nothing to mirror. */
	if (!seq) {
		if (o)
			json_object_unref(o);
		return true;
	}
	if (!exec(c, "SAVEPOINT apply_event", err)) {
		json_object_unref(o);
		return false;
	}
	bool ok = run(c, err, "INSERT OR IGNORE INTO events VALUES(?1,?2,?3,?4,?5,?6)", "isssss", seq,
	              json_get_string(o, "time"), json_get_string(o, "user"),
	              json_get_string(o, "event"), json_get_string(o, "id"), line);
	/* Nothing inserted: mirrored before; nothing to derive. */
	if (ok && sqlite3_changes(c->db) == 1)
		ok = derive(c, o, line, err);
	json_object_unref(o);
	ok = finish_savepoint(c, "apply_event", ok, err);
	if (ok)
		testhook_crash_point("catalog.apply_event");
	return ok;
}

bool catalog_apply_events(catalog *c, const GPtrArray *lines, GError **err)
{
	if (!lines->len)
		return true;
	if (!exec(c, "SAVEPOINT apply_events", err))
		return false;
	bool ok = true;
	for (guint i = 0; ok && i < lines->len; i++)
		ok = catalog_apply_event(c, g_ptr_array_index(lines, i), err);
	ok = finish_savepoint(c, "apply_events", ok, err);
	if (ok)
		testhook_crash_point("catalog.apply_events");
	return ok;
}

int64_t catalog_last_seq(catalog *c)
{
	sqlite3_stmt *st = NULL;
	int64_t seq = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT COALESCE(MAX(seq), 0) FROM events", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return seq;
}

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? g_strdup((const char *)s) : NULL;
}

void catalog_bundle_clear(catalog_bundle *b)
{
	g_free(b->id);
	g_free(b->path);
	g_free(b->title);
	g_free(b->release_date);
	g_free(b->organisation);
	g_free(b->license);
	g_free(b->retention);
	g_free(b->retention_start);
	g_free(b->disposal_date);
	g_free(b->check_status);
	g_free(b->bundle_sha256);
	g_free(b->content_sha256);
	g_free(b->ingested_at);
	g_free(b->hold_reason);
	g_free(b->hold_by);
	g_free(b->hold_until);
	g_free(b->batch);
	g_free(b->last_verified);
	memset(b, 0, sizeof *b);
}

void catalog_bundle_free(catalog_bundle *b)
{
	if (b)
		catalog_bundle_clear(b);
	g_free(b);
}

void catalog_bundle_to_json(const catalog_bundle *b, json_writer *w)
{
	json_kv_string(w, "id", b->id);
	json_kv_string(w, "title", b->title);
	json_kv_string(w, "release_date", b->release_date);
	json_kv_string(w, "organisation", b->organisation);
	json_kv_string(w, "license", b->license);
	json_kv_string(w, "retention", b->retention);
	json_kv_string(w, "retention_start", b->retention_start);
	json_kv_string(w, "disposal_date", b->disposal_date);
	json_kv_string(w, "check_status", b->check_status);
	json_kv_string(w, "bundle", b->path);
	json_kv_string(w, "bundle_sha256", b->bundle_sha256);
	json_kv_int(w, "size", b->size);
	json_kv_string(w, "ingested_at", b->ingested_at);
	json_kv_bool(w, "held", b->hold_reason != NULL);
	json_kv_string(w, "hold_reason", b->hold_reason);
	json_kv_string(w, "hold_by", b->hold_by);
	json_kv_string(w, "hold_until", b->hold_until);
	json_kv_string(w, "batch", b->batch);
	json_kv_string(w, "last_verified", b->last_verified);
	if (b->last_verified)
		json_kv_bool(w, "last_valid", b->last_valid);
}

/* An open batch: proposed, not yet executed (begun or not). */
#define OPEN_BATCH_OF(bundle)                                                                   \
	"(SELECT i.batch FROM batch_items i JOIN batches t ON t.id = i.batch WHERE i.bundle_id = " \
	bundle " AND t.state <> 'executed' LIMIT 1)"
/* The schedule a decision made, else the one ingest recorded. */
#define EFFECTIVE(column) "COALESCE(s." column ", b." column ")"

#define BUNDLE_COLUMNS                                                                          \
	"SELECT b.id, b.path, b.title, b.release_date, b.organisation, b.license,"               \
	" " EFFECTIVE("retention") ", " EFFECTIVE("disposal_date") ","                            \
	" b.check_status, b.bundle_sha256, b.content_sha256, b.ingested_at,"                      \
	" b.size, h.reason,"                                                                      \
	" (SELECT time FROM verifications v WHERE v.bundle_id = b.id ORDER BY seq DESC LIMIT 1)," \
	" (SELECT valid FROM verifications v WHERE v.bundle_id = b.id ORDER BY seq DESC LIMIT 1)," \
	" " EFFECTIVE("retention_start") ", h.body, h.until, " OPEN_BATCH_OF("b.id")              \
	" FROM bundles b LEFT JOIN holds h ON h.bundle_id = b.id"                                 \
	" LEFT JOIN schedules s ON s.bundle_id = b.id "

/* A step of a read; nth counts the steps of the statement (from 1). */
static int read_step(sqlite3_stmt *st, int nth)
{
	return testhook_catalog_busy(nth) ? SQLITE_BUSY : sqlite3_step(st);
}

/*
 * A read whose last step gave rc: SQLITE_DONE is the whole answer; any
 * other code (SQLITE_BUSY past the timeout, an I/O error) is an error,
 * never the rows read so far passing for all of them. The connection's
 * message when it is about rc, else SQLite's words for rc.
 */
static bool read_done(catalog *c, int rc, GError **err)
{
	if (rc == SQLITE_DONE)
		return true;
	if ((sqlite3_errcode(c->db) & 0xff) == (rc & 0xff))
		return db_error(c, err, "read");
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: read: %s", c->path, sqlite3_errstr(rc));
	return false;
}

/* Each row of select (BUNDLE_COLUMNS, or a table made of them) and where,
 * with one optional text parameter, made into a catalog_bundle, handed to
 * fn and freed: one row in memory at a time. A fn that returns false
 * stops the walk (an error when it set err). With keep, the statement is
 * taken from *keep, or prepared and left there, and reset after the walk
 * rather than finalised. */
static bool each_row(catalog *c, const char *select, const char *where, const char *param,
                     sqlite3_stmt **keep, catalog_bundle_fn fn, void *arg, GError **err)
{
	sqlite3_stmt *st = keep ? *keep : NULL;
	int rc = SQLITE_OK;
	if (!st) {
		char *sql = g_strconcat(select, where, NULL);
		rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
		g_free(sql);
	}
	if (rc != SQLITE_OK) {
		db_error(c, err, "read");
		sqlite3_finalize(st);
		return false;
	}
	if (keep)
		*keep = st;
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	int nth = 0;
	bool ok = true, go = true;
	while (go && (rc = read_step(st, ++nth)) == SQLITE_ROW) {
		catalog_bundle b = {
			.id = col(st, 0),
			.path = col(st, 1),
			.title = col(st, 2),
			.release_date = col(st, 3),
			.organisation = col(st, 4),
			.license = col(st, 5),
			.retention = col(st, 6),
			.disposal_date = col(st, 7),
			.check_status = col(st, 8),
			.bundle_sha256 = col(st, 9),
			.content_sha256 = col(st, 10),
			.ingested_at = col(st, 11),
			.size = sqlite3_column_int64(st, 12),
			.hold_reason = col(st, 13),
			.last_verified = col(st, 14),
			.last_valid = sqlite3_column_int(st, 15) != 0,
			.retention_start = col(st, 16),
			.hold_by = col(st, 17),
			.hold_until = col(st, 18),
			.batch = col(st, 19),
		};
		GError *e = NULL;
		go = fn(&b, arg, &e);
		catalog_bundle_clear(&b);
		if (e) {
			g_propagate_error(err, e);
			ok = false;
		}
	}
	if (ok && go)
		ok = read_done(c, rc, err);
	if (keep) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
	return ok;
}

static bool each_where(catalog *c, const char *where, const char *param, catalog_bundle_fn fn,
                       void *arg, GError **err)
{
	return each_row(c, BUNDLE_COLUMNS, where, param, NULL, fn, arg, err);
}

/* A catalog_bundle_fn that keeps every row (it takes b's strings). */
static bool collect(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	catalog_bundle *copy = g_new(catalog_bundle, 1);
	*copy = *b;
	memset(b, 0, sizeof *b);
	g_ptr_array_add(arg, copy);
	return true;
}

bool catalog_each(catalog *c, catalog_bundle_fn fn, void *arg, GError **err)
{
	return each_where(c, "ORDER BY b.id", NULL, fn, arg, err);
}

catalog_bundle *catalog_get(catalog *c, const char *id, GError **err)
{
	GPtrArray *a = g_ptr_array_new_with_free_func((GDestroyNotify)catalog_bundle_free);
	catalog_bundle *b = NULL;
	if (each_row(c, BUNDLE_COLUMNS, "WHERE b.id = ?1", id, &c->get, collect, a, err) && a->len)
		b = g_ptr_array_steal_index(a, 0);
	g_ptr_array_unref(a);
	return b;
}

#define DUE_WHERE                                                                  \
	"WHERE " EFFECTIVE("disposal_date") " NOT IN ('permanent', 'semi-permanent') AND " \
	EFFECTIVE("disposal_date") " <= ?1 AND h.bundle_id IS NULL AND "                \
	OPEN_BATCH_OF("b.id") " IS NULL ORDER BY " EFFECTIVE("disposal_date") ", b.id"

bool catalog_each_due(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                      GError **err)
{
	return each_where(c, DUE_WHERE, date, fn, arg, err);
}

/* The rows of the walk a catalog_each_due_fixed() makes, a chunk at a time. */
#define WALK_CHUNK 256

bool catalog_each_due_fixed(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                            GError **err)
{
	/* The answer of this moment, in a table of the connection's own
	 * (SQLite's temporary storage: pages on disk past its cache), read
	 * back a chunk at a time with no statement open while fn runs. */
	sqlite3_stmt *st = NULL;
	char *sql = g_strconcat("CREATE TEMP TABLE walk AS ", BUNDLE_COLUMNS, DUE_WHERE, NULL);
	bool ok = exec(c, "DROP TABLE IF EXISTS temp.walk", err);
	if (ok && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
		ok = read_done(c, read_step(st, 1), err);
	} else if (ok) {
		ok = db_error(c, err, "read");
	}
	sqlite3_finalize(st);
	g_free(sql);
	bool go = true;
	for (int64_t after = 0; ok && go;) {
		char *where = g_strdup_printf("WHERE rowid > %" G_GINT64_FORMAT " ORDER BY rowid LIMIT %d",
		                              after, WALK_CHUNK);
		GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)catalog_bundle_free);
		ok = each_row(c, "SELECT * FROM temp.walk ", where, NULL, NULL, collect, rows, err);
		g_free(where);
		for (guint i = 0; ok && go && i < rows->len; i++) {
			GError *e = NULL;
			go = fn(g_ptr_array_index(rows, i), arg, &e);
			if (e) {
				g_propagate_error(err, e);
				ok = false;
			}
		}
		go = go && rows->len == WALK_CHUNK;
		after += rows->len;
		g_ptr_array_unref(rows);
	}
	exec(c, "DROP TABLE IF EXISTS temp.walk", NULL);
	return ok;
}

typedef struct {
	const char *date;
	catalog_bundle_fn fn;
	void *arg;
} evaluation_ctx;

/* The calendar is retention.h's (a 29 February start), not SQLite's. */
static bool evaluation_due(catalog_bundle *b, void *arg, GError **err)
{
	const evaluation_ctx *x = arg;
	char when[11];
	if (!b->retention_start || !retention_evaluation_date(b->retention_start, when) ||
	    strcmp(when, x->date) > 0)
		return true;
	return x->fn(b, x->arg, err);
}

bool catalog_each_evaluation_due(catalog *c, const char *date, catalog_bundle_fn fn, void *arg,
                                 GError **err)
{
	evaluation_ctx x = { date, fn, arg };
	return each_where(c,
	                  "WHERE " EFFECTIVE("disposal_date") " IN ('permanent', 'semi-permanent')"
	                  " ORDER BY " EFFECTIVE("retention_start") ", b.id",
	                  NULL, evaluation_due, &x, err);
}

/* The first column of the first row of sql with one parameter; NULL
 * without err when there is no row. */
/* The first column of the first row of sql with one text parameter;
 * with keep, the statement is prepared once into *keep and reset after. */
static char *scalar_kept(catalog *c, sqlite3_stmt **keep, const char *sql, const char *param,
                         GError **err)
{
	sqlite3_stmt *st = keep ? *keep : NULL;
	char *v = NULL;
	if (!st && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(c, err, "read");
		goto out;
	}
	sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	int rc = read_step(st, 1);
	if (rc == SQLITE_ROW)
		v = col(st, 0);
	else
		read_done(c, rc, err);
out:
	if (keep && st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		*keep = st;
	} else {
		sqlite3_finalize(st);
	}
	return v;
}

static char *scalar(catalog *c, const char *sql, const char *param, GError **err)
{
	return scalar_kept(c, NULL, sql, param, err);
}

bool catalog_read_begin(catalog *c, GError **err)
{
	if (!sqlite3_get_autocommit(c->db))
		return true;
	return c->reading = exec(c, "BEGIN", err);
}

bool catalog_read_end(catalog *c, GError **err)
{
	if (!c->reading)
		return true;
	c->reading = false;
	return exec(c, "COMMIT", err);
}

int catalog_has_bundle(catalog *c, const char *id, GError **err)
{
	GError *e = NULL;
	char *v = scalar_kept(c, &c->has, "SELECT 1 FROM bundles WHERE id = ?1", id, &e);
	g_free(v);
	if (e) {
		g_propagate_error(err, e);
		return -1;
	}
	return v != NULL;
}

int64_t catalog_count(catalog *c, GError **err)
{
	char *v = scalar(c, "SELECT count(*) FROM bundles WHERE ?1 IS NOT NULL", "", err);
	int64_t n = v ? g_ascii_strtoll(v, NULL, 10) : -1;
	g_free(v);
	return n;
}

int catalog_id_width(catalog *c, GError **err)
{
	char *v = scalar(c, "SELECT max(length(id)) FROM bundles WHERE ?1 IS NOT NULL", "", err);
	int n = v ? atoi(v) : 0;
	g_free(v);
	return n;
}

char *catalog_find_content(catalog *c, const char *content_sha256, GError **err)
{
	return scalar(c, "SELECT id FROM bundles WHERE content_sha256 = ?1 ORDER BY id LIMIT 1",
	              content_sha256, err);
}

char *catalog_release_json(catalog *c, const char *id, GError **err)
{
	return scalar(c, "SELECT release_json FROM bundles WHERE id = ?1", id, err);
}

/* Every row of sql (up to two text parameters, NULL: unbound) made into
 * a struct by make and freed by free (a read answers in full or fails). */
static GPtrArray *query(catalog *c, const char *sql, const char *p1, const char *p2,
                        gpointer (*make)(sqlite3_stmt *st), GDestroyNotify free, GError **err)
{
	sqlite3_stmt *st = NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(free);
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(c, err, "read");
		g_ptr_array_unref(out);
		return NULL;
	}
	if (p1)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_TRANSIENT);
	if (p2)
		sqlite3_bind_text(st, 2, p2, -1, SQLITE_TRANSIENT);
	int nth = 0, rc;
	while ((rc = read_step(st, ++nth)) == SQLITE_ROW)
		g_ptr_array_add(out, make(st));
	sqlite3_finalize(st);
	if (!read_done(c, rc, err))
		g_clear_pointer(&out, g_ptr_array_unref);
	return out;
}

static gpointer make_line(sqlite3_stmt *st) { return col(st, 0); }

/* A text column, "" for NULL (the fields of checks and files are printed
 * as they are). */
static char *col_text(sqlite3_stmt *st, int i)
{
	char *v = col(st, i);
	return v ? v : g_strdup("");
}

GPtrArray *catalog_events(catalog *c, const char *id, GError **err)
{
	return query(c, "SELECT line FROM events WHERE bundle_id = ?1 ORDER BY seq", id, NULL,
	             make_line, g_free, err);
}

char *catalog_last_event(catalog *c, const char *id, const char *event, const char *or_event,
                         GError **err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db,
	                       "SELECT line FROM events WHERE bundle_id = ?1 AND event IN (?2, ?3)"
	                       " ORDER BY seq DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK) {
		db_error(c, err, "read");
		return NULL;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, or_event ? or_event : event, -1, SQLITE_TRANSIENT);
	char *line = NULL;
	int rc = read_step(st, 1);
	if (rc == SQLITE_ROW) {
		line = col(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (!read_done(c, rc, err))
		g_clear_pointer(&line, g_free);
	return line;
}

static void check_free(gpointer p)
{
	catalog_check *k = p;
	g_free(k->id);
	g_free(k->level);
	g_free(k->status);
	g_free(k->message);
	g_free(k->file);
	g_free(k);
}

static gpointer make_check(sqlite3_stmt *st)
{
	catalog_check *k = g_new0(catalog_check, 1);
	k->id = col_text(st, 0);
	k->level = col_text(st, 1);
	k->status = col_text(st, 2);
	k->message = col_text(st, 3);
	k->file = col_text(st, 4);
	return k;
}

GPtrArray *catalog_checks(catalog *c, const char *id, GError **err)
{
	return query(c, "SELECT check_id, level, status, message, file FROM checks"
	                " WHERE bundle_id = ?1 ORDER BY rowid", id, NULL, make_check, check_free, err);
}

static void file_free(gpointer p)
{
	catalog_file *f = p;
	g_free(f->path);
	g_free(f->role);
	g_free(f->mime);
	g_free(f->sha256);
	g_free(f);
}

static gpointer make_file(sqlite3_stmt *st)
{
	catalog_file *f = g_new0(catalog_file, 1);
	f->path = col_text(st, 0);
	f->role = col_text(st, 1);
	f->mime = col_text(st, 2);
	f->sha256 = col_text(st, 3);
	f->size = sqlite3_column_int64(st, 4);
	return f;
}

GPtrArray *catalog_files(catalog *c, const char *id, GError **err)
{
	return query(c, "SELECT path, role, mime, sha256, size FROM files"
	                " WHERE bundle_id = ?1 ORDER BY rowid", id, NULL, make_file, file_free, err);
}

/* The first of them; NULL without err when there is none. */
static gpointer query_one(catalog *c, const char *sql, const char *p1,
                          gpointer (*make)(sqlite3_stmt *st), GDestroyNotify free, GError **err)
{
	GPtrArray *a = query(c, sql, p1, NULL, make, free, err);
	gpointer one = a && a->len ? g_ptr_array_steal_index(a, 0) : NULL;
	if (a)
		g_ptr_array_unref(a);
	return one;
}

void catalog_hold_free(catalog_hold *h)
{
	if (!h)
		return;
	g_free(h->id);
	g_free(h->reason);
	g_free(h->user);
	g_free(h->since);
	g_free(h->by);
	g_free(h->until);
	g_free(h);
}

static gpointer make_hold(sqlite3_stmt *st)
{
	catalog_hold *h = g_new0(catalog_hold, 1);
	h->id = col(st, 0);
	h->reason = col(st, 1);
	h->user = col(st, 2);
	h->since = col(st, 3);
	h->by = col(st, 4);
	h->until = col(st, 5);
	return h;
}

GPtrArray *catalog_holds(catalog *c, const char *before, GError **err)
{
	return query(c,
	             before ? "SELECT bundle_id, reason, user, since, body, until FROM holds"
	                      " WHERE until IS NOT NULL AND until < ?1 ORDER BY until, bundle_id"
	                    : "SELECT bundle_id, reason, user, since, body, until FROM holds"
	                      " ORDER BY bundle_id",
	             before, NULL, make_hold, (GDestroyNotify)catalog_hold_free, err);
}

void catalog_batch_free(catalog_batch *b)
{
	if (!b)
		return;
	g_free(b->id);
	g_free(b->day);
	g_free(b->proposed_at);
	g_free(b->user);
	g_free(b->state);
	g_free(b->executed_at);
	g_free(b);
}

static gpointer make_batch(sqlite3_stmt *st)
{
	catalog_batch *b = g_new0(catalog_batch, 1);
	b->id = col(st, 0);
	b->day = col(st, 1);
	b->proposed_at = col(st, 2);
	b->user = col(st, 3);
	b->state = col(st, 4);
	b->executed_at = col(st, 5);
	b->items = sqlite3_column_int64(st, 6);
	b->decided = sqlite3_column_int64(st, 7);
	return b;
}

#define BATCH_COLUMNS                                                                           \
	"SELECT id, day, proposed_at, user, state, executed_at,"                                  \
	" (SELECT COUNT(*) FROM batch_items i WHERE i.batch = t.id),"                             \
	" (SELECT COUNT(*) FROM batch_items i WHERE i.batch = t.id AND decision IS NOT NULL)"     \
	" FROM batches t "

GPtrArray *catalog_batches(catalog *c, GError **err)
{
	return query(c, BATCH_COLUMNS "ORDER BY seq", NULL, NULL, make_batch,
	             (GDestroyNotify)catalog_batch_free, err);
}

catalog_batch *catalog_batch_get(catalog *c, const char *id, GError **err)
{
	return query_one(c, BATCH_COLUMNS "WHERE id = ?1", id, make_batch,
	                 (GDestroyNotify)catalog_batch_free, err);
}

/* Structs of strings only, by the list of their members: filled from a
 * row's columns in that order, or freed. */
static void fill_fields(sqlite3_stmt *st, char **const *fields, size_t n)
{
	for (size_t k = 0; k < n; k++)
		*fields[k] = col(st, (int)k);
}

static void free_fields(char **const *fields, size_t n)
{
	for (size_t k = 0; k < n; k++)
		g_free(*fields[k]);
}

#define ITEM_FIELDS(i)                                                                          \
	{ &(i)->batch, &(i)->id, &(i)->title, &(i)->retention, &(i)->retention_start,             \
	  &(i)->disposal_date, &(i)->bundle_sha256, &(i)->decision, &(i)->value,                  \
	  &(i)->decided_by, &(i)->reason, &(i)->meeting, &(i)->decided_user, &(i)->decided_at,    \
	  &(i)->outcome, &(i)->detail }

void catalog_batch_item_free(catalog_batch_item *i)
{
	if (!i)
		return;
	char **fields[] = ITEM_FIELDS(i);
	free_fields(fields, G_N_ELEMENTS(fields));
	g_free(i);
}

static gpointer make_item(sqlite3_stmt *st)
{
	catalog_batch_item *i = g_new0(catalog_batch_item, 1);
	char **fields[] = ITEM_FIELDS(i);
	fill_fields(st, fields, G_N_ELEMENTS(fields));
	return i;
}

GPtrArray *catalog_batch_items(catalog *c, const char *batch, GError **err)
{
	return query(c,
	             "SELECT batch, bundle_id, title, retention, retention_start, disposal_date,"
	             " bundle_sha256, decision, value, decided_by, reason, meeting, decided_user,"
	             " decided_at, outcome, detail FROM batch_items WHERE batch = ?1"
	             " ORDER BY bundle_id",
	             batch, NULL, make_item, (GDestroyNotify)catalog_batch_item_free, err);
}

#define DISPOSAL_FIELDS(d)                                                                      \
	{ &(d)->id, &(d)->title, &(d)->bundle_sha256, &(d)->retention, &(d)->retention_start,     \
	  &(d)->release_date, &(d)->disposal_date, &(d)->batch, &(d)->decision, &(d)->decided_by, \
	  &(d)->meeting, &(d)->reason, &(d)->decided_user, &(d)->decided_at, &(d)->disposed_at,  \
	  &(d)->user, &(d)->line }

void catalog_disposal_free(catalog_disposal *d)
{
	if (!d)
		return;
	char **fields[] = DISPOSAL_FIELDS(d);
	free_fields(fields, G_N_ELEMENTS(fields));
	g_free(d);
}

static gpointer make_disposal(sqlite3_stmt *st)
{
	catalog_disposal *d = g_new0(catalog_disposal, 1);
	char **fields[] = DISPOSAL_FIELDS(d);
	fill_fields(st, fields, G_N_ELEMENTS(fields));
	return d;
}

#define DISPOSAL_COLUMNS                                                                        \
	"SELECT bundle_id, title, bundle_sha256, retention, retention_start, release_date,"       \
	" disposal_date, batch, decision, decided_by, meeting, reason, decided_user, decided_at," \
	" disposed_at, user, line FROM disposals "

GPtrArray *catalog_disposals(catalog *c, GError **err)
{
	return query(c, DISPOSAL_COLUMNS "ORDER BY bundle_id", NULL, NULL, make_disposal,
	             (GDestroyNotify)catalog_disposal_free, err);
}

catalog_disposal *catalog_disposal_get(catalog *c, const char *id, GError **err)
{
	return query_one(c, DISPOSAL_COLUMNS "WHERE bundle_id = ?1", id, make_disposal,
	                 (GDestroyNotify)catalog_disposal_free, err);
}

char *catalog_read_release_json(const char *bundle_path, GError **err)
{
	char *found = NULL;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	/* Names before metadata/ are ASCII in our bundles, but a bundle is
	 * read as any other: UTF-8 names, whatever the locale. */
	locale_t old_locale = text_utf8_locale_begin();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, bundle_path, 1 << 16) != ARCHIVE_OK) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", bundle_path,
		            archive_error_string(a));
		goto out;
	}
	/* release.json is among the first entries: stop at the payload. */
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const char *slash = name ? strchr(name, '/') : NULL;
		if (!slash || g_str_has_prefix(slash + 1, "data/"))
			break;
		if (strcmp(slash + 1, "metadata/release.json") != 0)
			continue;
		int64_t size = archive_entry_size(e);
		if (size < 0 || size > (64 << 20))
			break;
		char *buf = g_malloc((gsize)size + 1);
		/* archive_read_data may return less than asked: read on. */
		int64_t got = 0;
		la_ssize_t n = 1;
		while (got < size && (n = archive_read_data(a, buf + got, (size_t)(size - got))) > 0)
			got += n;
		if (got == size) {
			buf[size] = '\0';
			found = buf;
		} else {
			g_free(buf);
		}
		break;
	}
	if (!found)
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: no readable metadata/release.json",
		            bundle_path);
out:
	archive_read_free(a);
	text_utf8_locale_end(old_locale);
	return found;
}

typedef struct {
	catalog *c;
	GError **err;
} replay_ctx;

typedef struct {
	catalog *c;
	const char *store_dir;
	GPtrArray *skipped;
} rebuild_ctx;

static bool add_file(const char *rel, void *arg)
{
	rebuild_ctx *x = arg;
	GError *e = NULL;
	if (!catalog_add_bundle_file(x->c, x->store_dir, rel, &e) && x->skipped)
		g_ptr_array_add(x->skipped, g_strdup(e ? e->message : "unreadable"));
	g_clear_error(&e);
	return true;
}

static bool replay_line(const char *line, void *arg)
{
	replay_ctx *r = arg;
	return catalog_apply_event(r->c, line, r->err);
}

bool catalog_add_bundle_file(catalog *c, const char *store_dir, const char *rel, GError **err)
{
	char *abs = g_build_filename(store_dir, rel, NULL);
	char *json = catalog_read_release_json(abs, err);
	char *sha = store_sidecar_sha256(abs);
	struct stat st;
	bool ok = json && stat(abs, &st) == 0 &&
	          catalog_add_bundle(c, rel, json, sha, (int64_t)st.st_size, err);
	if (json && !ok && err && !*err)
		arc_set_errno(err, ARC_ERROR_STORE, errno, abs);
	g_free(json);
	g_free(sha);
	g_free(abs);
	return ok;
}

bool catalog_rebuild(const char *store_dir, GPtrArray *skipped, GError **err)
{
	bool ok = false;
	catalog *c = catalog_open(store_dir, NULL);
	if (!c) {
		/* Damaged beyond opening: keep it aside for the curious, start anew. */
		char *p = g_build_filename(store_dir, "catalog.sqlite", NULL);
		char *aside = g_strdup_printf("%s.damaged-%ld", p, (long)time(NULL));
		if (rename(p, aside) == 0) {
			const char *sfx[] = { "-wal", "-shm" };
			for (int i = 0; i < 2; i++) {
				char *x = g_strconcat(p, sfx[i], NULL);
				unlink(x);
				g_free(x);
			}
		}
		g_free(aside);
		g_free(p);
		if (!(c = catalog_open(store_dir, err)))
			goto out;
	}
	/* One transaction: readers see the old catalog or the new, never half. */
	if (!exec(c, "BEGIN IMMEDIATE; DELETE FROM bundles; DELETE FROM files; DELETE FROM checks;"
	             " DELETE FROM events; DELETE FROM holds; DELETE FROM verifications;"
	             " DELETE FROM disposals; DELETE FROM schedules; DELETE FROM batches;"
	             " DELETE FROM batch_items;",
	          err))
		goto out;
	rebuild_ctx x = { c, store_dir, skipped };
	ok = store_each_file(store_dir, ".tar.gz", add_file, &x);
	replay_ctx r = { c, err };
	/* A torn last line is left out: it is no record (recovery, which
	 * reindex runs next, cuts it or completes and mirrors it). */
	ok = ok && audit_foreach(store_dir, replay_line, &r, NULL, err);
	ok = ok && exec(c, "COMMIT", err);
	if (!ok)
		exec(c, "ROLLBACK", NULL);
out:
	catalog_close(c);
	return ok;
}
