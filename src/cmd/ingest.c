/*
 * cmd/ingest.c — `archive ingest`: options, one line per release, exit code.
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "ingest/ingest.h"
#include "release/input.h"
#include "core/json.h"
#include "release/license.h"
#include "store/retention.h"
#include "store/store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: archive ingest [-j N] [--date YYYY-MM-DD] [--license kogl-1|kogl-2|kogl-3|kogl-4]\n"
	"                      [--retention PERIOD] [--org NAME] [--dry-run] [--force] [--json]\n"
	"                      PATH...\n"
	"\n"
	"Archive each release found in PATH (a release directory, a batch directory\n"
	"of release directories, or a release document file with its attachments)\n"
	"as a BagIt bundle in the store.\n"
	"\n"
	"  -j N                 prepare N releases at once (default: the number of CPUs)\n"
	"  --date YYYY-MM-DD    the release date, whatever the text says\n"
	"  --license kogl-N     the KOGL type, whatever the text says\n"
	"  --retention PERIOD   1y 3y 5y 10y 30y semi-permanent permanent, or Ny Nm Nd\n"
	"                       (default: store's, 10y); it starts on 1 January after\n"
	"                       the release date, or on it with [retention] start = release-date\n"
	"  --org NAME           the issuing organisation\n"
	"  --dry-run            check and report; create, lock and change nothing\n"
	"  --force              archive despite failed checks (Check-Status: fail)\n"
	"  --json               one JSON object per release, then a summary object\n"
	"  --store DIR          the store (default: $ARCHIVE_STORE, else ./archive-store)\n"
	"  -q, -v               quieter, more verbose\n"
	"\n"
	"On a terminal, a progress line on stderr shows releases done, MB/s, ETA\n"
	"and the current release.\n"
	"\n"
	"Exit: 0 all archived or already there, 1 some release quarantined or missing,\n"
	"2 usage, 3 the store cannot be written, 75 the store is locked.\n";

/* Bytes of a release's regular files, for the progress line's MB/s. */
static guint64 release_bytes(const release_input *in)
{
	guint64 n = 0;
	GStatBuf st;
	if (in->doc && g_lstat(in->doc->path, &st) == 0 && S_ISREG(st.st_mode))
		n += (guint64)st.st_size;
	for (guint i = 0; i < in->attachments->len; i++) {
		const input_file *f = g_ptr_array_index(in->attachments, i);
		if (g_lstat(f->path, &st) == 0 && S_ISREG(st.st_mode))
			n += (guint64)st.st_size;
	}
	return n;
}

static void print_json(const release_input *in, const ingest_result *res)
{
	json_writer *w = cli_json_line();
	json_kv_string(w, "release", in->source);
	json_kv_string(w, "status", ingest_status_name(res->status));
	/* Every key on every line (SPEC), null where there is no value: a
	 * quarantined release has no bundle, an archived one no quarantine. */
	bool quarantined = res->status == INGEST_QUARANTINED;
	json_kv_string(w, "id", res->id);
	json_kv_string(w, "bundle", quarantined ? NULL : res->path);
	json_kv_string(w, "quarantine", quarantined ? res->path : NULL);
	json_kv_string(w, "title", res->record && res->record->title ? res->record->title : NULL);
	json_key(w, "checks");
	check_list_to_json(res->record->checks, w);
	cli_json_print(w);
}

static void print_human(const cli_ctx *c, const release_input *in, const ingest_result *res)
{
	const check_list *checks = res->record->checks;
	switch (res->status) {
	case INGEST_ARCHIVED:
		if (c->verbosity >= 0)
			cli_printf("archived          %s\n                  %s\n", res->id, res->path);
		break;
	case INGEST_ALREADY_ARCHIVED:
		if (c->verbosity >= 0)
			cli_printf("already archived  %s\n", res->id);
		return;
	case INGEST_DRY_RUN:
		if (c->verbosity >= 0)
			cli_printf("would archive     %s\n", res->id);
		break;
	case INGEST_QUARANTINED:
		cli_printf("quarantined       %s\n", in->source);
		if (res->path)
			cli_printf("                  %s\n", res->path);
		break;
	}
	for (guint i = 0; i < checks->items->len; i++) {
		const check_result *r = g_ptr_array_index(checks->items, i);
		if (r->passed)
			continue;
		if (r->level == CHECK_LEVEL_WARNING && c->verbosity < 0)
			continue;
		cli_printf("  %-7s %s: %s\n", r->level == CHECK_LEVEL_ERROR ? "error" : "warning", r->id,
		       r->message);
	}
}

