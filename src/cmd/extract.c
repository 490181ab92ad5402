/*
 * cmd/extract.c — `archive extract ID DEST`: unpack a bundle of the store,
 * then verify what was unpacked.
 */
#include "bag_extract.h"
#include "bag_verify.h"
#include "cli.h"
#include "errors.h"

#include <getopt.h>
#include <stdio.h>

static const char usage_text[] =
	"usage: archive extract ID DEST\n"
	"\n"
	"Unpack bundle ID into DEST/ID (DEST is created when missing; DEST/ID must\n"
	"not exist), refusing entries that would land outside DEST or are links,\n"
	"then verify the unpacked bag.\n";

int cmd_extract(int argc, char **argv, const cli_ctx *c)
{
	int rc = cli_simple_options(c, argc, argv, usage_text, NULL);
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
	} else if (!bag_extract(bundle, id, dest, &err)) {
		cli_error(c, "%s", err->message);
		rc = cli_exit_code(err);
	} else {
		bag_verify_opts o = { 0 };
		bag_report *r = bag_verify(root, &o);
		for (guint i = 0; i < r->problems->len; i++) {
			const bag_problem *p = g_ptr_array_index(r->problems, i);
			cli_error(c, "%s: %s: %s", root, p->file, p->reason);
		}
		rc = r->valid ? EXIT_OK : EXIT_ITEM_FAILED;
		if (r->valid && c->verbosity >= 0)
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
