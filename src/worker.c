/*
 * worker.c — one job in a forked child with resource limits and a deadline.
 *
 * Protocol on the pipe, child to parent, written once at the end of the job:
 *   "O\n" followed by the result key file (g_key_file_to_data), or
 *   "E<code>\n" followed by the job's error message (raw bytes, any length).
 * A child that dies before writing all of it is judged by its wait status,
 * never by the partial bytes, so a crash can not pass for a result.
 */
#include "worker.h"
#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ASan reserves terabytes of shadow address space: under it RLIMIT_AS would
 * make every allocation fail, so the limit is skipped there. */
#if defined(__SANITIZE_ADDRESS__)
#define WORKER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_ASAN 1
#endif
#endif
#ifndef WORKER_ASAN
#define WORKER_ASAN 0
#endif

/* The parent refuses a result larger than this (a pdf_info is a few KiB; a
 * runaway child must not make the parent allocate without bound). */
#define WORKER_MAX_RESULT (64u << 20)

void worker_limits_default(worker_limits *lim)
{
	lim->address_space = WORKER_ASAN ? 0 : (uint64_t)2 << 30;
	lim->cpu_seconds = 120;
	lim->file_size = (uint64_t)4 << 30;
	lim->timeout_seconds = 180;
}

/* "2G", "512M", "4096", "unlimited" (0). False on anything else. */
static bool parse_size(const char *v, uint64_t *out)
{
	if (strcmp(v, "unlimited") == 0) {
		*out = 0;
		return true;
	}
	if (!g_ascii_isdigit(v[0]))
		return false;
	char *end;
	errno = 0;
	guint64 n = g_ascii_strtoull(v, &end, 10);
	if (errno)
		return false;
	unsigned shift = 0;
	switch (g_ascii_toupper(*end)) {
	case '\0': break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default: return false;
	}
	if (*end && end[1] && !(g_ascii_toupper(end[1]) == 'B' && !end[2]) &&
	    !(g_ascii_toupper(end[1]) == 'I' && g_ascii_toupper(end[2]) == 'B' && !end[3]))
		return false;
	if (shift && n > (G_MAXUINT64 >> shift))
		return false;
	*out = n << shift;
	return true;
}

static bool parse_seconds(const char *v, unsigned *out)
{
	if (strcmp(v, "unlimited") == 0) {
		*out = 0;
		return true;
	}
	if (!g_ascii_isdigit(v[0]))
		return false;
	char *end;
	errno = 0;
	guint64 n = g_ascii_strtoull(v, &end, 10);
	if (errno || n > G_MAXUINT || (*end && strcmp(end, "s") != 0))
		return false;
	*out = (unsigned)n;
	return true;
}

bool worker_limits_set(worker_limits *lim, const char *key, const char *value, GError **err)
{
	uint64_t size = 0;
	unsigned secs = 0;
	const char *want = NULL;
	if (strcmp(key, "worker_memory") == 0) {
		if (parse_size(value, &size)) {
			lim->address_space = size; /* not applied under ASan: run_child */
			return true;
		}
		want = "a size such as 2G, 512M or unlimited";
	} else if (strcmp(key, "worker_file_size") == 0) {
		if (parse_size(value, &size)) {
			lim->file_size = size;
			return true;
		}
		want = "a size such as 4G, 512M or unlimited";
	} else if (strcmp(key, "worker_cpu_seconds") == 0) {
		if (parse_seconds(value, &secs)) {
			lim->cpu_seconds = secs;
			return true;
		}
		want = "a number of seconds or unlimited";
	} else if (strcmp(key, "worker_timeout_seconds") == 0) {
		if (parse_seconds(value, &secs) && secs > 0) {
			lim->timeout_seconds = secs;
			return true;
		}
		want = "a number of seconds, at least 1 (a hanging PDF must not hang the run)";
	} else {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "[limits] %s: unknown setting (worker_memory, worker_cpu_seconds, "
		            "worker_timeout_seconds, worker_file_size)",
		            key);
		return false;
	}
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "[limits] %s = %s: not %s", key, value, want);
	return false;
}

