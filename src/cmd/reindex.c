/*
 * cmd/reindex.c — `archive reindex`: rebuild catalog.sqlite from the
 * bundles and the audit log alone.
 */
#include "store/catalog.h"
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"
#include "store/recovery.h"
#include "store/store.h"

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

static int operands(cli_ctx *c, int argc, char **argv)
{
	return argc > 0 ? cli_usage_error(c, "unexpected argument '%s'", argv[0]) : -1;
}

/* Under the lock (STORE_LOCK: no writer may run while the catalog is
 * rebuilt), the catalog rebuilt, then the usual repairs, which a damaged
 * catalog could not have run. */
static int run(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	int64_t bundles = -1;
	recovery_report r = { 0 };
	GPtrArray *skipped = g_ptr_array_new_with_free_func(g_free);
	int rc = EXIT_CANNOT_PROCEED;
	catalog *cat = recovery_reindex(c->store, skipped, &r, &err);
	if (cat && (bundles = catalog_count(cat, &err)) >= 0)
		rc = skipped->len ? EXIT_ITEM_FAILED : EXIT_OK;
	cli_report_repairs(c, &r);
	for (guint i = 0; i < skipped->len; i++) {
		cli_error(c, "%s: left out of the catalog", (char *)g_ptr_array_index(skipped, i));
		if (c->json) {
			json_writer *w = cli_json_line();
			json_kv_string(w, "skipped", g_ptr_array_index(skipped, i));
			cli_json_print(w);
		}
	}

	if (rc == EXIT_CANNOT_PROCEED) {
		cli_error(c, "%s", err->message);
		if (c->json) {
			json_writer *w = cli_json_summary();
			json_kv_bool(w, "rebuilt", false);
			json_kv_int(w, "exit", rc);
			cli_json_print(w);
		}
	} else {
		int64_t lines = catalog_last_seq(cat);
		cli_summary(c, "catalog rebuilt: %" G_GINT64_FORMAT " bundles, %u left out", bundles,
		            skipped->len);
		if (c->json) {
			json_writer *w = cli_json_summary();
			json_kv_bool(w, "rebuilt", true);
			json_kv_int(w, "bundles", bundles);
			json_kv_int(w, "audit_lines", lines);
			json_kv_int(w, "skipped", skipped->len);
			cli_json_print(w);
		} else if (c->verbosity >= 0) {
			cli_printf("catalog rebuilt: %" G_GINT64_FORMAT " bundle%s, %" G_GINT64_FORMAT
			           " audit line%s\n",
			           bundles, bundles == 1 ? "" : "s", lines, lines == 1 ? "" : "s");
		}
	}
	g_ptr_array_unref(skipped);
	recovery_report_clear(&r);
	g_clear_error(&err);
	catalog_close(cat);
	return rc;
}

const cli_command cmd_reindex = { usage_text, "", NULL, NULL, operands, run };
