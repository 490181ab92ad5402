/*
 * store/fixity.c — the nightly fixity run over the whole store.
 */
#include "store/fixity.h"
#include "store/audit.h"
#include "core/errors.h"
#include "core/json.h"
#include "store/store.h"
#include "core/testhook.h"

#include <string.h>

void fixity_result_clear(fixity_result *res)
{
	if (res->problems)
		g_ptr_array_unref(res->problems);
	memset(res, 0, sizeof *res);
}

/* The verification, as an audit entry: added to the batch, which
 * flush() appends to the log and then mirrors in the catalog. */
static void record(audit_batch *batch, const bag_report *r)
{
	json_writer *w = json_new(false);
	bag_problems_to_json(w, r->problems);
	char *problems = json_finish(w);
	audit_entry *e = audit_entry_new("verify");
	audit_entry_set(e, "id", r->id);
	audit_entry_set_bool(e, "valid", r->valid);
	audit_entry_set_json(e, "problems", problems);
	audit_batch_add(batch, e);
	g_free(problems);
}

/* The batch's lines: in the audit log (one write, one fsync) first, then
 * in the catalog (one transaction). A crash between the two leaves lines
 * that the next run's recovery mirrors; a crash before the fsync loses
 * the batch's records, not its chain (verification is repeatable). */
static bool flush(const char *store_dir, catalog *c, audit_batch *batch, GError **err)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = audit_batch_append(store_dir, batch, lines, err) &&
	          catalog_apply_events(c, lines, err);
	g_ptr_array_unref(lines);
	return ok;
}

/* A bundle on disk, with when it was last verified (NULL: never). */
typedef struct {
	char *rel;
	char *id;
	char *last;
} candidate;

static void candidate_free(gpointer p)
{
	candidate *k = p;
	g_free(k->rel);
	g_free(k->id);
	g_free(k->last);
	g_free(k);
}

/* Least recently verified first, never verified before all; then by path. */
static int by_last_verified(gconstpointer a, gconstpointer b)
{
	const candidate *x = *(candidate *const *)a, *y = *(candidate *const *)b;
	if (!x->last != !y->last)
		return x->last ? 1 : -1;
	int d = x->last ? strcmp(x->last, y->last) : 0;
	return d ? d : strcmp(x->rel, y->rel);
}

typedef struct {
	const char *store_dir;
	catalog *c;
	const fixity_opts *opts;
	GPtrArray *selected;       /* candidate*: the bundles of the chunk being verified */
	fixity_progress progress;
	void *arg;
	fixity_result *res;
	GError **err;
	bool ok;
	audit_batch *batch;        /* verifications not yet recorded */
	unsigned batch_max;
	GError *stuck;             /* bag_verify_each could not go on (apart from *err) */
	char *cutoff;              /* opts->stale_days as a time, or NULL */
} run_ctx;

/* The bundle_sha256 of the last ingest line of id, or NULL. */
static char *ingest_sha256(catalog *c, const char *id)
{
	char *line = catalog_last_event(c, id, "ingest", NULL, NULL);
	JsonObject *o = line ? json_read_object(line, -1, NULL) : NULL;
	char *sha = o ? g_strdup(json_get_string(o, "bundle_sha256")) : NULL;
	if (o)
		json_object_unref(o);
	g_free(line);
	return sha;
}

/* One bundle's report, in order: what only the store knows (sidecar,
 * name, catalog), then the record. */
