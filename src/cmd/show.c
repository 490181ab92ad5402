/*
 * cmd/show.c — `archive show ID`: one bundle's fields, checks, files and
 * events, as the catalog recorded them.
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"
#include "core/text.h"
#include "store/retention.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive show ID [--json]\n"
	"\n"
	"Show one bundle: its fields, every check with its result, its files and\n"
	"the audit events that concern it.\n"
	"\n"
	"  --json   one JSON object: the bundle's fields, \"release\" (its\n"
	"           metadata/release.json) and \"events\" (its audit lines),\n"
	"           then a summary object\n"
	"\n"
	"A bundle destroyed by a disposal is shown by its disposal record: ID,\n"
	"title, bundle SHA-256, period, start, disposal date, batch, the decision\n"
	"(by whom, meeting, reason), who executed it and when.\n"
	"\n"
	"Exit: 0 shown, 1 no such bundle, 2 usage, 3 the store cannot be read.\n";

/* A JSON text (release.json, an audit line) as a value of w. */
static void json_text(json_writer *w, const char *text)
{
	JsonObject *o = text ? json_read_object(text, -1, NULL) : NULL;
	JsonNode *n = o ? json_node_init_object(json_node_alloc(), o) : NULL;
	json_node(w, n);
	if (n)
		json_node_unref(n);
	if (o)
		json_object_unref(o);
}

/* A destroyed bundle: its disposal record (exit 0), from the catalog's
 * tombstone, which reindex rebuilds from the audit log. */
static void print_disposal(const cli_ctx *c, const catalog_disposal *d)
{
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "id", d->id);
		json_kv_bool(w, "destroyed", true);
		json_key(w, "disposal");
		json_text(w, d->line);
		cli_json_print(w);
		w = cli_json_summary();
		json_kv_int(w, "bundles", 0);
		json_kv_int(w, "destroyed", 1);
		cli_json_print(w);
		return;
	}
#define F(s) ((s) ? (s) : "")
	cli_printf("id             %s\n", d->id);
	cli_printf("title          %s\n", F(d->title));
	cli_printf("status         DESTROYED %s by %s\n", F(d->disposed_at), F(d->user));
	cli_printf("bundle sha256  %s\n", F(d->bundle_sha256));
	cli_printf("release date   %s\n", F(d->release_date));
	cli_printf("retention      %s from %s (disposal %s)\n", F(d->retention),
	           F(d->retention_start), F(d->disposal_date));
	if (d->batch) {
		cli_printf("batch          %s\n", d->batch);
		cli_printf("decision       %s by %s%s%s on %s (user %s)\n", F(d->decision),
		           F(d->decided_by), d->meeting ? ", meeting " : "", F(d->meeting),
		           F(d->decided_at), F(d->decided_user));
		cli_printf("reason         %s\n", F(d->reason));
	} else {
		cli_printf("decision       none recorded: disposed of by schedule (before review)\n");
	}
#undef F
}

/* No bundle ID in the store: destroyed (print its disposal record), or
 * never there (exit 1); or the catalog could not say (exit 3). */
static int no_such_bundle(const cli_ctx *c, catalog *cat, const char *id)
{
	GError *err = NULL;
	catalog_disposal *d = catalog_disposal_get(cat, id, &err);
	if (err)
		return cli_fail_clear(c, &err);
	if (!d) {
		cli_error(c, "%s: no such bundle in %s", id, c->store);
		return EXIT_ITEM_FAILED;
	}
	print_disposal(c, d);
	catalog_disposal_free(d);
	return EXIT_OK;
}

