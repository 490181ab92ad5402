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
#include "catalog.h"
#include "recovery.h"
#include "store.h"

/* What a command needs of the store (the column of main.c's table). */
typedef enum {
	STORE_NONE,  /* works without a store (or decides for itself) */
	STORE_READ,  /* reads the store and its catalog; takes no lock */
	STORE_WRITE, /* creates the store if needed, locks it, repairs after a crash */
} store_mode;

typedef struct {
	const char *cmd;   /* "ingest" */
	char *store;       /* --store, else $ARCHIVE_STORE, else ./archive-store */
	int verbosity;     /* -1: --quiet, 0: normal, 1: --verbose */
	store_mode mode;   /* from the table of commands */
	bool syslog;       /* --log-syslog, or ARCHIVE_SYSLOG=1 in the environment */
} cli_ctx;

/* The store as a command uses it. */
typedef struct {
	store *store;
	catalog *catalog;
	GPtrArray *rows_restored; /* write mode: char* ids whose lost catalog row
	                             recovery restored (verify names them) */
} cli_store;

/* Open the store in mode (STORE_READ or STORE_WRITE): returns EXIT_OK, or
 * the exit code after printing why not (3, or 75 when locked). In write
 * mode, the repairs made after an earlier crash are reported on stderr. */
int cli_open_store(const cli_ctx *c, store_mode mode, cli_store *out);
/* Those repairs (recovery.h), one warning each kind: a torn audit line cut
 * off or completed; bundles recorded, disposals finished, sidecars
 * removed. Nothing when there were none. */
void cli_report_repairs(const cli_ctx *c, const recovery_report *r);
void cli_close_store(cli_store *s);

/* "archive: <cmd>: <message>\n" on stderr (errors and warnings alike);
 * with c->syslog also "<cmd>: <message>" to syslog at LOG_ERR. */
void cli_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Same, only with --verbose. */
void cli_verbose(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A usage error: the message, then "Try 'archive <cmd> -h'.", returns EXIT_USAGE. */
int cli_usage_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * Syslog for unattended runs (c->syslog): openlog("archive", LOG_PID,
 * LOG_USER). cli_log_failure() logs an item's failure that the command
 * reports on stdout (a quarantined release, a bundle that FAILs) without
 * printing anything. cli_summary() sets the run's one summary line
 * ("3 releases: 3 archived, …"); main() logs it when the command returns,
 * with its exit status, or "finished" when the command set none.
 *
 * Test hook: ARCHIVE_SYSLOG_TEST_FILE=PATH appends "PRIORITY <cmd>: <text>"
 * lines to PATH instead of calling syslog(3).
 */
void cli_log_failure(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void cli_summary(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * A progress line on stderr, only when stderr is a terminal and not -q:
 * "ingest 2/7  12.3 MB/s  ETA 0:41  <label>", redrawn in place at most ten
 * times a second and cleared by cli_progress_end(). Nothing at all is
 * written otherwise, so logs and pipes never see it.
 *   cli_progress_start(c, items, bytes)  bytes 0: unknown (rate in items/s)
 *   cli_progress_step(c, label, done)    now on item label; done: bytes of
 *                                        the items finished so far
 *   cli_progress_hide(c)                 clear the line before printing on
 *                                        stdout; the next step redraws it
 *   cli_progress_end(c)                  clear the line, forget the run
 * cli_error() clears the line by itself.
 */
void cli_progress_start(const cli_ctx *c, guint64 total_items, guint64 total_bytes);
void cli_progress_step(const cli_ctx *c, const char *label, guint64 bytes_done);
void cli_progress_hide(const cli_ctx *c);
void cli_progress_end(const cli_ctx *c);

/* Map a library GError to its exit code (ARC_ERROR_STORE → 3, LOCKED → 75, …). */
int cli_exit_code(const GError *err);

/*
 * Options of a command that has no others than -h/--help and, when json
 * is not NULL, --json. Returns -1 to go on (operands start at optind), or
 * the exit code: EXIT_OK after printing usage for -h, EXIT_USAGE after an
 * error message.
 */
int cli_simple_options(const cli_ctx *c, int argc, char **argv, const char *usage, bool *json);

/* Today (UTC) as YYYY-MM-DD: the default of --now. */
void cli_today(char iso[11]);

/* A date option's value: exactly YYYY-MM-DD and a real day. */
bool cli_parse_iso_date(const char *s, char iso[11]);

/* Parse a positive integer option value (-j N); false when it is not one. */
bool cli_parse_jobs(const char *s, int *n);

/* The subcommands, one file each in src/cmd/. argv[0] is the command name;
 * options are parsed with getopt_long, so they may follow the operands. */
int cmd_ingest(int argc, char **argv, const cli_ctx *c);
int cmd_verify(int argc, char **argv, const cli_ctx *c);
int cmd_retention(int argc, char **argv, const cli_ctx *c);
int cmd_hold(int argc, char **argv, const cli_ctx *c);
int cmd_list(int argc, char **argv, const cli_ctx *c);
int cmd_show(int argc, char **argv, const cli_ctx *c);
int cmd_extract(int argc, char **argv, const cli_ctx *c);
int cmd_reindex(int argc, char **argv, const cli_ctx *c);
int cmd_report(int argc, char **argv, const cli_ctx *c);

#endif
