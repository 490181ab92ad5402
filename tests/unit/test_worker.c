/* Unit tests: the forked worker — results, errors, crashes, limits, hangs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "core/worker.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* No child of ours is left unreaped. */
static bool no_zombies(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static worker_limits quick_limits(void)
{
	worker_limits lim;
	worker_limits_default(&lim);
	lim.timeout_seconds = 20;
	return lim;
}

static bool job_ok(void *arg, GVariantDict *result, GError **err)
{
	worker_dict_put(result, "title", (const char *)arg);
	g_variant_dict_insert(result, "pages", "i", 3);
	worker_dict_put(result, "odd", "line1\nline2 = [x] ;#");
	/* Not UTF-8 (an EUC-KR file name): the wire carries it byte-exact. */
	worker_dict_put(result, "name", "\xba\xd9.pdf");
	return true;
}

static bool job_error(void *arg, GVariantDict *result, GError **err)
{
	g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "x.pdf: damaged or truncated: %s",
	            "multi\nline");
	return false;
}

static bool job_store_error(void *arg, GVariantDict *result, GError **err)
{
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "x.pdf.txt: No space left on device");
	return false;
}

static bool job_segv(void *arg, GVariantDict *result, GError **err)
{
	/* ASan catches SIGSEGV itself and exits with status 1; the default
	 * action is what a poppler crash in a release build looks like. */
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return true;
}

static bool job_hang(void *arg, GVariantDict *result, GError **err)
{
	for (;;)
		pause();
	return true;
}

static bool job_exit3(void *arg, GVariantDict *result, GError **err)
{
	_exit(3);
}

static bool job_big(void *arg, GVariantDict *result, GError **err)
{
	/* Far more than a pipe buffer (64 KiB): the parent must read while the
	 * child writes. */
	for (int i = 0; i < 20000; i++) {
		char key[32];
		snprintf(key, sizeof key, "k%05d", i);
		worker_dict_put(result, key, "0123456789abcdef0123456789abcdef");
	}
	return true;
}

static bool job_big_file(void *arg, GVariantDict *result, GError **err)
{
	const char *path = arg;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: cannot open", path);
		return false;
	}
	static char block[65536];
	for (int i = 0; i < 32; i++) { /* 2 MiB */
		if (write(fd, block, sizeof block) != (ssize_t)sizeof block) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: write failed: %s", path,
			            g_strerror(errno));
			close(fd);
			return false;
		}
	}
	close(fd);
	return true;
}

#if !UNDER_ASAN
static bool job_alloc(void *arg, GVariantDict *result, GError **err)
{
	size_t n = (size_t)512 << 20;
	char *p = malloc(n);
	if (!p) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "out of memory");
		return false;
	}
	memset(p, 1, n);
	g_variant_dict_insert(result, "sum", "i", (int)p[n - 1]);
	free(p);
	return true;
}
#endif

TEST(worker_returns_keys)
{
	worker_limits lim = quick_limits();
	GVariantDict *kf = NULL;
	GError *err = NULL;
	int fds = count_fds();
	EXPECT(worker_run(&lim, job_ok, "공공누리 title", &kf, &err));
	EXPECT(err == NULL);
	EXPECT(kf != NULL);
	if (kf) {
		char *t = worker_dict_take(kf, "title");
		char *o = worker_dict_take(kf, "odd");
		char *n = worker_dict_take(kf, "name");
		int pages = 0;
		EXPECT_STR(t, "공공누리 title");
		EXPECT_STR(o, "line1\nline2 = [x] ;#");
		EXPECT_STR(n, "\xba\xd9.pdf");
		EXPECT(g_variant_dict_lookup(kf, "pages", "i", &pages) && pages == 3);
		EXPECT(worker_dict_take(kf, "absent") == NULL);
		g_free(t);
		g_free(o);
		g_free(n);
		g_variant_dict_unref(kf);
	}
	EXPECT_INT(count_fds(), fds);
	EXPECT(no_zombies());
}

