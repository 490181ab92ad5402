/*
 * cmd/disposal.c — `archive disposal propose | list | show | review |
 * execute`: disposal batches, as the Public Records Management Act's
 * Enforcement Decree (Art. 43) has them: the bundles due are frozen into a
 * batch, people decide on each, and only then are those decided destroy
 * destroyed (store/disposal.h).
 */
#include "cli/cli.h"
#include "store/disposal.h"
#include "store/retention.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive disposal propose [--now YYYY-MM-DD] [--json]\n"
	"       archive disposal list [--json]\n"
	"       archive disposal show BATCH [--json]\n"
	"       archive disposal review BATCH (ID...|--all)\n"
	"                --decision destroy|reset=PERIOD|defer=YYYY-MM-DD\n"
	"                --by NAME --reason TEXT [--meeting REF] [--json]\n"
	"       archive disposal execute BATCH [--json]\n"
	"\n"
	"Nothing is destroyed by a schedule alone (Enforcement Decree Art. 43):\n"
	"  propose  freeze the bundles due (neither held nor in an open batch) into\n"
	"           a new batch and print it: its id, and each item's ID, title,\n"
	"           period, start, disposal date and bundle SHA-256. Prints nothing\n"
	"           and makes no batch when nothing is due: safe for a nightly cron.\n"
	"  review   record a decision on items of a batch (IDs, or --all: every item\n"
	"           not yet decided): destroy; reset=PERIOD, a new period from the\n"
	"           same start (재책정); defer=DATE, due again on DATE (보류). --by is\n"
	"           who decided (the records professional, the committee); the\n"
	"           user running the command is recorded beside it. Decisions are\n"
	"           final.\n"
	"  execute  once every item is decided: destroy those decided destroy, except\n"
	"           bundles placed on hold since (kept) and bundles whose SHA-256 is\n"
	"           no longer the frozen one or that are missing (kept: verify them).\n"
	"           Each destruction leaves a disposal record, for ever.\n"
	"  list     every batch and its state; show: one batch, item by item.\n"
	"\n"
	"  --now DATE        the day to judge by (propose; default: today, UTC)\n"
	"  --all             every undecided item of the batch (review)\n"
	"  --decision D      destroy, reset=PERIOD (1y 3y 5y 10y 30y semi-permanent\n"
	"                    permanent, or Ny Nm Nd) or defer=YYYY-MM-DD\n"
	"  --by NAME         who decided\n"
	"  --reason TEXT     why\n"
	"  --meeting REF     the evaluation committee's meeting (기록물평가심의회)\n"
	"  --json            JSON lines, then a summary object\n"
	"\n"
	"execute of a batch executed already prints its outcome again.\n"
	"\n"
	"Exit: 0 done (a bundle kept on hold is no failure), 1 no such batch, an\n"
	"item not in it or decided already, a batch not fully decided, a bundle\n"
	"kept because it changed or is missing, 2 usage, 3 the store cannot be\n"
	"read or written, 75 locked.\n";

enum { OPT_ALL = 256, OPT_DECISION, OPT_BY, OPT_REASON, OPT_MEETING, OPT_NOW };

static const struct option longopts[] = {
	{ "now", required_argument, NULL, OPT_NOW },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "decision", required_argument, NULL, OPT_DECISION },
	{ "by", required_argument, NULL, OPT_BY },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "meeting", required_argument, NULL, OPT_MEETING },
	{ 0 },
};

static struct {
	enum { D_PROPOSE, D_LIST, D_SHOW, D_REVIEW, D_EXECUTE } what;
	char day[11];
	bool all;
	const char *decision;
	disposal_decision d;
	const char *batch;
	char **ids;
	int n;
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_NOW:
		if (!cli_parse_iso_date(arg, args.day))
			return cli_usage_error(c, "--now %s: not a date (YYYY-MM-DD)", arg);
		break;
	case OPT_ALL: args.all = true; break;
	case OPT_DECISION: args.decision = arg; break;
	case OPT_BY: args.d.by = arg; break;
	case OPT_REASON: args.d.reason = arg; break;
	case OPT_MEETING: args.d.meeting = arg; break;
	}
	return -1;
}

