/*
 * store/disposal.c — disposal batches: propose, review, execute.
 */
#include "store/disposal.h"
#include "store/audit.h"
#include "store/retention.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/testhook.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* Write e to the audit log, then mirror it in the catalog; frees e. */
static bool record(const char *store_dir, catalog *c, audit_entry *e, GError **err)
{
	char *line = NULL;
	bool ok = audit_append(store_dir, e, &line, err) && catalog_apply_event(c, line, err);
	audit_entry_free(e);
	g_free(line);
	return ok;
}

static bool input_error(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool input_error(GError **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, ARC_ERROR, ARC_ERROR_INPUT, m);
	g_free(m);
	return false;
}

/* DAY-N: the day the batch judged by, and one more than the batches of
 * that day so far. */
static char *new_batch_id(catalog *c, const char *day, GError **err)
{
	GPtrArray *all = catalog_batches(c, err);
	if (!all)
		return NULL;
	unsigned n = 0;
	for (guint i = 0; i < all->len; i++) {
		const catalog_batch *b = g_ptr_array_index(all, i);
		n += g_str_has_prefix(b->id, day) && b->id[10] == '-';
	}
	g_ptr_array_unref(all);
	return g_strdup_printf("%s-%u", day, n + 1);
}

/* One item of a proposal line, as JSON. */
static char *item_json(const catalog_bundle *b)
{
	json_writer *w = json_new(false);
	json_begin_object(w);
	json_kv_string(w, "id", b->id);
	json_kv_string(w, "title", b->title);
	json_kv_string(w, "retention", b->retention);
	json_kv_string(w, "retention_start", b->retention_start);
	json_kv_string(w, "disposal_date", b->disposal_date);
	json_kv_string(w, "bundle_sha256", b->bundle_sha256);
	json_end_object(w);
	return json_finish(w);
}

/* Freeze items (JSON objects) into a new batch: one audit line, so the
 * batch is frozen whole or not at all. */
static bool freeze(const char *store_dir, catalog *c, const char *day, GPtrArray *items,
                   GPtrArray *batches, GError **err)
{
	char *id = new_batch_id(c, day, err);
	if (!id)
		return false;
	GString *json = g_string_new("[");
	for (guint i = 0; i < items->len; i++)
		g_string_append_printf(json, "%s%s", i ? "," : "", (char *)g_ptr_array_index(items, i));
	g_string_append_c(json, ']');
	audit_entry *e = audit_entry_new("disposal-proposed");
	audit_entry_set(e, "batch", id);
	audit_entry_set(e, "now", day);
	audit_entry_set_int(e, "count", items->len);
	audit_entry_set_json(e, "items", json->str);
	g_string_free(json, TRUE);
	if (!record(store_dir, c, e, err)) {
		g_free(id);
		return false;
	}
	testhook_crash_point("disposal.proposed");
	g_ptr_array_add(batches, id);
	return true;
}

typedef struct {
	const char *store_dir, *day;
	catalog *c;
	GPtrArray *batches;
	GPtrArray *items; /* the next batch's, as JSON */
	uint64_t size, max;
} propose_ctx;

/* A due bundle: into the next batch, which is frozen first when this one
 * would make its line too long. */
static bool propose_one(catalog_bundle *b, void *arg, GError **err)
{
	propose_ctx *x = arg;
	char *j = item_json(b);
	bool ok = true;
	if (x->items->len && x->size + strlen(j) + 1 > x->max) {
		ok = freeze(x->store_dir, x->c, x->day, x->items, x->batches, err);
		g_ptr_array_set_size(x->items, 0);
		x->size = 0;
	}
	x->size += strlen(j) + 1;
	g_ptr_array_add(x->items, j);
	return ok;
}

