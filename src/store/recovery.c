/*
 * store/recovery.c — repairs after a crash. Every step is idempotent: running it
 * on a consistent store changes nothing, and a crash inside it is repaired
 * by the next run the same way.
 */
#include "store/recovery.h"
#include "store/disposal.h"
#include "store/audit.h"
#include "core/errors.h"
#include "core/json.h"
#include "core/hash.h"
#include "store/store.h"
#include "core/testhook.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	catalog *c;
	int64_t after;
	unsigned n;
	GError **err;
} replay_ctx;

static bool replay(const char *line, void *arg)
{
	replay_ctx *r = arg;
	if ((int64_t)audit_line_seq(line) <= r->after)
		return true;
	r->n++;
	if (!catalog_apply_event(r->c, line, r->err))
		return false;
	testhook_crash_point("recovery.replayed");
	return true;
}

/* A line the catalog has mirrored already (a line without a seq is no
 * guide: it is looked past). */
static bool mirrored(const char *line, void *arg)
{
	const replay_ctx *r = arg;
	uint64_t seq = audit_line_seq(line);
	return seq && (int64_t)seq <= r->after;
}

/*
 * The last "ingest" or "dispose" line of the audit log for this bundle
 * (caller frees), or NULL; NULL with err when the catalog could not say
 * (no line is not the same: the bundle would be recorded as recovered).
 * The last one, not any: a bundle disposed of and later archived again
 * (same content, so the same id) has both, and only the later says what
 * the file on disk is.
 */
static JsonObject *last_ingest_or_dispose(catalog *c, const char *id, GError **err)
{
	char *line = catalog_last_event(c, id, "ingest", "dispose", err);
	JsonObject *last = line ? json_read_object(line, -1, NULL) : NULL;
	g_free(line);
	return last;
}

static bool is_dispose(JsonObject *line)
{
	return g_strcmp0(json_get_string(line, "event"), "dispose") == 0;
}

/*
 * Is the file at path the bundle the dispose line recorded (its SHA-256)?
 * Only then is deleting it finishing that disposal; another file of the
 * same name is a later ingest that the crash kept from being recorded.
 * 1: it is (or the line records no hash: the record rules); 0: another
 * file; -1: it could not be read (*why says why; NULL when it is gone),
 * and what could not be read is never deleted: a bad sector or a wrong
 * owner would otherwise cost a bundle no one decided to destroy.
 */
static int disposed_bundle(const char *path, JsonObject *dispose_line, char **why)
{
	const char *want = json_get_string(dispose_line, "bundle_sha256");
	char hex[65];
	GError *e = NULL;
	int same = 1;
	*why = NULL;
	if (want && !hash_file_sha256(path, hex, NULL, &e)) {
		same = -1;
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			*why = g_strdup(e->message);
	} else if (want) {
		same = strcmp(want, hex) == 0;
	}
	g_clear_error(&e);
	return same;
}

static bool remove_file(const char *path, GError **err)
{
	if (unlink(path) != 0 && errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	return true;
}

/* Record an ingest that happened but was not recorded, and mirror it. */
static bool record_recovered(const char *store_dir, catalog *c, const char *id, const char *rel,
                             GError **err)
{
	audit_entry *e = audit_entry_new("ingest");
	audit_entry_set(e, "id", id);
	audit_entry_set(e, "path", rel);
	audit_entry_set_bool(e, "recovered", true);
	char *line = NULL;
	bool ok = audit_append(store_dir, e, &line, err) && catalog_apply_event(c, line, err);
	g_free(line);
	audit_entry_free(e);
	return ok;
}

/* The repair of a torn audit line, recorded in the log it repaired (the
 * "repair" event): what an archivist reading the log must know, that
 * bytes were cut there (how many, their SHA-256, the file keeping them),
 * or that a line's newline was added. Mirrored into the catalog by the
 * replay that follows. A crash between the repair and this line leaves a
 * whole log without the line; the kept file is still there. */
static bool record_tail_repair(const char *store_dir, const audit_tail *t, GError **err)
{
	audit_entry *e = audit_entry_new("repair");
	audit_entry_set(e, "file", "audit.log");
	audit_entry_set(e, "repair", t->completed ? "newline added" : "torn line cut");
	audit_entry_set_int(e, "after_seq", (int64_t)t->after_seq);
	audit_entry_set_int(e, "bytes", (int64_t)t->bytes);
	audit_entry_set(e, "sha256", t->sha256);
	if (t->kept)
		audit_entry_set(e, "kept", t->kept);
	bool ok = audit_append(store_dir, e, NULL, err);
	audit_entry_free(e);
	if (ok)
		testhook_crash_point("recovery.tail_recorded");
	return ok;
}

void recovery_report_clear(recovery_report *r)
{
	audit_tail_clear(&r->audit_tail);
	if (r->unreadable)
		g_ptr_array_unref(r->unreadable);
	if (r->rows_restored)
		g_ptr_array_unref(r->rows_restored);
	if (r->kept_unread)
		g_ptr_array_unref(r->kept_unread);
	memset(r, 0, sizeof *r);
}

typedef struct {
	const char *store_dir;
	catalog *c;
	recovery_report *r;
	GError **err;
	bool ok;
	GPtrArray *unlisted; /* bundle files the catalog has no row for */
	GPtrArray *orphans;  /* sidecars with no bundle beside them */
} walk_ctx;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, *(char *const *)b);
}