TEST(worker_carries_job_error)
{
	worker_limits lim = quick_limits();
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(!worker_run(&lim, job_error, NULL, &kf, &err));
	EXPECT(kf == NULL);
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT);
	EXPECT_STR(err ? err->message : NULL, "x.pdf: damaged or truncated: multi\nline");
	g_clear_error(&err);
	/* The job's code travels too: a full disk stops the run. */
	EXPECT(!worker_run(&lim, job_store_error, NULL, &kf, &err));
	EXPECT(err && err->code == ARC_ERROR_STORE);
	EXPECT_STR(err ? err->message : NULL, "x.pdf.txt: No space left on device");
	g_clear_error(&err);
	EXPECT(no_zombies());
}

TEST(worker_reports_signal)
{
	worker_limits lim = quick_limits();
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(!worker_run(&lim, job_segv, NULL, &kf, &err));
	EXPECT(kf == NULL);
	EXPECT_STR(err ? err->message : NULL, "worker killed by signal 11 (Segmentation fault)");
	g_clear_error(&err);
	EXPECT(no_zombies());
}

TEST(worker_reports_exit_status)
{
	worker_limits lim = quick_limits();
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(!worker_run(&lim, job_exit3, NULL, &kf, &err));
	EXPECT_STR(err ? err->message : NULL, "worker exited with status 3");
	g_clear_error(&err);
	EXPECT(no_zombies());
}

TEST(worker_times_out)
{
	worker_limits lim = quick_limits();
	lim.timeout_seconds = 1;
	GVariantDict *kf = NULL;
	GError *err = NULL;
	int fds = count_fds();
	gint64 t0 = g_get_monotonic_time();
	EXPECT(!worker_run(&lim, job_hang, NULL, &kf, &err));
	gint64 took = g_get_monotonic_time() - t0;
	EXPECT(kf == NULL);
	EXPECT_STR(err ? err->message : NULL, "worker timed out after 1 s");
	EXPECT(took >= 900000 && took < 3000000);
	g_clear_error(&err);
	EXPECT_INT(count_fds(), fds);
	EXPECT(no_zombies());
}