/* --decision destroy | reset=PERIOD | defer=YYYY-MM-DD. */
static int parse_decision(cli_ctx *c)
{
	const char *s = args.decision;
	if (!s)
		return cli_usage_error(c, "review needs --decision destroy|reset=PERIOD|defer=DATE");
	if (strcmp(s, "destroy") == 0) {
		args.d.kind = "destroy";
		return -1;
	}
	retention_period p;
	char day[11];
	if (g_str_has_prefix(s, "reset=")) {
		if (!retention_parse(s + 6, &p))
			return cli_usage_error(c, "--decision %s: not a retention period (1y 3y 5y 10y 30y "
			                          "semi-permanent permanent, or Ny Nm Nd)", s);
		args.d.kind = "reset";
		args.d.value = s + 6;
		return -1;
	}
	if (g_str_has_prefix(s, "defer=")) {
		if (!cli_parse_iso_date(s + 6, day))
			return cli_usage_error(c, "--decision %s: not a date (YYYY-MM-DD)", s);
		args.d.kind = "defer";
		args.d.value = s + 6;
		return -1;
	}
	return cli_usage_error(c, "--decision %s: say destroy, reset=PERIOD or defer=YYYY-MM-DD", s);
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	static const char *const words[] = { "propose", "list", "show", "review", "execute" };
	const char *what = argc > 0 ? argv[0] : NULL;
	int k = -1;
	for (int i = 0; what && i < (int)G_N_ELEMENTS(words); i++)
		if (strcmp(what, words[i]) == 0)
			k = i;
	if (k < 0)
		return cli_usage_error(c, "%s%s%s: say propose, list, show, review or execute",
		                       what ? "'" : "", what ? what : "no subcommand", what ? "'" : "");
	args.what = k;
	bool review = args.what == D_REVIEW;
	if (!review && (args.all || args.decision || args.d.by || args.d.reason || args.d.meeting))
		return cli_usage_error(c, "--all, --decision, --by, --reason, --meeting: only with "
		                          "review");
	if (args.what != D_PROPOSE && *args.day)
		return cli_usage_error(c, "--now: only with propose");
	if (args.what == D_PROPOSE || args.what == D_LIST) {
		if (argc > 1)
			return cli_usage_error(c, "disposal %s takes no argument", what);
	} else if (argc < 2) {
		return cli_usage_error(c, "disposal %s needs a BATCH", what);
	} else {
		args.batch = argv[1];
	}
	if ((args.what == D_SHOW || args.what == D_EXECUTE) && argc > 2)
		return cli_usage_error(c, "disposal %s takes one BATCH", what);
	if (review) {
		if (args.all == (argc > 2))
			return cli_usage_error(c, "review: name the items (IDs) or say --all, not both");
		int rc = parse_decision(c);
		if (rc >= 0)
			return rc;
		if (!args.d.by || !*args.d.by)
			return cli_usage_error(c, "review needs --by NAME: who decided");
		if (!args.d.reason || !*args.d.reason)
			return cli_usage_error(c, "review needs --reason TEXT");
		if (args.d.meeting && !*args.d.meeting)
			args.d.meeting = NULL;
		args.ids = argv + 2;
		args.n = argc - 2;
	}
	if (!*args.day)
		cli_today(args.day);
	if (args.what == D_PROPOSE || review || args.what == D_EXECUTE)
		c->mode = STORE_WRITE;
	return -1;
}

/* A batch just frozen: its id, its items, what to do next. */
static int print_proposed(const cli_ctx *c, cli_store *st, const char *batch, guint *n)
{
	GError *err = NULL;
	GPtrArray *items = catalog_batch_items(st->catalog, batch, &err);
	if (!items)
		return cli_fail_clear(c, &err);
	if (!c->json)
		cli_printf("batch %s: %u bundle%s due on %s, frozen for review\n", batch, items->len,
		           items->len == 1 ? "" : "s", args.day);
	for (guint i = 0; i < items->len; i++)
		cli_print_batch_item(c, g_ptr_array_index(items, i));
	if (!c->json)
		cli_printf("next: archive disposal review %s (ID...|--all) --decision "
		           "destroy|reset=PERIOD|defer=DATE --by NAME --reason TEXT\n",
		           batch);
	*n += items->len;
	g_ptr_array_unref(items);
	return EXIT_OK;
}

static int propose(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	GPtrArray *batches = g_ptr_array_new_with_free_func(g_free);
	int rc = EXIT_OK;
	guint n = 0;
	/* Nothing due: no batch and no output (cron mails nothing). */
	if (!disposal_propose(c->store, st->catalog, args.day, batches, &err))
		rc = cli_fail_clear(c, &err);
	for (guint i = 0; i < batches->len && rc == EXIT_OK; i++)
		rc = print_proposed(c, st, g_ptr_array_index(batches, i), &n);
	if (rc == EXIT_OK && c->json) {
		json_writer *w = cli_json_summary();
		json_key(w, "batches");
		json_begin_array(w);
		for (guint i = 0; i < batches->len; i++)
			json_string(w, g_ptr_array_index(batches, i));
		json_end_array(w);
		json_kv_int(w, "items", n);
		cli_json_print(w);
	}
	cli_summary(c, "%u batch%s, %u bundle%s due on %s", batches->len,
	            batches->len == 1 ? "" : "es", n, n == 1 ? "" : "s", args.day);
	g_ptr_array_unref(batches);
	return rc;
}

