/*
 * cli/message.c — the one form of messages, "archive: CMD: reason" on
 * stderr, and syslog for unattended runs (cli.h).
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/testhook.h"
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

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
	const char *test = testhook_syslog_file();
	if (test) {
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

/* fmt's output escaped for a terminal (core/text.h). */
static char *escaped_vprintf(const char *fmt, va_list ap)
{
	char *raw = g_strdup_vprintf(fmt, ap);
	char *m = text_escape(raw, false);
	g_free(raw);
	return m;
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = escaped_vprintf(fmt, ap);
	va_end(ap);
	fputs(m, stdout);
	g_free(m);
}

static void vmessage(const cli_ctx *c, const char *fmt, va_list ap)
{
	char *m = escaped_vprintf(fmt, ap);
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
	char *m = escaped_vprintf(fmt, ap);
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

void cli_log_run_end(const cli_ctx *c, int rc)
{
	if (c->syslog) {
		char *m = g_strdup_printf("%s (exit %d)", run_summary ? run_summary : "finished", rc);
		log_line(c, rc == EXIT_OK ? LOG_NOTICE : rc == EXIT_ITEM_FAILED ? LOG_WARNING : LOG_ERR,
		         m);
		g_free(m);
	}
	g_clear_pointer(&run_summary, g_free);
}

int cli_fail(const cli_ctx *c, const GError *err)
{
	cli_error(c, "%s", err->message);
	return cli_exit_code(err);
}

int cli_fail_clear(const cli_ctx *c, GError **err)
{
	int rc = cli_fail(c, *err);
	g_clear_error(err);
	return rc;
}

/* -- JSON lines ---------------------------------------------------------- */

json_writer *cli_json_line(void)
{
	json_writer *w = json_new(false);
	json_begin_object(w);
	return w;
}

json_writer *cli_json_summary(void)
{
	json_writer *w = cli_json_line();
	json_kv_bool(w, "summary", true);
	return w;
}

void cli_json_print(json_writer *w)
{
	json_end_object(w);
	char *s = json_finish(w);
	printf("%s\n", s);
	g_free(s);
}
