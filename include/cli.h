/*
 * cli.h — what the command files (src/cmd/ *.c) share: the common options
 * main() took off the command line, and the one form of messages:
 * "archive: CMD: FILE: reason" on stderr.
 *
 * Only src/main.c and the files of src/cmd/ include this; library modules never print.
 */
#ifndef ARC_CLI_H
#define ARC_CLI_H

#include <stdbool.h>
#include <glib.h>

typedef struct {
	const char *cmd;   /* "ingest" */
	char *store;       /* --store, else $ARCHIVE_STORE, else ./archive-store */
	int verbosity;     /* -1: --quiet, 0: normal, 1: --verbose */
} cli_ctx;

/* "archive: <cmd>: <message>\n" on stderr (errors and warnings alike). */
void cli_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Same, only with --verbose. */
void cli_verbose(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A usage error: the message, then "Try 'archive <cmd> -h'.", returns EXIT_USAGE. */
int cli_usage_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Map a library GError to its exit code (ARC_ERROR_STORE → 3, LOCKED → 75, …). */
int cli_exit_code(const GError *err);

/* Parse a positive integer option value (-j N); false when it is not one. */
bool cli_parse_jobs(const char *s, int *n);

/* The subcommands, one file each in src/cmd/. argv[0] is the command name;
 * options are parsed with getopt_long, so they may follow the operands. */
int cmd_ingest(int argc, char **argv, const cli_ctx *c);
int cmd_verify(int argc, char **argv, const cli_ctx *c);

#endif
