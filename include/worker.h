/*
 * worker.h — run one job in a child process with resource limits and a
 * wall-clock timeout, so that a hostile input can crash or hang only that
 * child (poppler parses PDFs there).
 *
 * The job fills a GKeyFile with its results; the child serialises it to a
 * pipe and the parent parses it back. The parent must be single-threaded
 * when it calls worker_run() (it forks).
 */
#ifndef ARC_WORKER_H
#define ARC_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef struct {
	uint64_t address_space;   /* RLIMIT_AS in bytes; 0: unlimited */
	unsigned cpu_seconds;     /* RLIMIT_CPU; 0: unlimited */
	uint64_t file_size;       /* RLIMIT_FSIZE in bytes; 0: unlimited */
	unsigned timeout_seconds; /* wall clock, then SIGKILL; 0: none */
} worker_limits;

/* The documented defaults: 2 GiB address space (not applied under ASan,
 * which reserves terabytes of address space), 120 s CPU, 4 GiB files,
 * 180 s wall clock. */
void worker_limits_default(worker_limits *lim);

/*
 * Set one limit by its archive.conf name ([limits] group):
 *   worker_memory           address space: bytes, or with K, M, G, T
 *                           (powers of 1024), or "unlimited"
 *   worker_file_size        largest file the worker may write, the same way
 *   worker_cpu_seconds      CPU seconds (an optional "s"), or "unlimited"
 *   worker_timeout_seconds  wall-clock seconds, at least 1: without a
 *                           deadline a hanging PDF would hang the run
 * An unknown key or a bad value fails with ARC_ERROR_STORE (the store's
 * configuration is wrong) and a message naming the key; lim is then
 * unchanged. A typo must not silently leave a limit at its default.
 */
bool worker_limits_set(worker_limits *lim, const char *key, const char *value, GError **err);

/* The job, run in the child. Returns false and sets err on failure; the
 * error's message is carried back to the parent. */
typedef bool (*worker_fn)(void *arg, GKeyFile *result, GError **err);

/*
 * Fork, apply the limits in the child, run fn(arg, result, err) there, and
 * return the child's GKeyFile in *result (caller frees with
 * g_key_file_free). On failure returns false with err (ARC_ERROR_INPUT):
 *   the job's own error message, as the job set it;
 *   "worker killed by signal 11 (Segmentation fault)";
 *   "worker timed out after 180 s";
 *   "worker exited with status 3" / "worker sent no result".
 * A failure to fork or to make a pipe is ARC_ERROR_STORE.
 */
bool worker_run(const worker_limits *lim, worker_fn fn, void *arg,
                GKeyFile **result, GError **err);

/*
 * The same job, side by side with others (parallel ingest): worker_start
 * forks the child and returns at once (NULL and ARC_ERROR_STORE when it
 * cannot fork); poll(2) worker_job_fd() for POLLIN and call
 * worker_job_read() then: it reads without blocking and returns true once
 * the child has closed its end (or the deadline passed); worker_finish()
 * then reaps the child and returns what worker_run would have, and frees
 * the job. worker_finish() before that blocks until the child is done.
 */
typedef struct worker_job worker_job;
worker_job *worker_start(const worker_limits *lim, worker_fn fn, void *arg, GError **err);
int worker_job_fd(const worker_job *j);
bool worker_job_read(worker_job *j);
bool worker_finish(worker_job *j, GKeyFile **result, GError **err);
/* worker_finish for a job whose result is not a key file: its bytes. */
GBytes *worker_finish_bytes(worker_job *j, GError **err);

/*
 * A pool of up to `size` long-lived children, each running job after job
 * (parallel ingest and verify: a fork per child, not per job, and no
 * child re-faulting the libraries' pages for every job). fn runs in the
 * child for each request and returns the result's bytes, or NULL and err.
 * Children are forked when a job needs one, from the parent as it is
 * then. Limits hold per job: address space and file size for the child's
 * life, CPU seconds and the wall-clock deadline counted afresh for each
 * job. A child that dies, overruns or hangs ends only the job it was
 * running (worker_finish_bytes says why, in worker_finish's words); the
 * next job gets a new child. Jobs that must not share a process with the
 * ones before them (poppler on hostile PDFs) belong in worker_run, not
 * here.
 *
 * worker_pool_submit hands a request to a free child (NULL and
 * ARC_ERROR_STORE when all `size` are busy, or when it cannot fork); poll
 * worker_job_fd() and call worker_job_read() as for worker_start, then
 * worker_finish_bytes() (or worker_finish() when fn returns key file
 * data). worker_pool_free ends the children: idle ones at EOF, busy ones
 * killed.
 */
typedef struct worker_pool worker_pool;
/* Drop a job not wanted any more: its child is killed. */
void worker_job_abandon(worker_job *j);
typedef GBytes *(*worker_pool_fn)(void *arg, GBytes *request, GError **err);
worker_pool *worker_pool_new(const worker_limits *lim, guint size, worker_pool_fn fn, void *arg);
worker_job *worker_pool_submit(worker_pool *p, GBytes *request, GError **err);
void worker_pool_free(worker_pool *p);

#endif
