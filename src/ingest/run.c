/*
 * ingest/run.c — the run: releases prepared side by side in release
 * workers (a worker_pool of core/worker.h, each with a PDF worker of its
 * own), committed by this process one by one in input order (ingest.c,
 * "preparing a release"), so that the store changes exactly as in a run of
 * one release at a time.
 */
#include "prepared.h"
#include "core/errors.h"
#include "core/testhook.h"
#include "release/bundle_id.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>

/* A prepared release on the worker wire (core/worker.h): all that commit
 * and the output read of it. */
static GBytes *prepared_pack(const prepared *p)
{
	const release_record *r = p->record;
	GVariantDict *d = g_variant_dict_new(NULL);
	g_variant_dict_insert(d, "kind", "i", (gint32)p->kind);
	worker_dict_put(d, "work", p->work);
	worker_dict_put(d, "bundle", p->bundle);
	worker_dict_put(d, "bundle_sha256", p->bundle ? p->bundle_sha256 : NULL);
	worker_dict_put(d, "tagmanifest_sha256", p->bundle ? p->tagmanifest_sha256 : NULL);
	g_variant_dict_insert(d, "bundle_size", "x", (gint64)p->bundle_size);
	worker_dict_put(d, "release_json", p->release_json);
	worker_dict_put(d, "reason_json", p->reason_json);
	worker_dict_put(d, "existing", p->existing);
	worker_dict_put(d, "id", r->id);
	worker_dict_put(d, "title", r->title);
	worker_dict_put(d, "content_sha256", r->content_sha256);
	GVariantBuilder checks;
	g_variant_builder_init(&checks, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < r->checks->items->len; i++) {
		const check_result *c = g_ptr_array_index(r->checks->items, i);
		GVariantDict *cd = g_variant_dict_new(NULL);
		worker_dict_put(cd, "id", c->id);
		g_variant_dict_insert(cd, "level", "i", (gint32)c->level);
		g_variant_dict_insert(cd, "passed", "b", c->passed);
		worker_dict_put(cd, "file", c->file);
		worker_dict_put(cd, "message", c->message);
		g_variant_builder_add_value(&checks, g_variant_dict_end(cd));
		g_variant_dict_unref(cd);
	}
	g_variant_dict_insert_value(d, "checks", g_variant_builder_end(&checks));
	GBytes *b = worker_dict_pack(d);
	g_variant_dict_unref(d);
	return b;
}

/*
 * The paths a worker sent back, before the parent acts on them: it
 * removes the work folder and links the bundle into the store, and the
 * worker parsed hostile bytes in-process. The work folder must be one the
 * store made under tmp/ (else it is dropped from p, never removed) and
 * the bundle the file of that name in it; the ids name files in the store.
 */
static bool prepared_paths_ours(const ingester *g, prepared *p, GError **err)
{
	bool ok = false;
	char *want = NULL;
	struct stat st;
	if (p->work && !store_check_tmpdir(g->store, p->work, err)) {
		g_prefix_error(err, "release worker sent a bad work folder: ");
		g_clear_pointer(&p->work, g_free);
		goto out;
	}
	if (p->bundle) {
		want = p->work ? g_build_filename(p->work, PREP_BUNDLE_FILE, NULL) : NULL;
		if (!want || strcmp(p->bundle, want) != 0 || lstat(p->bundle, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
			            "release worker sent a bad bundle: %s: not the bundle of its work "
			            "folder (%s)",
			            p->bundle, want ? want : "none");
			goto out;
		}
	}
	if ((p->kind == PREP_BUNDLE && p->record->id && !bundle_id_valid(p->record->id)) ||
	    (p->existing && !bundle_id_valid(p->existing))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "release worker sent a bad bundle id: %s",
		            p->kind == PREP_BUNDLE ? p->record->id : p->existing);
		goto out;
	}
	ok = true;
out:
	g_free(want);
	return ok;
}

