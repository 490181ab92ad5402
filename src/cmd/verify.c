/*
 * cmd/verify.c — `archive verify [-j N] [--fast] [--json] [--stale DAYS] [--limit N]
 *                            [BUNDLE|BAGDIR ...]`
 *
 * Verifies each bundle or bag directory given, or with none every
 * bundles/YYYY/ID.tar.gz of the store (or, with --stale/--limit, those
 * least recently verified), and prints one verdict per bag: a line per
 * problem, so that an auditor sees everything wrong at once. -j N verifies
 * N bags at once; the output is the same as with -j 1. Exit 0 when all
 * are valid, 1 when any is not, 3 when the store cannot be read.
 */
#include "bag/verify.h"
#include "cli/cli.h"
#include "log/translog.h"
#include "core/errors.h"
#include "store/fixity.h"
#include "core/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: archive verify [-j N] [--fast] [--json] [--stale DAYS] [--limit N]\n"
	"                      [BUNDLE|BAGDIR ...]\n"
	"  Verify .tar.gz, .tar and .zip bags and bag directories of any BagIt tool\n"
	"  (0.93 to 1.0), in one streaming pass each, never writing to disk.\n"
	"  With no argument, verify the whole store: every bundle and its sidecar,\n"
	"  the catalog and the audit log's hash chain; each verification is\n"
	"  recorded in the audit log and the catalog.\n"
	"  -j N          verify N bags at once (same output as -j 1)\n"
	"  --fast        structure, Payload-Oxum and required fields only; no checksums\n"
	"  --json        one JSON object per bundle, then a summary object\n"
	"  --stale DAYS  store only: only bundles not verified for DAYS days,\n"
	"                least recently verified first (never verified: first of all)\n"
	"  --limit N     store only: verify at most N bundles (least recently verified)\n";

static void print_report(const bag_report *r, const cli_ctx *c)
{
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		cli_log_failure(c, "%s: %s: %s", r->id, p->file, p->reason);
	}
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "bundle", r->path);
		json_kv_string(w, "id", r->id);
		json_kv_bool(w, "valid", r->valid);
		json_key(w, "problems");
		bag_problems_to_json(w, r->problems);
		json_key(w, "warnings");
		bag_problems_to_json(w, r->warnings);
		cli_json_print(w);
		return;
	}
	if (r->valid && c->verbosity >= 0)
		cli_printf("OK  %s\n", r->id);
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		cli_printf("FAIL %s: %s: %s\n", r->id, p->file, p->reason);
	}
	if (c->verbosity >= 0)
		for (guint i = 0; i < r->warnings->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->warnings, i);
			cli_printf("WARN %s: %s: %s\n", r->id, p->file, p->reason);
		}
}

/* Store mode: fixity_run() calls this after each bundle. */
typedef struct {
	const cli_ctx *c;
} progress_ctx;

static void on_bundle(const char *path, const bag_report *r, void *arg)
{
	progress_ctx *p = arg;
	(void)path;
	cli_progress_hide(p->c);
	print_report(r, p->c);
	fflush(stdout);
	cli_progress_step(p->c, r->id, 0);
}

/* `archive verify` with no argument: the whole store, recorded. */
static int verify_store(const cli_ctx *c, cli_store *st, const fixity_opts *opts)
{
	progress_ctx p = { c };
	fixity_opts fo = *opts;
	fo.rows_restored = st->rows_restored;
	fixity_result res;
	GError *err = NULL;
	/* 0 bytes: the rate is in bundles/s */
	cli_progress_start(c, store_count_bundles(c->store), 0);
	bool ran = fixity_run(c->store, st->catalog, &fo, on_bundle, &p, &res, &err);
	cli_progress_end(c);
	/* The transparency log too: the checkpoint's signature, the audit
	 * log's lines against its root, the tiles, the cosigned checkpoints
	 * (before this run's own lines are added to it). */
	char *cp = g_build_filename(c->store, "log", "checkpoint", NULL);
	GPtrArray *log_problems = g_ptr_array_new_with_free_func(g_free);
	translog_verdict v;
	if (ran && g_file_test(cp, G_FILE_TEST_EXISTS) &&
	    !translog_verify(c->store, NULL, log_problems, &v, &err))
		ran = false;
	for (guint i = 0; ran && i < log_problems->len; i++)
		bag_add_problem(res.problems, "log", "%s", (char *)g_ptr_array_index(log_problems, i));
	g_ptr_array_unref(log_problems);
	g_free(cp);
	if (!ran) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		fixity_result_clear(&res);
		return EXIT_CANNOT_PROCEED;
	}
	for (guint i = 0; i < res.problems->len; i++) {
		const bag_problem *pr = g_ptr_array_index(res.problems, i);
		cli_log_failure(c, "%s: %s", pr->file, pr->reason);
		if (!c->json)
			cli_printf("FAIL %s: %s\n", pr->file, pr->reason);
	}
	cli_summary(c, "%u verified: %u OK, %u FAIL; %u store problems", res.verified,
	            res.verified - res.failed, res.failed, res.problems->len);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "verified", res.verified);
		json_kv_int(w, "ok", res.verified - res.failed);
		json_kv_int(w, "failed", res.failed);
		json_kv_int(w, "not_due", res.not_due);
		json_kv_int(w, "audit_lines", (int64_t)res.audit_lines);
		json_key(w, "store_problems");
		bag_problems_to_json(w, res.problems);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		char *rest = res.not_due ? g_strdup_printf(" (%u not due)", res.not_due) : g_strdup("");
		cli_printf("%u verified: %u OK, %u FAIL%s; audit log: %" G_GUINT64_FORMAT " lines, %s\n",
		       res.verified, res.verified - res.failed, res.failed, rest, res.audit_lines,
		       res.problems->len ? "PROBLEMS ABOVE" : "chain intact");
		g_free(rest);
	}
	int rc = res.failed || res.problems->len ? EXIT_ITEM_FAILED : EXIT_OK;
	fixity_result_clear(&res);
	return rc;
}

