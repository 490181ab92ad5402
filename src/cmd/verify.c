/*
 * verify.c — `archive verify [-j N] [--fast] [--json] [--stale DAYS] [--limit N]
 *                            [BUNDLE|BAGDIR ...]`
 *
 * Verifies each bundle or bag directory given, or with none every
 * bundles/YYYY/ID.tar.gz of the store (or, with --stale/--limit, those
 * least recently verified), and prints one verdict per bag: a line per
 * problem, so that an auditor sees everything wrong at once. -j N verifies
 * N bags at once; the output is the same as with -j 1. Exit 0 when all
 * are valid, 1 when any is not, 3 when the store cannot be read.
 */
#include "bag_verify.h"
#include "cli.h"
#include "errors.h"
#include "fixity.h"
#include "json.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void)
{
	printf("usage: archive verify [-j N] [--fast] [--json] [--stale DAYS] [--limit N]\n"
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
	       "  --limit N     store only: verify at most N bundles (least recently verified)\n");
}

static void print_problems_json(json_writer *w, const char *key, const GPtrArray *list)
{
	json_key(w, key);
	json_begin_array(w);
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		json_begin_object(w);
		json_kv_string(w, "file", p->file);
		json_kv_string(w, "reason", p->reason);
		json_end_object(w);
	}
	json_end_array(w);
}

static void print_report(const bag_report *r, bool json, const cli_ctx *c)
{
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		cli_log_failure(c, "%s: %s: %s", r->id, p->file, p->reason);
	}
	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_string(w, "bundle", r->path);
		json_kv_string(w, "id", r->id);
		json_kv_bool(w, "valid", r->valid);
		print_problems_json(w, "problems", r->problems);
		print_problems_json(w, "warnings", r->warnings);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
		return;
	}
	if (r->valid && c->verbosity >= 0)
		printf("OK  %s\n", r->id);
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		printf("FAIL %s: %s: %s\n", r->id, p->file, p->reason);
	}
	if (c->verbosity >= 0)
		for (guint i = 0; i < r->warnings->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->warnings, i);
			printf("WARN %s: %s: %s\n", r->id, p->file, p->reason);
		}
}

/* Store mode: fixity_run() calls this after each bundle. */
typedef struct {
	bool json;
	const cli_ctx *c;
} progress_ctx;

static void on_bundle(const char *path, const bag_report *r, void *arg)
{
	progress_ctx *p = arg;
	(void)path;
	cli_progress_hide(p->c);
	print_report(r, p->json, p->c);
	fflush(stdout);
	cli_progress_step(p->c, r->id, 0);
}

/* `archive verify` with no argument: the whole store, recorded. */
static int verify_store(const cli_ctx *c, const fixity_opts *opts, bool json)
{
	/* Verifying must not create a store where there is none. */
	if (!g_file_test(c->store, G_FILE_TEST_IS_DIR)) {
		cli_error(c, "%s: cannot read store: %s", c->store, g_strerror(ENOENT));
		return EXIT_CANNOT_PROCEED;
	}
	cli_store st;
	int rc = cli_open_store(c, STORE_WRITE, &st);
	if (rc != EXIT_OK)
		return rc;
	progress_ctx p = { json, c };
	fixity_opts fo = *opts;
	fo.rows_restored = st.rows_restored;
	fixity_result res;
	GError *err = NULL;
	GPtrArray *all = store_bundle_files(c->store);
	cli_progress_start(c, all->len, 0); /* 0 bytes: the rate is in bundles/s */
	g_ptr_array_unref(all);
	bool ran = fixity_run(c->store, st.catalog, &fo, on_bundle, &p, &res, &err);
	cli_progress_end(c);
	if (!ran) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		fixity_result_clear(&res);
		cli_close_store(&st);
		return EXIT_CANNOT_PROCEED;
	}
	for (guint i = 0; i < res.problems->len; i++) {
		const bag_problem *pr = g_ptr_array_index(res.problems, i);
		cli_log_failure(c, "%s: %s", pr->file, pr->reason);
		if (!json)
			printf("FAIL %s: %s\n", pr->file, pr->reason);
	}
	cli_summary(c, "%u verified: %u OK, %u FAIL; %u store problems", res.verified,
	            res.verified - res.failed, res.failed, res.problems->len);
	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_bool(w, "summary", true);
		json_kv_int(w, "verified", res.verified);
		json_kv_int(w, "ok", res.verified - res.failed);
		json_kv_int(w, "failed", res.failed);
		json_kv_int(w, "not_due", res.not_due);
		json_kv_int(w, "audit_lines", (int64_t)res.audit_lines);
		print_problems_json(w, "store_problems", res.problems);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
	} else if (c->verbosity >= 0) {
		char *rest = res.not_due ? g_strdup_printf(" (%u not due)", res.not_due) : g_strdup("");
		printf("%u verified: %u OK, %u FAIL%s; audit log: %" G_GUINT64_FORMAT " lines, %s\n",
		       res.verified, res.verified - res.failed, res.failed, rest, res.audit_lines,
		       res.problems->len ? "PROBLEMS ABOVE" : "chain intact");
		g_free(rest);
	}
	rc = res.failed || res.problems->len ? EXIT_ITEM_FAILED : EXIT_OK;
	fixity_result_clear(&res);
	cli_close_store(&st);
	return rc;
}

