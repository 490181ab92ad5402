/*
 * cmd/extract.c — `archive extract ID DEST`: unpack a bundle of the store,
 * then verify what was unpacked.
 */
#include "bag_extract.h"
#include "bag_verify.h"
#include "cli.h"
#include "errors.h"
#include "json.h"

#include <getopt.h>
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

static void print_json(const char *id, const char *root, bool ok, const bag_report *r,
                       const char *error)
{
	json_writer *w = json_new(false);
	json_begin_object(w);
	json_kv_string(w, "id", id);
	json_kv_string(w, "dest", root);
	json_kv_bool(w, "extracted", r != NULL);
	json_kv_bool(w, "valid", ok);
	json_key(w, "problems");
	json_begin_array(w);
	for (guint i = 0; r && i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		json_begin_object(w);
		json_kv_string(w, "file", p->file);
		json_kv_string(w, "reason", p->reason);
		json_end_object(w);
	}
	if (error) {
		json_begin_object(w);
		json_kv_string(w, "file", id);
		json_kv_string(w, "reason", error);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	char *s = json_finish(w);
	printf("%s\n{\"summary\":true,\"extracted\":%d,\"failed\":%d}\n", s, ok, !ok);
	g_free(s);
}

int cmd_extract(int argc, char **argv, const cli_ctx *c)
{
	bool json = false;
	int rc = cli_simple_options(c, argc, argv, usage_text, &json);
	if (rc >= 0)
		return rc;
	if (argc - optind != 2)
		return cli_usage_error(c, "expected ID and DEST");
	const char *id = argv[optind], *dest = argv[optind + 1];
	cli_store st;
	if ((rc = cli_open_store(c, STORE_READ, &st)) != EXIT_OK)
		return rc;
	GError *err = NULL;
	catalog_bundle *b = catalog_get(st.catalog, id, &err);
	char *bundle = b ? g_build_filename(c->store, b->path, NULL) : NULL;
	char *root = g_build_filename(dest, id, NULL);
	if (!b) {
		cli_error(c, "%s: no such bundle in %s", id, c->store);
		rc = err ? EXIT_CANNOT_PROCEED : EXIT_ITEM_FAILED;
		if (json)
			print_json(id, root, false, NULL, "no such bundle");
	} else if (!bag_extract(bundle, id, dest, &err)) {
		cli_error(c, "%s", err->message);
		rc = cli_exit_code(err);
		if (json)
			print_json(id, root, false, NULL, err->message);
	} else {
		bag_verify_opts o = { 0 };
		bag_report *r = bag_verify(root, &o);
		for (guint i = 0; i < r->problems->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->problems, i);
			cli_error(c, "%s: %s: %s", root, p->file, p->reason);
		}
		rc = r->valid ? EXIT_OK : EXIT_ITEM_FAILED;
		if (json)
			print_json(id, root, r->valid, r, NULL);
		else if (r->valid && c->verbosity >= 0)
			printf("extracted %s into %s (verified)\n", id, root);
		bag_report_free(r);
	}
	g_clear_error(&err);
	g_free(root);
	g_free(bundle);
	catalog_bundle_free(b);
	cli_close_store(&st);
	return rc;
}
