/*
 * cmd/report.c — `archive report --html FILE [--now DATE] [--json]`: the
 * state of the store as one self-contained HTML page, or as JSON.
 */
#include "cli.h"
#include "errors.h"
#include "json.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive report [--html FILE] [--now YYYY-MM-DD] [--json]\n"
	"\n"
	"Describe the store: bundles per year, per licence and per check status,\n"
	"warnings by check id, disposals due per year for the next 30 years,\n"
	"holds, and the last fixity run (archive verify) with its failures.\n"
	"\n"
	"  --html FILE   write one self-contained HTML page (inline SVG charts,\n"
	"                no script, no external reference) to FILE\n"
	"  --now DATE    the day to judge disposals by (default: today, UTC)\n"
	"  --json        the same numbers as one JSON summary object on stdout\n"
	"\n"
	"Exit: 0 written, 2 usage (neither --html nor --json), 3 the store cannot\n"
	"be read or FILE cannot be written.\n";

int cmd_report(int argc, char **argv, const cli_ctx *c)
{
	static const struct option longopts[] = {
		{ "html", required_argument, NULL, 'H' },
		{ "now", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *html = NULL;
	bool json = false;
	char day[11];
	int opt, rc;
	cli_today(day);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'H': html = optarg; break;
		case 'n':
			if (!cli_parse_iso_date(optarg, day))
				return cli_usage_error(c, "--now %s: not a date (YYYY-MM-DD)", optarg);
			break;
		case 'J': json = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		case ':': return cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(c, "unexpected argument '%s'", argv[optind]);
	if (!html && !json)
		return cli_usage_error(c, "say where: --html FILE (or --json for the numbers)");
	if (html && !*html)
		return cli_usage_error(c, "--html needs a file name");

	cli_store st;
	if ((rc = cli_open_store(c, STORE_READ, &st)) != EXIT_OK)
		return rc;
	GError *err = NULL;
	report *r = report_collect(c->store, st.catalog, day, &err);
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
	if (html) {
		char *page = report_html(r, c->store);
		/* Written beside FILE and renamed: a browser open on the old
		 * report never sees half a page. */
		bool ok = g_file_set_contents(html, page, -1, &err);
		g_free(page);
		if (!ok) {
			cli_error(c, "%s: cannot write: %s", html, err->message);
			rc = EXIT_CANNOT_PROCEED;
			goto out;
		}
	}
	cli_summary(c, "%u bundles, %u on hold, %u due now; last fixity run: %u verified, %u failed",
	            r->bundles, r->holds->len, r->overdue, r->run_verified, r->run_failed);
	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_bool(w, "summary", true);
		json_kv_string(w, "html", html);
		report_to_json(r, w);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n", s);
		g_free(s);
	} else if (c->verbosity >= 0) {
		printf("report of %u bundle%s written to %s\n", r->bundles, r->bundles == 1 ? "" : "s",
		       html);
	}
out:
	g_clear_error(&err);
	report_free(r);
	cli_close_store(&st);
	return rc;
}
