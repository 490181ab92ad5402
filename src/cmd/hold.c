/*
 * cmd/hold.c — `archive hold add ID --reason TEXT | remove ID | list`.
 *
 * A hold keeps a bundle from disposal whatever its date. Adding and
 * removing one is recorded in the audit log (then mirrored in the catalog).
 */
#include "audit.h"
#include "cli.h"
#include "errors.h"
#include "json.h"

#include <getopt.h>
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

static int list_holds(const cli_ctx *c, bool json)
{
	cli_store st;
	int rc = cli_open_store(c, STORE_READ, &st);
	if (rc != EXIT_OK)
		return rc;
	GError *err = NULL;
	GPtrArray *holds = catalog_holds(st.catalog, &err);
	if (!holds) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		cli_close_store(&st);
		return EXIT_CANNOT_PROCEED;
	}
	for (guint i = 0; i < holds->len; i++) {
		const catalog_hold *h = g_ptr_array_index(holds, i);
		if (json) {
			json_writer *w = json_new(false);
			json_begin_object(w);
			json_kv_string(w, "id", h->id);
			json_kv_string(w, "reason", h->reason);
			json_kv_string(w, "user", h->user);
			json_kv_string(w, "since", h->since);
			json_end_object(w);
			char *s = json_finish(w);
			printf("%s\n", s);
			g_free(s);
		} else {
			printf("%s  since %s by %s: %s\n", h->id, h->since, h->user, h->reason);
		}
	}
	if (json)
		printf("{\"summary\":true,\"holds\":%u}\n", holds->len);
	else if (c->verbosity >= 0)
		printf("%u hold%s\n", holds->len, holds->len == 1 ? "" : "s");
	g_ptr_array_unref(holds);
	cli_close_store(&st);
	return EXIT_OK;
}

/* Record a hold (reason given) or its removal (reason NULL). */
static int change_hold(const cli_ctx *c, const char *id, const char *reason, bool json)
{
	cli_store st;
	int rc = cli_open_store(c, STORE_WRITE, &st);
	if (rc != EXIT_OK)
		return rc;
	GError *err = NULL;
	char *line = NULL;
	catalog_bundle *b = catalog_get(st.catalog, id, &err);
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
	          catalog_apply_event(st.catalog, line, &err);
	audit_entry_free(e);
	if (!ok) {
		cli_error(c, "%s", err->message);
		rc = EXIT_CANNOT_PROCEED;
		goto out;
	}
	if (json) {
		json_writer *w = json_new(false);
		json_begin_object(w);
		json_kv_string(w, "id", id);
		json_kv_bool(w, "held", reason != NULL);
		json_kv_string(w, "reason", reason);
		json_end_object(w);
		char *s = json_finish(w);
		printf("%s\n{\"summary\":true,\"changed\":1}\n", s);
		g_free(s);
	} else if (c->verbosity >= 0)
		printf("%s %s\n", reason ? "held    " : "released", id);
out:
	g_clear_error(&err);
	g_free(line);
	catalog_bundle_free(b);
	cli_close_store(&st);
	return rc;
}

int cmd_hold(int argc, char **argv, const cli_ctx *c)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *reason = NULL;
	bool json = false;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': reason = optarg; break;
		case 'J': json = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		case ':': return cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		}
	}
	const char *what = optind < argc ? argv[optind] : NULL;
	int nargs = argc - optind;
	if (!what)
		return cli_usage_error(c, "say add, remove or list");
	if (strcmp(what, "list") == 0 && nargs == 1)
		return list_holds(c, json);
	if (strcmp(what, "add") == 0 && nargs == 2) {
		if (!reason || !*reason)
			return cli_usage_error(c, "hold add needs --reason TEXT");
		return change_hold(c, argv[optind + 1], reason, json);
	}
	if (strcmp(what, "remove") == 0 && nargs == 2)
		return change_hold(c, argv[optind + 1], NULL, json);
	return cli_usage_error(c, "expected 'add ID --reason TEXT', 'remove ID' or 'list'");
}
