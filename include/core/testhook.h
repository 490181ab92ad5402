/*
 * core/testhook.h — crash points, so that a test can kill the process between
 * any two steps that change the store.
 *
 * Why: the store's promise (SPEC, "Store") is that a crash at any point
 * leaves no partial bundle visible, loses no bundle, and never disposes of
 * one without its record. A promise about "any point" is only believed
 * once each point has been tried. Like SQLite's crash and I/O-error test
 * hooks, every step that matters (an fsync, a rename, a link, an audit
 * line, a catalog commit, an unlink) names itself here, and
 * tests/e2e/crash.sh kills the process at each one in turn.
 *
 * Environment (read once, at the first call):
 *   ARCHIVE_TEST_CRASH_LOG=FILE  append each point's name to FILE, one a
 *                                line: a clean run tells the test how many
 *                                points there are, and which.
 *   ARCHIVE_TEST_CRASH_AT=N      at the Nth point of the process, raise
 *                                SIGKILL on itself: no handler, no atexit,
 *                                no buffered output flushed, as a power cut
 *                                or the OOM killer would leave things (what
 *                                was written stays written: the page cache
 *                                survives a process kill, so this tests the
 *                                order of steps, not fsync).
 * Without either variable a call is a load and a branch.
 *
 * A point is placed after a step has succeeded; the name says which step
 * ("store.sidecar_renamed"). Counts are per process: a forked worker
 * inherits the count it was forked with and counts on by itself (a release
 * worker of ingest -j N passes bag.entry points). So the crash tests count
 * and kill ingest with -j 1, where every point is passed by one process.
 */
#ifndef ARC_TESTHOOK_H
#define ARC_TESTHOOK_H

#include <stdbool.h>
#include <glib.h>
#include <stdint.h>

/*
 * Test builds only. The hooks exist in the build `make check` makes
 * (compiled with ARCHIVE_TEST_HOOKS), never in the one `make` and `make
 * install` make: there each call below is an empty inline function, and
 * the binary carries no ARCHIVE_TEST_ variable at all (tests/e2e/build.sh
 * builds it and looks).
 */
#ifdef ARCHIVE_TEST_HOOKS

void testhook_crash_point(const char *name);

/* The current time, UTC (caller unrefs). For tests only,
 * ARCHIVE_TEST_NOW=YYYY-MM-DDTHH:MM:SSZ stands in for the clock: the
 * audit log's times, and so the catalog's verification times and what
 * `verify --stale DAYS` calls stale, can then be set. An unparsable value
 * is ignored. Never set it on a real store: the audit log would lie. */
GDateTime *testhook_now_utc(void);

/*
 * Hostile-input hooks: what a PDF that crashes or hangs poppler, or a
 * release whose file vanishes mid-run, does to a batch, without needing
 * such a PDF or a race (tests/e2e/hostile.sh, tests/e2e/resources.sh).
 * Each variable holds ACTION:NAME items separated by commas; NAME is a
 * file name (no folder), matched against the last component of the path.
 *
 *   ARCHIVE_TEST_WORKER=crash:x.pdf,hang:y.pdf
 *       called by the PDF worker job before poppler opens the file:
 *       crash  restore SIGSEGV's default action (ASan's handler would turn
 *              the crash into "exit 1") and raise it, as a poppler crash
 *              in a release build ends;
 *       hang   sleep for ever, as poppler looping on a hostile page tree;
 *       spin   burn CPU for ever (meets the CPU limit, RLIMIT_CPU);
 *       tamper (testhook_tamper, after the worker stamped x.pdf) hand
 *              back bytes that are no update in place of the access
 *              copy's, as a worker gone wrong might: the packing process
 *              must refuse them.
 *   ARCHIVE_TEST_INPUT=vanish:x.hwp,change:z.pdf
 *       called by ingest for each input file after it was hashed and
 *       extracted, just before the bundle is packed:
 *       vanish unlink the input file (someone deleted it meanwhile);
 *       change append a line to it (someone was still writing it);
 *       fifo   replace it with a FIFO (a swap meant to hang the run).
 * Unset, a call costs a load and a branch.
 */
void testhook_worker_job(const char *path);
bool testhook_tamper(const char *pdf);
void testhook_input_file(const char *path);