/* A path that is not there: said on stderr, and as a line of --json. */
static void print_missing(const char *p, int e, bool json, const cli_ctx *c)
{
	cli_error(c, "%s: %s", p, g_strerror(e));
	if (!json)
		return;
	json_writer *w = json_new(false);
	json_begin_object(w);
	json_kv_string(w, "bundle", p);
	json_kv_string(w, "id", NULL);
	json_kv_bool(w, "valid", false);
	json_key(w, "problems");
	json_begin_array(w);
	json_begin_object(w);
	json_kv_string(w, "file", p);
	json_kv_string(w, "reason", g_strerror(e));
	json_end_object(w);
	json_end_array(w);
	json_key(w, "warnings");
	json_begin_array(w);
	json_end_array(w);
	json_end_object(w);
	char *s = json_finish(w);
	printf("%s\n", s);
	g_free(s);
}

/* The bags given: each in the order given, the ones that are missing
 * included, whichever process verified it. */
typedef struct {
	char **args;        /* as given */
	int *err;           /* per argument: errno of stat, 0 when it is there */
	guint *index;       /* the verified ones' positions in args */
	guint n_args, shown;
	bool json;
	const cli_ctx *c;
	int nok, nfail;
} files_ctx;

static void show_missing_before(files_ctx *x, guint upto)
{
	for (; x->shown < upto; x->shown++)
		if (x->err[x->shown]) {
			print_missing(x->args[x->shown], x->err[x->shown], x->json, x->c);
			x->nfail++;
		}
}

static bool on_file(guint i, bag_report *r, void *arg)
{
	files_ctx *x = arg;
	show_missing_before(x, x->index[i]);
	print_report(r, x->json, x->c);
	if (r->valid)
		x->nok++;
	else
		x->nfail++;
	x->shown = x->index[i] + 1;
	fflush(stdout);
	return true;
}

int cmd_verify(int argc, char **argv, const cli_ctx *c)
{
	enum { OPT_FAST = 256, OPT_JSON, OPT_STALE, OPT_LIMIT };
	static const struct option longopts[] = {
		{ "fast", no_argument, NULL, OPT_FAST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "stale", required_argument, NULL, OPT_STALE },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	fixity_opts fo = { .jobs = 1, .stale_days = -1 };
	bool json = false;
	int opt, rc = EXIT_OK, n;
	guint64 v;

	opterr = 0; /* our messages, in our form */
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":j:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			if (!cli_parse_jobs(optarg, &n)) {
				rc = cli_usage_error(c, "-j: '%s' is not a positive number", optarg);
				goto out;
			}
			fo.jobs = n;
			break;
		case OPT_FAST: fo.verify.fast = true; break;
		case OPT_JSON: json = true; break;
		case OPT_STALE:
			if (!g_ascii_string_to_unsigned(optarg, 10, 0, 100000, &v, NULL)) {
				rc = cli_usage_error(c, "--stale: '%s' is not a number of days", optarg);
				goto out;
			}
			fo.stale_days = (int)v;
			break;
		case OPT_LIMIT:
			if (!g_ascii_string_to_unsigned(optarg, 10, 1, G_MAXUINT, &v, NULL)) {
				rc = cli_usage_error(c, "--limit: '%s' is not a positive number", optarg);
				goto out;
			}
			fo.limit = (unsigned)v;
			break;
		case 'h':
			usage();
			goto out;
		case ':':
			rc = cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			/* optopt is 0 for an unknown long option; argv then holds it. */
			if (optopt && optopt < 256)
				rc = cli_usage_error(c, "unknown option '-%c'", optopt);
			else
				rc = cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}

	if (optind == argc) {
		rc = verify_store(c, &fo, json);
		goto out;
	}
	/* --stale and --limit choose among the store's bundles; with bags
	 * named on the command line they would silently drop some. */
	if (fo.stale_days >= 0 || fo.limit > 0) {
		rc = cli_usage_error(c, "--stale and --limit apply to the whole store, not to "
		                        "BUNDLE or BAGDIR arguments");
		goto out;
	}

	files_ctx x = { .args = argv + optind, .n_args = (guint)(argc - optind), .json = json, .c = c };
	x.err = g_new0(int, x.n_args);
	x.index = g_new0(guint, x.n_args);
	const char **paths = g_new0(const char *, x.n_args + 1);
	guint np = 0;
	for (guint i = 0; i < x.n_args; i++) {
		struct stat st;
		if (stat(x.args[i], &st) != 0) {
			x.err[i] = errno;
			continue;
		}
		x.index[np] = i;
		paths[np++] = x.args[i];
	}
	bag_verify_each(paths, np, &fo.verify, fo.jobs, on_file, &x);
	show_missing_before(&x, x.n_args);
	g_free(paths);
	g_free(x.err);
	g_free(x.index);

	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_bool(w, "summary", true);
		json_kv_int(w, "verified", x.nok + x.nfail);
		json_kv_int(w, "ok", x.nok);
		json_kv_int(w, "failed", x.nfail);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
	} else if (c->verbosity >= 0) {
		printf("%d verified: %d OK, %d FAIL\n", x.nok + x.nfail, x.nok, x.nfail);
	}
	cli_summary(c, "%d verified: %d OK, %d FAIL", x.nok + x.nfail, x.nok, x.nfail);
	rc = x.nfail ? EXIT_ITEM_FAILED : EXIT_OK;
out:
	return rc;
}
