/*
 * main.c — the table of archive's subcommands, the common options, and the
 * message functions every command uses (include/cli.h).
 *
 * The common options (--store DIR, -q, -v, --version) may stand before or
 * after the subcommand: main() takes them out of argv wherever they are and
 * hands the rest to the command, which parses its own options.
 */
#include "cli.h"
#include "errors.h"
#include "recovery.h"

#include <archive.h>
#include <errno.h>
#include <getopt.h>
#include <magic.h>
#include <poppler.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <openssl/crypto.h>

/* The store column: what main's cli_open_store() gives the command once it
 * has parsed its options. STORE_NONE: the command decides (verify needs
 * the store only without arguments; retention and hold write only for
 * --apply, add and remove). */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const cli_ctx *c);
	store_mode mode;
	const char *summary;
} commands[] = {
	{ "ingest", cmd_ingest, STORE_WRITE, "archive press releases into BagIt bundles" },
	{ "verify", cmd_verify, STORE_NONE, "prove bundles, bags or the whole store intact" },
	{ "retention", cmd_retention, STORE_NONE, "list, or dispose of, the bundles due" },
	{ "hold", cmd_hold, STORE_NONE, "keep bundles from disposal: add, remove, list" },
	{ "list", cmd_list, STORE_READ, "list the bundles of the store" },
	{ "show", cmd_show, STORE_READ, "one bundle: fields, checks, files, events" },
	{ "extract", cmd_extract, STORE_READ, "unpack a bundle into a folder" },
	{ "reindex", cmd_reindex, STORE_WRITE, "rebuild the catalog from bundles and audit log" },
};

static void vmessage(const cli_ctx *c, const char *fmt, va_list ap)
{
	char *m = g_strdup_vprintf(fmt, ap);
	fprintf(stderr, "archive: %s: %s\n", c->cmd, m);
	g_free(m);
}

void cli_error(const cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(c, fmt, ap);
	va_end(ap);
}

void cli_verbose(const cli_ctx *c, const char *fmt, ...)
{
	if (c->verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmessage(c, fmt, ap);
	va_end(ap);
}

int cli_usage_error(const cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(c, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'archive %s -h'.\n", c->cmd);
	return EXIT_USAGE;
}

int cli_exit_code(const GError *err)
{
	if (!err || err->domain != ARC_ERROR)
		return EXIT_CANNOT_PROCEED;
	switch ((ArcErrorCode)err->code) {
	case ARC_ERROR_INPUT: return EXIT_ITEM_FAILED;
	case ARC_ERROR_LOCKED: return EXIT_LOCKED;
	case ARC_ERROR_USAGE: return EXIT_USAGE;
	case ARC_ERROR_STORE: break;
	}
	return EXIT_CANNOT_PROCEED;
}

int cli_open_store(const cli_ctx *c, store_mode mode, cli_store *out)
{
	GError *err = NULL;
	memset(out, 0, sizeof *out);
	bool write = mode == STORE_WRITE;
	if (!(out->store = store_open(c->store, write, &err)))
		goto fail;
	if (write) {
		recovery_report r;
		if (!store_lock(out->store, &err) || !(out->catalog = catalog_open(c->store, &err)) ||
		    !recovery_run(c->store, out->catalog, &r, &err))
			goto fail;
		for (guint i = 0; i < r.unreadable->len; i++)
			cli_error(c, "%s: cannot be indexed; 'archive verify' tells what is wrong",
			          (char *)g_ptr_array_index(r.unreadable, i));
		if (r.recorded || r.disposals_finished || r.orphans_removed)
			cli_error(c, "%s: repaired after an interrupted run: %u bundle%s recorded, %u "
			             "disposal%s finished, %u stray sidecar%s removed",
			          c->store, r.recorded, r.recorded == 1 ? "" : "s", r.disposals_finished,
			          r.disposals_finished == 1 ? "" : "s", r.orphans_removed,
			          r.orphans_removed == 1 ? "" : "s");
		out->rows_restored = r.rows_restored;
		r.rows_restored = NULL;
		recovery_report_clear(&r);
		return EXIT_OK;
	}
	/* Reading: a catalog that is not there would answer "nothing". */
	char *cat = g_build_filename(c->store, "catalog.sqlite", NULL);
	bool have = g_file_test(cat, G_FILE_TEST_IS_REGULAR);
	g_free(cat);
	if (!have) {
		g_set_error(&err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s: no catalog: run 'archive reindex' (or any ingest) to make it", c->store);
		goto fail;
	}
	if ((out->catalog = catalog_open(c->store, &err)))
		return EXIT_OK;
fail:
	cli_error(c, "%s", err->message);
	int rc = err->code == ARC_ERROR_LOCKED ? EXIT_LOCKED : EXIT_CANNOT_PROCEED;
	g_error_free(err);
	cli_close_store(out);
	return rc;
}

void cli_close_store(cli_store *s)
{
	catalog_close(s->catalog);
	store_close(s->store);
	if (s->rows_restored)
		g_ptr_array_unref(s->rows_restored);
	memset(s, 0, sizeof *s);
}

int cli_simple_options(const cli_ctx *c, int argc, char **argv, const char *usage, bool *json)
{
	static const struct option with_json[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", json ? with_json : with_json + 1, NULL)) != -1) {
		switch (opt) {
		case 'J': *json = true; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		}
	}
	return -1;
}

bool cli_parse_iso_date(const char *s, char iso[11])
{
	for (int i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? s[i] == '-' : g_ascii_isdigit(s[i])))
			return false;
	if (s[10] != '\0')
		return false;
	int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y))
		return false;
	memcpy(iso, s, 11);
	return true;
}

