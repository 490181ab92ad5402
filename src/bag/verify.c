/*
 * bag/verify.c — check a BagIt bag in one streaming pass (vctx.h says which
 * file does what), and many bags at once in worker processes.
 *
 * Entries arrive one by one (from libarchive, or from a sorted walk of a
 * directory) and go through entry_begin/entry_data/entry_end. Each file is
 * hashed while it streams by and only its size and digests are kept; the
 * text of the tag files that must be parsed (bagit.txt, bag-info.txt, the
 * manifests) is kept until the end of the stream, where analyse() compares
 * everything. Memory therefore grows with the number of files, never with
 * their size.
 *
 * Which digests to compute for a file depends on the manifests seen before
 * it: a file that comes before any manifest of its kind gets all five (odd
 * orders are rare and the cost is bounded); after them, only the
 * algorithms those manifests use. Our own bundles put manifest-sha256.txt
 * before the payload, so the payload is hashed with sha256 alone.
 */
#include "vctx.h"
#include "core/errors.h"
#include "core/testhook.h"
#include "core/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

char *bag_default_id(const char *path)
{
	char *base = g_path_get_basename(path);
	static const char *const ext[] = { ".tar.gz", ".tgz", ".tar", ".zip" };
	for (size_t i = 0; i < G_N_ELEMENTS(ext); i++)
		if (g_str_has_suffix(base, ext[i]) && strlen(base) > strlen(ext[i])) {
			base[strlen(base) - strlen(ext[i])] = '\0';
			break;
		}
	return base;
}

bag_report *bag_verify(const char *path, const bag_verify_opts *opts)
{
	bag_report *r = bag_report_new(path);
	vctx v = { .path = path, .fast = opts && opts->fast, .r = r, .fd = -1 };
	char *sidecar = NULL;
	struct stat st;

	v.files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, bag_file_rec_free);
	v.order = g_ptr_array_new();
	v.manifests = g_ptr_array_new_with_free_func(bag_manifest_free);
	v.tag_texts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, bag_gstring_free);
	v.tolerated = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	v.buf = g_malloc(CHUNK);

	if (stat(path, &st) != 0) {
		PROBLEM(&v, path, "%s", g_strerror(errno));
		r->id = bag_default_id(path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r->id = g_path_get_basename(path);
		bag_read_dir(&v);
		bag_verdict(&v);
		goto out;
	}
	v.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (v.fd < 0) {
		PROBLEM(&v, path, "%s", g_strerror(errno));
		r->id = bag_default_id(path);
		goto out;
	}
	/* Any serialisation may have its sha256sum sidecar, not only our
	 * .tar.gz (SPEC: "verify FILE also checks FILE.sha256"): a .tar or a
	 * .zip bag published with one is held to it too. */
	sidecar = g_strconcat(path, ".sha256", NULL);
	if (g_file_test(sidecar, G_FILE_TEST_EXISTS))
		v.raw_h = hash_new(HASH_MASK(HASH_SHA256));
	bag_read_archive(&v);
	r->id = v.top ? g_strdup(v.top) : bag_default_id(path);
	bag_verdict(&v);
	if (v.raw_h) {
		/* libarchive stops at the end-of-archive marker; the sidecar
		 * covers the whole file, so hash what it left unread. */
		for (;;) {
			ssize_t n = read(v.fd, v.buf, CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			hash_update(v.raw_h, v.buf, (size_t)n);
		}
		bag_verdict_sidecar(&v, sidecar);
	}
out:
	r->valid = r->problems->len == 0;
	if (v.cur_rec) /* never left set, but keep the cleanup total */
		bag_file_rec_free(v.cur_rec);
	bag_entry_reset(&v);
	if (v.fd >= 0)
		close(v.fd);
	hash_free(v.raw_h);
	g_free(sidecar);
	g_free(v.top);
	g_ptr_array_unref(v.order);
	g_hash_table_unref(v.files);
	g_ptr_array_unref(v.manifests);
	g_hash_table_unref(v.tag_texts);
	g_hash_table_unref(v.tolerated);
	g_free(v.z_error);
	g_free(v.buf);
	return r;
}

/* ---- several bags at once ----------------------------------------------- */

/* A report crosses the pipe from a child as a serialised GVariant. */
#define REPORT_TYPE "(ssbbtta(ss)a(ss))"

static GVariant *problems_variant(const GPtrArray *list)
{
	GVariantBuilder b;
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ss)"));
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		g_variant_builder_add(&b, "(ss)", p->file ? p->file : "", p->reason ? p->reason : "");
	}
	return g_variant_builder_end(&b);
}

