/*
 * pdf/worker.h — the PDF worker: everything poppler does to an input PDF
 * (pdf.h: extraction, stamping) runs in a long-lived child process with
 * the store's limits (worker.h), never in the process that packs bundles.
 *
 * One child per process that prepares releases (the parent with ingest
 * -j 1, each release worker with -j N), started on the first job, so that
 * a PDF costs no fork. A PDF that crashes or hangs it ends only its own
 * job: the next PDF gets a new child. So that no PDF is parsed by a
 * process a hostile one may have damaged without crashing it, the child
 * is replaced after any job that failed and after PDF_WORKER_JOBS jobs in
 * any case. What it hands back is not trusted further than it must be:
 * of the access copy it hands back only the update, which ingest appends
 * to the original's bytes itself.
 */
#ifndef ARC_PDF_WORKER_H
#define ARC_PDF_WORKER_H

#include <stdbool.h>
#include <glib.h>
#include "pdf/pdf.h"
#include "core/worker.h"

#define PDF_WORKER_JOBS 16

typedef struct {
	const char *pdf;        /* the input PDF */
	const char *text_out;   /* where its text goes; NULL: stamp only */
	const char *scratch;    /* a folder for poppler's save (pdf_stamp) */
	pdf_stamp_meta meta;    /* for the stamp (meta.license NULL: none) */
} pdf_job;

typedef struct {
	bool extracted; /* info is filled: the job had text_out */
	pdf_info info;
	GBytes *update; /* the stamped copy's update (pdf_stamp), or NULL */
} pdf_result;

void pdf_result_clear(pdf_result *r);

typedef struct pdf_worker pdf_worker;

pdf_worker *pdf_worker_new(const worker_limits *lim);
void pdf_worker_free(pdf_worker *w);

/*
 * Run job j in the worker of the calling process. With text_out: extract
 * (pdf_extract) into out->info, and with a licence also stamp the same
 * open document, out->update NULL when that did not work (the stamp's
 * failure is not the job's). Without text_out: only stamp (pdf_stamp);
 * out->update set. Fails as pdf.h's calls do, or as
 * worker.h says a worker fails ("worker killed by signal 11
 * (Segmentation fault)", ...). out is cleared first.
 */
bool pdf_worker_run(pdf_worker *w, const pdf_job *j, pdf_result *out, GError **err);

/* pdf_info on the worker wire (core/worker.h). from_dict overwrites info
 * (pass it zeroed or cleared); false when the page count is missing. */
void pdf_info_to_dict(const pdf_info *info, GVariantDict *d);
bool pdf_info_from_dict(pdf_info *info, GVariantDict *d);

#endif