/* A path that is not there: said on stderr, and as a line of --json. */
static void print_missing(const char *p, int e, const cli_ctx *c)
{
	cli_error(c, "%s: %s", p, g_strerror(e));
	if (!c->json)
		return;
	bag_report *r = bag_report_new(p);
	bag_add_problem(r->problems, p, "%s", g_strerror(e));
	print_report(r, c);
	bag_report_free(r);
}

/* The bags given: each in the order given, the ones that are missing
 * included, whichever process verified it. */
typedef struct {
	char **args;        /* as given */
	int *err;           /* per argument: errno of stat, 0 when it is there */
	guint *index;       /* the verified ones' positions in args */
	guint n_args, shown;
	const cli_ctx *c;
	int nok, nfail;
} files_ctx;

static void show_missing_before(files_ctx *x, guint upto)
{
	for (; x->shown < upto; x->shown++)
		if (x->err[x->shown]) {
			print_missing(x->args[x->shown], x->err[x->shown], x->c);
			x->nfail++;
		}
}

static bool on_file(guint i, bag_report *r, void *arg)
{
	files_ctx *x = arg;
	show_missing_before(x, x->index[i]);
	print_report(r, x->c);
	if (r->valid)
		x->nok++;
	else
		x->nfail++;
	x->shown = x->index[i] + 1;
	fflush(stdout);
	return true;
}

enum { OPT_FAST = 256, OPT_STALE, OPT_LIMIT };

static const struct option longopts[] = {
	{ "fast", no_argument, NULL, OPT_FAST },
	{ "stale", required_argument, NULL, OPT_STALE },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "jobs", required_argument, NULL, 'j' },
	{ 0 },
};

static struct {
	fixity_opts fo;
	guint n_args;
	char **args;
} args = { .fo = { .jobs = 1, .stale_days = -1 } };

static int option(cli_ctx *c, int opt, const char *arg)
{
	int n;
	guint64 v;
	switch (opt) {
	case 'j':
		if (!cli_parse_jobs(arg, &n))
			return cli_usage_error(c, "-j: '%s' is not a positive number", arg);
		args.fo.jobs = n;
		break;
	case OPT_FAST: args.fo.verify.fast = true; break;
	case OPT_STALE:
		if (!g_ascii_string_to_unsigned(arg, 10, 0, 100000, &v, NULL))
			return cli_usage_error(c, "--stale: '%s' is not a number of days", arg);
		args.fo.stale_days = (int)v;
		break;
	case OPT_LIMIT:
		if (!g_ascii_string_to_unsigned(arg, 10, 1, G_MAXUINT, &v, NULL))
			return cli_usage_error(c, "--limit: '%s' is not a positive number", arg);
		args.fo.limit = (unsigned)v;
		break;
	}
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc == 0)
		return -1; /* the whole store, recorded: the table's STORE_WRITE */
	/* --stale and --limit choose among the store's bundles; with bags
	 * named on the command line they would silently drop some. */
	if (args.fo.stale_days >= 0 || args.fo.limit > 0)
		return cli_usage_error(c, "--stale and --limit apply to the whole store, not to "
		                          "BUNDLE or BAGDIR arguments");
	c->mode = STORE_NONE;
	args.n_args = (guint)argc;
	args.args = argv;
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	if (!args.n_args)
		return verify_store(c, st, &args.fo);
	files_ctx x = { .args = args.args, .n_args = args.n_args, .c = c };
	x.err = g_new0(int, x.n_args);
	x.index = g_new0(guint, x.n_args);
	const char **paths = g_new0(const char *, x.n_args + 1);
	guint np = 0;
	for (guint i = 0; i < x.n_args; i++) {
		struct stat sb;
		if (stat(x.args[i], &sb) != 0) {
			x.err[i] = errno;
			continue;
		}
		x.index[np] = i;
		paths[np++] = x.args[i];
	}
	GError *err = NULL;
	bag_verify_each(paths, np, &args.fo.verify, args.fo.jobs, on_file, &x, &err);
	if (!err)
		show_missing_before(&x, x.n_args);
	g_free(paths);
	g_free(x.err);
	g_free(x.index);
	/* Not every bag was verified: no summary, which would count only
	 * those that were as if they were all. */
	if (err) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_CANNOT_PROCEED;
	}

	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "verified", x.nok + x.nfail);
		json_kv_int(w, "ok", x.nok);
		json_kv_int(w, "failed", x.nfail);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("%d verified: %d OK, %d FAIL\n", x.nok + x.nfail, x.nok, x.nfail);
	}
	cli_summary(c, "%d verified: %d OK, %d FAIL", x.nok + x.nfail, x.nok, x.nfail);
	return x.nfail ? EXIT_ITEM_FAILED : EXIT_OK;
}

const cli_command cmd_verify = { usage_text, "j:", longopts, option, operands, run };
