/*
 * cmd/hold.c — `archive hold add ID... --reason TEXT [--by BODY] [--until D]
 * | extend ID --until D | remove ID --reason TEXT | list`.
 *
 * A legal hold (폐기 금지, Enforcement Decree Arts. 54-2 to 54-4) keeps
 * bundles from disposal whatever their dates: they are never proposed,
 * and kept when a batch they are in is executed. A hold past its --until
 * stays until it is removed (retention lists it). Every hold, extension
 * and removal is an audit event (then mirrored in the catalog).
 */
#include "store/audit.h"
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive hold add ID... --reason TEXT [--by BODY] [--until YYYY-MM-DD] [--json]\n"
	"       archive hold extend ID --until YYYY-MM-DD [--json]\n"
	"       archive hold remove ID --reason TEXT [--json]\n"
	"       archive hold list [--json]\n"
	"\n"
	"Place a legal hold (폐기 금지) on bundles, extend it, lift it. A held bundle\n"
	"is never proposed for disposal, and is kept when a batch it is in is\n"
	"executed. A hold past its --until stays until it is removed ('archive\n"
	"retention' lists it). Every change is recorded in the audit log.\n"
	"\n"
	"  --reason TEXT       why (add and remove need one)\n"
	"  --by BODY           who asked: 감사원, 검찰, 경찰, a court, the agency itself\n"
	"  --until YYYY-MM-DD  when the hold ends (add; extend needs a later one)\n"
	"  --json              one JSON object per hold or change, then a summary object\n"
	"\n"
	"add is all or nothing: when one ID is unknown, destroyed or held already,\n"
	"no hold is placed.\n"
	"\n"
	"Exit: 0 done, 1 no such bundle, already or not on hold, an extension that\n"
	"ends no later, 2 usage, 3 the store cannot be read or written, 75 locked.\n";

static const struct option longopts[] = {
	{ "reason", required_argument, NULL, 'r' },
	{ "by", required_argument, NULL, 'b' },
	{ "until", required_argument, NULL, 'u' },
	{ 0 },
};

static struct {
	const char *reason, *by;
	char until[11];
	enum { HOLD_LIST, HOLD_ADD, HOLD_EXTEND, HOLD_REMOVE } what;
	char **ids;
	int n;
} args;

static void print_hold(const cli_ctx *c, const catalog_hold *h, const char *today)
{
	bool ended = h->until && strcmp(h->until, today) < 0;
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "id", h->id);
		json_kv_string(w, "reason", h->reason);
		json_kv_string(w, "by", h->by);
		json_kv_string(w, "until", h->until);
		json_kv_bool(w, "ended", ended);
		json_kv_string(w, "user", h->user);
		json_kv_string(w, "since", h->since);
		cli_json_print(w);
		return;
	}
	cli_printf("%s  since %s by %s%s%s%s%s%s: %s\n", h->id, h->since, h->user,
	           h->by ? " for " : "", h->by ? h->by : "", h->until ? ", until " : "",
	           h->until ? h->until : "", ended ? " (ENDED: remove or extend it)" : "",
	           h->reason);
}

static int list_holds(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	GPtrArray *holds = catalog_holds(st->catalog, NULL, &err);
	if (!holds) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_CANNOT_PROCEED;
	}
	char today[11];
	cli_today(today);
	for (guint i = 0; i < holds->len; i++)
		print_hold(c, g_ptr_array_index(holds, i), today);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "holds", holds->len);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("%u hold%s\n", holds->len, holds->len == 1 ? "" : "s");
	}
	g_ptr_array_unref(holds);
	return EXIT_OK;
}

/* The audit line for id, or NULL after saying why there is none (exit 1
 * in *rc, or 3 when the catalog could not answer). */
static audit_entry *change_for(const cli_ctx *c, cli_store *st, const char *id, int *rc)
{
	GError *err = NULL;
	audit_entry *e = NULL;
	catalog_bundle *b = catalog_get(st->catalog, id, &err);
	catalog_disposal *gone = b || err ? NULL : catalog_disposal_get(st->catalog, id, &err);
	*rc = EXIT_ITEM_FAILED;
	if (err) {
		cli_error(c, "%s", err->message);
		*rc = EXIT_CANNOT_PROCEED;
	} else if (gone) {
		cli_error(c, "%s: destroyed on %s; nothing to hold (archive show %s)", id,
		          gone->disposed_at, id);
	} else if (!b) {
		cli_error(c, "%s: no such bundle in %s", id, c->store);
	} else if (args.what == HOLD_ADD && b->hold_reason) {
		/* One hold per bundle: a second would replace the first one's
		 * reason, and one removal would lift both. */
		cli_error(c, "%s: already on hold (%s); not changed: 'hold extend' changes its end",
		          id, b->hold_reason);
	} else if (args.what != HOLD_ADD && !b->hold_reason) {
		cli_error(c, "%s: is not on hold", id);
	} else if (args.what == HOLD_EXTEND && b->hold_until && strcmp(args.until, b->hold_until) <= 0) {
		cli_error(c, "%s: on hold until %s; an extension must end later than that, not on %s",
		          id, b->hold_until, args.until);
	} else if (args.what == HOLD_ADD) {
		e = audit_entry_new("hold");
		audit_entry_set(e, "id", id);
		audit_entry_set(e, "reason", args.reason);
		audit_entry_set(e, "by", args.by);
		audit_entry_set(e, "until", *args.until ? args.until : NULL);
	} else if (args.what == HOLD_EXTEND) {
		e = audit_entry_new("hold-extended");
		audit_entry_set(e, "id", id);
		audit_entry_set(e, "until", args.until);
		audit_entry_set(e, "previous_until", b->hold_until);
	} else {
		/* The hold lifted, as it was, with why. */
		e = audit_entry_new("hold-removed");
		audit_entry_set(e, "id", id);
		audit_entry_set(e, "reason", args.reason);
		audit_entry_set(e, "hold_reason", b->hold_reason);
		audit_entry_set(e, "hold_by", b->hold_by);
		audit_entry_set(e, "hold_until", b->hold_until);
	}
	g_clear_error(&err);
	catalog_disposal_free(gone);
	catalog_bundle_free(b);
	return e;
}

