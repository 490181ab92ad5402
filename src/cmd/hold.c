/*
 * cmd/hold.c — `archive hold add ID --reason TEXT | remove ID | list`.
 *
 * A hold keeps a bundle from disposal whatever its date. Adding and
 * removing one is recorded in the audit log (then mirrored in the catalog).
 */
#include "store/audit.h"
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive hold add ID --reason TEXT [--json]\n"
	"       archive hold remove ID [--json]\n"
	"       archive hold list [--json]\n"
	"\n"
	"Keep bundles from disposal (litigation, audit, an open request), and\n"
	"let them go again. Every change is recorded in the audit log.\n"
	"\n"
	"  --reason TEXT   why the bundle is held (add needs one)\n"
	"  --json          one JSON object per hold or change, then a summary object\n"
	"\n"
	"Exit: 0 done, 1 no such bundle, already or not on hold, 2 usage,\n"
	"3 the store cannot be read or written, 75 locked.\n";

static int list_holds(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	GPtrArray *holds = catalog_holds(st->catalog, &err);
	if (!holds) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_CANNOT_PROCEED;
	}
	for (guint i = 0; i < holds->len; i++) {
		const catalog_hold *h = g_ptr_array_index(holds, i);
		if (c->json) {
			json_writer *w = cli_json_line();
			json_kv_string(w, "id", h->id);
			json_kv_string(w, "reason", h->reason);
			json_kv_string(w, "user", h->user);
			json_kv_string(w, "since", h->since);
			cli_json_print(w);
		} else {
			cli_printf("%s  since %s by %s: %s\n", h->id, h->since, h->user, h->reason);
		}
	}
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

/* Record a hold (reason given) or its removal (reason NULL). */
static int change_hold(const cli_ctx *c, cli_store *st, const char *id, const char *reason)
{
	int rc = EXIT_OK;
	GError *err = NULL;
	char *line = NULL;
	catalog_bundle *b = catalog_get(st->catalog, id, &err);
	if (!b) {
		cli_error(c, "%s: no such bundle in %s", id, c->store);
		rc = EXIT_ITEM_FAILED;
		goto out;
	}
	if (!reason && !b->hold_reason) {
		cli_error(c, "%s: is not on hold", id);
		rc = EXIT_ITEM_FAILED;
		goto out;
	}
	/* One hold per bundle: a second one would replace the first one's
	 * reason, and one `hold remove` would then lift both. */
	if (reason && b->hold_reason) {
		cli_error(c, "%s: already on hold (%s); not changed", id, b->hold_reason);
		rc = EXIT_ITEM_FAILED;
		goto out;
	}
	audit_entry *e = audit_entry_new(reason ? "hold" : "hold-removed");
	audit_entry_set(e, "id", id);
	if (reason)
		audit_entry_set(e, "reason", reason);
	bool ok = audit_append(c->store, e, &line, &err) &&
	          catalog_apply_event(st->catalog, line, &err);
	audit_entry_free(e);
	if (!ok) {
		cli_error(c, "%s", err->message);
		rc = EXIT_CANNOT_PROCEED;
		goto out;
	}
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "id", id);
		json_kv_bool(w, "held", reason != NULL);
		json_kv_string(w, "reason", reason);
		cli_json_print(w);
		w = cli_json_summary();
		json_kv_int(w, "changed", 1);
		cli_json_print(w);
	} else if (c->verbosity >= 0)
		cli_printf("%s %s\n", reason ? "held    " : "released", id);
out:
	g_clear_error(&err);
	g_free(line);
	catalog_bundle_free(b);
	return rc;
}

static const struct option longopts[] = {
	{ "reason", required_argument, NULL, 'r' },
	{ 0 },
};

static struct {
	const char *reason;
	enum { HOLD_LIST, HOLD_ADD, HOLD_REMOVE } what;
	const char *id;
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	if (opt == 'r')
		args.reason = arg;
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	const char *what = argc > 0 ? argv[0] : NULL;
	if (!what)
		return cli_usage_error(c, "say add, remove or list");
	if (strcmp(what, "list") == 0 && argc == 1) {
		args.what = HOLD_LIST;
		return -1;
	}
	if (strcmp(what, "add") == 0 && argc == 2) {
		if (!args.reason || !*args.reason)
			return cli_usage_error(c, "hold add needs --reason TEXT");
		args.what = HOLD_ADD;
	} else if (strcmp(what, "remove") == 0 && argc == 2) {
		args.what = HOLD_REMOVE;
	} else {
		return cli_usage_error(c, "expected 'add ID --reason TEXT', 'remove ID' or 'list'");
	}
	args.id = argv[1];
	c->mode = STORE_WRITE;
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	switch (args.what) {
	case HOLD_ADD: return change_hold(c, st, args.id, args.reason);
	case HOLD_REMOVE: return change_hold(c, st, args.id, NULL);
	case HOLD_LIST: break;
	}
	return list_holds(c, st);
}

const cli_command cmd_hold = { usage_text, "", longopts, option, operands, run };
