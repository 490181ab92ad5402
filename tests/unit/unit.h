/*
 * unit.h — the smallest test harness that does the job.
 *
 * Each tests/unit/test_<module>.c is one binary. It defines TEST(name)
 * functions and lists them in UNIT_MAIN(name, ...). Every test prints
 * "PASS name" or "FAIL name" on stdout; tests/run counts those lines.
 * EXPECT() records a failure and goes on, so one run names every broken
 * expectation. Fixture files are found under $FIXTURES (default
 * "fixtures"), scratch space under a fresh unit_tmpdir().
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

static int unit_failed_now;
static int unit_npass, unit_nfail;

#define TEST(name) static void name(void)

#define EXPECT(cond)                                                        \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: expected: %s\n", __FILE__,  \
			        __LINE__, #cond);                           \
			unit_failed_now = 1;                                \
		}                                                           \
	} while (0)

/* String equality that prints both sides on failure (NULL-safe). */
#define EXPECT_STR(a, b)                                                    \
	do {                                                                \
		const char *ua_ = (a), *ub_ = (b);                          \
		if (!((ua_ == NULL && ub_ == NULL) ||                       \
		      (ua_ && ub_ && strcmp(ua_, ub_) == 0))) {             \
			fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", \
			        __FILE__, __LINE__, #a, ua_ ? ua_ : "(null)", \
			        ub_ ? ub_ : "(null)");                      \
			unit_failed_now = 1;                                \
		}                                                           \
	} while (0)

#define EXPECT_INT(a, b)                                                    \
	do {                                                                \
		long long ua_ = (long long)(a), ub_ = (long long)(b);       \
		if (ua_ != ub_) {                                           \
			fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", \
			        __FILE__, __LINE__, #a, ua_, ub_);          \
			unit_failed_now = 1;                                \
		}                                                           \
	} while (0)

static inline const char *unit_fixtures(void)
{
	const char *f = getenv("FIXTURES");
	return f && *f ? f : "fixtures";
}

/* A fresh scratch directory, removed by nobody: tests/run gives each
 * binary its own $TMPDIR and removes it afterwards. */
static inline char *unit_tmpdir(void)
{
	GError *err = NULL;
	char *d = g_dir_make_tmp("unit-XXXXXX", &err);
	if (!d) {
		fprintf(stderr, "unit_tmpdir: %s\n", err->message);
		exit(2);
	}
	return d;
}

static inline void unit_run(const char *name, void (*fn)(void))
{
	unit_failed_now = 0;
	fn();
	printf("%s %s\n", unit_failed_now ? "FAIL" : "PASS", name);
	fflush(stdout);
	if (unit_failed_now)
		unit_nfail++;
	else
		unit_npass++;
}

#define UNIT_RUN_ONE(t) unit_run(#t, t);
#define UNIT_MAIN(...)                                                      \
	int main(void)                                                      \
	{                                                                   \
		void (*fns_[])(void) = { __VA_ARGS__ };                     \
		const char *names_ = #__VA_ARGS__;                          \
		char **nv_ = g_strsplit(names_, ",", -1);                   \
		for (size_t i_ = 0; i_ < sizeof fns_ / sizeof fns_[0]; i_++) \
			unit_run(g_strstrip(nv_[i_]), fns_[i_]);            \
		g_strfreev(nv_);                                            \
		return unit_nfail ? 1 : 0;                                  \
	}

#endif
