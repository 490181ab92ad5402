/*
 * cmd/retention.c — `archive retention [--now DATE] [--apply] [--json]`.
 *
 * What needs a decision on a day: due bundles neither held nor in a batch,
 * semi-permanent and permanent ones due for evaluation, holds past their
 * end, and open batches. Silent when there is none, so that cron mails
 * only when someone must act. --apply (stores with [disposal] review =
 * none only) proposes, decides destroy and executes in one run.
 */
#include "cli/cli.h"
#include "store/disposal.h"
#include "store/retention.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive retention [--now YYYY-MM-DD] [--apply] [--json]\n"
	"\n"
	"List what needs a decision on a day (nothing changes):\n"
	"  due       a bundle past its disposal date, neither held nor in a batch\n"
	"            ('archive disposal propose' puts them in one for review)\n"
	"  evaluate  a semi-permanent or permanent bundle 70 years after its start\n"
	"  hold      a hold past its end date: in force until it is removed\n"
	"  batch     a disposal batch awaiting decisions or execution\n"
	"Prints nothing when nothing does.\n"
	"\n"
	"  --now DATE   the day to judge by (default: today, UTC)\n"
	"  --apply      only where archive.conf says [disposal] review = none (stores\n"
	"               outside the Public Records Management Act): propose, decide\n"
	"               destroy and execute in one run\n"
	"  --json       one JSON object per line listed, then a summary object\n"
	"\n"
	"Exit: 0 listed (or applied), 1 with --apply, a bundle kept because it\n"
	"changed or is missing, 2 usage (--apply where review is required),\n"
	"3 the store cannot be read or written, 75 locked.\n";

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
	if (!args.apply)
		return -1;
	GError *err = NULL;
	char *review = store_peek_config(c->store, "disposal", "review", &err);
	int rc = -1;
	if (err) {
		rc = cli_fail_clear(c, &err);
	} else if (review && strcmp(review, "none") != 0 && strcmp(review, "required") != 0) {
		cli_error(c, "%s/archive.conf: [disposal] review = %s: say required or none", c->store,
		          review);
		rc = EXIT_CANNOT_PROCEED;
	} else if (!review || strcmp(review, "required") == 0) {
		rc = cli_usage_error(c, "--apply: this store requires a reviewed decision before "
		                        "anything is destroyed ([disposal] review = required%s, as the "
		                        "Public Records Management Act has it): run 'archive disposal "
		                        "propose', then 'disposal review' and 'disposal execute'",
		                     review ? "" : ", the default");
	}
	g_clear_error(&err);
	g_free(review);
	c->mode = STORE_WRITE;
	return rc;
}

static void bundle_line(const cli_ctx *c, const char *kind, const catalog_bundle *b,
                        const char *when)
{
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "kind", kind);
		catalog_bundle_to_json(b, w);
		json_kv_string(w, "evaluation_date", strcmp(kind, "evaluate") == 0 ? when : NULL);
		cli_json_print(w);
	} else if (strcmp(kind, "due") == 0) {
		cli_printf("due       %s  (%s from %s: disposal %s)\n", b->id, b->retention,
		           b->retention_start, b->disposal_date);
	} else {
		cli_printf("evaluate  %s  (%s from %s: for evaluation since %s)\n", b->id,
		           b->retention, b->retention_start, when);
	}
}

static void hold_line(const cli_ctx *c, const catalog_hold *h)
{
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "kind", "hold");
		json_kv_string(w, "id", h->id);
		json_kv_string(w, "until", h->until);
		json_kv_string(w, "by", h->by);
		json_kv_string(w, "reason", h->reason);
		cli_json_print(w);
	} else {
		cli_printf("hold      %s  (ended %s%s%s: %s; in force until removed)\n", h->id, h->until,
		           h->by ? ", by " : "", h->by ? h->by : "", h->reason);
	}
}