bool disposal_propose(const char *store_dir, catalog *c, const char *day, GPtrArray *batches,
                      GError **err)
{
	/* Each batch's line stays within what the transparency log takes as
	 * one entry (log/tiles.h): more due than fits make more batches. The
	 * due bundles come a chunk at a time, so memory holds one batch. */
	propose_ctx x = { store_dir, day, c, batches, g_ptr_array_new_with_free_func(g_free), 0,
		          testhook_line_max(DISPOSAL_LINE_MAX) };
	bool ok = catalog_each_due_fixed(c, day, propose_one, &x, err);
	if (ok && x.items->len)
		ok = freeze(store_dir, c, day, x.items, batches, err);
	g_ptr_array_unref(x.items);
	return ok;
}

/* The open batch id, or ARC_ERROR_INPUT saying why it is not one. */
static catalog_batch *open_batch(catalog *c, const char *id, GError **err)
{
	GError *e = NULL;
	catalog_batch *b = catalog_batch_get(c, id, &e);
	if (e) {
		g_propagate_error(err, e);
		return NULL;
	}
	if (!b) {
		input_error(err, "%s: no such disposal batch", id);
		return NULL;
	}
	if (strcmp(b->state, "open") != 0) {
		input_error(err, "%s: %s on %s; its decisions are final", id,
		            strcmp(b->state, "executed") == 0 ? "executed" : "being executed",
		            b->executed_at ? b->executed_at : b->proposed_at);
		catalog_batch_free(b);
		return NULL;
	}
	return b;
}

/* What d makes of item's schedule: the period, its start and the
 * disposal date after the decision. ARC_ERROR_INPUT when the result would
 * not be after the batch's day. */
static bool decided_schedule(const catalog_batch *b, const catalog_batch_item *it,
                             const disposal_decision *d, char period[64],
                             char date[RETENTION_DATE_MAX], GError **err)
{
	g_strlcpy(period, it->retention ? it->retention : "", 64);
	g_strlcpy(date, it->disposal_date ? it->disposal_date : "", RETENTION_DATE_MAX);
	if (strcmp(d->kind, "reset") == 0) {
		retention_period p;
		if (!retention_parse(d->value, &p) || !it->retention_start ||
		    !retention_disposal_date(it->retention_start, &p, date))
			return input_error(err, "%s: reset=%s: not a period for a start of %s", it->id,
			                   d->value, it->retention_start ? it->retention_start : "?");
		g_strlcpy(period, d->value, 64);
		if (p.kind == RETENTION_TERM && strcmp(date, b->day) <= 0)
			return input_error(err,
			                   "%s: reset=%s from %s ends on %s, not after the batch's day %s:"
			                   " it would be due again at once",
			                   it->id, d->value, it->retention_start, date, b->day);
	} else if (strcmp(d->kind, "defer") == 0) {
		if (strcmp(d->value, b->day) <= 0)
			return input_error(err, "%s: defer=%s is not after the batch's day %s", it->id,
			                   d->value, b->day);
		g_strlcpy(date, d->value, RETENTION_DATE_MAX);
	}
	return true;
}

static const catalog_batch_item *find_item(GPtrArray *items, const char *id)
{
	for (guint i = 0; i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		if (strcmp(it->id, id) == 0)
			return it;
	}
	return NULL;
}

