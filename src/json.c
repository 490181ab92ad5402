/*
 * json.c — a streaming JSON writer over a GString.
 */
#include "json.h"

#include <glib.h>
#include <inttypes.h>

struct json_writer {
	GString *out;
	bool pretty;
	int depth;
	/* first[d]: no value written yet at depth d (so no comma needed). */
	bool first[64];
	bool after_key;
};

json_writer *json_new(bool pretty)
{
	json_writer *w = g_new0(json_writer, 1);
	w->out = g_string_new(NULL);
	w->pretty = pretty;
	w->first[0] = true;
	return w;
}

static void newline(json_writer *w)
{
	if (!w->pretty)
		return;
	g_string_append_c(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		g_string_append(w->out, "  ");
}

/* Called before every value and every key. */
static void separate(json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		g_string_append_c(w->out, ',');
	w->first[w->depth] = false;
	if (w->depth > 0)
		newline(w);
}

static void open_nest(json_writer *w, char c)
{
	separate(w);
	g_string_append_c(w->out, c);
	g_assert(w->depth < 63);
	w->depth++;
	w->first[w->depth] = true;
}

static void close_nest(json_writer *w, char c)
{
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		newline(w);
	g_string_append_c(w->out, c);
}

void json_begin_object(json_writer *w) { open_nest(w, '{'); }
void json_end_object(json_writer *w) { close_nest(w, '}'); }
void json_begin_array(json_writer *w) { open_nest(w, '['); }
void json_end_array(json_writer *w) { close_nest(w, ']'); }

static void put_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	const char *p = s;
	while (*p) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append(out, "\\ufffd");
			p++;
			continue;
		}
		switch (c) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_len(out, p, g_utf8_next_char(p) - p);
		}
		p = g_utf8_next_char(p);
	}
	g_string_append_c(out, '"');
}

void json_key(json_writer *w, const char *key)
{
	separate(w);
	put_string(w->out, key);
	g_string_append(w->out, w->pretty ? ": " : ":");
	w->after_key = true;
}

void json_string(json_writer *w, const char *s)
{
	separate(w);
	if (s)
		put_string(w->out, s);
	else
		g_string_append(w->out, "null");
}

void json_int(json_writer *w, int64_t v)
{
	separate(w);
	g_string_append_printf(w->out, "%" PRId64, v);
}

void json_bool(json_writer *w, bool v)
{
	separate(w);
	g_string_append(w->out, v ? "true" : "false");
}

void json_null(json_writer *w)
{
	separate(w);
	g_string_append(w->out, "null");
}

char *json_finish(json_writer *w)
{
	if (w->pretty)
		g_string_append_c(w->out, '\n');
	char *s = g_string_free(w->out, FALSE);
	g_free(w);
	return s;
}

void json_kv_string(json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_kv_int(json_writer *w, const char *key, int64_t v)
{
	json_key(w, key);
	json_int(w, v);
}

void json_kv_bool(json_writer *w, const char *key, bool v)
{
	json_key(w, key);
	json_bool(w, v);
}