static void set_limit(int resource, uint64_t value)
{
	struct rlimit rl;
	if (value == 0)
		return;
	rl.rlim_cur = rl.rlim_max = (rlim_t)value;
	/* CPU: the soft limit sends SIGXCPU, the hard one SIGKILL. Equal,
	 * the kernel sends SIGKILL at once and the reason reads "Killed";
	 * one second apart, it reads "CPU time limit exceeded". */
	if (resource == RLIMIT_CPU)
		rl.rlim_max = rl.rlim_cur + 1;
	/* Failing to lower a limit is not worth losing the job over: the
	 * wall-clock deadline in the parent still holds. */
	(void)setrlimit(resource, &rl);
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* The child's whole life: never returns. */
static void run_child(int fd, const worker_limits *lim, worker_fn fn, void *arg)
{
	struct rlimit no_core = { 0, 0 };
	/* A hostile PDF that crashes poppler must not leave core files behind. */
	(void)setrlimit(RLIMIT_CORE, &no_core);
	if (!WORKER_ASAN)
		set_limit(RLIMIT_AS, lim->address_space);
	set_limit(RLIMIT_CPU, lim->cpu_seconds);
	set_limit(RLIMIT_FSIZE, lim->file_size);

	GKeyFile *result = g_key_file_new();
	GError *err = NULL;
	GString *out = g_string_new(NULL);
	if (fn(arg, result, &err)) {
		gsize len = 0;
		char *data = g_key_file_to_data(result, &len, NULL);
		g_string_append(out, "O\n");
		g_string_append_len(out, data, (gssize)len);
		g_free(data);
	} else {
		int code = err && err->domain == ARC_ERROR ? err->code : ARC_ERROR_INPUT;
		g_string_append_printf(out, "E%d\n%s", code,
		                       err && err->message ? err->message : "the job failed");
	}
	bool ok = write_all(fd, out->str, out->len);
	/* _exit: the parent's atexit handlers and stdio buffers are not ours to
	 * run or flush, and the sanitizers' exit checks belong to the parent. */
	_exit(ok ? 0 : 1);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Wait for the child to exit until deadline_ms (0: forever). Returns true
 * when it exited in time; on timeout kills it, reaps it and returns false.
 */
static bool wait_child(pid_t pid, int *status, int64_t deadline_ms)
{
	/* The child has closed its pipe and is exiting: it is usually gone
	 * within a fraction of a millisecond, so the naps start short (a
	 * fixed 5 ms nap cost 5 ms per PDF worker, two per PDF). */
	long nap_ns = 100 * 1000;
	for (;;) {
		pid_t r = waitpid(pid, status, deadline_ms ? WNOHANG : 0);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR) {
			*status = 0;
			return true; /* not our child any more (SIGCHLD ignored) */
		}
		if (deadline_ms && now_ms() >= deadline_ms) {
			kill(pid, SIGKILL);
			reap(pid, status);
			return false;
		}
		if (deadline_ms) {
			struct timespec ts = { 0, nap_ns };
			nanosleep(&ts, NULL);
			nap_ns = nap_ns * 2 > 5 * 1000 * 1000 ? 5 * 1000 * 1000 : nap_ns * 2;
		}
	}
}

static bool parse_result(const GByteArray *buf, GKeyFile **result, GError **err)
{
	const char *p = (const char *)buf->data;
	const char *nl = buf->len ? memchr(p, '\n', buf->len) : NULL;
	if (!nl) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent no result");
		return false;
	}
	size_t head = (size_t)(nl - p) + 1;
	if (p[0] == 'E') {
		int code = atoi(p + 1);
		if (code < ARC_ERROR_INPUT || code > ARC_ERROR_USAGE)
			code = ARC_ERROR_INPUT;
		g_set_error(err, ARC_ERROR, code, "%.*s", (int)(buf->len - head), p + head);
		return false;
	}
	if (p[0] != 'O' || head != 2) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent a malformed result");
		return false;
	}
	GKeyFile *kf = g_key_file_new();
	GError *perr = NULL;
	if (!g_key_file_load_from_data(kf, p + head, buf->len - head, G_KEY_FILE_NONE, &perr)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent a malformed result: %s",
		            perr->message);
		g_error_free(perr);
		g_key_file_free(kf);
		return false;
	}
	*result = kf;
	return true;
}

