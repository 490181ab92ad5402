/*
 * main.c — the table of archive's subcommands and how each is run.
 *
 * A row names the command, its file's interface (src/cmd/<name>.c, see
 * cli_command in cli/cli.h) and the store it needs, opened here before it
 * runs: none, read-only, or written under the lock after crash recovery.
 * Where the need depends on the command's operands, its operands() says so
 * (noted in the row). Everything else a command shares is in src/cli/.
 */
#include "cli/cli.h"
#include "core/errors.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_entry commands[] = {
	{ "ingest", &cmd_ingest, STORE_CREATE, "archive press releases into BagIt bundles" },
	/* BUNDLE|BAGDIR operands: STORE_NONE */
	{ "verify", &cmd_verify, STORE_WRITE, "prove bundles, bags or the whole store intact" },
	/* --apply: STORE_WRITE */
	{ "retention", &cmd_retention, STORE_READ, "what needs a disposal decision" },
	/* propose, review, execute: STORE_WRITE */
	{ "disposal", &cmd_disposal, STORE_READ, "disposal batches: propose, review, execute" },
	/* add, extend, remove: STORE_WRITE */
	{ "hold", &cmd_hold, STORE_READ, "legal holds: add, extend, remove, list" },
	{ "list", &cmd_list, STORE_READ, "list the bundles of the store" },
	{ "show", &cmd_show, STORE_READ, "one bundle: fields, checks, files, events" },
	{ "extract", &cmd_extract, STORE_READ, "unpack a bundle into a folder" },
	{ "reindex", &cmd_reindex, STORE_LOCK, "rebuild the catalog from bundles and audit log" },
	{ "report", &cmd_report, STORE_READ, "an HTML page (or JSON) of the state of the store" },
	{ "log", &cmd_log, STORE_READ, "the transparency log: checkpoint, proof, verify" },
	{ "key", &cmd_key, STORE_NONE, "make the key that signs the log's checkpoints" },
	/* reads STORE/log/ only, of a copy as well */
	{ "witness", &cmd_witness, STORE_NONE, "a second custodian cosigns a checkpoint" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: archive [--store DIR] [-q|-v] [--json] [--log-syslog] COMMAND [OPTIONS] "
	           "[ARGS]\n"
	           "       archive --version\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\ncommon options (before or after COMMAND):\n"
	           "  --store DIR     the store (default: $ARCHIVE_STORE, else ./archive-store)\n"
	           "  -q, --quiet     print only what needs a person\n"
	           "  -v, --verbose   say more on stderr\n"
	           "  --json          JSON lines on stdout, then a summary object\n"
	           "  --log-syslog    log a summary line and every failure to syslog (tag archive);\n"
	           "                  also when ARCHIVE_SYSLOG=1\n"
	           "  -h, --help      this text, or a command's with COMMAND\n"
	           "  --version       versions of archive and its libraries\n"
	           "\n'archive COMMAND -h' describes a command; see archive(1).\n");
}

/* No command on the command line: -h, --version, or a usage error. */
static int no_command(cli_ctx *c, int argc, char **argv, const char *word, const char *unknown)
{
	if (word)
		return cli_usage_error(c, "unknown command '%s'", word);
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--version")) {
			cli_print_version();
			return EXIT_OK;
		}
	}
	if (unknown)
		return cli_usage_error(c, "unknown option '%s'", unknown);
	usage(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	cli_ctx c = { .cmd = "archive" };
	cli_store st = { 0 };
	char **cargv = NULL;
	int cargc = 0, rc;
	const char *word, *unknown;
	const cli_entry *e = cli_find_command(commands, G_N_ELEMENTS(commands), argc, argv, &cargv,
	                                      &cargc, &word, &unknown);
	if (!e || unknown) {
		if (e)
			c.cmd = e->name;
		rc = e ? cli_usage_error(&c, "unknown option '%s'", unknown)
		       : no_command(&c, argc, argv, word, unknown);
		goto out;
	}
	c.cmd = e->name;
	c.mode = e->mode;
	const char *env = g_getenv("ARCHIVE_STORE");
	c.store = g_strdup(env && *env ? env : "archive-store");
	/* The rule for unattended runs: syslog with --log-syslog, or when the
	 * environment says ARCHIVE_SYSLOG=1 (as scripts/cron/ sets it). */
	env = g_getenv("ARCHIVE_SYSLOG");
	c.syslog = env && strcmp(env, "1") == 0;
	/* A full disk or `ulimit -f` must fail a write with EFBIG, which we
	 * report and clean up after, not kill the process half-way. */
	signal(SIGXFSZ, SIG_IGN);
	if ((rc = cli_parse_command(&c, e->cmd, cargc, cargv)) < 0 &&
	    (rc = cli_open_store(&c, &st)) == EXIT_OK)
		rc = cli_sync_log(&c, &st, e->cmd->run(&c, &st));
	cli_close_store(&st);
	cli_progress_end(&c);
	cli_log_run_end(&c, rc);
out:
	g_free(c.store);
	g_free(cargv);
	return rc;
}
