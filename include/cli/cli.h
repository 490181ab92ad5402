/*
 * cli/cli.h — what the tool's side shares (src/main.c, src/cli/, src/cmd/):
 * the run's context, the interface every command implements, the one form
 * of messages ("archive: CMD: FILE: reason" on stderr), JSON lines,
 * syslog, the progress line and the store as the table of commands opens
 * it.
 *
 * Only src/main.c, src/cli/ and src/cmd/ include this: library modules
 * never read argv and never print.
 */
#ifndef ARC_CLI_H
#define ARC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <glib.h>
#include "core/json.h"
#include "store/catalog.h"
#include "store/recovery.h"
#include "store/store.h"

/* How main opens the store before the command runs (the column of main.c's
 * table; a command's operands() may change it, e.g. verify with operands
 * needs none). */
typedef enum {
	STORE_NONE,   /* no store */
	STORE_READ,   /* the store and its catalog must exist; no lock */
	STORE_WRITE,  /* must exist; locked, repaired after a crash (recovery.h) */
	STORE_CREATE, /* STORE_WRITE, made first when missing (ingest) */
	STORE_LOCK,   /* must exist; locked; no catalog opened, no recovery (reindex) */
	STORE_PEEK,   /* read when it is there, catalog too; never made, locked or
	               * changed; work space outside it (ingest --dry-run) */
} store_mode;

typedef struct {
	const char *cmd;   /* "ingest" */
	char *store;       /* --store, else $ARCHIVE_STORE, else ./archive-store */
	int verbosity;     /* -1: --quiet, 0: normal, 1: --verbose */
	bool json;         /* --json: JSON lines on stdout */
	bool syslog;       /* --log-syslog, or ARCHIVE_SYSLOG=1 in the environment */
	store_mode mode;   /* from the table, as operands() left it */
} cli_ctx;

/* The store as main opened it for the command. */
typedef struct {
	store *store;     /* NULL with STORE_NONE */
	catalog *catalog; /* STORE_READ and STORE_WRITE */
	GPtrArray *rows_restored; /* write mode: char* ids whose lost catalog row
	                             recovery restored (verify names them) */
} cli_store;

/*
 * A command (one file of src/cmd/ each). main finds it in its table,
 * parses the command line with getopt_long over the command's options and
 * the common ones (--store, -q, -v, --json, --log-syslog, -h), calling
 * option() for each of the command's own; then operands() with what is
 * left; then opens the store as c->mode says and calls run(). Usage
 * errors are found before the store is touched. option() and operands()
 * return -1 to go on, else the exit code (cli_usage_error()). A command
 * keeps what they parsed in its own file's static state: one command runs
 * per process.
 */
typedef struct {
	const char *usage;              /* -h's text */
	const char *shortopts;          /* getopt's, for the command's own ("j:") */
	const struct option *longopts;  /* the command's own, { 0 }-terminated (or NULL);
	                                   val >= 256 or a short option's letter */
	int (*option)(cli_ctx *c, int opt, const char *arg); /* NULL: no options of its own */
	int (*operands)(cli_ctx *c, int argc, char **argv);
	int (*run)(const cli_ctx *c, cli_store *s);
} cli_command;

/* A row of main.c's table. */
typedef struct {
	const char *name;
	const cli_command *cmd;
	store_mode mode;
	const char *summary;
} cli_entry;

/*
 * Find the command in argv (options may stand before it, with their
 * values: each candidate's own options and the common ones say which take
 * one) and return its entry, or NULL with *word the first word that is not
 * an option (NULL when there is none) and *unknown true when word is a
 * command but an option before it is not one of that command's. The
 * command's word is taken out: out_argv gets argv[0] = the command's name,
 * then every other argument in order (caller frees the array, not the
 * strings).
 */
const cli_entry *cli_find_command(const cli_entry *table, size_t n, int argc, char **argv,
                                  char ***out_argv, int *out_argc, const char **word,
                                  const char **unknown);

/* Parse a command's command line (out_argv above) into c and the
 * command's state; then operands(). Returns -1 to go on, else the exit code
 * (EXIT_OK after -h). */
