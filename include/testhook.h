/*
 * testhook.h — crash points, so that a test can kill the process between
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
 * ("store.sidecar_renamed"). Forked workers inherit the count but pass no
 * points.
 */
#ifndef ARC_TESTHOOK_H
#define ARC_TESTHOOK_H

#include <glib.h>

void testhook_crash_point(const char *name);

/* The current time, UTC (caller unrefs). For tests only,
 * ARCHIVE_TEST_NOW=YYYY-MM-DDTHH:MM:SSZ stands in for the clock: the
 * audit log's times, and so the catalog's verification times and what
 * `verify --stale DAYS` calls stale, can then be set. An unparsable value
 * is ignored. Never set it on a real store: the audit log would lie. */
GDateTime *testhook_now_utc(void);

#endif