/*
 * ARCHIVE_TEST_READ=eio:x.tar.gz,eacces:y.tar.gz
 *       called by hash_file_sha256 before it opens a file: the open fails
 *       with EIO or EACCES, as a bad sector or a file the store's owner
 *       cannot read (which root, running the tests, always can).
 * Returns the errno to fail with, 0 for none.
 */
int testhook_read_error(const char *path);

/*
 * ARCHIVE_TEST_RELEASE_WORK=PATH, ARCHIVE_TEST_RELEASE_BUNDLE=PATH: the
 * work folder or the bundle a release worker of ingest -j N names in the
 * result it sends back is replaced by PATH, as a worker damaged by the
 * hostile bytes it parsed might send (tests/e2e/isolation.sh): the parent
 * must refuse it, deleting and linking nothing. which is "work" or
 * "bundle"; NULL when the variable is unset or empty.
 */
const char *testhook_release_path(const char *which);

/*
 * Tree walks (disk_remove_tree, the quarantine's copy of a release): called
 * with a directory's path just before the walk opens it to read it, the
 * moment at which a directory swapped for a link is followed by a walk
 * that trusted what it saw a moment before. A unit test sets fn (NULL:
 * none) to swap the directory there, or to fail the open: a non-zero
 * return is an errno that the walk takes as the open's (EACCES where a
 * test running as root cannot chmod its way to one).
 */
typedef int (*testhook_dir_fn)(const char *path, void *arg);
void testhook_set_dir_open(testhook_dir_fn fn, void *arg);
int testhook_dir_open(const char *path);

/*
 * ARCHIVE_TEST_FSYNC_LOG=FILE: each fsync of the store's files and folders
 * (disk_fsync, the audit log's) appends the path to FILE, one a line, in
 * the order they happen. A power cut can lose a new folder or file entry
 * whose parent was never flushed although its content was; only the
 * order of flushes shows that it cannot (tests/unit/test_store.c,
 * test_audit.c). The variable is read at each call.
 */
void testhook_fsynced(const char *path);

/*
 * ARCHIVE_TEST_CATALOG_BUSY=N: in every read of the catalog, the Nth step
 * (1: the first) and all after it answer SQLITE_BUSY, as when another
 * process holds the catalog past the busy timeout: a read that would
 * then answer with the rows it had, as if they were all, shows (store/
 * catalog.c, tests/e2e/store.sh). nth counts the steps of one statement.
 */
bool testhook_catalog_busy(int nth);

/* ARCHIVE_TEST_SYSLOG_FILE=PATH: the file syslog lines go to instead of
 * syslog(3) (cli/message.c), or NULL. */
const char *testhook_syslog_file(void);

/* ARCHIVE_TEST_TEXT_MAX=BYTES: how much of an extracted text ingest reads
 * (ingest/decide.c), so that a test need not make a 64 MiB text; else
 * deflt. */
uint64_t testhook_text_max(uint64_t deflt);

/* ARCHIVE_TEST_LINE_MAX=BYTES: the size past which a disposal proposal
 * starts a new batch (store/disposal.c), so that a test need not make
 * hundreds of due bundles; else deflt. */
uint64_t testhook_line_max(uint64_t deflt);

#else /* a release build: no hooks */

static inline void testhook_crash_point(const char *name) { (void)name; }
static inline GDateTime *testhook_now_utc(void) { return g_date_time_new_now_utc(); }
static inline void testhook_worker_job(const char *path) { (void)path; }
static inline bool testhook_tamper(const char *pdf) { (void)pdf; return false; }
static inline void testhook_input_file(const char *path) { (void)path; }
static inline int testhook_read_error(const char *path) { (void)path; return 0; }
static inline const char *testhook_release_path(const char *which) { (void)which; return NULL; }
static inline const char *testhook_syslog_file(void) { return NULL; }
static inline uint64_t testhook_text_max(uint64_t deflt) { return deflt; }
static inline uint64_t testhook_line_max(uint64_t deflt) { return deflt; }
typedef int (*testhook_dir_fn)(const char *path, void *arg);
static inline void testhook_set_dir_open(testhook_dir_fn fn, void *arg) { (void)fn; (void)arg; }
static inline int testhook_dir_open(const char *path) { (void)path; return 0; }
static inline void testhook_fsynced(const char *path) { (void)path; }
static inline bool testhook_catalog_busy(int nth) { (void)nth; return false; }

#endif
#endif
