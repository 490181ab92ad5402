/*
 * cmd/list.c — `archive list`: the bundles of the store, one a line.
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive list [--all] [--json]\n"
	"\n"
	"List the bundles of the store: id, release date, licence, disposal date,\n"
	"check status, and HOLD for bundles on hold.\n"
	"\n"
	"  --all    also the bundles destroyed by a disposal (DESTROYED, the day,\n"
	"           and the batch; 'archive show ID' prints the disposal record)\n"
	"  --json   one JSON object per bundle, then a summary object\n"
	"\n"
	"Exit: 0 listed, 2 usage, 3 the store cannot be read.\n";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ 0 },
};

static bool all_too;

static int option(cli_ctx *c, int opt, const char *arg)
{
	(void)c;
	(void)arg;
	all_too = opt == 'a';
	return -1;
}

/* The tombstones, after the bundles in the store. */
static int list_destroyed(const cli_ctx *c, cli_store *st, int idw, unsigned *n)
{
	GError *err = NULL;
	GPtrArray *gone = catalog_disposals(st->catalog, &err);
	if (!gone)
		return cli_fail_clear(c, &err);
	for (guint i = 0; i < gone->len; i++) {
		const catalog_disposal *d = g_ptr_array_index(gone, i);
		if (c->json) {
			json_writer *w = cli_json_line();
			json_kv_string(w, "id", d->id);
			json_kv_string(w, "title", d->title);
			json_kv_string(w, "release_date", d->release_date);
			json_kv_string(w, "retention", d->retention);
			json_kv_string(w, "retention_start", d->retention_start);
			json_kv_string(w, "disposal_date", d->disposal_date);
			json_kv_string(w, "bundle_sha256", d->bundle_sha256);
			json_kv_bool(w, "destroyed", true);
			json_kv_string(w, "destroyed_at", d->disposed_at);
			json_kv_string(w, "batch", d->batch);
			cli_json_print(w);
		} else {
			cli_printf("%-*s  %s  DESTROYED %s%s%s\n", idw, d->id,
			           d->release_date ? d->release_date : "", d->disposed_at,
			           d->batch ? " in batch " : "", d->batch ? d->batch : "");
		}
	}
	*n = gone->len;
	g_ptr_array_unref(gone);
	return EXIT_OK;
}

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
			json_kv_bool(w, "destroyed", false);
			cli_json_print(w);
		} else {
			cli_printf("%-*s  %s  %-11s  %-10s  %-4s%s\n", idw, b->id, b->release_date, b->license,
			       b->disposal_date, b->check_status, b->hold_reason ? "  HOLD" : "");
		}
	}
	unsigned destroyed = 0;
	int rc = all_too ? list_destroyed(c, st, idw, &destroyed) : EXIT_OK;
	if (rc != EXIT_OK) {
		g_ptr_array_unref(all);
		return rc;
	}
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "bundles", all->len);
		if (all_too)
			json_kv_int(w, "destroyed", destroyed);
		cli_json_print(w);
	} else if (c->verbosity >= 0 && all_too) {
		cli_printf("%u bundle%s, %u destroyed\n", all->len, all->len == 1 ? "" : "s", destroyed);
	} else if (c->verbosity >= 0) {
		cli_printf("%u bundle%s\n", all->len, all->len == 1 ? "" : "s");
	}
	g_ptr_array_unref(all);
	return EXIT_OK;
}

const cli_command cmd_list = { usage_text, "", longopts, option, operands, run };
