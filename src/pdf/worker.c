/*
 * pdf_worker.c — poppler's jobs in a long-lived child (pdf_worker.h).
 *
 * A job crosses to the child as a key file of its paths and stamp
 * metadata; the result comes back as a key file (worker.h's protocol).
 */
#include "pdf/worker.h"
#include "core/errors.h"
#include "release/license.h"
#include "core/testhook.h"

#include <unistd.h>

struct pdf_worker {
	worker_limits lim;
	worker_pool *pool; /* NULL until the first job */
	pid_t owner;       /* the process the pool's child answers */
};

pdf_worker *pdf_worker_new(const worker_limits *lim)
{
	pdf_worker *w = g_new0(pdf_worker, 1);
	w->lim = *lim;
	return w;
}

void pdf_worker_free(pdf_worker *w)
{
	if (!w)
		return;
	/* A pool inherited through fork is the other process's: its child
	 * must not be killed from here (pdf_worker_run leaves it alone). */
	if (w->pool && w->owner == getpid())
		worker_pool_free(w->pool);
	g_free(w);
}

/* In the child: one job, its result in kf. */
static bool run_job(const pdf_job *j, GKeyFile *kf, GError **err)
{
	pdf_info info = { 0 };
	bool stamped = false;
	testhook_worker_job(j->pdf);
	if (!j->text_out) {
		if (!pdf_stamp(j->pdf, j->access_out, &j->meta, err))
			return false;
		testhook_access_copy(j->pdf, j->access_out);
		g_key_file_set_boolean(kf, "stamp", "ok", TRUE);
		return true;
	}
	if (j->access_out && j->meta.license) {
		if (!pdf_extract_and_stamp(j->pdf, j->text_out, &info, j->access_out, &j->meta,
		                           &stamped, err))
			return false;
		if (stamped)
			testhook_access_copy(j->pdf, j->access_out);
		g_key_file_set_boolean(kf, "stamp", "ok", stamped);
	} else if (!pdf_extract(j->pdf, j->text_out, &info, err)) {
		return false;
	}
	pdf_info_to_keyfile(&info, kf, "pdf");
	pdf_info_clear(&info);
	return true;
}

static GBytes *job_pack(const pdf_job *j)
{
	GKeyFile *kf = g_key_file_new();
	worker_kf_put(kf, "job", "pdf", j->pdf);
	worker_kf_put(kf, "job", "text_out", j->text_out);
	worker_kf_put(kf, "job", "access_out", j->access_out);
	if (j->meta.license)
		g_key_file_set_integer(kf, "job", "license", j->meta.license->type);
	worker_kf_put(kf, "job", "title", j->meta.title);
	worker_kf_put(kf, "job", "organisation", j->meta.organisation);
	gsize len = 0;
	char *data = g_key_file_to_data(kf, &len, NULL);
	g_key_file_free(kf);
	return g_bytes_new_take(data, len);
}

/* The pool's function, in the child: unpack, run, pack the result. */
static GBytes *child_job(void *arg, GBytes *request, GError **err)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(request, &len);
	GKeyFile *req = g_key_file_new(), *res = NULL;
	GBytes *out = NULL;
	char *pdf = NULL, *text = NULL, *access = NULL, *title = NULL, *org = NULL;
	if (!g_key_file_load_from_data(req, data ? data : "", len, G_KEY_FILE_NONE, NULL) ||
	    !(pdf = worker_kf_take(req, "job", "pdf"))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "PDF worker: a malformed request");
		goto out;
	}
	text = worker_kf_take(req, "job", "text_out");
	access = worker_kf_take(req, "job", "access_out");
	title = worker_kf_take(req, "job", "title");
	org = worker_kf_take(req, "job", "organisation");
	pdf_job j = { pdf, text, access,
	              { kogl_get(g_key_file_get_integer(req, "job", "license", NULL)), title, org } };
	res = g_key_file_new();
	if (run_job(&j, res, err)) {
		char *d = g_key_file_to_data(res, &len, NULL);
		out = g_bytes_new_take(d, len);
	}
out:
	g_key_file_free(req);
	if (res)
		g_key_file_free(res);
	g_free(pdf);
	g_free(text);
	g_free(access);
	g_free(title);
	g_free(org);
	return out;
}

bool pdf_worker_run(pdf_worker *w, const pdf_job *j, GKeyFile **result, GError **err)
{
	*result = NULL;
	if (!w->pool || w->owner != getpid()) {
		/* The first job of this process (one made before a fork is
		 * left to the process that made it: see pdf_worker_free). */
		w->pool = worker_pool_new(&w->lim, 1, 1, PDF_WORKER_JOBS, child_job, NULL);
		w->owner = getpid();
	}
	GBytes *req = job_pack(j);
	worker_job *job = worker_pool_submit(w->pool, req, err);
	g_bytes_unref(req);
	return job && worker_finish(job, result, err);
}
