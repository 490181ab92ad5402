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

#include <archive.h>
#include <errno.h>
#include <magic.h>
#include <poppler.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <openssl/crypto.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const cli_ctx *c);
	const char *summary;
} commands[] = {
	{ "ingest", cmd_ingest, "archive press releases into BagIt bundles" },
	{ "verify", cmd_verify, "prove bundles and bags intact" },
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
	printf("poppler %s, %s, libmagic %d, zlib %s, %s, GLib %u.%u.%u\n",
	       poppler_get_version(), archive_version_string(), magic_version(), zlibVersion(),
	       OpenSSL_version(OPENSSL_VERSION), glib_major_version, glib_minor_version,
	       glib_micro_version);
}

int main(int argc, char **argv)
{
	cli_ctx c = { .cmd = "archive" };
	const char *store = NULL;
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
			store = argv[++i];
		} else if (g_str_has_prefix(a, "--store=")) {
			store = a + strlen("--store=");
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
	if (!store || !*store)
		store = g_getenv("ARCHIVE_STORE");
	c.store = g_strdup(store && *store ? store : "archive-store");
	c.cmd = cmd->name;
	rc = cmd->fn(nrest, rest, &c);
out:
	g_free(c.store);
	g_free(rest);
	return rc;
}