/*
 * One folder of bundles: each bundle file the catalog does not list is
 * kept for recover_bundle, each sidecar without its bundle beside it for
 * remove_orphan. One lookup a bundle, on every writing run: the common
 * case, every bundle listed and every sidecar with its bundle, is kept
 * cheap (one statement, one read transaction for all, the folder read
 * once and no file looked up by name).
 */
static bool note_folder(const char *folder, GPtrArray *names, void *arg)
{
	walk_ctx *x = arg;
	static const char bundle[] = ".tar.gz", sidecar[] = ".tar.gz.sha256";
	for (guint i = 0; x->ok && i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		if (g_str_has_suffix(n, bundle)) {
			char *id = g_strndup(n, strlen(n) - strlen(bundle));
			int listed = catalog_has_bundle(x->c, id, x->err);
			if (listed == 0)
				g_ptr_array_add(x->unlisted, g_build_filename(folder, n, NULL));
			x->ok = listed >= 0;
			g_free(id);
		} else if (g_str_has_suffix(n, sidecar)) {
			char *b = g_strndup(n, strlen(n) - strlen(".sha256"));
			if (!bsearch(b, names->pdata, names->len, sizeof(char *), cmp_name))
				g_ptr_array_add(x->orphans, g_build_filename(folder, n, NULL));
			g_free(b);
		}
	}
	return x->ok;
}

/* A bundle file the catalog has no row for: a disposal a crash cut short
 * finished, or the bundle recorded and indexed. */
static bool recover_bundle(const char *rel, void *arg)
{
	walk_ctx *x = arg;
	const char *store_dir = x->store_dir;
	catalog *c = x->c;
	recovery_report *r = x->r;
	GError **err = x->err;
	bool ok = true;
	char *base = g_path_get_basename(rel);
	char *id = g_strndup(base, strlen(base) - strlen(".tar.gz"));
	GError *unknown = NULL;
	char *abs = g_build_filename(store_dir, rel, NULL);
	char *side = g_strconcat(abs, ".sha256", NULL);
	JsonObject *last = last_ingest_or_dispose(c, id, &unknown);
	char *why = NULL;
	int disposed = is_dispose(last) ? disposed_bundle(abs, last, &why) : 0;
	if (unknown) {
		/* What the catalog cannot answer is no cue to repair. */
		g_propagate_error(err, unknown);
		ok = false;
	} else if (disposed < 0) {
		/* Unread: neither deleted nor recorded as anything; named. */
		if (why)
			g_ptr_array_add(r->kept_unread, g_steal_pointer(&why));
	} else if (disposed) {
		ok = remove_file(abs, err) && remove_file(side, err);
		r->disposals_finished++;
		if (ok)
			testhook_crash_point("recovery.disposal_finished");
	} else {
		/* The audit log (mirrored above) has its ingest, the catalog
		 * no row: the row was lost, not left out by a crash. */
		if (last && !is_dispose(last))
			g_ptr_array_add(r->rows_restored, g_strdup(id));
		if (!last || is_dispose(last)) {
			ok = record_recovered(store_dir, c, id, rel, err);
			r->recorded++;
			if (ok)
				testhook_crash_point("recovery.recorded");
		}
		GError *e = NULL;
		if (ok && catalog_add_bundle_file(c, store_dir, rel, &e)) {
			r->indexed++;
			testhook_crash_point("recovery.indexed");
		}
		else if (e)
			g_ptr_array_add(r->unreadable, g_strdup(e->message));
		g_clear_error(&e);
	}
	if (last)
		json_object_unref(last);
	g_free(side);
	g_free(abs);
	g_free(id);
	g_free(base);
	return x->ok = ok;
}

