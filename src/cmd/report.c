/*
 * cmd/report.c — `archive report --html FILE [--now DATE] [--json]`: the
 * state of the store as one self-contained HTML page, or as JSON.
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"
#include "store/report.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive report [--html FILE] [--now YYYY-MM-DD] [--json]\n"
	"\n"
	"Describe the store: bundles per year, per licence and per check status,\n"
	"warnings by check id, disposals due per year for the next 30 years, the\n"
	"disposal pipeline (due, proposed, decided destroy/reset/defer, destroyed,\n"
	"reset, deferred, kept; executions per year), semi-permanent and permanent\n"
	"bundles, holds by requesting body, and the last fixity run (archive\n"
	"verify) with its failures.\n"
	"\n"
	"  --html FILE   write one self-contained HTML page (inline SVG charts,\n"
	"                no script, no external reference) to FILE\n"
	"  --now DATE    the day to judge disposals by (default: today, UTC)\n"
	"  --json        the same numbers as one JSON summary object on stdout\n"
	"\n"
	"Exit: 0 written, 2 usage (neither --html nor --json), 3 the store cannot\n"
	"be read or FILE cannot be written.\n";

static const struct option longopts[] = {
	{ "html", required_argument, NULL, 'H' },
	{ "now", required_argument, NULL, 'n' },
	{ 0 },
};

static struct {
	const char *html;
	char day[11];
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	switch (opt) {
	case 'H': args.html = arg; break;
	case 'n':
		if (!cli_parse_iso_date(arg, args.day))
			return cli_usage_error(c, "--now %s: not a date (YYYY-MM-DD)", arg);
		break;
	}
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc > 0)
		return cli_usage_error(c, "unexpected argument '%s'", argv[0]);
	if (!args.html && !c->json)
		return cli_usage_error(c, "say where: --html FILE (or --json for the numbers)");
	if (args.html && !*args.html)
		return cli_usage_error(c, "--html needs a file name");
	if (!*args.day)
		cli_today(args.day);
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	int rc = EXIT_OK;
	GError *err = NULL;
	report *r = report_collect(c->store, st->catalog, args.day, &err);
	if (!r) {
		cli_error(c, "%s", err->message);
		rc = EXIT_CANNOT_PROCEED;
		goto out;
	}
	/* Read without the lock: the torn line may be a write still going
	 * on, or one a crash interrupted (the next writing run repairs it).
	 * Either way not a record, and the report is of the records. */
	if (r->audit_torn)
		cli_error(c, "%s/audit.log: ends in a torn line (%" G_GUINT64_FORMAT
		             " bytes without a newline), left out of the report: a write still going "
		             "on, or an interrupted one that the next writing run repairs",
		          c->store, r->audit_torn);
	if (args.html) {
		char *page = report_html(r, c->store);
		/* Written beside FILE and renamed: a browser open on the old
		 * report never sees half a page. */
		bool ok = g_file_set_contents(args.html, page, -1, &err);
		g_free(page);
		if (!ok) {
			cli_error(c, "%s: cannot write: %s", args.html, err->message);
			rc = EXIT_CANNOT_PROCEED;
			goto out;
		}
	}
	cli_summary(c, "%u bundles, %u on hold, %u due now; last fixity run: %u verified, %u failed",
	            r->bundles, r->holds->len, r->due_now, r->run_verified, r->run_failed);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_string(w, "html", args.html);
		report_to_json(r, w);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("report of %u bundle%s written to %s\n", r->bundles, r->bundles == 1 ? "" : "s",
		       args.html);
	}
out:
	g_clear_error(&err);
	report_free(r);
	return rc;
}

const cli_command cmd_report = { usage_text, "", longopts, option, operands, run };
