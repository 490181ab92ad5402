/*
 * cli/progress.c — the progress line on stderr, only when it is a
 * terminal (cli.h).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

