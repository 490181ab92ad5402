/*
 * pdf/worker.c — poppler's jobs in a long-lived child (pdf/worker.h).
 *
 * A job crosses to the child as a dictionary of its paths and stamp
 * metadata; the result comes back as one (core/worker.h's wire format).
 */
#include "pdf/worker.h"
#include "core/errors.h"
#include "release/license.h"
#include "core/testhook.h"

#include <string.h>
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

void pdf_result_clear(pdf_result *r)
{
	pdf_info_clear(&r->info);
	if (r->update)
		g_bytes_unref(r->update);
	memset(r, 0, sizeof *r);
}

void pdf_info_to_dict(const pdf_info *info, GVariantDict *d)
{
	g_variant_dict_insert(d, "pages", "i", info->pages);
	worker_dict_put(d, "pdf_version", info->pdf_version);
	worker_dict_put(d, "producer", info->producer);
	worker_dict_put(d, "creator", info->creator);
	worker_dict_put(d, "creation_date", info->creation_date);
	worker_dict_put(d, "title", info->title);
	worker_dict_put(d, "author", info->author);
	worker_dict_put(d, "keywords", info->keywords);
	worker_dict_put(d, "pdfa", info->pdfa);
	g_variant_dict_insert(d, "encrypted", "b", info->encrypted);
	g_variant_dict_insert(d, "text_chars", "t", (guint64)info->text_chars);
	guint n = info->chars_per_page ? info->chars_per_page->len : 0;
	g_variant_dict_insert_value(
		d, "chars_per_page",
		g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
		                          n ? info->chars_per_page->data : NULL, n, sizeof(guint32)));
	g_variant_dict_insert(d, "javascript", "b", info->javascript);
	g_variant_dict_insert(d, "launch_action", "b", info->launch_action);
	g_variant_dict_insert(d, "embedded_files", "b", info->embedded_files);
}

bool pdf_info_from_dict(pdf_info *info, GVariantDict *d)
{
	memset(info, 0, sizeof *info);
	gboolean b = FALSE;
	guint64 chars = 0;
	if (!g_variant_dict_lookup(d, "pages", "i", &info->pages))
		return false;
	info->pdf_version = worker_dict_take(d, "pdf_version");
	info->producer = worker_dict_take(d, "producer");
	info->creator = worker_dict_take(d, "creator");
	info->creation_date = worker_dict_take(d, "creation_date");
	info->title = worker_dict_take(d, "title");
	info->author = worker_dict_take(d, "author");
	info->keywords = worker_dict_take(d, "keywords");
	info->pdfa = worker_dict_take(d, "pdfa");
	/* Missing booleans read as false, a missing count as 0. */
	info->encrypted = g_variant_dict_lookup(d, "encrypted", "b", &b) && b;
	info->text_chars = g_variant_dict_lookup(d, "text_chars", "t", &chars) ? chars : 0;
	info->javascript = g_variant_dict_lookup(d, "javascript", "b", &b) && b;
	info->launch_action = g_variant_dict_lookup(d, "launch_action", "b", &b) && b;
	info->embedded_files = g_variant_dict_lookup(d, "embedded_files", "b", &b) && b;
	info->chars_per_page = g_array_new(FALSE, FALSE, sizeof(guint));
	GVariant *v = g_variant_dict_lookup_value(d, "chars_per_page", G_VARIANT_TYPE("au"));
	if (v) {
		gsize n = 0;
		const guint32 *list = g_variant_get_fixed_array(v, &n, sizeof(guint32));
		for (gsize i = 0; i < n; i++) {
			guint c = list[i];
			g_array_append_val(info->chars_per_page, c);
		}
		g_variant_unref(v);
	}
	return true;
}

/* The stamped copy's update into d (a test may have it replaced with
 * bytes that are no update: see testhook_tamper); takes update. */
static void put_update(const pdf_job *j, GVariantDict *d, GBytes *update)
{
	if (!update)
		return;
	if (testhook_tamper(j->pdf)) {
		g_bytes_unref(update);
		update = g_bytes_new_static("tampered", 8);
	}
	g_variant_dict_insert_value(d, "update",
	                            g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, update, TRUE));
	g_bytes_unref(update);
}