static bool on_report(guint i, bag_report *r, void *arg)
{
	run_ctx *x = arg;
	const candidate *k = g_ptr_array_index(x->selected, i);
	char *abs = g_build_filename(x->store_dir, k->rel, NULL);
	char *side = g_strconcat(abs, ".sha256", NULL);
	char *base = g_path_get_basename(k->rel);
	char *sidecar = store_sidecar_sha256(abs);
	/* In the store a bundle must have its sidecar; bag_verify only
	 * checks one that is there. (One that reads is there.) */
	if (!sidecar && !g_file_test(side, G_FILE_TEST_EXISTS)) {
		char *name = g_path_get_basename(side);
		bag_add_problem(r->problems, name, "missing: the bundle's sha256sum sidecar");
		r->valid = false;
		g_free(name);
	}
	if (r->id && strcmp(r->id, k->id) != 0) {
		bag_add_problem(r->problems, base, "the file is named %s but holds bag %s", k->id, r->id);
		r->valid = false;
	}
	GError *e = NULL;
	catalog_bundle *b = catalog_get(x->c, k->id, &e);
	if (e) {
		g_propagate_error(x->err, e);
		x->ok = false;
	} else if (!b) {
		bag_add_problem(r->problems, "catalog.sqlite", "the catalog does not list this bundle");
		r->valid = false;
	} else if (sidecar && b->bundle_sha256 && strcmp(sidecar, b->bundle_sha256) != 0) {
		bag_add_problem(r->problems, "catalog.sqlite",
		            "the catalog records sha256 %s, the sidecar %s", b->bundle_sha256, sidecar);
		r->valid = false;
	}
	/* The SHA-256 the ingest recorded, in the audit log and so in the
	 * transparency log: a bundle replaced along with its sidecar and
	 * catalog row differs from it. */
	char *logged = sidecar ? ingest_sha256(x->c, k->id) : NULL;
	if (logged && strcmp(logged, sidecar) != 0) {
		bag_add_problem(r->problems, "audit.log",
		            "the ingest of %s records sha256 %s, the sidecar %s: not the bundle archived",
		            k->id, logged, sidecar);
		r->valid = false;
	}
	g_free(logged);
	catalog_bundle_free(b);
	x->res->verified++;
	x->res->failed += !r->valid;
	record(x->batch, r);
	/* Verified, its record not yet written: a crash here loses the
	 * records of the batch so far, and nothing else. */
	testhook_crash_point("fixity.verified");
	if (audit_batch_len(x->batch) >= x->batch_max)
		x->ok = flush(x->store_dir, x->c, x->batch, x->err);
	if (x->progress)
		x->progress(k->rel, r, x->arg);
	g_free(sidecar);
	g_free(base);
	g_free(side);
	g_free(abs);
	return x->ok;
}

/* Verify the chunk x->selected (then emptied): the bundles are handed to
 * bag_verify_each a chunk at a time, so that memory does not grow with
 * the store while the workers stay busy. */
static bool verify_chunk(run_ctx *x)
{
	guint n = x->selected->len;
	const char **paths = g_new0(const char *, n + 1);
	for (guint i = 0; i < n; i++)
		paths[i] = g_build_filename(x->store_dir,
		                            ((const candidate *)g_ptr_array_index(x->selected, i))->rel,
		                            NULL);
	if (x->ok && !x->stuck)
		bag_verify_each(paths, n, &x->opts->verify, x->opts->jobs, on_report, x, &x->stuck);
	for (guint i = 0; i < n; i++)
		g_free((char *)paths[i]);
	g_free(paths);
	g_ptr_array_set_size(x->selected, 0);
	return x->ok && !x->stuck;
}

#define FIXITY_CHUNK 256

/* A bundle file of the walk: verified in the next chunk, or (with
 * stale_days or limit) a candidate kept to be sorted. With a limit, the
 * candidates are cut back to the limit as they come (at most twice the
 * limit in memory). */
static bool on_file(const char *rel, void *arg)
{
	run_ctx *x = arg;
	char *base = g_path_get_basename(rel);
	candidate *k = g_new0(candidate, 1);
	k->rel = g_strdup(rel);
	k->id = g_strndup(base, strlen(base) - strlen(".tar.gz"));
	g_free(base);
	bool pick = x->opts->stale_days >= 0 || x->opts->limit > 0;
	if (!pick) {
		g_ptr_array_add(x->selected, k);
		return x->selected->len < FIXITY_CHUNK || verify_chunk(x);
	}
	GError *e = NULL;
	catalog_bundle *b = catalog_get(x->c, k->id, &e);
	if (e) {
		g_propagate_error(x->err, e);
		candidate_free(k);
		return x->ok = false;
	}
	k->last = b ? g_steal_pointer(&b->last_verified) : NULL;
	catalog_bundle_free(b);
	/* Verified at or after the cutoff: not due yet. Times are all
	 * "YYYY-MM-DDTHH:MM:SSZ", so strings compare as times. */
	if (x->cutoff && k->last && strcmp(k->last, x->cutoff) >= 0) {
		candidate_free(k);
		x->res->not_due++;
		return true;
	}
	g_ptr_array_add(x->selected, k);
	unsigned limit = x->opts->limit;
	if (limit > 0 && x->selected->len >= 2 * limit) {
		g_ptr_array_sort(x->selected, by_last_verified);
		x->res->not_due += x->selected->len - limit;
		g_ptr_array_set_size(x->selected, limit);
	}
	return true;
}

