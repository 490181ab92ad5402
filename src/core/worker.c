/*
 * core/worker.c — jobs in forked children with resource limits and deadlines.
 *
 * A pool's children run job after job. Each has one socket to the parent.
 * Parent to child: a job is an 8-byte length and the request's bytes; EOF
 * tells the child to exit. Child to parent: an 8-byte length and the
 * payload, "O\n" followed by the result's bytes, or "E<code>\n" followed
 * by the job's error message. The result is whole when that many bytes
 * have come; a child that dies first is judged by its wait status, never
 * by the partial bytes, so a crash can not pass for a result, and only
 * the job it was running fails.
 */
#include "core/worker.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/* In a new child: no core files, and the limits that hold for its life
 * (CPU seconds are counted per job: cpu_limit_from_now). */
static void apply_limits(const worker_limits *lim)
{
	struct rlimit no_core = { 0, 0 };
	/* A hostile PDF that crashes poppler must not leave core files behind. */
	(void)setrlimit(RLIMIT_CORE, &no_core);
	if (!WORKER_ASAN)
		set_limit(RLIMIT_AS, lim->address_space);
	set_limit(RLIMIT_FSIZE, lim->file_size);
}

/* What a child sends for a job: "O\n" and the result, or "E<code>\n" and
 * the error's message. */
static GString *result_payload(GBytes *result, const GError *err)
{
	GString *out = g_string_new(NULL);
	if (result) {
		gsize len = 0;
		const char *data = g_bytes_get_data(result, &len);
		g_string_append(out, "O\n");
		g_string_append_len(out, data, (gssize)len);
	} else {
		int code = err && err->domain == ARC_ERROR ? err->code : ARC_ERROR_INPUT;
		g_string_append_printf(out, "E%d\n%s", code,
		                       err && err->message ? err->message : "the job failed");
	}
	return out;
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

/* The payload of a result (see result_payload): the job's bytes, or its
 * error. */
static GBytes *parse_payload(const guint8 *data, gsize len, GError **err)
{
	const char *p = (const char *)data;
	const char *nl = len ? memchr(p, '\n', len) : NULL;
	if (!nl) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent no result");
		return NULL;
	}
	size_t head = (size_t)(nl - p) + 1;
	if (p[0] == 'E') {
		int code = atoi(p + 1);
		if (code < ARC_ERROR_INPUT || code > ARC_ERROR_USAGE)
			code = ARC_ERROR_INPUT;
		g_set_error(err, ARC_ERROR, code, "%.*s", (int)(len - head), p + head);
		return NULL;
	}
	if (p[0] != 'O' || head != 2) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent a malformed result");
		return NULL;
	}
	return g_bytes_new(p + head, len - head);
}

typedef struct {
	pid_t pid;    /* 0: no child here (not started yet, or ended) */
	int sock;     /* the parent's end, -1 when closed */
	GQueue queue; /* worker_job*: sent to it, not finished, in order */
	guint jobs;   /* jobs this child has run */
} pool_child;

struct worker_pool {
	worker_limits lim;
	worker_pool_fn fn;
	void *arg;
	guint size;
	guint depth;          /* jobs queued per child, at least 1 */
	guint jobs_per_child; /* 0: no limit */
	pool_child *kids;
};

struct worker_job {
	worker_pool *pool;
	guint kid;        /* its child: pool->kids[kid] */
	int fd;           /* that child's socket */
	GBytes *request;  /* kept to send again should the child die before it */
	int64_t deadline; /* ms, 0: none until the job is its child's first */
	GByteArray *buf;  /* the result frame as it comes */
	uint64_t want;    /* bytes of the frame; 0 until its length came */
	bool eof, timed_out, too_much;
};

int worker_job_fd(const worker_job *j)
{
	return j->fd;
}

/* The result is whole: its length and that many bytes came. */
static bool frame_done(worker_job *j)
{
	if (!j->want && j->buf->len >= sizeof(uint64_t)) {
		uint64_t n;
		memcpy(&n, j->buf->data, sizeof n);
		if (n > WORKER_MAX_RESULT) {
			j->too_much = true;
			return true;
		}
		j->want = sizeof n + n;
	}
	return j->want && j->buf->len >= j->want;
}

static bool job_is_first(const worker_job *j)
{
	return g_queue_peek_head(&j->pool->kids[j->kid].queue) == j;
}