bool disposal_review(const char *store_dir, catalog *c, const char *batch, char *const *ids,
                     guint n, const disposal_decision *d, guint *count, GError **err)
{
	*count = 0;
	catalog_batch *b = open_batch(c, batch, err);
	if (!b)
		return false;
	bool ok = false;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *chosen = g_ptr_array_new();
	audit_batch *ab = audit_batch_new();
	GPtrArray *items = catalog_batch_items(c, batch, err);
	if (!items)
		goto out;
	for (guint i = 0; i < n; i++) {
		const catalog_batch_item *it = find_item(items, ids[i]);
		if (!it) {
			input_error(err, "%s: not in batch %s", ids[i], batch);
			goto out;
		}
		if (it->decision) {
			input_error(err, "%s: already decided in batch %s: %s%s%s by %s on %s", it->id,
			            batch, it->decision, it->value ? "=" : "", it->value ? it->value : "",
			            it->decided_by, it->decided_at);
			goto out;
		}
		if (!g_ptr_array_find(chosen, it, NULL))
			g_ptr_array_add(chosen, (gpointer)it);
	}
	for (guint i = 0; n == 0 && i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		if (!it->decision)
			g_ptr_array_add(chosen, (gpointer)it);
	}
	if (!chosen->len) {
		input_error(err, "%s: every item is decided already", batch);
		goto out;
	}
	for (guint i = 0; i < chosen->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(chosen, i);
		char period[64], date[RETENTION_DATE_MAX];
		if (!decided_schedule(b, it, d, period, date, err))
			goto out;
		audit_entry *e = audit_entry_new("disposal-decision");
		audit_entry_set(e, "id", it->id);
		audit_entry_set(e, "batch", batch);
		audit_entry_set(e, "decision", d->kind);
		audit_entry_set(e, "value", d->value);
		audit_entry_set(e, "by", d->by);
		audit_entry_set(e, "reason", d->reason);
		audit_entry_set(e, "meeting", d->meeting);
		/* The schedule the decision leaves. */
		audit_entry_set(e, "retention", period);
		audit_entry_set(e, "retention_start", it->retention_start);
		audit_entry_set(e, "disposal_date", date);
		audit_batch_add(ab, e);
	}
	/* One write: a crash keeps all the decisions, or the first ones whole
	 * (the rest are still undecided and can be reviewed again). */
	ok = audit_batch_append(store_dir, ab, lines, err);
	if (ok)
		testhook_crash_point("disposal.decided");
	ok = ok && catalog_apply_events(c, lines, err);
	if (ok)
		*count = chosen->len;
out:
	audit_batch_free(ab);
	g_ptr_array_unref(chosen);
	g_ptr_array_unref(lines);
	if (items)
		g_ptr_array_unref(items);
	catalog_batch_free(b);
	return ok;
}

static bool unlink_present(const char *path, GError **err)
{
	if (unlink(path) != 0 && errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	return true;
}

static bool fsync_dir(const char *dir, GError **err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dir);
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	return true;
}

/* Keep it: record why (a hold, a changed or missing bundle). */
static bool keep(const char *store_dir, catalog *c, const catalog_batch_item *it, const char *why,
                 const char *detail, GError **err)
{
	audit_entry *e = audit_entry_new("disposal-kept");
	audit_entry_set(e, "id", it->id);
	audit_entry_set(e, "batch", it->batch);
	audit_entry_set(e, "why", why);
	audit_entry_set(e, "detail", detail);
	bool ok = record(store_dir, c, e, err);
	if (ok)
		testhook_crash_point("disposal.kept");
	return ok;
}

/*
 * Destroy the bundle of a destroy item: its disposal record first (a
 * crash after it leaves a deletion that recovery finishes, never a
 * deletion nobody recorded), then the bundle, the sidecar, the folder
 * flushed.
 */
