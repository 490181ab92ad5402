/*
 * cmd/extract.c — `archive extract ID DEST`: unpack a bundle of the store,
 * then verify what was unpacked.
 */
#include "bag/extract.h"
#include "bag/verify.h"
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>

static const char usage_text[] =
	"usage: archive extract ID DEST [--json]\n"
	"\n"
	"Unpack bundle ID into DEST/ID (DEST is created when missing; DEST/ID must\n"
	"not exist), refusing entries that would land outside DEST or are links,\n"
	"then verify the unpacked bag.\n"
	"\n"
	"  --json   one JSON object for the bundle, then a summary object\n"
	"\n"
	"Exit: 0 extracted and verified, 1 no such bundle, DEST/ID exists or the\n"
	"unpacked bag is invalid, 2 usage, 3 the store cannot be read.\n";

/* r: the unpacked bag's report; NULL when it was not unpacked (error says why). */
static void print_json(const char *id, const char *root, const bag_report *r, const char *error)
{
	bool ok = r && r->valid;
	json_writer *w = cli_json_line();
	json_kv_string(w, "id", id);
	json_kv_string(w, "dest", root);
	json_kv_bool(w, "extracted", r != NULL);
	json_kv_bool(w, "valid", ok);
	json_key(w, "problems");
	if (r) {
		bag_problems_to_json(w, r->problems);
	} else {
		GPtrArray *why = g_ptr_array_new_with_free_func(bag_problem_free);
		bag_add_problem(why, id, "%s", error);
		bag_problems_to_json(w, why);
		g_ptr_array_unref(why);
	}
	cli_json_print(w);
	w = cli_json_summary();
	json_kv_int(w, "extracted", ok);
	json_kv_int(w, "failed", !ok);
	cli_json_print(w);
}

static const char *id, *dest;

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage_error(c, "expected ID and DEST");
	id = argv[0];
	dest = argv[1];
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	int rc;
	GError *err = NULL;
	catalog_bundle *b = catalog_get(st->catalog, id, &err);
	char *bundle = b ? g_build_filename(c->store, b->path, NULL) : NULL;
	char *root = g_build_filename(dest, id, NULL);
	if (!b) {
		cli_error(c, "%s: no such bundle in %s", id, c->store);
		rc = err ? EXIT_CANNOT_PROCEED : EXIT_ITEM_FAILED;
		if (c->json)
			print_json(id, root, NULL, "no such bundle");
	} else if (!bag_extract(bundle, id, dest, &err)) {
		rc = cli_fail(c, err);
		if (c->json)
			print_json(id, root, NULL, err->message);
	} else {
		bag_verify_opts o = { 0 };
		bag_report *r = bag_verify(root, &o);
		for (guint i = 0; i < r->problems->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->problems, i);
			cli_error(c, "%s: %s: %s", root, p->file, p->reason);
		}
		rc = r->valid ? EXIT_OK : EXIT_ITEM_FAILED;
		if (c->json)
			print_json(id, root, r, NULL);
		else if (r->valid && c->verbosity >= 0)
			cli_printf("extracted %s into %s (verified)\n", id, root);
		bag_report_free(r);
	}
	g_clear_error(&err);
	g_free(root);
	g_free(bundle);
	catalog_bundle_free(b);
	return rc;
}

const cli_command cmd_extract = { usage_text, "", NULL, NULL, operands, run };