bool worker_job_read(worker_job *j)
{
	if (!job_is_first(j))
		return false; /* its child is still on an earlier job */
	if (j->eof)
		return true;
	if (j->deadline && now_ms() >= j->deadline) {
		j->timed_out = j->eof = true;
		return true;
	}
	struct pollfd pfd = { .fd = j->fd, .events = POLLIN };
	while (poll(&pfd, 1, 0) > 0) {
		guint8 chunk[65536];
		/* No further than this frame (its length first): the next
		 * job's result may follow it on the socket. */
		size_t room = j->want ? (size_t)MIN(j->want - j->buf->len, sizeof chunk)
		                      : sizeof(uint64_t) - j->buf->len;
		ssize_t n = read(j->fd, chunk, room);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			j->eof = true; /* EOF, or a read error: the wait status judges */
			break;
		}
		if (j->buf->len + (size_t)n > WORKER_MAX_RESULT + sizeof(uint64_t)) {
			j->too_much = j->eof = true;
			break;
		}
		g_byte_array_append(j->buf, chunk, (guint)n);
		if (frame_done(j)) {
			j->eof = true;
			break;
		}
	}
	return j->eof;
}

/* Block until the job is done (or its deadline passed). */
static void job_wait(worker_job *j)
{
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
}

/* Why a child that sent no whole result ended, from its wait status. */
static void child_failed(const worker_job *j, bool in_time, int status, GError **err)
{
	if (!in_time)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker timed out after %u s",
		            j->pool->lim.timeout_seconds);
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
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent no result");
}

bool worker_finish(worker_job *j, GVariantDict **result, GError **err)
{
	*result = NULL;
	GBytes *b = worker_finish_bytes(j, err);
	if (b)
		*result = worker_dict_unpack(b, err);
	if (b)
		g_bytes_unref(b);
	return *result != NULL;
}

/* ---- the wire format ---- */

GBytes *worker_dict_pack(GVariantDict *d)
{
	GVariant *v = g_variant_ref_sink(g_variant_dict_end(d));
	GBytes *b = g_variant_get_data_as_bytes(v);
	g_variant_unref(v);
	return b;
}

GVariantDict *worker_dict_unpack(GBytes *bytes, GError **err)
{
	GVariant *v = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE_VARDICT, bytes, FALSE));
	GVariantDict *d = NULL;
	/* Our own child wrote it; still, half a result (a child that died
	 * mid-write, a worker damaged by what it parsed) is no result. */
	if (g_variant_is_normal_form(v))
		d = g_variant_dict_new(v);
	else
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "worker sent a malformed result");
	g_variant_unref(v);
	return d;
}

void worker_dict_put(GVariantDict *d, const char *key, const char *s)
{
	if (s)
		g_variant_dict_insert_value(d, key, g_variant_new_bytestring(s));
}

char *worker_dict_take(GVariantDict *d, const char *key)
{
	GVariant *v = g_variant_dict_lookup_value(d, key, G_VARIANT_TYPE_BYTESTRING);
	char *s = v ? g_variant_dup_bytestring(v, NULL) : NULL;
	if (v)
		g_variant_unref(v);
	return s;
}

/* ---- the pool ---- */

/*
 * A child keeps nothing of its parent's but stdin, stdout, stderr and its
 * own socket: not its siblings' sockets (were one kept, the parent would
 * never see that sibling die, nor the sibling see the parent close its
 * end), not the catalog's SQLite descriptors and shared-memory map, not
 * the store lock, not an input file the parent has open. A worker parses
 * hostile bytes: what it does not hold it cannot damage. Since no child
 * holds the lock, none may outlive its parent either: the kernel kills it
 * when the parent dies (PR_SET_PDEATHSIG), so that a run killed with -9
 * leaves no child writing into tmp/ while the next run cleans it.
 */
static void close_inherited(int keep)
{
	unsigned from = keep < 3 ? 3 : (unsigned)keep + 1;
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	if (close_range(from, ~0u, 0) == 0)
		return;
	/* A kernel before 5.9: one by one, up to the descriptor limit. */
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < (max > 0 ? max : 65536); fd++)
		if (fd != keep)
			close((int)fd);
}

static bool read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* CPU seconds count per job: the soft limit moves on by what the child
 * has used so far (the hard one, which only root could raise again, stays
 * as inherited). */