static bool destroy(const char *store_dir, catalog *c, const catalog_batch_item *it,
                    const catalog_bundle *b, const char *day, GError **err)
{
	char *abs = g_build_filename(store_dir, b->path, NULL);
	char *side = g_strconcat(abs, ".sha256", NULL);
	char *dir = g_path_get_dirname(abs);
	audit_entry *e = audit_entry_new("dispose");
	audit_entry_set(e, "id", it->id);
	audit_entry_set(e, "title", it->title);
	audit_entry_set(e, "bundle_sha256", it->bundle_sha256);
	audit_entry_set(e, "retention", it->retention);
	audit_entry_set(e, "retention_start", it->retention_start);
	audit_entry_set(e, "release_date", b->release_date);
	audit_entry_set(e, "disposal_date", it->disposal_date);
	audit_entry_set(e, "batch", it->batch);
	audit_entry_set(e, "decision", it->decision);
	audit_entry_set(e, "decided_by", it->decided_by);
	audit_entry_set(e, "meeting", it->meeting);
	audit_entry_set(e, "reason", it->reason);
	audit_entry_set(e, "decided_user", it->decided_user);
	audit_entry_set(e, "decided_at", it->decided_at);
	audit_entry_set(e, "disposed_on", day);
	audit_entry_set(e, "path", b->path);
	char *line = NULL;
	bool ok = audit_append(store_dir, e, &line, err);
	audit_entry_free(e);
	if (ok)
		testhook_crash_point("dispose.recorded");
	ok = ok && unlink_present(abs, err);
	if (ok)
		testhook_crash_point("dispose.bundle_unlinked");
	ok = ok && unlink_present(side, err);
	if (ok)
		testhook_crash_point("dispose.sidecar_unlinked");
	ok = ok && fsync_dir(dir, err);
	if (ok)
		testhook_crash_point("dispose.dir_fsynced");
	ok = ok && catalog_apply_event(c, line, err);
	if (ok)
		testhook_crash_point("dispose.catalog");
	g_free(line);
	g_free(dir);
	g_free(side);
	g_free(abs);
	return ok;
}

/* Carry out one item decided destroy and not yet done. */
static bool execute_item(const char *store_dir, catalog *c, const catalog_batch_item *it,
                         const char *day, GError **err)
{
	GError *e = NULL;
	catalog_bundle *b = catalog_get(c, it->id, &e);
	if (e) {
		g_propagate_error(err, e);
		return false;
	}
	bool ok;
	if (!b) {
		ok = keep(store_dir, c, it, "missing", "the bundle is not in the catalog", err);
	} else if (b->hold_reason) {
		char *detail = g_strdup_printf("%s%s%s", b->hold_reason, b->hold_by ? "; by " : "",
		                               b->hold_by ? b->hold_by : "");
		ok = keep(store_dir, c, it, "hold", detail, err);
		g_free(detail);
	} else {
		char *abs = g_build_filename(store_dir, b->path, NULL);
		char sha[65];
		GError *he = NULL;
		if (!hash_file_sha256(abs, sha, NULL, &he)) {
			bool gone = !g_file_test(abs, G_FILE_TEST_EXISTS);
			/* Unread is not proof of anything: kept, to be verified. */
			ok = keep(store_dir, c, it, gone ? "missing" : "unreadable", he->message, err);
			g_error_free(he);
		} else if (g_strcmp0(sha, it->bundle_sha256) != 0) {
			char *detail = g_strdup_printf("its SHA-256 is now %s, not the frozen %s", sha,
			                               it->bundle_sha256 ? it->bundle_sha256 : "(none)");
			ok = keep(store_dir, c, it, "changed", detail, err);
			g_free(detail);
		} else {
			ok = destroy(store_dir, c, it, b, day, err);
		}
		g_free(abs);
	}
	catalog_bundle_free(b);
	return ok;
}

static void today(char day[11])
{
	GDateTime *now = testhook_now_utc();
	char *s = g_date_time_format(now, "%Y-%m-%d");
	g_strlcpy(day, s, 11);
	g_free(s);
	g_date_time_unref(now);
}