/* A quarantined release is a failure the operator must see in the log:
 * where it went and each error-level check that failed. */
static void log_quarantine(const cli_ctx *c, const release_input *in, const ingest_result *res)
{
	GString *why = g_string_new(NULL);
	const check_list *checks = res->record->checks;
	for (guint i = 0; i < checks->items->len; i++) {
		const check_result *r = g_ptr_array_index(checks->items, i);
		if (!r->passed && r->level == CHECK_LEVEL_ERROR)
			g_string_append_printf(why, "%s%s", why->len ? ", " : "", r->id);
	}
	cli_log_failure(c, "%s: quarantined in %s: %s", in->source, res->path ? res->path : "?",
	                why->len ? why->str : "failed checks");
	g_string_free(why, TRUE);
}

typedef struct {
	const cli_ctx *c;
	unsigned n_archived, n_already, n_quarantined, n_dry;
	guint64 done_bytes; /* of the releases reported, for the progress line */
} run_state;

static void on_started(const release_input *in, void *user)
{
	run_state *st = user;
	cli_verbose(st->c, "%s: ingesting", in->source);
}

static void on_done(const release_input *in, const ingest_result *res, void *user)
{
	run_state *st = user;
	cli_progress_hide(st->c);
	if (st->c->json)
		print_json(in, res);
	else
		print_human(st->c, in, res);
	fflush(stdout);
	switch (res->status) {
	case INGEST_ARCHIVED: st->n_archived++; break;
	case INGEST_ALREADY_ARCHIVED: st->n_already++; break;
	case INGEST_QUARANTINED: st->n_quarantined++; break;
	case INGEST_DRY_RUN: st->n_dry++; break;
	}
	if (res->status == INGEST_QUARANTINED)
		log_quarantine(st->c, in, res);
	st->done_bytes += release_bytes(in);
	cli_progress_step(st->c, in->source, st->done_bytes);
}

/* The run's clock: now, or SOURCE_DATE_EPOCH (reproducible-builds.org)
 * when set, so that the same input gives byte-identical bundles in two
 * runs (Bagging-Date and ingested_at are the only times in a bundle). */