static int change_holds(const cli_ctx *c, cli_store *st)
{
	int rc = EXIT_OK;
	audit_batch *ab = audit_batch_new();
	for (int i = 0; i < args.n; i++) {
		int why;
		audit_entry *e = change_for(c, st, args.ids[i], &why);
		if (e)
			audit_batch_add(ab, e);
		else if (rc != EXIT_CANNOT_PROCEED)
			rc = why;
	}
	if (rc != EXIT_OK) {
		if (args.n > 1)
			cli_error(c, "no hold changed");
		audit_batch_free(ab);
		return rc;
	}
	/* One write for all: every hold is placed, or none. */
	GError *err = NULL;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	if (!audit_batch_append(c->store, ab, lines, &err) ||
	    !catalog_apply_events(st->catalog, lines, &err)) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		rc = EXIT_CANNOT_PROCEED;
	}
	audit_batch_free(ab);
	static const char *const verbs[] = { "", "held    ", "extended", "released" };
	for (int i = 0; rc == EXIT_OK && i < args.n; i++) {
		if (c->json) {
			json_writer *w = cli_json_line();
			json_kv_string(w, "id", args.ids[i]);
			json_kv_bool(w, "held", args.what != HOLD_REMOVE);
			json_kv_string(w, "reason", args.reason);
			json_kv_string(w, "by", args.by);
			json_kv_string(w, "until", *args.until ? args.until : NULL);
			cli_json_print(w);
		} else if (c->verbosity >= 0) {
			cli_printf("%s %s%s%s\n", verbs[args.what], args.ids[i],
			           *args.until ? " until " : "", args.until);
		}
	}
	if (rc == EXIT_OK && c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "changed", args.n);
		cli_json_print(w);
	}
	g_ptr_array_unref(lines);
	return rc;
}

static int option(cli_ctx *c, int opt, const char *arg)
{
	switch (opt) {
	case 'r': args.reason = arg; break;
	case 'b': args.by = arg; break;
	case 'u':
		if (!cli_parse_iso_date(arg, args.until))
			return cli_usage_error(c, "--until %s: not a date (YYYY-MM-DD)", arg);
		break;
	}
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	const char *what = argc > 0 ? argv[0] : NULL;
	if (!what)
		return cli_usage_error(c, "say add, extend, remove or list");
	if (strcmp(what, "list") == 0) {
		if (argc > 1)
			return cli_usage_error(c, "hold list takes no argument");
		args.what = HOLD_LIST;
		return -1;
	}
	if (strcmp(what, "add") == 0)
		args.what = HOLD_ADD;
	else if (strcmp(what, "extend") == 0)
		args.what = HOLD_EXTEND;
	else if (strcmp(what, "remove") == 0)
		args.what = HOLD_REMOVE;
	else
		return cli_usage_error(c, "'%s': say add, extend, remove or list", what);
	if (argc < 2)
		return cli_usage_error(c, "hold %s needs a bundle ID", what);
	if (args.what != HOLD_ADD && argc > 2)
		return cli_usage_error(c, "hold %s takes one ID", what);
	if (args.what != HOLD_EXTEND && (!args.reason || !*args.reason))
		return cli_usage_error(c, "hold %s needs --reason TEXT", what);
	if (args.what == HOLD_EXTEND && !*args.until)
		return cli_usage_error(c, "hold extend needs --until YYYY-MM-DD");
	if (args.what != HOLD_ADD && args.by)
		return cli_usage_error(c, "--by names who asked for a hold: only with hold add");
	if (args.what == HOLD_REMOVE && *args.until)
		return cli_usage_error(c, "--until: not with hold remove");
	if (args.what == HOLD_EXTEND && args.reason)
		return cli_usage_error(c, "--reason: not with hold extend");
	char today[11];
	cli_today(today);
	if (*args.until && strcmp(args.until, today) <= 0)
		return cli_usage_error(c, "--until %s: not after today (%s)", args.until, today);
	args.ids = argv + 1;
	args.n = argc - 1;
	c->mode = STORE_WRITE;
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	return args.what == HOLD_LIST ? list_holds(c, st) : change_holds(c, st);
}

const cli_command cmd_hold = { usage_text, "", longopts, option, operands, run };
