/*
 * core/json.c — a streaming JSON writer over a GString, and reading through
 * json-glib.
 */
#include "core/json.h"
#include "core/errors.h"

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

void json_node(json_writer *w, JsonNode *n)
{
	if (!n || JSON_NODE_HOLDS_NULL(n)) {
		json_null(w);
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObject *o = json_node_get_object(n);
		json_begin_object(w);
		JsonObjectIter it;
		const char *k;
		JsonNode *v;
		json_object_iter_init_ordered(&it, o);
		while (json_object_iter_next_ordered(&it, &k, &v)) {
			json_key(w, k);
			json_node(w, v);
		}
		json_end_object(w);
	} else if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		json_begin_array(w);
		for (guint i = 0; i < json_array_get_length(a); i++)
			json_node(w, json_array_get_element(a, i));
		json_end_array(w);
	} else {
		GType t = json_node_get_value_type(n);
		if (t == G_TYPE_STRING) {
			json_string(w, json_node_get_string(n));
		} else if (t == G_TYPE_BOOLEAN) {
			json_bool(w, json_node_get_boolean(n));
		} else if (t == G_TYPE_INT64) {
			json_int(w, json_node_get_int(n));
		} else {
			char buf[G_ASCII_DTOSTR_BUF_SIZE];
			separate(w);
			g_string_append(w->out, g_ascii_dtostr(buf, sizeof buf, json_node_get_double(n)));
		}
	}
}

/* -- reading ------------------------------------------------------------- */

JsonObject *json_read_object(const char *text, gssize len, GError **err)
{
	JsonParser *p = json_parser_new_immutable();
	JsonObject *o = NULL;
	GError *e = NULL;
	if (!json_parser_load_from_data(p, text, len, &e)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "not JSON: %s", e->message);
		g_error_free(e);
	} else if (!json_parser_get_root(p) || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "not a JSON object");
	} else {
		o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
	}
	g_object_unref(p);
	return o;
}

static JsonNode *member(JsonObject *o, const char *key, GType type)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;
	if (!n)
		return NULL;
	if (type == JSON_TYPE_OBJECT)
		return JSON_NODE_HOLDS_OBJECT(n) ? n : NULL;
	if (type == JSON_TYPE_ARRAY)
		return JSON_NODE_HOLDS_ARRAY(n) ? n : NULL;
	return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == type ? n : NULL;
}

const char *json_get_string(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key, G_TYPE_STRING);
	return n ? json_node_get_string(n) : NULL;
}

int64_t json_get_int(JsonObject *o, const char *key, int64_t def)
{
	JsonNode *n = member(o, key, G_TYPE_INT64);
	return n ? json_node_get_int(n) : def;
}

bool json_get_bool(JsonObject *o, const char *key, bool def)
{
	JsonNode *n = member(o, key, G_TYPE_BOOLEAN);
	return n ? json_node_get_boolean(n) : def;
}

JsonObject *json_get_object(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key, JSON_TYPE_OBJECT);
	return n ? json_node_get_object(n) : NULL;
}

JsonArray *json_get_array(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key, JSON_TYPE_ARRAY);
	return n ? json_node_get_array(n) : NULL;
}