bool cli_parse_jobs(const char *s, int *n)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1024)
		return false;
	*n = (int)v;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: archive [--store DIR] [-q|-v] COMMAND [OPTIONS] [ARGS]\n"
	           "       archive --version\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'archive COMMAND -h' describes a command; see archive(1).\n");
}

static void version(void)
{
	printf("archive %s\n", ARCHIVE_VERSION);
	printf("poppler %s, %s, libmagic %d, zlib %s, SQLite %s, %s, GLib %u.%u.%u\n",
	       poppler_get_version(), archive_version_string(), magic_version(), zlibVersion(),
	       sqlite3_libversion(), OpenSSL_version(OPENSSL_VERSION), glib_major_version,
	       glib_minor_version, glib_micro_version);
}

int main(int argc, char **argv)
{
	cli_ctx c = { .cmd = "archive" };
	const char *store_dir = NULL;
	const struct command *cmd = NULL;
	int rc;

	/* Take the common options out of argv, wherever they stand; everything
	 * else, in order, goes to the subcommand. "--" ends option taking. */
	char **rest = g_new0(char *, argc + 1);
	int nrest = 0;
	bool dashdash = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (dashdash) {
			rest[nrest++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			dashdash = true;
			rest[nrest++] = argv[i];
		} else if (strcmp(a, "--store") == 0) {
			if (i + 1 >= argc) {
				rc = cli_usage_error(&c, "--store needs a directory");
				goto out;
			}
			store_dir = argv[++i];
		} else if (g_str_has_prefix(a, "--store=")) {
			store_dir = a + strlen("--store=");
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			c.verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			c.verbosity = 1;
		} else if (strcmp(a, "--version") == 0) {
			version();
			rc = EXIT_OK;
			goto out;
		} else if (!cmd && a[0] != '-') {
			for (size_t k = 0; k < G_N_ELEMENTS(commands); k++)
				if (strcmp(a, commands[k].name) == 0)
					cmd = &commands[k];
			if (!cmd) {
				rc = cli_usage_error(&c, "unknown command '%s'", a);
				goto out;
			}
			rest[nrest++] = argv[i];
		} else if (!cmd && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			usage(stdout);
			rc = EXIT_OK;
			goto out;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	if (!cmd) {
		if (nrest > 0) {
			rc = cli_usage_error(&c, "unknown option '%s'", rest[0]);
			goto out;
		}
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (!store_dir || !*store_dir)
		store_dir = g_getenv("ARCHIVE_STORE");
	c.store = g_strdup(store_dir && *store_dir ? store_dir : "archive-store");
	c.cmd = cmd->name;
	c.mode = cmd->mode;
	/* A full disk or `ulimit -f` must fail a write with EFBIG, which we
	 * report and clean up after, not kill the process half-way. */
	signal(SIGXFSZ, SIG_IGN);
	rc = cmd->fn(nrest, rest, &c);
out:
	g_free(c.store);
	g_free(rest);
	return rc;
}
