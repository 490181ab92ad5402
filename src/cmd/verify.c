/*
 * verify.c — `archive verify [-j N] [--fast] [--json] [BUNDLE|BAGDIR ...]`
 *
 * Verifies each bundle or bag directory given, or with none every
 * bundles/YYYY/ID.tar.gz of the store, and prints one verdict per bag: a
 * line per problem, so that an auditor sees everything wrong at once.
 * Exit 0 when all are valid, 1 when any is not, 3 when the store cannot be
 * read.
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
	printf("usage: archive verify [-j N] [--fast] [--json] [BUNDLE|BAGDIR ...]\n"
	       "  With no argument, verify the whole store: every bundle and its sidecar,\n"
	       "  the catalog and the audit log's hash chain; each verification is\n"
	       "  recorded in the audit log.\n"
	       "  -j N      accepted for scripts; this version verifies one bundle at a time\n"
	       "  --fast    structure, Payload-Oxum and required fields only; no checksums\n"
	       "  --json    one JSON object per bundle, then a summary object\n");
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
	print_report(r, p->json, p->c);
	fflush(stdout);
}

/* `archive verify` with no argument: the whole store, recorded. */
static int verify_store(const cli_ctx *c, const bag_verify_opts *opts, bool json)
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
	fixity_result res;
	GError *err = NULL;
	if (!fixity_run(c->store, st.catalog, opts, on_bundle, &p, &res, &err)) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		fixity_result_clear(&res);
		cli_close_store(&st);
		return EXIT_CANNOT_PROCEED;
	}
	for (guint i = 0; i < res.problems->len; i++) {
		const bag_problem *pr = g_ptr_array_index(res.problems, i);
		if (!json)
			printf("FAIL %s: %s\n", pr->file, pr->reason);
	}
	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_bool(w, "summary", true);
		json_kv_int(w, "verified", res.verified);
		json_kv_int(w, "ok", res.verified - res.failed);
		json_kv_int(w, "failed", res.failed);
		json_kv_int(w, "audit_lines", (int64_t)res.audit_lines);
		print_problems_json(w, "store_problems", res.problems);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
	} else if (c->verbosity >= 0) {
		printf("%u verified: %u OK, %u FAIL; audit log: %" G_GUINT64_FORMAT " lines, %s\n",
		       res.verified, res.verified - res.failed, res.failed, res.audit_lines,
		       res.problems->len ? "PROBLEMS ABOVE" : "chain intact");
	}
	rc = res.failed || res.problems->len ? EXIT_ITEM_FAILED : EXIT_OK;
	fixity_result_clear(&res);
	cli_close_store(&st);
	return rc;
}

int cmd_verify(int argc, char **argv, const cli_ctx *c)
{
	enum { OPT_FAST = 256, OPT_JSON };
	static const struct option longopts[] = {
		{ "fast", no_argument, NULL, OPT_FAST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bag_verify_opts opts = { 0 };
	bool json = false;
	int jobs = 1, opt, rc = EXIT_OK;
	int nok = 0, nfail = 0;
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);

	opterr = 0; /* our messages, in our form */
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":j:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			if (!cli_parse_jobs(optarg, &jobs)) {
				rc = cli_usage_error(c, "-j: '%s' is not a positive number", optarg);
				goto out;
			}
			break;
		case OPT_FAST: opts.fast = true; break;
		case OPT_JSON: json = true; break;
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
	/* Verification is sequential for now; -j is accepted so that scripts
	 * written for the parallel version already work. */
	(void)jobs;

	if (optind == argc) {
		rc = verify_store(c, &opts, json);
		goto out;
	}
	for (int i = optind; i < argc; i++)
		g_ptr_array_add(paths, g_strdup(argv[i]));

	for (guint i = 0; i < paths->len; i++) {
		const char *p = g_ptr_array_index(paths, i);
		struct stat st;
		if (stat(p, &st) != 0) {
			int e = errno;
			cli_error(c, "%s: %s", p, g_strerror(e));
			nfail++;
			if (json) {
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
			continue;
		}
		bag_report *r = bag_verify(p, &opts);
		print_report(r, json, c);
		if (r->valid)
			nok++;
		else
			nfail++;
		bag_report_free(r);
		fflush(stdout);
	}

	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_bool(w, "summary", true);
		json_kv_int(w, "verified", nok + nfail);
		json_kv_int(w, "ok", nok);
		json_kv_int(w, "failed", nfail);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
	} else if (c->verbosity >= 0) {
		printf("%d verified: %d OK, %d FAIL\n", nok + nfail, nok, nfail);
	}
	rc = nfail ? EXIT_ITEM_FAILED : EXIT_OK;
out:
	g_ptr_array_unref(paths);
	return rc;
}