static void cpu_limit_from_now(unsigned seconds)
{
	struct rusage ru;
	struct rlimit rl;
	if (!seconds || getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0)
		return;
	uint64_t used_us = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
	                   (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	rlim_t want = (rlim_t)((used_us + 999999) / 1000000) + seconds;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max ? rl.rlim_max : want;
	(void)setrlimit(RLIMIT_CPU, &rl);
}

/*
 * The pooled child's life: job after job until EOF, or until it is retired
 * (its job failed, or it ran jobs_per_child jobs). Never returns.
 *
 * A retired child stops by itself, before it reads the next request: the
 * parent queues the next job on a child before the last one's result is
 * in, and moves that job to a new child when it retires this one. Were the
 * child to start it anyway, the job would run twice (ingest's prepare
 * twice, one tmp/run-* folder never removed), and a process a hostile
 * input may have damaged would parse once more.
 */
static void pool_child_run(int sock, const worker_limits *lim, guint jobs_per_child,
                           worker_pool_fn fn, void *arg)
{
	guint done = 0;
	apply_limits(lim);
	for (;;) {
		uint64_t len;
		if (!read_full(sock, &len, sizeof len))
			_exit(0); /* the parent is done with us */
		if (len > WORKER_MAX_RESULT)
			_exit(1);
		guint8 *data = g_malloc(len + 1);
		if (!read_full(sock, data, len))
			_exit(1);
		GBytes *req = g_bytes_new_take(data, len);
		cpu_limit_from_now(lim->cpu_seconds);
		GError *err = NULL;
		GBytes *out = fn(arg, req, &err);
		g_bytes_unref(req);
		GString *payload = result_payload(out, err);
		uint64_t n = payload->len;
		bool ok = write_all(sock, (const char *)&n, sizeof n) &&
		          write_all(sock, payload->str, payload->len);
		g_string_free(payload, TRUE);
		bool retired = !out || (jobs_per_child && ++done >= jobs_per_child);
		if (out)
			g_bytes_unref(out);
		g_clear_error(&err);
		if (!ok)
			_exit(1);
		if (retired)
			_exit(0);
	}
}

worker_pool *worker_pool_new(const worker_limits *lim, guint size, guint depth,
                             guint jobs_per_child, worker_pool_fn fn, void *arg)
{
	worker_pool *p = g_new0(worker_pool, 1);
	p->lim = *lim;
	p->depth = depth ? depth : 1;
	p->jobs_per_child = jobs_per_child;
	p->fn = fn;
	p->arg = arg;
	p->size = size ? size : 1;
	p->kids = g_new0(pool_child, p->size);
	for (guint i = 0; i < p->size; i++) {
		p->kids[i].sock = -1;
		g_queue_init(&p->kids[i].queue);
	}
	return p;
}

/* Close a child's socket and reap it, killed first unless it is idle (an
 * idle child exits at EOF). */
static int pool_child_end(pool_child *k, bool kill_it)
{
	int status = 0;
	if (k->sock >= 0) {
		close(k->sock);
		k->sock = -1;
	}
	if (k->pid > 0) {
		if (kill_it)
			kill(k->pid, SIGKILL);
		reap(k->pid, &status);
	}
	k->pid = 0;
	k->jobs = 0;
	return status;
}

static bool pool_child_start(worker_pool *p, pool_child *k, GError **err)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: socketpair");
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "worker: fork");
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	if (pid == 0) {
		close_inherited(sv[1]);
		/* The parent may have died between fork and prctl. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
			_exit(1);
		pool_child_run(sv[1], &p->lim, p->jobs_per_child, p->fn, p->arg);
	}
	close(sv[1]);
	k->pid = pid;
	k->sock = sv[0];
	return true;
}

/* Send a job's request to its child. MSG_NOSIGNAL: a child that died is
 * found out by its wait status when the job is finished, not by a SIGPIPE
 * here. False when it could not be sent. */
static bool send_request(const worker_job *j)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(j->request, &len);
	uint64_t n = len;
	bool sent = send(j->fd, &n, sizeof n, MSG_NOSIGNAL) == (ssize_t)sizeof n;
	for (gsize off = 0; sent && off < len;) {
		ssize_t w = send(j->fd, data + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		sent = w > 0;
		off += sent ? (gsize)w : 0;
	}
	return sent;
}

/* The job is now its child's first: its deadline starts. */
static void job_started(worker_job *j)
{
	unsigned t = j->pool->lim.timeout_seconds;
	j->deadline = t ? now_ms() + (int64_t)t * 1000 : 0;
}

/* Give the jobs queued on child k, none of which it started, to a new
 * child in its place (k is ended, killed if kill_it). A job that cannot
 * be sent fails when finished ("worker sent no result"). */
static void requeue(worker_pool *p, pool_child *k, bool kill_it, int *status)
{
	GQueue jobs = k->queue;
	g_queue_init(&k->queue);
	int st = pool_child_end(k, kill_it);
	if (status)
		*status = st;
	if (g_queue_is_empty(&jobs))
		return;
	bool up = pool_child_start(p, k, NULL);
	for (GList *l = jobs.head; l; l = l->next) {
		worker_job *j = l->data;
		j->fd = up ? k->sock : -1;
		j->eof = !up || !send_request(j);
		g_queue_push_tail(&k->queue, j);
	}
	if (!g_queue_is_empty(&k->queue))
		job_started(g_queue_peek_head(&k->queue));
}

worker_job *worker_pool_submit(worker_pool *p, GBytes *request, GError **err)
{
	/* The live child with the shortest queue that has room; else a
	 * place with no child, where one is started. */
	pool_child *k = NULL;
	for (guint i = 0; i < p->size; i++) {
		pool_child *c = &p->kids[i];
		if (c->pid > 0 && c->queue.length < p->depth && (!k || c->queue.length < k->queue.length))
			k = c;
	}
	if (!k || k->queue.length > 0)
		for (guint i = 0; i < p->size; i++)
			if (p->kids[i].pid <= 0) {
				if (!pool_child_start(p, &p->kids[i], err))
					return NULL;
				k = &p->kids[i];
				break;
			}
	if (!k) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "worker pool: no child is free");
		return NULL;
	}
	worker_job *j = g_new0(worker_job, 1);
	j->pool = p;
	j->kid = (guint)(k - p->kids);
	j->fd = k->sock;
	j->request = g_bytes_ref(request);
	j->buf = g_byte_array_new();
	j->eof = !send_request(j);
	g_queue_push_tail(&k->queue, j);
	if (k->queue.length == 1)
		job_started(j);
	return j;
}

