/*
 * main.c — the table of archive's subcommands, the common options, and the
 * message functions every command uses (include/cli.h).
 *
 * The common options (--store DIR, -q, -v, --version) may stand before or
 * after the subcommand: main() takes them out of argv wherever they are and
 * hands the rest to the command, which parses its own options.
 *
 * The helpers here are the only code that writes to the terminal or to
 * syslog on a command's behalf: messages, the progress line, the run's
 * summary for syslog.
 */
#include "cli.h"
#include "errors.h"
#include "recovery.h"

#include <archive.h>
#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <magic.h>
#include <poppler.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <syslog.h>
#include <unistd.h>
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
	{ "report", cmd_report, STORE_READ, "an HTML page (or JSON) of the state of the store" },
};

/* -- syslog ------------------------------------------------------------- */

static const char *priority_name(int prio)
{
	switch (prio) {
	case LOG_ERR: return "err";
	case LOG_WARNING: return "warning";
	case LOG_NOTICE: return "notice";
	default: return "info";
	}
}

/* One line to syslog (or to the test file), "<cmd>: <msg>"; the tag
 * "archive" and the pid come from openlog. Newlines would split a journal
 * entry, so they become spaces. */
static void log_line(const cli_ctx *c, int prio, const char *msg)
{
	static bool opened;
	if (!c->syslog)
		return;
	char *flat = g_strdup(msg);
	g_strdelimit(flat, "\r\n", ' ');
	const char *test = g_getenv("ARCHIVE_SYSLOG_TEST_FILE");
	if (test && *test) {
		FILE *f = fopen(test, "a");
		if (f) {
			fprintf(f, "%s %s: %s\n", priority_name(prio), c->cmd, flat);
			fclose(f);
		}
	} else {
		if (!opened)
			openlog("archive", LOG_PID, LOG_USER);
		opened = true;
		syslog(prio, "%s: %s", c->cmd, flat);
	}
	g_free(flat);
}

static char *run_summary;