/* In the child: one job, its result in d. */
static bool run_job(const pdf_job *j, GVariantDict *d, GError **err)
{
	pdf_info info = { 0 };
	GBytes *update = NULL;
	testhook_worker_job(j->pdf);
	if (!j->text_out) {
		if (!(update = pdf_stamp(j->pdf, j->scratch, &j->meta, err)))
			return false;
		put_update(j, d, update);
		return true;
	}
	if (j->meta.license) {
		if (!pdf_extract_and_stamp(j->pdf, j->text_out, &info, j->scratch, &j->meta, &update,
		                           err))
			return false;
		put_update(j, d, update);
	} else if (!pdf_extract(j->pdf, j->text_out, &info, err)) {
		return false;
	}
	GVariantDict *pd = g_variant_dict_new(NULL);
	pdf_info_to_dict(&info, pd);
	g_variant_dict_insert_value(d, "pdf", g_variant_dict_end(pd));
	g_variant_dict_unref(pd);
	pdf_info_clear(&info);
	return true;
}

static GBytes *job_pack(const pdf_job *j)
{
	GVariantDict *d = g_variant_dict_new(NULL);
	worker_dict_put(d, "pdf", j->pdf);
	worker_dict_put(d, "text_out", j->text_out);
	worker_dict_put(d, "scratch", j->scratch);
	if (j->meta.license)
		g_variant_dict_insert(d, "license", "i", j->meta.license->type);
	worker_dict_put(d, "title", j->meta.title);
	worker_dict_put(d, "organisation", j->meta.organisation);
	GBytes *b = worker_dict_pack(d);
	g_variant_dict_unref(d);
	return b;
}

/* The pool's function, in the child: unpack, run, pack the result. */
static GBytes *child_job(void *arg, GBytes *request, GError **err)
{
	GVariantDict *req = worker_dict_unpack(request, NULL), *res = NULL;
	GBytes *out = NULL;
	char *pdf = req ? worker_dict_take(req, "pdf") : NULL;
	char *text = NULL, *scratch = NULL, *title = NULL, *org = NULL;
	int license = 0;
	if (!pdf) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "PDF worker: a malformed request");
		goto out;
	}
	text = worker_dict_take(req, "text_out");
	scratch = worker_dict_take(req, "scratch");
	title = worker_dict_take(req, "title");
	org = worker_dict_take(req, "organisation");
	g_variant_dict_lookup(req, "license", "i", &license);
	pdf_job j = { pdf, text, scratch, { kogl_get(license), title, org } };
	res = g_variant_dict_new(NULL);
	if (run_job(&j, res, err))
		out = worker_dict_pack(res);
out:
	if (req)
		g_variant_dict_unref(req);
	if (res)
		g_variant_dict_unref(res);
	g_free(pdf);
	g_free(text);
	g_free(scratch);
	g_free(title);
	g_free(org);
	return out;
}

bool pdf_worker_run(pdf_worker *w, const pdf_job *j, pdf_result *out, GError **err)
{
	memset(out, 0, sizeof *out);
	if (!w->pool || w->owner != getpid()) {
		/* The first job of this process (one made before a fork is
		 * left to the process that made it: see pdf_worker_free). */
		w->pool = worker_pool_new(&w->lim, 1, 1, PDF_WORKER_JOBS, child_job, NULL);
		w->owner = getpid();
	}
	GBytes *req = job_pack(j);
	worker_job *job = worker_pool_submit(w->pool, req, err);
	g_bytes_unref(req);
	GVariantDict *d = NULL;
	if (!job || !worker_finish(job, &d, err))
		return false;
	GVariant *uv = g_variant_dict_lookup_value(d, "update", G_VARIANT_TYPE_BYTESTRING);
	if (uv) {
		out->update = g_variant_get_data_as_bytes(uv);
		g_variant_unref(uv);
	}
	GVariant *pv = g_variant_dict_lookup_value(d, "pdf", G_VARIANT_TYPE_VARDICT);
	bool ok = true;
	if (pv) {
		GVariantDict *pd = g_variant_dict_new(pv);
		ok = out->extracted = pdf_info_from_dict(&out->info, pd);
		g_variant_dict_unref(pd);
		g_variant_unref(pv);
	} else if (j->text_out) {
		ok = false;
	}
	g_variant_dict_unref(d);
	if (!ok)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "PDF worker sent an incomplete result");
	return ok;
}