static void batch_line(const cli_ctx *c, const catalog_batch *b)
{
	bool begun = strcmp(b->state, "executing") == 0;
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "kind", "batch");
		json_kv_string(w, "batch", b->id);
		json_kv_string(w, "state", b->state);
		json_kv_int(w, "items", b->items);
		json_kv_int(w, "decided", b->decided);
		cli_json_print(w);
	} else if (begun) {
		cli_printf("batch     %s  (execution begun, not finished: run 'archive disposal "
		           "execute %s')\n", b->id, b->id);
	} else if (b->decided < b->items) {
		cli_printf("batch     %s  (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
		           " items undecided)\n", b->id, b->items - b->decided, b->items);
	} else {
		cli_printf("batch     %s  (all %" G_GINT64_FORMAT " items decided; not executed)\n",
		           b->id, b->items);
	}
}

typedef struct {
	const cli_ctx *c;
	unsigned due, eval;
} list_ctx;

static bool due_line(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	list_ctx *x = arg;
	bundle_line(x->c, "due", b, NULL);
	x->due++;
	return true;
}

static bool evaluation_line(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	list_ctx *x = arg;
	char when[11] = "";
	retention_evaluation_date(b->retention_start, when);
	bundle_line(x->c, "evaluate", b, when);
	x->eval++;
	return true;
}

/* Due and evaluation lines as the catalog yields them (one row in memory
 * at a time); a read that fails part way is exit 3 with no summary. */
static int list(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	list_ctx x = { c, 0, 0 };
	GPtrArray *holds = NULL, *batches = NULL;
	int rc = EXIT_OK;
	unsigned open = 0;
	if (!catalog_each_due(st->catalog, args.day, due_line, &x, &err) ||
	    !catalog_each_evaluation_due(st->catalog, args.day, evaluation_line, &x, &err) ||
	    !(holds = catalog_holds(st->catalog, args.day, &err)) ||
	    !(batches = catalog_batches(st->catalog, &err))) {
		rc = cli_fail_clear(c, &err);
		goto out;
	}
	for (guint i = 0; i < holds->len; i++)
		hold_line(c, g_ptr_array_index(holds, i));
	for (guint i = 0; i < batches->len; i++) {
		const catalog_batch *b = g_ptr_array_index(batches, i);
		if (strcmp(b->state, "executed") != 0) {
			batch_line(c, b);
			open++;
		}
	}
	unsigned total = x.due + x.eval + holds->len + open;
	cli_summary(c, "%u due, %u for evaluation, %u ended holds, %u open batches on %s", x.due,
	            x.eval, holds->len, open, args.day);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_string(w, "now", args.day);
		json_kv_int(w, "due", x.due);
		json_kv_int(w, "evaluate", x.eval);
		json_kv_int(w, "ended_holds", holds->len);
		json_kv_int(w, "open_batches", open);
		cli_json_print(w);
	} else if (total && c->verbosity >= 0) {
		cli_printf("on %s: %u due, %u for evaluation, %u ended hold%s, %u open batch%s\n",
		           args.day, x.due, x.eval, holds->len, holds->len == 1 ? "" : "s", open,
		           open == 1 ? "" : "es");
	}
out:
	if (holds)
		g_ptr_array_unref(holds);
	if (batches)
		g_ptr_array_unref(batches);
	return rc;
}

static int run(const cli_ctx *c, cli_store *st)
{
	if (!args.apply)
		return list(c, st);
	GError *err = NULL;
	GPtrArray *batches = g_ptr_array_new_with_free_func(g_free);
	int rc = EXIT_OK;
	if (!disposal_apply(c->store, st->catalog, args.day, batches, &err))
		rc = cli_fail_clear(c, &err);
	for (guint i = 0; i < batches->len; i++) {
		int r = cli_report_execution(c, st->catalog, g_ptr_array_index(batches, i));
		rc = r > rc ? r : rc;
	}
	if (!batches->len) {
		cli_summary(c, "nothing due on %s", args.day);
		if (rc == EXIT_OK && c->json) {
			json_writer *w = cli_json_summary();
			json_kv_string(w, "now", args.day);
			json_kv_string(w, "batch", NULL);
			cli_json_print(w);
		}
	}
	g_ptr_array_unref(batches);
	return rc;
}

const cli_command cmd_retention = { usage_text, "", longopts, option, operands, run };