static void job_free(worker_job *j)
{
	g_bytes_unref(j->request);
	g_byte_array_free(j->buf, TRUE);
	g_free(j);
}

GBytes *worker_finish_bytes(worker_job *j, GError **err)
{
	worker_pool *p = j->pool;
	pool_child *k = &p->kids[j->kid];
	GBytes *out = NULL;
	/* Earlier jobs of its child are finished first (by their callers):
	 * block on them here would read their results into this one. */
	g_return_val_if_fail(job_is_first(j), NULL);
	job_wait(j);
	g_queue_pop_head(&k->queue);
	if (!j->timed_out && !j->too_much && frame_done(j)) {
		out = parse_payload(j->buf->data + sizeof(uint64_t), j->buf->len - sizeof(uint64_t),
		                    err);
		/* Retired after a failed job, or after its share of jobs; what
		 * was queued on it goes to a new child. The child stopped by
		 * itself (pool_child_run); one that did not is not trusted to
		 * and is killed, rather than waited for while it runs a job
		 * that the new child runs again. */
		if (!out || (p->jobs_per_child && ++k->jobs >= p->jobs_per_child))
			requeue(p, k, !g_queue_is_empty(&k->queue), NULL);
		else if (!g_queue_is_empty(&k->queue))
			job_started(g_queue_peek_head(&k->queue));
	} else {
		/* Dead, overrun or over its deadline: this job fails by the
		 * child's wait status; the ones queued after it, which it
		 * never started, go to a new child. */
		int status = 0;
		requeue(p, k, true, &status);
		child_failed(j, !j->timed_out, status, err);
	}
	job_free(j);
	return out;
}

void worker_pool_free(worker_pool *p)
{
	if (!p)
		return;
	for (guint i = 0; i < p->size; i++) {
		pool_child *k = &p->kids[i];
		bool busy = !g_queue_is_empty(&k->queue);
		worker_job *j;
		while ((j = g_queue_pop_head(&k->queue)))
			job_free(j); /* not finished: dropped with the pool */
		pool_child_end(k, busy);
	}
	g_free(p->kids);
	g_free(p);
}

typedef struct {
	worker_fn fn;
	void *arg;
} one_job;

static GBytes *one_job_run(void *arg, GBytes *request, GError **err)
{
	const one_job *o = arg;
	GVariantDict *d = g_variant_dict_new(NULL);
	GBytes *out = o->fn(o->arg, d, err) ? worker_dict_pack(d) : NULL;
	g_variant_dict_unref(d);
	return out;
}

bool worker_run(const worker_limits *lim, worker_fn fn, void *arg, GVariantDict **result,
                GError **err)
{
	one_job o = { fn, arg };
	worker_pool *p = worker_pool_new(lim, 1, 1, 1, one_job_run, &o);
	GBytes *req = g_bytes_new(NULL, 0);
	worker_job *j = worker_pool_submit(p, req, err);
	g_bytes_unref(req);
	*result = NULL;
	bool ok = j && worker_finish(j, result, err);
	worker_pool_free(p);
	return ok;
}
