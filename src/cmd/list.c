/*
 * cmd/list.c — `archive list`: the bundles of the store, one a line.
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive list [--json]\n"
	"\n"
	"List the bundles of the store: id, release date, licence, disposal date,\n"
	"check status, and HOLD for bundles on hold.\n"
	"\n"
	"  --json   one JSON object per bundle, then a summary object\n"
	"\n"
	"Exit: 0 listed, 2 usage, 3 the store cannot be read.\n";

static int operands(cli_ctx *c, int argc, char **argv)
{
	return argc > 0 ? cli_usage_error(c, "unexpected argument '%s'", argv[0]) : -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	GPtrArray *all = catalog_list(st->catalog, &err);
	if (!all) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_CANNOT_PROCEED;
	}
	/* Ids differ in length (the slug): pad them so the columns line up. */
	int idw = 0;
	for (guint i = 0; i < all->len; i++) {
		int n = (int)strlen(((const catalog_bundle *)g_ptr_array_index(all, i))->id);
		idw = n > idw ? n : idw;
	}
	for (guint i = 0; i < all->len; i++) {
		const catalog_bundle *b = g_ptr_array_index(all, i);
		if (c->json) {
			json_writer *w = cli_json_line();
			catalog_bundle_to_json(b, w);
			cli_json_print(w);
		} else {
			cli_printf("%-*s  %s  %-11s  %-10s  %-4s%s\n", idw, b->id, b->release_date, b->license,
			       b->disposal_date, b->check_status, b->hold_reason ? "  HOLD" : "");
		}
	}
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "bundles", all->len);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("%u bundle%s\n", all->len, all->len == 1 ? "" : "s");
	}
	g_ptr_array_unref(all);
	return EXIT_OK;
}

const cli_command cmd_list = { usage_text, "", NULL, NULL, operands, run };
