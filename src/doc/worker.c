/*
 * doc/worker.c — doc_extract in a long-lived child (doc/worker.h).
 *
 * A job crosses to the child as a dictionary of its path, format and
 * text file; the result comes back as one (core/worker.h's wire format):
 * the facts, and the reason when the text could not be read.
 */
#include "doc/worker.h"
#include "core/errors.h"
#include "core/testhook.h"
#include "core/text.h"

#include <string.h>
#include <unistd.h>

struct doc_worker {
	worker_limits lim;
	worker_pool *pool; /* NULL until the first job */
	pid_t owner;       /* the process the pool's child answers */
};

doc_worker *doc_worker_new(const worker_limits *lim)
{
	doc_worker *w = g_new0(doc_worker, 1);
	w->lim = *lim;
	return w;
}

void doc_worker_free(doc_worker *w)
{
	if (!w)
		return;
	/* A pool inherited through fork is the other process's. */
	if (w->pool && w->owner == getpid())
		worker_pool_free(w->pool);
	g_free(w);
}

void doc_result_clear(doc_result *r)
{
	doc_info_clear(&r->info);
	g_free(r->text_error);
	memset(r, 0, sizeof *r);
}

static void info_to_dict(const doc_info *i, GVariantDict *d)
{
	worker_dict_put(d, "version", i->version);
	g_variant_dict_insert(d, "sections", "i", i->sections);
	g_variant_dict_insert(d, "kogl_type", "i", i->kogl_type);
	g_variant_dict_insert(d, "text_chars", "t", (guint64)i->text_chars);
	/* The flags as one mask, in doc_info's order. */
	guint32 f = (guint32)i->compressed | (guint32)i->password << 1 |
	            (guint32)i->distribution << 2 | (guint32)i->drm << 3 |
	            (guint32)i->kogl_flag << 4 | (guint32)i->scripts << 5 |
	            (guint32)i->macros << 6 | (guint32)i->embedded << 7;
	g_variant_dict_insert(d, "flags", "u", f);
}

static bool info_from_dict(doc_info *i, GVariantDict *d)
{
	guint32 f = 0;
	guint64 chars = 0;
	memset(i, 0, sizeof *i);
	if (!g_variant_dict_lookup(d, "flags", "u", &f))
		return false;
	/* A version is a short string of the file's (HWPX and ODT take it
	 * from XML): valid UTF-8 of one line, or none. */
	char *version = worker_dict_take(d, "version");
	if (version && g_utf8_validate(version, -1, NULL) && strlen(version) <= 32)
		i->version = text_strip_controls(version, true);
	g_free(version);
	g_variant_dict_lookup(d, "sections", "i", &i->sections);
	if (i->sections < 0)
		i->sections = 0;
	g_variant_dict_lookup(d, "kogl_type", "i", &i->kogl_type);
	if (i->kogl_type < 0 || i->kogl_type > 4)
		i->kogl_type = 0;
	g_variant_dict_lookup(d, "text_chars", "t", &chars);
	i->text_chars = chars;
	i->compressed = f & 1;
	i->password = f >> 1 & 1;
	i->distribution = f >> 2 & 1;
	i->drm = f >> 3 & 1;
	i->kogl_flag = f >> 4 & 1;
	i->scripts = f >> 5 & 1;
	i->macros = f >> 6 & 1;
	i->embedded = f >> 7 & 1;
	return true;
}

/* The pool's function, in the child: unpack, read, pack the result. */
static GBytes *child_job(void *arg, GBytes *request, GError **err)
{
	GVariantDict *req = worker_dict_unpack(request, NULL);
	char *path = req ? worker_dict_take(req, "path") : NULL;
	char *text = req ? worker_dict_take(req, "text_out") : NULL;
	int format = 0;
	GBytes *out = NULL;
	if (!path || !text || !g_variant_dict_lookup(req, "format", "i", &format)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "document worker: a malformed request");
		goto out;
	}
	testhook_worker_job(path);
	doc_info info;
	GError *e = NULL;
	bool ok = doc_extract(path, (doc_format)format, text, &info, &e);
	if (!ok && e->domain == ARC_ERROR && e->code == ARC_ERROR_STORE) {
		g_propagate_error(err, e);
		doc_info_clear(&info);
		goto out;
	}
	GVariantDict *res = g_variant_dict_new(NULL);
	info_to_dict(&info, res);
	if (!ok)
		worker_dict_put(res, "text_error", e->message);
	out = worker_dict_pack(res);
	g_variant_dict_unref(res);
	g_clear_error(&e);
	doc_info_clear(&info);
out:
	if (req)
		g_variant_dict_unref(req);
	g_free(path);
	g_free(text);
	return out;
}

bool doc_worker_run(doc_worker *w, const char *path, doc_format format, const char *text_out,
                    doc_result *out, GError **err)
{
	memset(out, 0, sizeof *out);
	if (!w->pool || w->owner != getpid()) {
		w->pool = worker_pool_new(&w->lim, 1, 1, DOC_WORKER_JOBS, child_job, NULL);
		w->owner = getpid();
	}
	GVariantDict *req = g_variant_dict_new(NULL);
	worker_dict_put(req, "path", path);
	worker_dict_put(req, "text_out", text_out);
	g_variant_dict_insert(req, "format", "i", (int)format);
	GBytes *b = worker_dict_pack(req);
	g_variant_dict_unref(req);
	GError *e = NULL;
	worker_job *job = worker_pool_submit(w->pool, b, &e);
	g_bytes_unref(b);
	GVariantDict *d = NULL;
	if (!job || !worker_finish(job, &d, &e)) {
		if (e && e->domain == ARC_ERROR && e->code == ARC_ERROR_STORE) {
			g_propagate_error(err, e);
			return false;
		}
		/* The worker died, hit a limit or its deadline: the file's failure. */
		out->info.format = format;
		out->text_error = g_strdup(e ? e->message : "the document worker failed");
		g_clear_error(&e);
		return true;
	}
	if (!info_from_dict(&out->info, d))
		out->text_error = g_strdup("the document worker sent an incomplete result");
	else
		out->text_error = worker_dict_take(d, "text_error");
	/* What the file is, the parent said; the child reports the rest. */
	out->info.format = format;
	g_variant_dict_unref(d);
	return true;
}