static GBytes *report_pack(const bag_report *r)
{
	GVariant *v = g_variant_ref_sink(g_variant_new(
		"(ssbbtt@a(ss)@a(ss))", r->path, r->id ? r->id : "", r->valid, r->ours,
		(guint64)r->payload_bytes, (guint64)r->payload_files, problems_variant(r->problems),
		problems_variant(r->warnings)));
	GBytes *b = g_variant_get_data_as_bytes(v);
	g_variant_unref(v);
	return b;
}

static void problems_unpack(GVariant *a, GPtrArray *list)
{
	GVariantIter it;
	const char *file, *reason;
	g_variant_iter_init(&it, a);
	while (g_variant_iter_next(&it, "(&s&s)", &file, &reason))
		bag_add_problem(list, file, "%s", reason);
}

/* NULL when the bytes are not a whole report (the child died mid-write). */
static bag_report *report_unpack(const char *path, GBytes *bytes)
{
	GVariant *v = g_variant_ref_sink(
		g_variant_new_from_bytes(G_VARIANT_TYPE(REPORT_TYPE), bytes, FALSE));
	if (g_bytes_get_size(bytes) == 0 || !g_variant_is_normal_form(v)) {
		g_variant_unref(v);
		return NULL;
	}
	const char *p, *id;
	gboolean valid, ours;
	guint64 bytes_n, files_n;
	GVariant *probs, *warns;
	g_variant_get(v, "(&s&sbbtt@a(ss)@a(ss))", &p, &id, &valid, &ours, &bytes_n, &files_n,
	              &probs, &warns);
	bag_report *r = bag_report_new(path);
	r->id = g_strdup(id);
	r->valid = valid;
	r->ours = ours;
	r->payload_bytes = bytes_n;
	r->payload_files = files_n;
	problems_unpack(probs, r->problems);
	problems_unpack(warns, r->warnings);
	g_variant_unref(probs);
	g_variant_unref(warns);
	g_variant_unref(v);
	return r;
}

typedef struct {
	const char *const *paths;
	guint n;
	const bag_verify_opts *opts;
} each_arg;

/* In a verify worker: the report on bag number *request. */
static GBytes *verify_job(void *arg, GBytes *request, GError **err)
{
	const each_arg *a = arg;
	guint32 i;
	if (g_bytes_get_size(request) != sizeof i) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "verify worker: a malformed request");
		return NULL;
	}
	memcpy(&i, g_bytes_get_data(request, NULL), sizeof i);
	if (i >= a->n) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "verify worker: no bag %u", i);
		return NULL;
	}
	testhook_worker_job(a->paths[i]);
	bag_report *r = bag_verify(a->paths[i], a->opts);
	GBytes *b = report_pack(r);
	bag_report_free(r);
	return b;
}

/* The report a worker sent, or one that says why there is none. */
static bag_report *job_report(worker_job *j, const char *path)
{
	GError *e = NULL;
	GBytes *b = worker_finish_bytes(j, &e);
	bag_report *r = b ? report_unpack(path, b) : NULL;
	if (b)
		g_bytes_unref(b);
	if (!r) {
		r = bag_report_new(path);
		r->id = bag_default_id(path);
		bag_add_problem(r->problems, path, "not verified: %s",
		            e ? e->message : "the verifying worker sent a malformed report");
		r->valid = false;
	}
	g_clear_error(&e);
	return r;
}

/* Why poll() failed, for the message: EINVAL there means more
 * descriptors than the open-file limit (RLIMIT_NOFILE) allows. */
