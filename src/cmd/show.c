/*
 * cmd/show.c — `archive show ID`: one bundle's fields, checks, files and
 * events, as the catalog recorded them.
 */
#include "cli.h"
#include "errors.h"
#include "json.h"

#include <getopt.h>
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
	"Exit: 0 shown, 1 no such bundle (or disposed of), 2 usage, 3 the store\n"
	"cannot be read.\n";

/* A JSON field of the audit line, as text (lines are ours: "key":"value"). */
static char *line_field(const char *line, const char *key)
{
	char *needle = g_strdup_printf("\"%s\":\"", key);
	const char *p = strstr(line, needle);
	char *v = NULL;
	if (p) {
		p += strlen(needle);
		const char *end = strchr(p, '"');
		v = end ? g_strndup(p, (gsize)(end - p)) : NULL;
	}
	g_free(needle);
	return v;
}

/* Say why there is no bundle ID: disposed of (the audit log remembers), or
 * never there. */
static void no_such_bundle(const cli_ctx *c, catalog *cat, const char *id)
{
	GPtrArray *events = catalog_events(cat, id, NULL);
	char *on = NULL, *user = NULL;
	for (guint i = 0; events && i < events->len; i++) {
		const char *line = g_ptr_array_index(events, i);
		char *ev = line_field(line, "event");
		if (ev && strcmp(ev, "dispose") == 0) {
			g_free(on);
			g_free(user);
			on = line_field(line, "disposed_on");
			user = line_field(line, "user");
		}
		g_free(ev);
	}
	if (on)
		cli_error(c, "%s: disposed of on %s by %s; no longer in %s", id, on,
		          user ? user : "?", c->store);
	else
		cli_error(c, "%s: no such bundle in %s", id, c->store);
	g_free(on);
	g_free(user);
	if (events)
		g_ptr_array_unref(events);
}

static void print_human(const catalog_bundle *b, GPtrArray *events, catalog *cat)
{
	printf("id             %s\n", b->id);
	printf("title          %s\n", b->title ? b->title : "");
	printf("release date   %s\n", b->release_date);
	printf("organisation   %s\n", b->organisation ? b->organisation : "");
	printf("licence        %s\n", b->license);
	printf("retention      %s (disposal %s)\n", b->retention, b->disposal_date);
	printf("check status   %s\n", b->check_status);
	printf("bundle         %s (%" G_GINT64_FORMAT " bytes)\n", b->path, b->size);
	printf("sha256         %s\n", b->bundle_sha256 ? b->bundle_sha256 : "");
	printf("ingested       %s\n", b->ingested_at ? b->ingested_at : "");
	printf("hold           %s\n", b->hold_reason ? b->hold_reason : "none");
	if (b->last_verified)
		printf("last verified  %s (%s)\n", b->last_verified, b->last_valid ? "valid" : "INVALID");
	else
		printf("last verified  never\n");
	GPtrArray *checks = catalog_checks(cat, b->id, NULL);
	printf("\nchecks\n");
	for (guint i = 0; checks && i < checks->len; i++) {
		const catalog_check *k = g_ptr_array_index(checks, i);
		printf("  %-4s %-7s %-20s %s\n", k->status, k->level, k->id, k->message);
	}
	GPtrArray *files = catalog_files(cat, b->id, NULL);
	printf("\nfiles\n");
	for (guint i = 0; files && i < files->len; i++) {
		const catalog_file *f = g_ptr_array_index(files, i);
		printf("  %10" G_GINT64_FORMAT "  %-24s %s\n", f->size, f->mime ? f->mime : "", f->path);
	}
	printf("\nevents\n");
	for (guint i = 0; events && i < events->len; i++) {
		const char *line = g_ptr_array_index(events, i);
		char *time = line_field(line, "time"), *ev = line_field(line, "event"),
		     *user = line_field(line, "user");
		printf("  %s  %-13s %s\n", time ? time : "", ev ? ev : "", user ? user : "");
		g_free(time);
		g_free(ev);
		g_free(user);
	}
	if (checks)
		g_ptr_array_unref(checks);
	if (files)
		g_ptr_array_unref(files);
}

int cmd_show(int argc, char **argv, const cli_ctx *c)
{
	bool json = false;
	int rc = cli_simple_options(c, argc, argv, usage_text, &json);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(c, optind >= argc ? "no ID given" : "one ID at a time");
	const char *id = argv[optind];
	cli_store st;
	if ((rc = cli_open_store(c, STORE_READ, &st)) != EXIT_OK)
		return rc;
	GError *err = NULL;
	catalog_bundle *b = catalog_get(st.catalog, id, &err);
	if (!b) {
		if (err)
			cli_error(c, "%s", err->message);
		else
			no_such_bundle(c, st.catalog, id);
		rc = err ? EXIT_CANNOT_PROCEED : EXIT_ITEM_FAILED;
		g_clear_error(&err);
		cli_close_store(&st);
		return rc;
	}
	char *release_json = catalog_release_json(st.catalog, id);
	GPtrArray *events = catalog_events(st.catalog, id, NULL);
	if (json) {
		json_writer *w = json_new(false);
		catalog_bundle_to_json(b, w);
		char *head = json_finish(w);
		/* The bundle's object, with release.json and the events inside. */
		head[strlen(head) - 1] = '\0';
		GString *out = g_string_new(head);
		g_string_append_printf(out, ",\"release\":%s,\"events\":[", release_json ? release_json : "null");
		for (guint i = 0; events && i < events->len; i++)
			g_string_append_printf(out, "%s%s", i ? "," : "", (char *)g_ptr_array_index(events, i));
		g_string_append(out, "]}");
		/* release.json is pretty-printed: one line per object, as --json says. */
		for (char *p = out->str; *p; p++)
			if (*p == '\n')
				*p = ' ';
		printf("%s\n{\"summary\":true,\"bundles\":1}\n", out->str);
		g_string_free(out, TRUE);
		g_free(head);
	} else {
		print_human(b, events, st.catalog);
	}
	if (events)
		g_ptr_array_unref(events);
	g_free(release_json);
	catalog_bundle_free(b);
	cli_close_store(&st);
	return EXIT_OK;
}
