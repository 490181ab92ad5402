/*
 * core/testhook.c — crash points for tests/e2e/crash.sh, and the hostile-input
 * hooks (see testhook.h).
 */
#include "core/testhook.h"

#ifdef ARCHIVE_TEST_HOOKS /* the whole file: test builds only */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 0: not yet read; 1: off; 2: on. The process is single-threaded where
 * points are passed (workers are forked children), so plain statics do. */
static int state;
static unsigned long crash_at;  /* 0: never */
static unsigned long passed;
static const char *log_path;    /* NULL: no log */

static void read_env(void)
{
	const char *at = getenv("ARCHIVE_TEST_CRASH_AT");
	const char *lp = getenv("ARCHIVE_TEST_CRASH_LOG");
	if (at && *at) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(at, &end, 10);
		if (!errno && !*end)
			crash_at = n;
	}
	log_path = lp && *lp ? lp : NULL;
	state = crash_at || log_path ? 2 : 1;
}

void testhook_crash_point(const char *name)
{
	if (state == 1)
		return;
	if (state == 0) {
		read_env();
		if (state == 1)
			return;
	}
	passed++;
	if (log_path) {
		/* One write(2) per line with O_APPEND: whole lines even when the
		 * process is killed right after. */
		int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			size_t n = strlen(name);
			char line[256];
			if (n > sizeof line - 1)
				n = sizeof line - 1;
			memcpy(line, name, n);
			line[n] = '\n';
			(void)!write(fd, line, n + 1);
			close(fd);
		}
	}
	if (crash_at && passed == crash_at)
		raise(SIGKILL);
}

GDateTime *testhook_now_utc(void)
{
	const char *t = getenv("ARCHIVE_TEST_NOW");
	GDateTime *now = NULL;
	if (t && *t) {
		GTimeZone *utc = g_time_zone_new_utc();
		now = g_date_time_new_from_iso8601(t, utc);
		g_time_zone_unref(utc);
	}
	return now ? now : g_date_time_new_now_utc();
}

/* ---- hostile-input hooks ------------------------------------------------ */

/* The action ARCHIVE_TEST_<var> names for the file at path ("crash"), or
 * NULL. The variable is read at each call: these hooks run once per file. */
static const char *hook_action(const char *var, const char *path, char *buf, size_t size)
{
	const char *list = getenv(var);
	if (!list || !*list)
		return NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t blen = strlen(base);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (colon && (size_t)(p + len - colon - 1) == blen &&
		    memcmp(colon + 1, base, blen) == 0 && (size_t)(colon - p) < size) {
			memcpy(buf, p, (size_t)(colon - p));
			buf[colon - p] = '\0';
			return buf;
		}
		p += len + (end ? 1 : 0);
	}
	return NULL;
}

void testhook_worker_job(const char *path)
{
	char buf[16];
	const char *a = hook_action("ARCHIVE_TEST_WORKER", path, buf, sizeof buf);
	if (!a)
		return;
	if (strcmp(a, "crash") == 0) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	} else if (strcmp(a, "hang") == 0) {
		for (;;)
			pause();
	} else if (strcmp(a, "spin") == 0) {
		for (volatile unsigned long n = 0;; n++)
			;
	}
}

bool testhook_tamper(const char *pdf)
{
	char buf[16];
	const char *a = hook_action("ARCHIVE_TEST_WORKER", pdf, buf, sizeof buf);
	return a && strcmp(a, "tamper") == 0;
}

void testhook_input_file(const char *path)
{
	char buf[16];
	const char *a = hook_action("ARCHIVE_TEST_INPUT", path, buf, sizeof buf);
	if (!a)
		return;
	if (strcmp(a, "vanish") == 0) {
		(void)unlink(path);
	} else if (strcmp(a, "fifo") == 0) {
		(void)unlink(path);
		(void)mkfifo(path, 0644);
	} else if (strcmp(a, "change") == 0) {
		FILE *f = fopen(path, "ae");
		if (f) {
			fputs("appended while the release was being archived\n", f);
			fclose(f);
		}
	}
}

int testhook_read_error(const char *path)
{
	char buf[16];
	const char *a = hook_action("ARCHIVE_TEST_READ", path, buf, sizeof buf);
	if (!a)
		return 0;
	return strcmp(a, "eio") == 0 ? EIO : strcmp(a, "eacces") == 0 ? EACCES : 0;
}

const char *testhook_release_path(const char *which)
{
	const char *v = g_getenv(strcmp(which, "work") == 0 ? "ARCHIVE_TEST_RELEASE_WORK"
	                                                     : "ARCHIVE_TEST_RELEASE_BUNDLE");
	return v && *v ? v : NULL;
}

static testhook_dir_fn dir_open_fn;
static void *dir_open_arg;

void testhook_set_dir_open(testhook_dir_fn fn, void *arg)
{
	dir_open_fn = fn;
	dir_open_arg = arg;
}

int testhook_dir_open(const char *path)
{
	return dir_open_fn ? dir_open_fn(path, dir_open_arg) : 0;
}

void testhook_fsynced(const char *path)
{
	const char *log = g_getenv("ARCHIVE_TEST_FSYNC_LOG");
	if (!log || !*log)
		return;
	/* One write(2) per line with O_APPEND, as the crash log. */
	char *line = g_strconcat(path, "\n", NULL);
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, line, strlen(line));
		close(fd);
	}
	g_free(line);
}

bool testhook_catalog_busy(int nth)
{
	const char *v = g_getenv("ARCHIVE_TEST_CATALOG_BUSY");
	int from = v && *v ? atoi(v) : 0;
	return from > 0 && nth >= from;
}

const char *testhook_syslog_file(void)
{
	const char *f = g_getenv("ARCHIVE_TEST_SYSLOG_FILE");
	return f && *f ? f : NULL;
}

uint64_t testhook_text_max(uint64_t deflt)
{
	const char *v = g_getenv("ARCHIVE_TEST_TEXT_MAX");
	return v && *v ? g_ascii_strtoull(v, NULL, 10) : deflt;
}

uint64_t testhook_line_max(uint64_t deflt)
{
	const char *v = g_getenv("ARCHIVE_TEST_LINE_MAX");
	return v && *v ? g_ascii_strtoull(v, NULL, 10) : deflt;
}

#endif