static void poll_failed(GError **err, int errnum, nfds_t np)
{
	struct rlimit rl;
	char *lim = NULL;
	if (errnum == EINVAL && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)np > rl.rlim_cur)
		lim = g_strdup_printf(" (more than the open-file limit, %llu: verify fewer bags at once)",
		                      (unsigned long long)rl.rlim_cur);
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
	            "cannot wait for the verifying workers: poll on %lu descriptors: %s%s",
	            (unsigned long)np, g_strerror(errnum), lim ? lim : "");
	g_free(lim);
}

bool bag_verify_each(const char *const *paths, guint n, const bag_verify_opts *opts, int jobs,
                     bag_verify_each_fn fn, void *arg, GError **err)
{
	bool go_on = true;
	if (jobs <= 1) {
		for (guint i = 0; go_on && i < n; i++) {
			bag_report *r = bag_verify(paths[i], opts);
			go_on = fn(i, r, arg);
			bag_report_free(r);
		}
		return go_on;
	}
	/* `jobs` workers, each verifying bag after bag with the next one
	 * queued (so none waits while the parent records a report); reports
	 * are handed on in the list's order, so the output is the same as
	 * with one. Up to WINDOW reports a worker wait for an earlier one: bundles
	 * run from kilobytes to gigabytes, and a window of a job or two per
	 * worker left the others idle behind every large one. */
	enum { WINDOW = 64 };
	static const worker_limits none = { 0, 0, 0, 0 };
	each_arg ea = { paths, n, opts };
	worker_pool *pool = worker_pool_new(&none, (guint)jobs, 2, 0, verify_job, &ea);
	worker_job **js = g_new0(worker_job *, n ? n : 1);
	bag_report **ready = g_new0(bag_report *, n ? n : 1);
	guint next = 0, started = 0, running = 0;
	struct pollfd *pfd = g_new0(struct pollfd, 2 * (gsize)jobs);
	guint *which = g_new0(guint, 2 * (gsize)jobs);
	while (go_on && next < n) {
		for (; started < n && started < next + WINDOW * (guint)jobs && running < 2 * (guint)jobs;
		     started++) {
			guint32 idx = started;
			GBytes *req = g_bytes_new(&idx, sizeof idx);
			GError *e = NULL;
			if ((js[started] = worker_pool_submit(pool, req, &e))) {
				running++;
			} else {
				bag_report *r = ready[started] = bag_report_new(paths[started]);
				r->id = bag_default_id(paths[started]);
				bag_add_problem(r->problems, paths[started], "not verified: %s", e->message);
				g_error_free(e);
			}
			g_bytes_unref(req);
		}
		if (ready[next]) {
			go_on = fn(next, ready[next], arg);
			bag_report_free(ready[next]);
			ready[next++] = NULL;
			continue;
		}
		nfds_t np = 0;
		for (guint i = next; i < started; i++)
			if (js[i]) {
				pfd[np] = (struct pollfd){ .fd = worker_job_fd(js[i]), .events = POLLIN };
				which[np++] = i;
			}
		int wait_ms = -1; /* 0 for a job with no socket (worker_job_fd) */
		for (nfds_t k = 0; k < np; k++)
			if (pfd[k].fd < 0)
				wait_ms = 0;
		/* Without poll the workers' results cannot be waited for: the
		 * run cannot go on, and must not end as if it had verified
		 * everything (it would report "0 verified" and succeed). */
		if (poll(pfd, np, wait_ms) < 0 && errno != EINTR) {
			poll_failed(err, errno, np);
			go_on = false;
			break;
		}
		/* A finished job frees its worker for the next bag at once. */
		for (nfds_t k = 0; k < np; k++)
			if ((pfd[k].revents || pfd[k].fd < 0) && worker_job_read(js[which[k]])) {
				ready[which[k]] = job_report(js[which[k]], paths[which[k]]);
				js[which[k]] = NULL;
				running--;
			}
	}
	/* Stopped early: the jobs not finished go with the pool (their
	 * workers killed), the reports not handed on are dropped. */
	worker_pool_free(pool);
	for (guint i = next; i < started; i++)
		if (ready[i])
			bag_report_free(ready[i]);
	g_free(which);
	g_free(pfd);
	g_free(ready);
	g_free(js);
	return go_on;
}