/* A sidecar whose bundle is not there (still not, after recover_bundle):
 * removed. */
static bool remove_orphan(const char *rel, void *arg)
{
	walk_ctx *x = arg;
	char *side = g_build_filename(x->store_dir, rel, NULL);
	char *bundle = g_strndup(side, strlen(side) - strlen(".sha256"));
	if (!g_file_test(bundle, G_FILE_TEST_EXISTS)) {
		x->ok = remove_file(side, x->err);
		x->r->orphans_removed++;
		if (x->ok)
			testhook_crash_point("recovery.orphan_removed");
	}
	g_free(bundle);
	g_free(side);
	return x->ok;
}

bool recovery_run(const char *store_dir, catalog *c, recovery_report *rep, GError **err)
{
	recovery_report r = { .unreadable = g_ptr_array_new_with_free_func(g_free),
	                      .rows_restored = g_ptr_array_new_with_free_func(g_free),
	                      .kept_unread = g_ptr_array_new_with_free_func(g_free) };
	/* First the log itself: a torn last line (audit_repair_tail: cut off
	 * and kept aside, or completed when only its newline is missing), so
	 * that every line after it, the repair's own first, chains on. */
	bool ok = audit_repair_tail(store_dir, &r.audit_tail, err) &&
	          (!r.audit_tail.bytes || record_tail_repair(store_dir, &r.audit_tail, err));
	replay_ctx ctx = { c, catalog_last_seq(c), 0, err };
	/* From the last line the catalog has: what is new, not the whole log. */
	off_t from = -1;
	if (ok && ctx.after > 0)
		ok = audit_find_back(store_dir, mirrored, &ctx, &from, err);
	ok = ok && audit_foreach_from(store_dir, from < 0 ? 0 : from, replay, &ctx, NULL, err);
	r.replayed = ctx.n;
	/* A listed bundle has nothing to repair (the replay above mirrored
	 * every line, so its last event is no disposal). */
	walk_ctx w = { store_dir, c, &r, err, ok, g_ptr_array_new_with_free_func(g_free),
		       g_ptr_array_new_with_free_func(g_free) };
	if (ok && (ok = catalog_read_begin(c, err))) {
		ok = store_each_folder(store_dir, NULL, note_folder, &w);
		ok = catalog_read_end(c, ok ? err : NULL) && ok;
	}
	for (guint i = 0; ok && i < w.unlisted->len; i++)
		ok = recover_bundle(g_ptr_array_index(w.unlisted, i), &w);
	for (guint i = 0; ok && i < w.orphans->len; i++)
		ok = remove_orphan(g_ptr_array_index(w.orphans, i), &w);
	g_ptr_array_unref(w.unlisted);
	g_ptr_array_unref(w.orphans);
	/* A disposal batch whose execution a crash cut short: finished, as
	 * the person who ran it asked (what is recorded done is skipped). */
	ok = ok && disposal_finish_executions(store_dir, c, &r.executions_finished, err);
	if (rep)
		*rep = r;
	else
		recovery_report_clear(&r);
	return ok;
}

catalog *recovery_reindex(const char *store_dir, GPtrArray *skipped, recovery_report *rep,
                          GError **err)
{
	catalog *cat = NULL;
	if (!catalog_rebuild(store_dir, skipped, err) || !(cat = catalog_open(store_dir, err)))
		return NULL;
	if (!recovery_run(store_dir, cat, rep, err)) {
		catalog_close(cat);
		return NULL;
	}
	return cat;
}
