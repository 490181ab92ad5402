/*
 * cmd/retention.c — `archive retention [--now DATE] [--apply] [--json]`.
 *
 * Without --apply, lists what is due (nothing changes). With --apply,
 * disposes of it, except bundles on hold (and never permanent ones).
 * Silent when nothing is due, so that cron mails only when it acted.
 */
#include "cli/cli.h"
#include "store/disposal.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <time.h>

static const char usage_text[] =
	"usage: archive retention [--now YYYY-MM-DD] [--apply] [--json]\n"
	"\n"
	"List the bundles whose disposal date has come (a dry run), or with\n"
	"--apply dispose of them: each disposal is recorded in the audit log\n"
	"(id, title, bundle SHA-256, period, dates, user) before the bundle and\n"
	"its sidecar are deleted. Bundles on hold are kept; permanent ones are\n"
	"never due. Prints nothing when nothing is due.\n"
	"\n"
	"  --now DATE   the day to judge by (default: today, UTC)\n"
	"  --apply      dispose of what is due\n"
	"  --json       one JSON object per bundle due, then a summary object\n"
	"\n"
	"Exit: 0 nothing due or all disposed of, 1 some due bundle is on hold,\n"
	"2 usage, 3 the store cannot be read or written, 75 locked.\n";

static const char *status_name(disposal_status s)
{
	switch (s) {
	case DISPOSAL_DONE: return "disposed";
	case DISPOSAL_HELD: return "held";
	case DISPOSAL_DUE: break;
	}
	return "due";
}

static const struct option longopts[] = {
	{ "now", required_argument, NULL, 'n' },
	{ "apply", no_argument, NULL, 'a' },
	{ 0 },
};

static struct {
	bool apply;
	char day[11]; /* --now, else today */
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	switch (opt) {
	case 'n':
		if (!cli_parse_iso_date(arg, args.day))
			return cli_usage_error(c, "--now %s: not a date (YYYY-MM-DD)", arg);
		break;
	case 'a': args.apply = true; break;
	}
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc > 0)
		return cli_usage_error(c, "unexpected argument '%s'", argv[0]);
	if (!*args.day)
		cli_today(args.day);
	if (args.apply)
		c->mode = STORE_WRITE;
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	int rc = EXIT_OK;
	GError *err = NULL;
	GPtrArray *items = disposal_run(c->store, st->catalog, args.day, args.apply, &err);
	unsigned n_done = 0, n_held = 0, n_due = 0;
	for (guint i = 0; items && i < items->len; i++) {
		const disposal_item *d = g_ptr_array_index(items, i);
		const catalog_bundle *b = d->bundle;
		n_done += d->status == DISPOSAL_DONE;
		n_held += d->status == DISPOSAL_HELD;
		n_due += d->status == DISPOSAL_DUE;
		if (d->status == DISPOSAL_HELD)
			cli_log_failure(c, "%s: due %s but kept: on hold: %s", b->id, b->disposal_date,
			                b->hold_reason);
		if (c->json) {
			json_writer *w = cli_json_line();
			json_kv_string(w, "id", b->id);
			json_kv_string(w, "status", status_name(d->status));
			json_kv_string(w, "title", b->title);
			json_kv_string(w, "retention", b->retention);
			json_kv_string(w, "release_date", b->release_date);
			json_kv_string(w, "disposal_date", b->disposal_date);
			json_kv_string(w, "bundle_sha256", b->bundle_sha256);
			json_kv_string(w, "hold_reason", b->hold_reason);
			cli_json_print(w);
		} else if (d->status == DISPOSAL_HELD) {
			cli_printf("held      %s  (due %s; on hold: %s)\n", b->id, b->disposal_date,
			       b->hold_reason);
		} else {
			cli_printf("%-9s %s  (due %s, %s from %s)\n", status_name(d->status), b->id,
			       b->disposal_date, b->retention, b->release_date);
		}
	}
	if (err) {
		cli_error(c, "%s", err->message);
		rc = EXIT_CANNOT_PROCEED;
	} else if (n_held) {
		rc = EXIT_ITEM_FAILED;
	}
	unsigned total = items ? items->len : 0;
	if (!total)
		cli_summary(c, "nothing due on %s", args.day);
	else if (args.apply)
		cli_summary(c, "%u due on %s: %u disposed of, %u held", total, args.day, n_done, n_held);
	else
		cli_summary(c, "%u due on %s (%u held); dry run", total, args.day, n_held);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_string(w, "now", args.day);
		json_kv_bool(w, "apply", args.apply);
		json_kv_int(w, "due", total);
		json_kv_int(w, "disposed", n_done);
		json_kv_int(w, "held", n_held);
		cli_json_print(w);
	} else if (total && c->verbosity >= 0) {
		if (args.apply)
			cli_printf("%u due on %s: %u disposed of, %u held\n", total, args.day, n_done, n_held);
		else
			cli_printf("%u due on %s (%u held); nothing changed: --apply disposes of them\n",
			       total, args.day, n_held);
	}
	if (items)
		g_ptr_array_unref(items);
	g_clear_error(&err);
	return rc;
}

const cli_command cmd_retention = { usage_text, "", longopts, option, operands, run };