static void print_human(const catalog_bundle *b, const GPtrArray *events, const GPtrArray *checks,
                        const GPtrArray *files)
{
	cli_printf("id             %s\n", b->id);
	cli_printf("title          %s\n", b->title ? b->title : "");
	cli_printf("release date   %s\n", b->release_date);
	cli_printf("organisation   %s\n", b->organisation ? b->organisation : "none named");
	cli_printf("licence        %s\n", b->license);
	/* A period the Decree does not name is kept, and said to be one. */
	retention_period p;
	bool statutory = b->retention && retention_parse(b->retention, &p) && p.statutory;
	cli_printf("retention      %s from %s (disposal %s)%s\n", b->retention, b->retention_start,
	           b->disposal_date, statutory ? "" : "; not a statutory period");
	cli_printf("check status   %s\n", b->check_status);
	cli_printf("bundle         %s (%" G_GINT64_FORMAT " bytes)\n", b->path, b->size);
	cli_printf("sha256         %s\n", b->bundle_sha256 ? b->bundle_sha256 : "");
	cli_printf("ingested       %s\n", b->ingested_at ? b->ingested_at : "");
	if (b->hold_reason)
		cli_printf("hold           %s%s%s%s%s\n", b->hold_reason, b->hold_by ? "; by " : "",
		           b->hold_by ? b->hold_by : "", b->hold_until ? "; until " : "",
		           b->hold_until ? b->hold_until : "");
	else
		cli_printf("hold           none\n");
	if (b->batch)
		cli_printf("disposal batch %s (open)\n", b->batch);
	if (b->last_verified)
		cli_printf("last verified  %s (%s)\n", b->last_verified, b->last_valid ? "valid" : "INVALID");
	else
		cli_printf("last verified  never\n");
	cli_printf("\nchecks\n");
	for (guint i = 0; i < checks->len; i++) {
		const catalog_check *k = g_ptr_array_index(checks, i);
		cli_printf("  %-4s %-7s %-24s %s\n", k->status, k->level, k->id, k->message);
	}
	cli_printf("\nfiles\n");
	for (guint i = 0; i < files->len; i++) {
		const catalog_file *f = g_ptr_array_index(files, i);
		/* A name may hold a newline: one line each, all the same. */
		char *name = text_escape(f->path, true);
		cli_printf("  %10" G_GINT64_FORMAT "  %-24s %s\n", f->size, f->mime ? f->mime : "", name);
		g_free(name);
	}
	cli_printf("\nevents\n");
	for (guint i = 0; i < events->len; i++) {
		JsonObject *o = json_read_object(g_ptr_array_index(events, i), -1, NULL);
		const char *time = json_get_string(o, "time"), *ev = json_get_string(o, "event"),
		           *user = json_get_string(o, "user");
		cli_printf("  %s  %-13s %s\n", time ? time : "", ev ? ev : "", user ? user : "");
		g_clear_pointer(&o, json_object_unref);
	}
}

static const char *id;

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage_error(c, argc == 0 ? "no ID given" : "one ID at a time");
	id = argv[0];
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	GError *err = NULL;
	int rc = EXIT_CANNOT_PROCEED;
	char *release_json = NULL;
	GPtrArray *events = NULL, *checks = NULL, *files = NULL;
	catalog_bundle *b = catalog_get(st->catalog, id, &err);
	if (!b && !err) {
		rc = no_such_bundle(c, st->catalog, id);
		goto out;
	}
	/* All of it read before a line is printed: a read the catalog could
	 * not finish is exit 3 with its reason, never a shorter page. */
	if (!b || (!(release_json = catalog_release_json(st->catalog, id, &err)) && err) ||
	    !(events = catalog_events(st->catalog, id, &err)) ||
	    (!c->json && (!(checks = catalog_checks(st->catalog, b->id, &err)) ||
	                  !(files = catalog_files(st->catalog, b->id, &err)))))
		goto out;
	if (c->json) {
		/* The bundle's fields, with release.json and the events inside. */
		json_writer *w = cli_json_line();
		catalog_bundle_to_json(b, w);
		json_key(w, "release");
		json_text(w, release_json);
		json_key(w, "events");
		json_begin_array(w);
		for (guint i = 0; i < events->len; i++)
			json_text(w, g_ptr_array_index(events, i));
		json_end_array(w);
		cli_json_print(w);
		w = cli_json_summary();
		json_kv_int(w, "bundles", 1);
		cli_json_print(w);
	} else {
		print_human(b, events, checks, files);
	}
	rc = EXIT_OK;
out:
	if (err)
		cli_error(c, "%s", err->message);
	g_clear_error(&err);
	if (events)
		g_ptr_array_unref(events);
	if (checks)
		g_ptr_array_unref(checks);
	if (files)
		g_ptr_array_unref(files);
	g_free(release_json);
	catalog_bundle_free(b);
	return rc;
}

const cli_command cmd_show = { usage_text, "", NULL, NULL, operands, run };
