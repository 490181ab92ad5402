/*
 * cmd/list.c — `archive list`: the bundles of the store, one a line.
 */
#include "cli.h"
#include "errors.h"
#include "json.h"

#include <getopt.h>
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

int cmd_list(int argc, char **argv, const cli_ctx *c)
{
	bool json = false;
	int rc = cli_simple_options(c, argc, argv, usage_text, &json);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(c, "unexpected argument '%s'", argv[optind]);
	cli_store st;
	if ((rc = cli_open_store(c, STORE_READ, &st)) != EXIT_OK)
		return rc;
	GError *err = NULL;
	GPtrArray *all = catalog_list(st.catalog, &err);
	if (!all) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		cli_close_store(&st);
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
		if (json) {
			json_writer *w = json_new(false);
			catalog_bundle_to_json(b, w);
			char *s = json_finish(w);
			printf("%s\n", s);
			g_free(s);
		} else {
			printf("%-*s  %s  %-11s  %-10s  %-4s%s\n", idw, b->id, b->release_date, b->license,
			       b->disposal_date, b->check_status, b->hold_reason ? "  HOLD" : "");
		}
	}
	if (json)
		printf("{\"summary\":true,\"bundles\":%u}\n", all->len);
	else if (c->verbosity >= 0)
		printf("%u bundle%s\n", all->len, all->len == 1 ? "" : "s");
	g_ptr_array_unref(all);
	cli_close_store(&st);
	return EXIT_OK;
}