bool disposal_execute(const char *store_dir, catalog *c, const char *batch, GError **err)
{
	GError *e = NULL;
	catalog_batch *b = catalog_batch_get(c, batch, &e);
	if (!b) {
		if (e)
			g_propagate_error(err, e);
		else
			input_error(err, "%s: no such disposal batch", batch);
		return false;
	}
	bool ok = false;
	GPtrArray *items = NULL;
	if (strcmp(b->state, "executed") == 0) {
		input_error(err, "%s: executed already, on %s", batch, b->executed_at);
		goto out;
	}
	if (b->decided < b->items) {
		input_error(err, "%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
		            " items have no decision yet: review them first",
		            batch, b->items - b->decided, b->items);
		goto out;
	}
	if (strcmp(b->state, "open") == 0) {
		audit_entry *x = audit_entry_new("disposal-execute");
		audit_entry_set(x, "batch", batch);
		if (!record(store_dir, c, x, err))
			goto out;
		testhook_crash_point("disposal.execute_begun");
	}
	if (!(items = catalog_batch_items(c, batch, err)))
		goto out;
	char day[11];
	today(day);
	unsigned destroyed = 0, kept = 0;
	ok = true;
	for (guint i = 0; ok && i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		/* Done before a crash: never twice. */
		if (strcmp(it->decision, "destroy") != 0 || it->outcome)
			continue;
		ok = execute_item(store_dir, c, it, day, err);
	}
	g_ptr_array_unref(items);
	if (ok && (items = catalog_batch_items(c, batch, err))) {
		for (guint i = 0; i < items->len; i++) {
			const catalog_batch_item *it = g_ptr_array_index(items, i);
			destroyed += g_strcmp0(it->outcome, "destroyed") == 0;
			kept += it->outcome && g_str_has_prefix(it->outcome, "kept-");
		}
		audit_entry *x = audit_entry_new("disposal-executed");
		audit_entry_set(x, "batch", batch);
		audit_entry_set_int(x, "destroyed", destroyed);
		audit_entry_set_int(x, "kept", kept);
		ok = record(store_dir, c, x, err);
		if (ok)
			testhook_crash_point("disposal.executed");
	} else {
		ok = false;
		items = NULL;
	}
out:
	if (items)
		g_ptr_array_unref(items);
	catalog_batch_free(b);
	return ok;
}

/* Decide destroy on what is undecided in batch, and execute it. */
static bool apply_batch(const char *store_dir, catalog *c, const catalog_batch *b, GError **err)
{
	disposal_decision d = { "destroy", NULL, audit_user(),
		                "by schedule: archive.conf [disposal] review = none", NULL };
	guint n;
	if (strcmp(b->state, "open") == 0 && b->decided < b->items &&
	    !disposal_review(store_dir, c, b->id, NULL, 0, &d, &n, err))
		return false;
	return disposal_execute(store_dir, c, b->id, err);
}

bool disposal_apply(const char *store_dir, catalog *c, const char *day, GPtrArray *batches,
                    GError **err)
{
	/* First the batches an earlier run left open (it was cut short, or
	 * someone proposed one): with no review, nothing waits for one. */
	GPtrArray *all = catalog_batches(c, err);
	bool ok = all != NULL;
	for (guint i = 0; ok && i < all->len; i++) {
		const catalog_batch *b = g_ptr_array_index(all, i);
		if (strcmp(b->state, "executed") != 0) {
			ok = apply_batch(store_dir, c, b, err);
			g_ptr_array_add(batches, g_strdup(b->id));
		}
	}
	if (all)
		g_ptr_array_unref(all);
	guint first = batches->len;
	ok = ok && disposal_propose(store_dir, c, day, batches, err);
	for (guint i = first; ok && i < batches->len; i++) {
		catalog_batch *b = catalog_batch_get(c, g_ptr_array_index(batches, i), err);
		ok = b && apply_batch(store_dir, c, b, err);
		catalog_batch_free(b);
	}
	return ok;
}

bool disposal_finish_executions(const char *store_dir, catalog *c, unsigned *finished,
                                GError **err)
{
	*finished = 0;
	GPtrArray *all = catalog_batches(c, err);
	if (!all)
		return false;
	bool ok = true;
	for (guint i = 0; ok && i < all->len; i++) {
		const catalog_batch *b = g_ptr_array_index(all, i);
		if (strcmp(b->state, "executing") != 0)
			continue;
		ok = disposal_execute(store_dir, c, b->id, err);
		*finished += ok;
	}
	g_ptr_array_unref(all);
	return ok;
}