int cli_parse_command(cli_ctx *c, const cli_command *cmd, int argc, char **argv);

/* Open the store as c->mode says: returns EXIT_OK, or the exit code after
 * printing why not (3, or 75 when locked). In write mode, the repairs made
 * after an earlier crash are reported on stderr. */
int cli_open_store(const cli_ctx *c, cli_store *out);
void cli_close_store(cli_store *s);
/* After a writing run (write, create, lock modes): the transparency log
 * brought up to the audit log, a new signed checkpoint (store/translog.h).
 * Returns rc; 3 instead of 0 when that failed (said on stderr). */
int cli_sync_log(const cli_ctx *c, cli_store *s, int rc);
/* Those repairs (recovery.h), one warning each kind: a torn audit line cut
 * off or completed; bundles recorded, disposals finished, sidecars
 * removed. Nothing when there were none. */
void cli_report_repairs(const cli_ctx *c, const recovery_report *r);

/* Human output on stdout. Text from outside (a title, a file name, a
 * reason) may hold control characters and bytes that are not UTF-8: they
 * are shown escaped (\x1b, \xba), never written to the terminal, here and
 * in every message below. */
void cli_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* "archive: <cmd>: <message>\n" on stderr (errors and warnings alike);
 * with c->syslog also "<cmd>: <message>" to syslog at LOG_ERR. */
void cli_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Same, only with --verbose. */
void cli_verbose(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A usage error: the message, then "Try 'archive <cmd> -h'.", returns EXIT_USAGE. */
int cli_usage_error(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* cli_error() of err's message; returns its exit code (cli_exit_code). */
int cli_fail(const cli_ctx *c, const GError *err);
/* The same, and *err freed and cleared. */
int cli_fail_clear(const cli_ctx *c, GError **err);

/*
 * JSON lines on stdout (--json): cli_json_line() begins an object,
 * cli_json_summary() one that opens with "summary": true; cli_json_print()
 * ends the object, prints it as one line and frees the writer.
 */
json_writer *cli_json_line(void);
json_writer *cli_json_summary(void);
void cli_json_print(json_writer *w);

/*
 * Syslog for unattended runs (c->syslog): openlog("archive", LOG_PID,
 * LOG_USER). cli_log_failure() logs an item's failure that the command
 * reports on stdout (a quarantined release, a bundle that FAILs) without
 * printing anything. cli_summary() sets the run's one summary line
 * ("3 releases: 3 archived, …"); cli_log_run_end() logs it (main calls it
 * when the command returns) with the exit status, or "finished" when the
 * command set none.
 *
 * Test hook (test builds only, core/testhook.h): ARCHIVE_TEST_SYSLOG_FILE=PATH
 * appends "PRIORITY <cmd>: <text>" lines to PATH instead of calling syslog(3).
 */
void cli_log_failure(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void cli_summary(const cli_ctx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void cli_log_run_end(const cli_ctx *c, int rc);

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

/* Today (UTC) as YYYY-MM-DD: the default of --now. */
void cli_today(char iso[11]);
/* A date option's value: exactly YYYY-MM-DD and a real day. */
bool cli_parse_iso_date(const char *s, char iso[11]);
/* Parse a positive integer option value (-j N); false when it is not one. */
bool cli_parse_jobs(const char *s, int *n);

/* `archive --version`: this tool's and its libraries' versions on stdout. */
void cli_print_version(void);

/* A disposal batch's item (cli/batch.c): its frozen fields, decision and
 * outcome, as one JSON line or a few lines of text. */
void cli_print_batch_item(const cli_ctx *c, const catalog_batch_item *it);
/* After disposal_execute: each item's outcome, the summary; returns the
 * exit code (1 when a bundle was kept because it changed or is missing). */
int cli_report_execution(const cli_ctx *c, catalog *cat, const char *batch);

/* The commands, one file each in src/cmd/. */
extern const cli_command cmd_ingest, cmd_verify, cmd_retention, cmd_disposal, cmd_hold, cmd_list, cmd_show,
        cmd_extract, cmd_reindex, cmd_report, cmd_log, cmd_key,
        cmd_witness;

#endif