void cli_summary(const cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_free(run_summary);
	run_summary = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void cli_log_failure(const cli_ctx *c, const char *fmt, ...)
{
	if (!c->syslog)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_line(c, LOG_ERR, m);
	g_free(m);
}

/* -- progress line ------------------------------------------------------- */

/* One run's progress at a time: the command is single-threaded and the line
 * belongs to the terminal, not to the command's objects. */
static struct {
	bool on, shown;
	const char *cmd;
	guint64 items, bytes, step, done;
	gint64 t0, last_draw;
	char *label;
} prog;

/* Columns the text s takes on a terminal (wide CJK characters take two). */
static int text_width(const char *s)
{
	int w = 0;
	for (; *s; s = g_utf8_next_char(s))
		w += g_unichar_iswide(g_utf8_get_char(s)) ? 2 : 1;
	return w;
}

static void progress_draw(void)
{
	gint64 now = g_get_monotonic_time();
	double secs = (double)(now - prog.t0) / 1e6;
	guint64 items_done = prog.step ? prog.step - 1 : 0;
	GString *line = g_string_new(NULL);
	g_string_append_printf(line, "%s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, prog.cmd,
	                       items_done, prog.items);
	double left = -1;
	if (prog.bytes && secs > 0.2) {
		double rate = (double)prog.done / secs;
		g_string_append_printf(line, "  %.1f MB/s", rate / 1e6);
		if (rate > 0)
			left = (double)(prog.bytes - MIN(prog.done, prog.bytes)) / rate;
	} else if (!prog.bytes && secs > 0.2) {
		double rate = (double)items_done / secs;
		g_string_append_printf(line, "  %.1f/s", rate);
		if (rate > 0)
			left = (double)(prog.items - MIN(items_done, prog.items)) / rate;
	}
	if (left >= 0)
		g_string_append_printf(line, "  ETA %d:%02d", (int)left / 60, (int)left % 60);
	else
		g_string_append(line, "  ETA -:--");
	/* The line must never wrap: a wrapped line cannot be redrawn with \r.
	 * Long labels (paths) lose their beginning, which says least. */
	int cols = 80;
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		cols = ws.ws_col;
	int room = cols - 1 - text_width(line->str) - 2;
	const char *label = prog.label ? prog.label : "";
	if (room > 4) {
		g_string_append(line, "  ");
		if (text_width(label) > room) {
			while (*label && text_width(label) > room - 1)
				label = g_utf8_next_char(label);
			g_string_append(line, "\u2026");
		}
		g_string_append(line, label);
	}
	fprintf(stderr, "\r\033[K%s", line->str);
	fflush(stderr);
	g_string_free(line, TRUE);
	prog.shown = true;
	prog.last_draw = now;
}

void cli_progress_start(const cli_ctx *c, guint64 total_items, guint64 total_bytes)
{
	g_free(prog.label);
	memset(&prog, 0, sizeof prog);
	prog.on = c->verbosity >= 0 && isatty(STDERR_FILENO);
	prog.cmd = c->cmd;
	prog.items = total_items;
	prog.bytes = total_bytes;
	prog.t0 = g_get_monotonic_time();
}

void cli_progress_step(const cli_ctx *c, const char *label, guint64 bytes_done)
{
	if (!prog.on)
		return;
	prog.step++;
	prog.done = bytes_done;
	g_free(prog.label);
	prog.label = g_strdup(label);
	/* At most ten redraws a second: a terminal is slow, and a line that
	 * changes faster than that cannot be read anyway. */
	if (prog.last_draw && g_get_monotonic_time() - prog.last_draw < G_USEC_PER_SEC / 10)
		return;
	progress_draw();
}

void cli_progress_hide(const cli_ctx *c)
{
	if (prog.on && prog.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		prog.shown = false;
	}
}

void cli_progress_end(const cli_ctx *c)
{
	cli_progress_hide(c);
	g_free(prog.label);
	memset(&prog, 0, sizeof prog);
}

/* -- messages ------------------------------------------------------------ */

static void vmessage(const cli_ctx *c, const char *fmt, va_list ap)
{
	char *m = g_strdup_vprintf(fmt, ap);
	cli_progress_hide(c);
	fprintf(stderr, "archive: %s: %s\n", c->cmd, m);
	log_line(c, LOG_ERR, m);
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
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* Chatter, not a failure: never to syslog. */
	cli_progress_hide(c);
	fprintf(stderr, "archive: %s: %s\n", c->cmd, m);
	g_free(m);
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

void cli_report_repairs(const cli_ctx *c, const recovery_report *r)
{
	const audit_tail *t = &r->audit_tail;
	if (t->bytes && t->completed)
		cli_error(c, "%s/audit.log: repaired after an interrupted run: line %" G_GUINT64_FORMAT
		             " was whole but for its newline, which was added",
		          c->store, t->after_seq + 1);
	else if (t->bytes)
		cli_error(c, "%s/audit.log: repaired after an interrupted run: a torn line of %"
		             G_GUINT64_FORMAT " byte%s after line %" G_GUINT64_FORMAT
		             " (no newline: never a whole record) was cut off; the bytes are kept in %s/%s",
		          c->store, t->bytes, t->bytes == 1 ? "" : "s", t->after_seq, c->store, t->kept);
	if (r->recorded || r->disposals_finished || r->orphans_removed)
		cli_error(c, "%s: repaired after an interrupted run: %u bundle%s recorded, %u "
		             "disposal%s finished, %u stray sidecar%s removed",
		          c->store, r->recorded, r->recorded == 1 ? "" : "s", r->disposals_finished,
		          r->disposals_finished == 1 ? "" : "s", r->orphans_removed,
		          r->orphans_removed == 1 ? "" : "s");
}

int cli_open_store(const cli_ctx *c, store_mode mode, cli_store *out)
{
	GError *err = NULL;
	memset(out, 0, sizeof *out);
	bool write = mode == STORE_WRITE;
	if (!(out->store = store_open(c->store, write, &err)))
		goto fail;
	if (write) {
		recovery_report r = { 0 };
		if (!store_lock(out->store, &err) || !(out->catalog = catalog_open(c->store, &err)) ||
		    !recovery_run(c->store, out->catalog, &r, &err)) {
			recovery_report_clear(&r);
			goto fail;
		}
		for (guint i = 0; i < r.unreadable->len; i++)
			cli_error(c, "%s: cannot be indexed; 'archive verify' tells what is wrong",
			          (char *)g_ptr_array_index(r.unreadable, i));
		cli_report_repairs(c, &r);
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

void cli_today(char iso[11])
{
	GDateTime *now = g_date_time_new_now_utc();
	char *s = g_date_time_format(now, "%Y-%m-%d");
	g_strlcpy(iso, s, 11);
	g_free(s);
	g_date_time_unref(now);
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
	fprintf(f, "usage: archive [--store DIR] [-q|-v] [--log-syslog] COMMAND [OPTIONS] [ARGS]\n"
	           "       archive --version\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\ncommon options (before or after COMMAND):\n"
	           "  --store DIR     the store (default: $ARCHIVE_STORE, else ./archive-store)\n"
	           "  -q, --quiet     print only what needs a person\n"
	           "  -v, --verbose   say more on stderr\n"
	           "  --log-syslog    log a summary line and every failure to syslog (tag archive);\n"
	           "                  also when ARCHIVE_SYSLOG=1\n"
	           "  -h, --help      this text, or a command's with COMMAND\n"
	           "  --version       versions of archive and its libraries\n"
	           "\n'archive COMMAND -h' describes a command; see archive(1).\n");
}

static void version(void)
{
	/* The libraries as loaded at run time, not as compiled against: what
	 * an auditor needs to reproduce a result. */
	printf("archive %s\n", ARCHIVE_VERSION);
	printf("poppler-glib %s\n", poppler_get_version());
	printf("%s\n", archive_version_string());
	printf("libmagic %d.%02d\n", magic_version() / 100, magic_version() % 100);
	printf("zlib %s\n", zlibVersion());
	printf("SQLite %s\n", sqlite3_libversion());
	printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("GLib %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
	int xv = atoi(xmlParserVersion); /* "21004" */
	printf("libxml2 %d.%d.%d\n", xv / 10000, xv / 100 % 100, xv % 100);
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
		} else if (strcmp(a, "--log-syslog") == 0) {
			c.syslog = true;
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
	/* The rule for unattended runs: syslog with --log-syslog, or when the
	 * environment says ARCHIVE_SYSLOG=1 (as scripts/cron/ sets it). */
	const char *env_syslog = g_getenv("ARCHIVE_SYSLOG");
	if (env_syslog && strcmp(env_syslog, "1") == 0)
		c.syslog = true;
	rc = cmd->fn(nrest, rest, &c);
	cli_progress_end(&c);
	if (c.syslog) {
		char *m = g_strdup_printf("%s (exit %d)", run_summary ? run_summary : "finished", rc);
		log_line(&c, rc == EXIT_OK ? LOG_NOTICE : rc == EXIT_ITEM_FAILED ? LOG_WARNING : LOG_ERR,
		         m);
		g_free(m);
	}
out:
	g_free(run_summary);
	g_free(c.store);
	g_free(rest);
	return rc;
}