static bool prepared_unpack(const ingester *g, GVariantDict *d, prepared *p, GError **err)
{
	memset(p, 0, sizeof *p);
	release_record *r = p->record = release_record_new();
	gint32 kind = -1;
	gint64 size = 0;
	g_variant_dict_lookup(d, "kind", "i", &kind);
	p->kind = (prep_kind)kind;
	p->work = worker_dict_take(d, "work");
	p->bundle = worker_dict_take(d, "bundle");
	char *hex = worker_dict_take(d, "bundle_sha256");
	if (hex)
		g_strlcpy(p->bundle_sha256, hex, sizeof p->bundle_sha256);
	g_free(hex);
	if ((hex = worker_dict_take(d, "tagmanifest_sha256")))
		g_strlcpy(p->tagmanifest_sha256, hex, sizeof p->tagmanifest_sha256);
	g_free(hex);
	if (g_variant_dict_lookup(d, "bundle_size", "x", &size))
		p->bundle_size = size;
	p->release_json = worker_dict_take(d, "release_json");
	p->reason_json = worker_dict_take(d, "reason_json");
	p->existing = worker_dict_take(d, "existing");
	r->id = worker_dict_take(d, "id");
	r->title = worker_dict_take(d, "title");
	r->content_sha256 = worker_dict_take(d, "content_sha256");
	GVariant *checks = g_variant_dict_lookup_value(d, "checks", G_VARIANT_TYPE("aa{sv}"));
	GVariantIter it;
	GVariant *cv;
	if (checks)
		g_variant_iter_init(&it, checks);
	while (checks && (cv = g_variant_iter_next_value(&it))) {
		GVariantDict *cd = g_variant_dict_new(cv);
		char *id = worker_dict_take(cd, "id"), *file = worker_dict_take(cd, "file"),
		     *msg = worker_dict_take(cd, "message");
		gint32 level = 0;
		gboolean passed = FALSE;
		g_variant_dict_lookup(cd, "level", "i", &level);
		g_variant_dict_lookup(cd, "passed", "b", &passed);
		if (id && msg)
			check_add(r->checks, id,
			          level == CHECK_LEVEL_ERROR ? CHECK_LEVEL_ERROR : CHECK_LEVEL_WARNING,
			          passed, file, "%s", msg);
		g_free(id);
		g_free(file);
		g_free(msg);
		g_variant_dict_unref(cd);
		g_variant_unref(cv);
	}
	if (checks)
		g_variant_unref(checks);
	if (!prepared_paths_ours(g, p, err))
		return false;
	/* Our own child wrote it; still, never act on half a result. */
	bool quarantined = kind == PREP_QUARANTINE || kind == PREP_DRY_QUARANTINE;
	/* A release with an unreadable file is quarantined before it has an id. */
	bool complete = kind >= PREP_BUNDLE && kind <= PREP_DRY_QUARANTINE && p->work &&
	                (quarantined || (r->id && r->content_sha256)) &&
	                (kind != PREP_BUNDLE || (p->bundle && p->release_json)) &&
	                (kind != PREP_QUARANTINE || p->reason_json);
	if (!complete)
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "release worker sent an incomplete result");
	return complete;
}

/* ---- the run: releases side by side, committed in input order ---- */

typedef struct {
	ingester *g;
	GPtrArray *releases; /* release_input* */
} release_pool_arg;

/* In a release worker: prepare release number *request, and hand its work
 * folder over to the parent (which removes it when done with it). */
static GBytes *release_job(void *arg, GBytes *request, GError **err)
{
	release_pool_arg *a = arg;
	guint32 i;
	if (g_bytes_get_size(request) != sizeof i) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "release worker: a malformed request");
		return NULL;
	}
	memcpy(&i, g_bytes_get_data(request, NULL), sizeof i);
	prepared p;
	if (i >= a->releases->len || !ingest_prepare(a->g, g_ptr_array_index(a->releases, i), &p, err))
		return NULL;
	const char *fake_work = testhook_release_path("work"),
	           *fake_bundle = testhook_release_path("bundle");
	if (fake_work) {
		g_free(p.work);
		p.work = g_strdup(fake_work);
	}
	if (fake_bundle && p.bundle) {
		g_free(p.bundle);
		p.bundle = g_strdup(fake_bundle);
	}
	GBytes *b = prepared_pack(&p);
	g_clear_pointer(&p.work, g_free); /* the parent's now: not removed here */
	prepared_clear(&p);
	return b;
}

typedef struct {
	worker_job *job; /* running, or NULL */
	bool done;       /* p (or err) holds its result */
	prepared p;
	GError *err;
} slot;

static void finish_slot(const ingester *g, slot *t)
{
	GVariantDict *d = NULL;
	GError *e = NULL;
	if (worker_finish(t->job, &d, &e))
		prepared_unpack(g, d, &t->p, &e);
	else if (e && e->code != ARC_ERROR_STORE)
		g_prefix_error(&e, "release worker: "); /* "worker killed by signal 11" */
	t->err = e;
	if (d)
		g_variant_dict_unref(d);
	t->job = NULL;
	t->done = true;
}

