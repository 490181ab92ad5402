/*
 * core/worker.h — jobs in child processes with resource limits and a
 * wall-clock timeout, so that a hostile input can crash or hang only the
 * child running it (poppler parses PDFs there).
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

/*
 * A pool of up to `size` long-lived children, each running job after job:
 * a fork per child, not per job, and no child faulting in the libraries'
 * pages again for every job. fn runs in the child for each request and
 * returns the result's bytes, or NULL and err. Children are forked when a
 * job needs one, from the parent as it is then; the parent must be
 * single-threaded. Up to `depth` jobs wait in a child's queue, so that a
 * child goes straight on to its next job while the parent is busy with
 * the last result. Limits hold per job: address space and file size for
 * the child's life, CPU seconds and the wall-clock deadline counted afresh
 * for each job (the deadline from when the child starts it). A child that
 * dies, overruns or hangs fails only the job it was running; a child whose
 * job failed (fn set err) is not given another, nor one that has run
 * jobs_per_child jobs (0: no limit): it exits without starting a job
 * queued on it (one still running then is killed), and the jobs queued on
 * it go to a new one, so that every job runs once.
 */
typedef struct worker_pool worker_pool;
typedef struct worker_job worker_job;
typedef GBytes *(*worker_pool_fn)(void *arg, GBytes *request, GError **err);

worker_pool *worker_pool_new(const worker_limits *lim, guint size, guint depth,
                             guint jobs_per_child, worker_pool_fn fn, void *arg);
/* Ends the children (idle ones at EOF, busy ones killed) and drops the
 * jobs not finished. */
void worker_pool_free(worker_pool *p);

/*
 * Queue request on a child with room (forked now if need be); NULL and
 * ARC_ERROR_STORE when every queue is full or it cannot fork. Then poll
 * worker_job_fd() for POLLIN and call worker_job_read(): it reads without
 * blocking and returns true once the result is whole, the child is gone
 * or the deadline passed (always false while its child is on an earlier
 * job). worker_finish_bytes() (which blocks until then) returns the result
 * and frees the job; jobs queued on one child are finished in the order
 * they were submitted. On failure NULL and err (ARC_ERROR_INPUT unless
 * the job's own error says otherwise):
 *   the job's own error message, as the job set it;
 *   "worker killed by signal 11 (Segmentation fault)";
 *   "worker timed out after 180 s";
 *   "worker exited with status 3" / "worker sent no result".
 * worker_finish() is the same for a job whose result is a dictionary
 * (the wire format below).
 * The fd of a job may change (its child replaced): ask for it each time;
 * it is -1 when no child could be started to replace one (the job is
 * then done: worker_job_read returns true).
 */
worker_job *worker_pool_submit(worker_pool *p, GBytes *request, GError **err);
int worker_job_fd(const worker_job *j);
bool worker_job_read(worker_job *j);
GBytes *worker_finish_bytes(worker_job *j, GError **err);
bool worker_finish(worker_job *j, GVariantDict **result, GError **err);

/*
 * The one wire format of requests and results (release workers, verify
 * workers, the PDF worker): a GVariant dictionary (a{sv}), serialised.
 * pack ends d and returns its bytes; unpack returns a new dictionary (free
 * with g_variant_dict_unref), or NULL when the bytes are not a whole one.
 * Strings go as bytestrings (ay): a file name or a message naming one
 * need not be UTF-8, and GVariant's own strings must be. put skips NULL;
 * take returns a new string, NULL when the key is absent.
 */
GBytes *worker_dict_pack(GVariantDict *d);
GVariantDict *worker_dict_unpack(GBytes *bytes, GError **err);
void worker_dict_put(GVariantDict *d, const char *key, const char *s);
char *worker_dict_take(GVariantDict *d, const char *key);

/* One job in a child of its own, its result a dictionary: a pool of one
 * for one job, waited for. */
typedef bool (*worker_fn)(void *arg, GVariantDict *result, GError **err);
bool worker_run(const worker_limits *lim, worker_fn fn, void *arg, GVariantDict **result,
                GError **err);

#endif
