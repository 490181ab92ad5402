/*
 * cmd/reindex.c — `archive reindex`: rebuild catalog.sqlite from the
 * bundles and the audit log alone.
 */
#include "catalog.h"
#include "cli.h"
#include "errors.h"
#include "json.h"
#include "recovery.h"
#include "store.h"

#include <getopt.h>
#include <stdio.h>

static const char usage_text[] =
	"usage: archive reindex [--json]\n"
	"\n"
	"Rebuild the catalog (catalog.sqlite) from the bundles and the audit log\n"
	"alone; a damaged catalog is set aside as catalog.sqlite.damaged-TIME.\n"
	"\n"
	"  --json   one JSON object per bundle left out, then a summary object\n"
	"\n"
	"Exit: 0 rebuilt, 1 some bundle could not be read (left out), 2 usage,\n"
	"3 the store cannot be read or written, 75 locked.\n";

int cmd_reindex(int argc, char **argv, const cli_ctx *c)
{
	bool json = false;
	int rc = cli_simple_options(c, argc, argv, usage_text, &json);
	if (rc >= 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(c, "unexpected argument '%s'", argv[optind]);
	/* Lock first: no writer may run while the catalog is rebuilt. Then
	 * the usual repairs, which a damaged catalog could not have run. */
	GError *err = NULL;
	store *s = store_open(c->store, false, &err);
	catalog *cat = NULL;
	GPtrArray *all = NULL;
	recovery_report r = { 0 };
	GPtrArray *skipped = g_ptr_array_new_with_free_func(g_free);
	rc = EXIT_CANNOT_PROCEED;
	if (s && !store_lock(s, &err))
		rc = err->code == ARC_ERROR_LOCKED ? EXIT_LOCKED : EXIT_CANNOT_PROCEED;
	else if (s && catalog_rebuild(c->store, skipped, &err) &&
	         (cat = catalog_open(c->store, &err)) && recovery_run(c->store, cat, &r, &err) &&
	         (all = catalog_list(cat, &err)))
		rc = skipped->len ? EXIT_ITEM_FAILED : EXIT_OK;
	cli_report_repairs(c, &r);
	for (guint i = 0; i < skipped->len; i++) {
		cli_error(c, "%s: left out of the catalog", (char *)g_ptr_array_index(skipped, i));
		if (json) {
			json_writer *w = json_new(false);
			json_begin_object(w);
			json_kv_string(w, "skipped", g_ptr_array_index(skipped, i));
			json_end_object(w);
			char *line = json_finish(w);
			printf("%s\n", line);
			g_free(line);
		}
	}

	if (rc == EXIT_CANNOT_PROCEED || rc == EXIT_LOCKED) {
		cli_error(c, "%s", err->message);
		if (json)
			printf("{\"summary\":true,\"rebuilt\":false,\"exit\":%d}\n", rc);
	} else {
		int64_t lines = catalog_last_seq(cat);
		cli_summary(c, "catalog rebuilt: %u bundles, %u left out", all->len, skipped->len);
		if (json)
			printf("{\"summary\":true,\"rebuilt\":true,\"bundles\":%u,\"audit_lines\":%" G_GINT64_FORMAT
			       ",\"skipped\":%u}\n",
			       all->len, lines, skipped->len);
		else if (c->verbosity >= 0)
			printf("catalog rebuilt: %u bundle%s, %" G_GINT64_FORMAT " audit line%s\n", all->len,
			       all->len == 1 ? "" : "s", lines, lines == 1 ? "" : "s");
	}
	if (all)
		g_ptr_array_unref(all);
	g_ptr_array_unref(skipped);
	recovery_report_clear(&r);
	g_clear_error(&err);
	catalog_close(cat);
	store_close(s);
	return rc;
}