bool ingest_run(ingester *g, GPtrArray *releases, unsigned jobs, const ingest_callbacks *cb,
                GError **err)
{
	guint n = releases->len;
	if (jobs <= 1 || n <= 1) {
		for (guint i = 0; i < n; i++) {
			const release_input *in = g_ptr_array_index(releases, i);
			ingest_result res;
			if (cb->started)
				cb->started(in, cb->user);
			if (!ingest_release(g, in, &res, err)) {
				g_prefix_error(err, "%s: ", in->source);
				ingest_result_clear(&res);
				return false;
			}
			cb->done(in, &res, cb->user);
			ingest_result_clear(&res);
		}
		return true;
	}

	/* The release workers need no limits of their own: what parses
	 * hostile bytes (poppler) runs in their PDF workers, with theirs.
	 * Each prepares release after release (a fork per worker, not per
	 * release) with the next one queued, so that none waits while the
	 * parent commits. */
	static const worker_limits none = { 0, 0, 0, 0 };
	if (!ingest_snapshot_known(g, err))
		return false;
	release_pool_arg pool_arg = { g, releases };
	worker_pool *pool = worker_pool_new(&none, jobs, 2, 0, release_job, &pool_arg);
	/* At most this many releases are prepared ahead of the one to commit:
	 * results and finished bundles in tmp/ wait only that long, so memory
	 * and tmp/ stay bounded however many releases the run has. */
	guint window = jobs * 4;
	slot *slots = g_new0(slot, window);
	struct pollfd *pfds = g_new0(struct pollfd, window);
	guint *which = g_new0(guint, window);
	guint next = 0, started = 0, running = 0;
	bool ok = true, stop = false;

	while (ok && next < n) {
		while (!stop && running < 2 * jobs && started < n && started - next < window) {
			slot *t = &slots[started % window];
			guint32 idx = started;
			GBytes *req = g_bytes_new(&idx, sizeof idx);
			if (cb->started)
				cb->started(g_ptr_array_index(releases, started), cb->user);
			if ((t->job = worker_pool_submit(pool, req, &t->err)))
				running++;
			else
				t->done = stop = true;
			g_bytes_unref(req);
			started++;
		}
		slot *t = &slots[next % window];
		if (t->done) {
			const release_input *in = g_ptr_array_index(releases, next);
			ingest_result res;
			t->done = false;
			next++;
			if (t->err) {
				g_propagate_prefixed_error(err, g_steal_pointer(&t->err), "%s: ", in->source);
				prepared_clear(&t->p);
				ok = false;
			} else if (!ingest_commit(g, in, &t->p, &res, err)) {
				g_prefix_error(err, "%s: ", in->source);
				ingest_result_clear(&res);
				ok = false;
			} else {
				cb->done(in, &res, cb->user);
				ingest_result_clear(&res);
			}
			continue;
		}
		/* Wait until some child is done. */
		guint np = 0;
		for (guint i = next; i < started; i++) {
			slot *u = &slots[i % window];
			if (!u->job)
				continue;
			pfds[np] = (struct pollfd){ .fd = worker_job_fd(u->job), .events = POLLIN };
			which[np++] = i % window;
		}
		if (np == 0) { /* cannot happen: the next release is running or done */
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "ingest: no release in progress");
			ok = false;
			break;
		}
		/* A job whose worker could not be replaced has no socket (fd
		 * -1, which poll skips): it is done at once. */
		int wait_ms = -1;
		for (guint k = 0; k < np; k++)
			if (pfds[k].fd < 0)
				wait_ms = 0;
		if (poll(pfds, np, wait_ms) < 0 && errno != EINTR) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, "poll");
			ok = false;
			break;
		}
		for (guint k = 0; k < np; k++) {
			slot *u = &slots[which[k]];
			if ((pfds[k].revents || pfds[k].fd < 0) && worker_job_read(u->job)) {
				finish_slot(g, u);
				running--;
				if (u->err)
					stop = true; /* no new releases; the ones before it still commit */
			}
		}
	}
	/* After a failure: the children still running finish (their PDF
	 * workers have deadlines), and what they made is removed. */
	for (guint i = next; i < started; i++) {
		slot *u = &slots[i % window];
		if (u->job)
			finish_slot(g, u);
		prepared_clear(&u->p);
		g_clear_error(&u->err);
	}
	worker_pool_free(pool);
	g_free(which);
	g_free(pfds);
	g_free(slots);
	ingest_forget_known(g);
	return ok;
}
