/*
 * doc/worker.h — the document worker: doc_extract (doc.h) of each HWP,
 * HWPX and ODT attachment runs in a long-lived child process with the
 * store's limits (core/worker.h), a sibling of the PDF worker, never in
 * the process that packs bundles.
 *
 * One child per process that prepares releases, started on its first
 * document; replaced after any job that failed (a crash, a limit, a
 * deadline) and after DOC_WORKER_JOBS jobs in any case, so that no file is
 * read by a process a hostile one may have damaged.
 */
#ifndef ARC_DOC_WORKER_H
#define ARC_DOC_WORKER_H

#include <stdbool.h>
#include <glib.h>
#include "core/worker.h"
#include "doc/doc.h"

#define DOC_WORKER_JOBS 16

typedef struct {
	doc_info info;    /* what the reader learnt, also when text_error is set */
	char *text_error; /* why its text could not be read (check document.text), or NULL */
} doc_result;

void doc_result_clear(doc_result *r);

typedef struct doc_worker doc_worker;

doc_worker *doc_worker_new(const worker_limits *lim);
void doc_worker_free(doc_worker *w);

/*
 * doc_extract(path, format, text_out) in the calling process's worker.
 * The document's own failures (doc.h's ARC_ERROR_INPUT, and the worker's:
 * "worker killed by signal 11 (Segmentation fault)", a limit, the
 * deadline) come back as out->text_error with true; false only when the
 * run cannot go on (ARC_ERROR_STORE: our disk). out is cleared first.
 */
bool doc_worker_run(doc_worker *w, const char *path, doc_format format, const char *text_out,
                    doc_result *out, GError **err);

#endif