TEST(worker_large_result)
{
	worker_limits lim = quick_limits();
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(worker_run(&lim, job_big, NULL, &kf, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	EXPECT(kf != NULL);
	if (kf) {
		char *last = worker_dict_take(kf, "k19999");
		EXPECT_STR(last, "0123456789abcdef0123456789abcdef");
		g_free(last);
		GVariant *all = g_variant_ref_sink(g_variant_dict_end(kf));
		EXPECT_INT(g_variant_n_children(all), 20000);
		g_variant_unref(all);
		g_variant_dict_unref(kf);
	}
	EXPECT(no_zombies());
}

TEST(worker_file_size_limit)
{
	worker_limits lim = quick_limits();
	lim.file_size = 1 << 20;
	char *dir = unit_tmpdir();
	char *path = g_build_filename(dir, "big", NULL);
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(!worker_run(&lim, job_big_file, path, &kf, &err));
	EXPECT(kf == NULL);
	/* SIGXFSZ kills the child unless it is ignored; then write fails. */
	EXPECT(err && (strstr(err->message, "signal 25") ||
	               strstr(err->message, "write failed")));
	if (err)
		fprintf(stderr, "file size limit: %s\n", err->message);
	g_clear_error(&err);
	/* The limit applies to the child only. */
	EXPECT(job_big_file(path, NULL, &err));
	g_clear_error(&err);
	unlink(path);
	rmdir(dir);
	g_free(path);
	g_free(dir);
	EXPECT(no_zombies());
}

#if !UNDER_ASAN
TEST(worker_address_space_limit)
{
	worker_limits lim = quick_limits();
	lim.address_space = (uint64_t)256 << 20;
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(!worker_run(&lim, job_alloc, NULL, &kf, &err));
	EXPECT(kf == NULL);
	EXPECT(err && (strstr(err->message, "out of memory") ||
	               strstr(err->message, "worker killed by signal")));
	if (err)
		fprintf(stderr, "address space limit: %s\n", err->message);
	g_clear_error(&err);
	/* Without the limit the same job succeeds. */
	lim.address_space = 0;
	EXPECT(worker_run(&lim, job_alloc, NULL, &kf, &err));
	if (kf)
		g_variant_dict_unref(kf);
	g_clear_error(&err);
	EXPECT(no_zombies());
}
#endif

TEST(worker_defaults)
{
	worker_limits lim;
	worker_limits_default(&lim);
	EXPECT_INT(lim.address_space, UNDER_ASAN ? 0 : (uint64_t)2 << 30);
	EXPECT_INT(lim.cpu_seconds, 120);
	EXPECT_INT(lim.file_size, (uint64_t)4 << 30);
	EXPECT_INT(lim.timeout_seconds, 180);
}

TEST(worker_limits_from_config)
{
	worker_limits lim;
	GError *err = NULL;
	worker_limits_default(&lim);
	EXPECT(worker_limits_set(&lim, "worker_memory", "512M", &err));
	EXPECT_INT(lim.address_space, (uint64_t)512 << 20);
	EXPECT(worker_limits_set(&lim, "worker_memory", "2GiB", &err));
	EXPECT_INT(lim.address_space, (uint64_t)2 << 30);
	EXPECT(worker_limits_set(&lim, "worker_file_size", "4096", &err));
	EXPECT_INT(lim.file_size, 4096);
	EXPECT(worker_limits_set(&lim, "worker_file_size", "unlimited", &err));
	EXPECT_INT(lim.file_size, 0);
	EXPECT(worker_limits_set(&lim, "worker_cpu_seconds", "30s", &err));
	EXPECT_INT(lim.cpu_seconds, 30);
	EXPECT(worker_limits_set(&lim, "worker_timeout_seconds", "2", &err));
	EXPECT_INT(lim.timeout_seconds, 2);
	EXPECT(err == NULL);

	/* Bad values and unknown keys are refused and change nothing. */
	static const char *const bad[][2] = {
		{ "worker_memory", "2Q" },           { "worker_memory", "-1" },
		{ "worker_memory", "" },             { "worker_memory", "99999999999T" },
		{ "worker_cpu_seconds", "1m" },      { "worker_timeout_seconds", "0" },
		{ "worker_timeout_seconds", "unlimited" }, { "worker_memroy", "1G" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		worker_limits before = lim;
		EXPECT(!worker_limits_set(&lim, bad[i][0], bad[i][1], &err));
		EXPECT(err && err->code == ARC_ERROR_STORE && strstr(err->message, bad[i][0]));
		EXPECT(memcmp(&before, &lim, sizeof lim) == 0);
		g_clear_error(&err);
	}
}


/* ---- the pool ---- */

/* Pool jobs: the request names what to do. */
static void burn_cpu(double seconds)
{
	struct timespec a, b;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < seconds);
}

static bool grandchild_kills_parent(void *arg, GVariantDict *result, GError **err)
{
	kill(getppid(), SIGKILL);
	sleep(8); /* holds whatever it inherited open for that long */
	return true;
}

static GBytes *pool_job(void *arg, GBytes *request, GError **err)
{
	gsize len;
	const char *req = g_bytes_get_data(request, &len);
	char *what = g_strndup(req, len);
	GBytes *out = NULL;
	if (strcmp(what, "pid") == 0) {
		char *s = g_strdup_printf("%d", (int)getpid());
		out = g_bytes_new_take(s, strlen(s));
	} else if (strcmp(what, "segv") == 0) {
		raise(SIGSEGV);
	} else if (strcmp(what, "hang") == 0) {
		for (;;)
			pause();
	} else if (strcmp(what, "error") == 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "bad input: %s", what);
	} else if (g_str_has_prefix(what, "count:")) {
		/* One line per run of the job, as ingest's prepare leaves a
		 * tmp/run-* folder per run: a job run twice shows. */
		FILE *f = fopen(what + 6, "a");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
		out = g_bytes_new("ok", 2);
	} else if (strcmp(what, "cpu0.7") == 0) {
		burn_cpu(0.7);
		out = g_bytes_new("ok", 2);
	} else if (strcmp(what, "cpu-forever") == 0) {
		burn_cpu(1e9);
	} else if (strcmp(what, "orphan") == 0) {
		/* A worker of this worker kills it and lives on: the pool
		 * must see its death at once, not when the grandchild ends. */
		worker_limits lim;
		GVariantDict *kf = NULL;
		worker_limits_default(&lim);
		worker_run(&lim, grandchild_kills_parent, NULL, &kf, err);
	}
	g_free(what);
	return out;
}

static GBytes *req_of(const char *what)
{
	return g_bytes_new(what, strlen(what));
}

/* The result of a job as a string, NULL on failure (err says why). */
static char *finish_str(worker_job *j, GError **err)
{
	GBytes *b = worker_finish_bytes(j, err);
	if (!b)
		return NULL;
	gsize n;
	const char *d = g_bytes_get_data(b, &n);
	char *s = g_strndup(d, n);
	g_bytes_unref(b);
	return s;
}

static char *pool_call(worker_pool *p, const char *what, GError **err)
{
	GBytes *req = req_of(what);
	worker_job *j = worker_pool_submit(p, req, err);
	g_bytes_unref(req);
	return j ? finish_str(j, err) : NULL;
}

TEST(pool_reuses_children)
{
	worker_limits lim = quick_limits();
	worker_pool *p = worker_pool_new(&lim, 2, 1, 0, pool_job, NULL);
	GHashTable *pids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GError *err = NULL;
	for (int i = 0; i < 20; i++) {
		char *pid = pool_call(p, "pid", &err);
		EXPECT(pid && atoi(pid) > 0 && atoi(pid) != (int)getpid());
		if (pid)
			g_hash_table_add(pids, pid);
	}
	EXPECT(err == NULL);
	/* One at a time: one child did all twenty. */
	EXPECT_INT(g_hash_table_size(pids), 1);
	/* Two side by side: two children. */
	GBytes *req = g_bytes_new("pid", 3);
	worker_job *a = worker_pool_submit(p, req, &err);
	worker_job *b = worker_pool_submit(p, req, &err);
	worker_job *c = worker_pool_submit(p, req, &err); /* no third child */
	EXPECT(a && b && !c && err && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	GBytes *ra = a ? worker_finish_bytes(a, &err) : NULL;
	GBytes *rb = b ? worker_finish_bytes(b, &err) : NULL;
	EXPECT(ra && rb && !g_bytes_equal(ra, rb));
	g_bytes_unref(req);
	if (ra)
		g_bytes_unref(ra);
	if (rb)
		g_bytes_unref(rb);
	/* Freeing the pool ends both children (each must see EOF although
	 * its sibling was forked with the parent's end of its socket). */
	alarm(10);
	worker_pool_free(p);
	alarm(0);
	EXPECT(no_zombies());
	g_hash_table_unref(pids);
}

TEST(pool_failure_ends_only_its_job)
{
	worker_limits lim = quick_limits();
	lim.timeout_seconds = 1;
	worker_pool *p = worker_pool_new(&lim, 1, 1, 0, pool_job, NULL);
	GError *err = NULL;
	char *before = pool_call(p, "pid", &err);
	char *s = pool_call(p, "segv", &err);
	EXPECT(!s && err && err->code == ARC_ERROR_INPUT);
	if (!UNDER_ASAN) /* ASan's handler exits instead */
		EXPECT(err && strstr(err->message, "worker killed by signal 11"));
	g_clear_error(&err);
	char *after = pool_call(p, "pid", &err);
	EXPECT(before && after && strcmp(before, after) != 0); /* a new child */
	s = pool_call(p, "error", &err);
	EXPECT(!s && err && strcmp(err->message, "bad input: error") == 0);
	g_clear_error(&err);
	char *same = pool_call(p, "pid", &err);
	/* Nor is the child of a failed job given another. */
	EXPECT(same && after && strcmp(same, after) != 0);
	s = pool_call(p, "hang", &err);
	EXPECT(!s && err && strcmp(err->message, "worker timed out after 1 s") == 0);
	g_clear_error(&err);
	char *again = pool_call(p, "pid", &err);
	EXPECT(again && err == NULL);
	worker_pool_free(p);
	EXPECT(no_zombies());
	g_free(before);
	g_free(after);
	g_free(same);
	g_free(again);
}

/* Two jobs queued on one child: the second runs in the same child right
 * after the first; if the first kills its child, the second, never
 * started, goes to a new child and succeeds. */
TEST(pool_queues_jobs)
{
	worker_limits lim = quick_limits();
	worker_pool *p = worker_pool_new(&lim, 1, 2, 0, pool_job, NULL);
	GError *err = NULL;
	GBytes *pid = req_of("pid"), *segv = req_of("segv");
	worker_job *a = worker_pool_submit(p, pid, &err);
	worker_job *b = worker_pool_submit(p, pid, &err);
	worker_job *c = worker_pool_submit(p, pid, &err); /* queue full */
	EXPECT(a && b && !c && err && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	/* b cannot be read before a: it is not its child's first. */
	usleep(200 * 1000);
	EXPECT(b && !worker_job_read(b));
	char *ra = a ? finish_str(a, &err) : NULL;
	char *rb = b ? finish_str(b, &err) : NULL;
	EXPECT(ra && rb && strcmp(ra, rb) == 0); /* one child ran both */
	a = worker_pool_submit(p, segv, &err);
	b = worker_pool_submit(p, pid, &err);
	char *rc = a ? finish_str(a, &err) : NULL;
	EXPECT(!rc && err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	char *rd = b ? finish_str(b, &err) : NULL;
	EXPECT(rd && err == NULL && strcmp(rd, ra ? ra : "") != 0); /* a new child */
	g_clear_error(&err);
	/* Freed with jobs not finished: they go with it, no zombie. */
	GBytes *hang = req_of("hang");
	a = worker_pool_submit(p, hang, &err);
	b = worker_pool_submit(p, pid, &err);
	EXPECT(a && b);
	worker_pool_free(p);
	g_bytes_unref(hang);
	EXPECT(no_zombies());
	g_bytes_unref(pid);
	g_bytes_unref(segv);
	g_free(ra);
	g_free(rb);
	g_free(rd);
}

static int lines_in(const char *path)
{
	char *text = NULL;
	int n = 0;
	if (g_file_get_contents(path, &text, NULL, NULL))
		for (const char *c = text; *c; c++)
			n += *c == '\n';
	g_free(text);
	return n;
}

/* A child retired (after a failed job, or after its share of jobs) while
 * the next job is already queued on it: that job runs once, in the child
 * that takes it over, never also in the retired one. */
TEST(pool_retired_child_runs_no_queued_job)
{
	worker_limits lim = quick_limits();
	char *dir = unit_tmpdir();
	char *log = g_build_filename(dir, "runs", NULL);
	char *count = g_strconcat("count:", log, NULL);
	GBytes *error = req_of("error"), *counted = req_of(count);
	GError *err = NULL;

	worker_pool *p = worker_pool_new(&lim, 1, 2, 0, pool_job, NULL);
	worker_job *a = worker_pool_submit(p, error, &err);
	worker_job *b = worker_pool_submit(p, counted, &err);
	EXPECT(a && b);
	char *ra = a ? finish_str(a, &err) : NULL;
	EXPECT(!ra && err && strcmp(err->message, "bad input: error") == 0);
	g_clear_error(&err);
	char *rb = b ? finish_str(b, &err) : NULL;
	EXPECT_STR(rb, "ok");
	EXPECT_INT(lines_in(log), 1);
	worker_pool_free(p);
	g_free(rb);
	unlink(log);

	/* The same for a child retired after its share (one job here). */
	p = worker_pool_new(&lim, 1, 2, 1, pool_job, NULL);
	a = worker_pool_submit(p, counted, &err);
	b = worker_pool_submit(p, counted, &err);
	EXPECT(a && b);
	ra = a ? finish_str(a, &err) : NULL;
	rb = b ? finish_str(b, &err) : NULL;
	EXPECT_STR(ra, "ok");
	EXPECT_STR(rb, "ok");
	EXPECT(err == NULL);
	EXPECT_INT(lines_in(log), 2);
	worker_pool_free(p);
	EXPECT(no_zombies());
	g_free(ra);
	g_free(rb);
	g_bytes_unref(error);
	g_bytes_unref(counted);
	unlink(log);
	rmdir(dir);
	g_free(count);
	g_free(log);
	g_free(dir);
}

TEST(pool_retires_children)
{
	worker_limits lim = quick_limits();
	worker_pool *p = worker_pool_new(&lim, 1, 1, 3, pool_job, NULL);
	GHashTable *pids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GError *err = NULL;
	for (int i = 0; i < 7; i++) {
		char *pid = pool_call(p, "pid", &err);
		if (pid)
			g_hash_table_add(pids, pid);
	}
	EXPECT(err == NULL);
	EXPECT_INT(g_hash_table_size(pids), 3); /* 3 + 3 + 1 */
	worker_pool_free(p);
	EXPECT(no_zombies());
	g_hash_table_unref(pids);
}

TEST(pool_cpu_limit_per_job)
{
	worker_limits lim = quick_limits();
	lim.cpu_seconds = 1;
	worker_pool *p = worker_pool_new(&lim, 1, 1, 0, pool_job, NULL);
	GError *err = NULL;
	/* 2.1 s of CPU in one child, 0.7 s per job: each job within its
	 * second, so all pass. */
	for (int i = 0; i < 3; i++) {
		char *s = pool_call(p, "cpu0.7", &err);
		if (err)
			fprintf(stderr, "cpu job %d: %s\n", i, err->message);
		EXPECT_STR(s, "ok");
		g_free(s);
		g_clear_error(&err);
	}
	char *s = pool_call(p, "cpu-forever", &err);
	EXPECT(!s && err && strstr(err->message, "worker killed by signal"));
	g_clear_error(&err);
	worker_pool_free(p);
	EXPECT(no_zombies());
}

TEST(pool_sees_death_despite_grandchild)
{
	worker_limits lim = quick_limits();
	worker_pool *p = worker_pool_new(&lim, 1, 1, 0, pool_job, NULL);
	GError *err = NULL;
	gint64 t0 = g_get_monotonic_time();
	char *s = pool_call(p, "orphan", &err);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	EXPECT(!s && err && strstr(err->message, "worker killed by signal 9"));
	/* Seen when the child died, not when its orphan ended (8 s). */
	EXPECT(ms < 5000);
	g_clear_error(&err);
	worker_pool_free(p);
	int fds = count_fds();
	EXPECT(fds > 0);
}

/* The descriptors open in the child, "0,1,2,5", the one reading them left out. */
static bool job_fds(void *arg, GVariantDict *result, GError **err)
{
	GString *list = g_string_new(NULL);
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			g_string_append_printf(list, "%s%s", list->len ? "," : "", e->d_name);
	if (d)
		closedir(d);
	worker_dict_put(result, "fds", list->str);
	g_string_free(list, TRUE);
	return true;
}

/* A child holds nothing of the parent's but stdio and its own socket: not
 * a file the parent has open (the catalog, the lock, an input). */
TEST(child_holds_no_parent_fd)
{
	worker_limits lim = quick_limits();
	int held = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: as a library might */
	int other = open(".", O_RDONLY | O_DIRECTORY);
	GVariantDict *d = NULL;
	GError *err = NULL;
	EXPECT(held > 2 && other > 2);
	EXPECT(worker_run(&lim, job_fds, NULL, &d, &err));
	char *fds = d ? worker_dict_take(d, "fds") : NULL;
	char **each = g_strsplit(fds ? fds : "", ",", -1);
	EXPECT(g_strv_length(each) == 4); /* 0, 1, 2 and the socket */
	for (char **f = each; *f; f++)
		EXPECT(atoi(*f) != held && atoi(*f) != other);
	if (g_strv_length(each) != 4)
		fprintf(stderr, "child fds: %s\n", fds ? fds : "(none)");
	g_strfreev(each);
	g_free(fds);
	if (d)
		g_variant_dict_unref(d);
	close(held);
	close(other);
	EXPECT(no_zombies());
}

/* The job of a child whose parent is killed: writes its pid, then waits. */
static bool job_pid_hang(void *arg, GVariantDict *result, GError **err)
{
	char pid[32];
	g_snprintf(pid, sizeof pid, "%d", (int)getpid());
	g_file_set_contents((const char *)arg, pid, -1, NULL);
	for (;;)
		pause();
	return true;
}

static bool process_gone(pid_t pid)
{
	char *stat = g_strdup_printf("/proc/%d/stat", (int)pid), *text = NULL;
	bool gone = !g_file_get_contents(stat, &text, NULL, NULL) ||
	            (strrchr(text, ')') && strrchr(text, ')')[2] == 'Z');
	g_free(text);
	g_free(stat);
	return gone;
}

/* Holding no lock, a child must not outlive its parent: killed with -9,
 * the parent takes its workers with it. */
TEST(child_dies_with_parent)
{
	char *dir = g_dir_make_tmp("worker-XXXXXX", NULL);
	char *pidfile = g_build_filename(dir, "pid", NULL);
	pid_t mid = fork();
	if (mid == 0) {
		worker_limits lim = quick_limits();
		GVariantDict *d = NULL;
		worker_run(&lim, job_pid_hang, pidfile, &d, NULL);
		_exit(0);
	}
	char *text = NULL;
	for (int i = 0; i < 200 && !g_file_get_contents(pidfile, &text, NULL, NULL); i++)
		g_usleep(20000);
	pid_t child = text ? (pid_t)atoi(text) : 0;
	EXPECT(child > 0);
	kill(mid, SIGKILL);
	waitpid(mid, NULL, 0);
	bool gone = false;
	for (int i = 0; i < 200 && child > 0 && !(gone = process_gone(child)); i++)
		g_usleep(10000);
	EXPECT(gone);
	if (!gone && child > 0)
		kill(child, SIGKILL);
	g_free(text);
	unlink(pidfile);
	rmdir(dir);
	g_free(pidfile);
	g_free(dir);
	EXPECT(no_zombies());
}

#if UNDER_ASAN
UNIT_MAIN(child_holds_no_parent_fd, worker_returns_keys, worker_carries_job_error, worker_reports_signal,
          worker_reports_exit_status, worker_times_out, worker_large_result,
          worker_file_size_limit, worker_defaults, worker_limits_from_config,
          pool_reuses_children, pool_failure_ends_only_its_job, pool_queues_jobs, pool_retired_child_runs_no_queued_job, pool_retires_children, pool_cpu_limit_per_job,
          pool_sees_death_despite_grandchild, child_dies_with_parent)
#else
UNIT_MAIN(child_holds_no_parent_fd, worker_returns_keys, worker_carries_job_error, worker_reports_signal,
          worker_reports_exit_status, worker_times_out, worker_large_result,
          worker_file_size_limit, worker_address_space_limit, worker_defaults,
          worker_limits_from_config, pool_reuses_children, pool_failure_ends_only_its_job, pool_queues_jobs, pool_retired_child_runs_no_queued_job, pool_retires_children,
          pool_cpu_limit_per_job, pool_sees_death_despite_grandchild,
          child_dies_with_parent)
#endif