static void batch_summary_line(const cli_ctx *c, const catalog_batch *b)
{
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "batch", b->id);
		json_kv_string(w, "day", b->day);
		json_kv_string(w, "proposed_at", b->proposed_at);
		json_kv_string(w, "user", b->user);
		json_kv_string(w, "state", b->state);
		json_kv_string(w, "executed_at", b->executed_at);
		json_kv_int(w, "items", b->items);
		json_kv_int(w, "decided", b->decided);
		cli_json_print(w);
	} else {
		cli_printf("%-14s %-9s %" G_GINT64_FORMAT " item%s, %" G_GINT64_FORMAT
		           " decided; proposed %s by %s%s%s\n",
		           b->id, b->state, b->items, b->items == 1 ? "" : "s", b->decided,
		           b->proposed_at, b->user, b->executed_at ? "; executed " : "",
		           b->executed_at ? b->executed_at : "");
	}
}

static int list(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	GPtrArray *all = catalog_batches(st->catalog, &err);
	if (!all)
		return cli_fail_clear(c, &err);
	for (guint i = 0; i < all->len; i++)
		batch_summary_line(c, g_ptr_array_index(all, i));
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "batches", all->len);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("%u batch%s\n", all->len, all->len == 1 ? "" : "es");
	}
	g_ptr_array_unref(all);
	return EXIT_OK;
}

static int show(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	catalog_batch *b = catalog_batch_get(st->catalog, args.batch, &err);
	GPtrArray *items = b ? catalog_batch_items(st->catalog, args.batch, &err) : NULL;
	int rc = EXIT_OK;
	if (err) {
		rc = cli_fail_clear(c, &err);
	} else if (!b) {
		cli_error(c, "%s: no such disposal batch in %s", args.batch, c->store);
		rc = EXIT_ITEM_FAILED;
	} else {
		batch_summary_line(c, b);
		for (guint i = 0; i < items->len; i++)
			cli_print_batch_item(c, g_ptr_array_index(items, i));
		if (c->json) {
			json_writer *w = cli_json_summary();
			json_kv_int(w, "items", items->len);
			cli_json_print(w);
		}
	}
	g_clear_error(&err);
	if (items)
		g_ptr_array_unref(items);
	catalog_batch_free(b);
	return rc;
}

static int review(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	guint n = 0;
	if (!disposal_review(c->store, st->catalog, args.batch, args.ids, (guint)args.n, &args.d, &n,
	                     &err)) {
		return cli_fail_clear(c, &err);
	}
	cli_summary(c, "batch %s: %u item%s decided %s", args.batch, n, n == 1 ? "" : "s",
	            args.decision);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_string(w, "batch", args.batch);
		json_kv_string(w, "decision", args.d.kind);
		json_kv_string(w, "value", args.d.value);
		json_kv_int(w, "decided", n);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("batch %s: %u item%s decided %s by %s\n", args.batch, n, n == 1 ? "" : "s",
		           args.decision, args.d.by);
	}
	return EXIT_OK;
}

static int execute(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	/* Executed already (by an earlier run, or by this run's recovery
	 * finishing one a crash cut short): nothing to do; its outcome. */
	catalog_batch *b = catalog_batch_get(st->catalog, args.batch, &err);
	if (err)
		return cli_fail_clear(c, &err);
	bool done = b && strcmp(b->state, "executed") == 0;
	if (done)
		cli_error(c, "%s: executed already, on %s; its outcome:", b->id, b->executed_at);
	catalog_batch_free(b);
	if (!done && !disposal_execute(c->store, st->catalog, args.batch, &err)) {
		return cli_fail_clear(c, &err);
	}
	return cli_report_execution(c, st->catalog, args.batch);
}

static int run(const cli_ctx *c, cli_store *st)
{
	switch (args.what) {
	case D_PROPOSE: return propose(c, st);
	case D_LIST: return list(c, st);
	case D_SHOW: return show(c, st);
	case D_REVIEW: return review(c, st);
	case D_EXECUTE: break;
	}
	return execute(c, st);
}

const cli_command cmd_disposal = { usage_text, "", longopts, option, operands, run };