bool worker_run(const worker_limits *lim, worker_fn fn, void *arg,
                GKeyFile **result, GError **err)
{
	bool ok = false, in_time = true, too_much = false;
	int fds[2] = { -1, -1 };
	int status = 0;
	pid_t pid = -1;
	GByteArray *buf = g_byte_array_new();
	const int64_t deadline = lim->timeout_seconds
	                                 ? now_ms() + (int64_t)lim->timeout_seconds * 1000
	                                 : 0;

	*result = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: pipe");
		goto out;
	}
	/* Whatever sits in our stdio buffers would otherwise be written twice,
	 * once by the child should it flush them. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: fork");
		goto out;
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(fds[1], lim, fn, arg);
	}
	close(fds[1]);
	fds[1] = -1;

	/* Read until EOF or the deadline. The pipe must be drained while the
	 * child writes, or a result larger than the pipe buffer deadlocks. */
	for (;;) {
		int wait_ms = -1;
		if (deadline) {
			int64_t left = deadline - now_ms();
			if (left <= 0) {
				in_time = false;
				break;
			}
			wait_ms = left > 60000 ? 60000 : (int)left;
		}
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int r = poll(&pfd, 1, wait_ms);
		if (r < 0 && errno != EINTR) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: poll");
			kill(pid, SIGKILL);
			reap(pid, &status);
			goto out;
		}
		if (r <= 0)
			continue;
		guint8 chunk[65536];
		ssize_t n = read(fds[0], chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: read");
			kill(pid, SIGKILL);
			reap(pid, &status);
			goto out;
		}
		if (n == 0)
			break;
		if (buf->len + (size_t)n > WORKER_MAX_RESULT) {
			too_much = true;
			break;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}

	if (!in_time || too_much) {
		kill(pid, SIGKILL);
		reap(pid, &status);
	} else {
		in_time = wait_child(pid, &status, deadline);
	}

	if (!in_time)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker timed out after %u s",
		            lim->timeout_seconds);
	else if (too_much)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "worker sent more than %u MiB of result", WORKER_MAX_RESULT >> 20);
	else if (WIFSIGNALED(status))
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker killed by signal %d (%s)",
		            WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker exited with status %d",
		            WEXITSTATUS(status));
	else
		ok = parse_result(buf, result, err);

out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	g_byte_array_free(buf, TRUE);
	return ok;
}

/* ---- jobs that run side by side (parallel ingest) ----
 *
 * The same child, limits and protocol as worker_run, split in three so
 * that a parent can keep several children going: start, read whenever
 * poll(2) says the pipe is readable, finish once it reached EOF.
 */

struct worker_job {
	pid_t pid;
	int fd;
	int64_t deadline; /* ms, 0: none */
	unsigned timeout_seconds;
	GByteArray *buf;
	bool eof, timed_out, too_much;
};

worker_job *worker_start(const worker_limits *lim, worker_fn fn, void *arg, GError **err)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: pipe");
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: fork");
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(fds[1], lim, fn, arg);
	}
	close(fds[1]);
	worker_job *j = g_new0(worker_job, 1);
	j->pid = pid;
	j->fd = fds[0];
	j->timeout_seconds = lim->timeout_seconds;
	j->deadline = lim->timeout_seconds ? now_ms() + (int64_t)lim->timeout_seconds * 1000 : 0;
	j->buf = g_byte_array_new();
	return j;
}

int worker_job_fd(const worker_job *j)
{
	return j->fd;
}

bool worker_job_read(worker_job *j)
{
	if (j->eof)
		return true;
	if (j->deadline && now_ms() >= j->deadline) {
		j->timed_out = j->eof = true;
		return true;
	}
	struct pollfd pfd = { .fd = j->fd, .events = POLLIN };
	while (poll(&pfd, 1, 0) > 0) {
		guint8 chunk[65536];
		ssize_t n = read(j->fd, chunk, sizeof chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			j->eof = true; /* EOF, or a read error: the wait status judges */
			break;
		}
		if (j->buf->len + (size_t)n > WORKER_MAX_RESULT) {
			j->too_much = j->eof = true;
			break;
		}
		g_byte_array_append(j->buf, chunk, (guint)n);
	}
	return j->eof;
}

bool worker_finish(worker_job *j, GKeyFile **result, GError **err)
{
	bool ok = false;
	int status = 0;
	*result = NULL;
	/* Not at EOF yet: block until the child is done writing. */
	while (!j->eof) {
		struct pollfd pfd = { .fd = j->fd, .events = POLLIN };
		int left = -1;
		if (j->deadline) {
			int64_t l = j->deadline - now_ms();
			left = l <= 0 ? 0 : l > 60000 ? 60000 : (int)l;
		}
		if (poll(&pfd, 1, left) < 0 && errno != EINTR)
			break;
		worker_job_read(j);
	}
	bool in_time = !j->timed_out;
	if (j->timed_out || j->too_much || !j->eof) {
		kill(j->pid, SIGKILL);
		reap(j->pid, &status);
	} else {
		in_time = wait_child(j->pid, &status, j->deadline);
	}
	if (!in_time)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker timed out after %u s",
		            j->timeout_seconds);
	else if (j->too_much)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "worker sent more than %u MiB of result", WORKER_MAX_RESULT >> 20);
	else if (WIFSIGNALED(status))
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker killed by signal %d (%s)",
		            WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker exited with status %d",
		            WEXITSTATUS(status));
	else
		ok = parse_result(j->buf, result, err);
	close(j->fd);
	g_byte_array_free(j->buf, TRUE);
	g_free(j);
	return ok;
}