static time_t run_clock(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e && *e) {
		char *end;
		errno = 0;
		long long v = strtoll(e, &end, 10);
		if (!errno && !*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

enum { OPT_DATE = 256, OPT_LICENSE, OPT_RETENTION, OPT_ORG, OPT_DRY_RUN, OPT_FORCE };

static const struct option longopts[] = {
	{ "date", required_argument, NULL, OPT_DATE },
	{ "license", required_argument, NULL, OPT_LICENSE },
	{ "retention", required_argument, NULL, OPT_RETENTION },
	{ "org", required_argument, NULL, OPT_ORG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "jobs", required_argument, NULL, 'j' },
	{ 0 },
};

static struct {
	ingest_opts o;
	char date[11]; /* --date, checked */
	int jobs; /* 0: the number of CPUs */
	int npaths;
	char **paths;
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	switch (opt) {
	case 'j':
		if (!cli_parse_jobs(arg, &args.jobs))
			return cli_usage_error(c, "-j %s: not a number of jobs (1 or more)", arg);
		break;
	/* Usage errors are found here, before the store is made or locked. */
	case OPT_DATE:
		if (!cli_parse_iso_date(arg, args.date))
			return cli_usage_error(c, "--date %s: not a date (YYYY-MM-DD)", arg);
		args.o.date = args.date;
		break;
	case OPT_LICENSE:
		if (!(args.o.license_type = kogl_parse_name(arg)))
			return cli_usage_error(c, "--license %s: not one of kogl-1, kogl-2, kogl-3, kogl-4",
			                       arg);
		break;
	case OPT_RETENTION: {
		retention_period p;
		if (!retention_parse(arg, &p))
			return cli_usage_error(c, "--retention %s: not a retention period (1y 3y 5y 10y "
			                          "30y semi-permanent permanent, or Ny Nm Nd)",
			                       arg);
		args.o.retention = arg;
		break;
	}
	case OPT_ORG: args.o.organisation = arg; break;
	case OPT_DRY_RUN: args.o.dry_run = true; break;
	case OPT_FORCE: args.o.force = true; break;
	}
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error(c, "no PATH given: name a release, a release directory or a batch");
	args.npaths = argc;
	args.paths = argv;
	/* A dry run creates and changes nothing, not even the store. */
	if (args.o.dry_run)
		c->mode = STORE_PEEK;
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	int rc = EXIT_OK, jobs = args.jobs;
	if (!jobs) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = ncpu > 0 ? (int)MIN(ncpu, 1024) : 1;
	}
	ingest_opts o = args.o;
	o.now = run_clock();
	worker_limits_default(&o.limits);
	ingester *g = NULL;
	GError *err = NULL;
	GPtrArray *releases = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	GPtrArray *stray = g_ptr_array_new_with_free_func(g_free);
	unsigned n_missing = 0;
	run_state rs = { .c = c };
	ingest_callbacks cb = { on_started, on_done, &rs };

	if (!(g = ingester_new(st->store, st->catalog, &o, &err))) {
		rc = cli_fail(c, err);
		if (rc == EXIT_ITEM_FAILED)
			rc = EXIT_CANNOT_PROCEED;
		goto out;
	}

	/* Find every release first, so that a typo in one PATH is reported
	 * together with the others and the rest still run. */
	for (int i = 0; i < args.npaths; i++) {
		if (!input_collect(args.paths[i], releases, stray, &err)) {
			cli_error(c, "%s", err->message);
			g_clear_error(&err);
			n_missing++;
		}
	}
	for (guint i = 0; i < stray->len; i++) {
		cli_error(c, "%s: belongs to no release (no release document of the same stem, or "
		             "not inside a release directory); not archived",
		          (char *)g_ptr_array_index(stray, i));
		n_missing++;
	}

	guint64 total = 0;
	for (guint i = 0; i < releases->len; i++)
		total += release_bytes(g_ptr_array_index(releases, i));
	cli_progress_start(c, releases->len, total);
	bool ran = ingest_run(g, releases, (unsigned)jobs, &cb, &err);
	cli_progress_end(c);
	if (!ran) {
		rc = cli_fail(c, err);
		if (rc == EXIT_ITEM_FAILED)
			rc = EXIT_CANNOT_PROCEED;
		goto out;
	}
	unsigned n_archived = rs.n_archived, n_already = rs.n_already,
	         n_quarantined = rs.n_quarantined, n_dry = rs.n_dry;
	cli_summary(c, "%u release%s: %u archived, %u already archived, %u quarantined%s%s",
	            releases->len, releases->len == 1 ? "" : "s", n_archived, n_already,
	            n_quarantined, n_dry ? " (dry run)" : "",
	            n_missing ? ", some paths not archived" : "");
	if (n_quarantined || n_missing)
		rc = EXIT_ITEM_FAILED;
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "releases", releases->len);
		json_kv_int(w, "archived", n_archived);
		json_kv_int(w, "already_archived", n_already);
		json_kv_int(w, "quarantined", n_quarantined);
		json_kv_int(w, "dry_run", n_dry);
		json_kv_int(w, "not_found", n_missing);
		json_kv_int(w, "exit", rc);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("%u release%s: %u archived, %u already archived, %u quarantined",
		       releases->len, releases->len == 1 ? "" : "s", n_archived, n_already,
		       n_quarantined);
		if (n_dry)
			cli_printf(", %u checked (dry run)", n_dry);
		if (n_missing)
			cli_printf(", %u path%s not archived", n_missing, n_missing == 1 ? "" : "s");
		cli_printf("\n");
	}
out:
	g_clear_error(&err);
	ingester_free(g);
	g_ptr_array_unref(releases);
	g_ptr_array_unref(stray);
	return rc;
}

const cli_command cmd_ingest = { usage_text, "j:", longopts, option, operands, run };
