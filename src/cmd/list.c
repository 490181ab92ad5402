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

typedef struct {
	const cli_ctx *c;
	int idw;
	unsigned n;
} list_ctx;

static bool list_one(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	list_ctx *x = arg;
	if (x->c->json) {
		json_writer *w = cli_json_line();
		catalog_bundle_to_json(b, w);
		json_kv_bool(w, "destroyed", false);
		cli_json_print(w);
	} else {
		cli_printf("%-*s  %s  %-11s  %-10s  %-4s%s\n", x->idw, b->id, b->release_date,
		           b->license, b->disposal_date, b->check_status, b->hold_reason ? "  HOLD" : "");
	}
	x->n++;
	return true;
}

/* The rows as they are read, one in memory at a time; a read that fails
 * part way is exit 3 with no summary (the list above it is not all). */
static int run(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	/* Ids differ in length (the slug): pad them so the columns line up. */
	list_ctx x = { c, catalog_id_width(st->catalog, &err), 0 };
	if (err || !catalog_each(st->catalog, list_one, &x, &err))
		return cli_fail_clear(c, &err);
	unsigned destroyed = 0;
	int rc = all_too ? list_destroyed(c, st, x.idw, &destroyed) : EXIT_OK;
	if (rc != EXIT_OK)
		return rc;
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_int(w, "bundles", x.n);
		if (all_too)
			json_kv_int(w, "destroyed", destroyed);
		cli_json_print(w);
	} else if (c->verbosity >= 0 && all_too) {
		cli_printf("%u bundle%s, %u destroyed\n", x.n, x.n == 1 ? "" : "s", destroyed);
	} else if (c->verbosity >= 0) {
		cli_printf("%u bundle%s\n", x.n, x.n == 1 ? "" : "s");
	}
	return EXIT_OK;
}

const cli_command cmd_list = { usage_text, "", longopts, option, operands, run };