typedef struct {
	const char *store_dir;
	GPtrArray *problems;
} missing_ctx;

/* A bundle the catalog lists that is not on disk: lost. */
static bool on_row(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	const missing_ctx *m = arg;
	char *abs = g_build_filename(m->store_dir, b->path, NULL);
	if (!g_file_test(abs, G_FILE_TEST_EXISTS))
		bag_add_problem(m->problems, b->path,
		                "missing: the catalog lists bundle %s, which is not in the store, and "
		                "the audit log records no disposal of it",
		                b->id);
	g_free(abs);
	return true;
}

bool fixity_run(const char *store_dir, catalog *c, const fixity_opts *opts,
                fixity_progress progress, void *arg, fixity_result *res, GError **err)
{
	memset(res, 0, sizeof *res);
	res->problems = g_ptr_array_new_with_free_func(bag_problem_free);
	run_ctx x = { store_dir, c, opts, g_ptr_array_new_with_free_func(candidate_free),
		      progress, arg, res, err, true,
		      audit_batch_new(), opts->batch ? opts->batch : FIXITY_BATCH, NULL, NULL };
	if (opts->stale_days >= 0) {
		GDateTime *now = testhook_now_utc();
		GDateTime *then = g_date_time_add_days(now, -opts->stale_days);
		x.cutoff = g_date_time_format(then, "%Y-%m-%dT%H:%M:%SZ");
		g_date_time_unref(then);
		g_date_time_unref(now);
	}
	if (store_each_file(store_dir, ".tar.gz", on_file, &x) && x.selected->len) {
		if (opts->stale_days >= 0 || opts->limit > 0) {
			g_ptr_array_sort(x.selected, by_last_verified);
			if (opts->limit > 0 && x.selected->len > opts->limit) {
				res->not_due += x.selected->len - opts->limit;
				g_ptr_array_set_size(x.selected, opts->limit);
			}
		}
		verify_chunk(&x);
	}
	/* The last batch, and whatever was verified before a stop. */
	if (x.ok)
		x.ok = flush(store_dir, c, x.batch, err);
	/* The bundles could not all be verified: the run failed, whatever
	 * those that were verified showed. */
	if (x.stuck) {
		if (x.ok)
			g_propagate_error(err, x.stuck);
		else
			g_error_free(x.stuck);
		x.ok = false;
	}
	audit_batch_free(x.batch);
	bool ok = x.ok;
	g_free(x.cutoff);
	g_ptr_array_unref(x.selected);

	/* Rows the catalog had lost before this run's recovery put them back:
	 * the catalog did not agree with the store. */
	for (guint i = 0; opts->rows_restored && i < opts->rows_restored->len; i++)
		bag_add_problem(res->problems, "catalog.sqlite",
		            "no row for bundle %s, whose ingest the audit log records; restored "
		            "from the bundle",
		            (const char *)g_ptr_array_index(opts->rows_restored, i));

	/* Bundles the catalog lists that are not on disk: lost. */
	missing_ctx m = { store_dir, res->problems };
	ok = ok && catalog_each(c, on_row, &m, err);

	uint64_t bad = 0;
	char *why = NULL;
	if (ok && !audit_verify_chain(store_dir, &res->audit_lines, &bad, &why, err)) {
		if (why)
			bag_add_problem(res->problems, "audit.log", "%s", why);
		else
			ok = false;
	}
	g_free(why);
	return ok;
}
