/*
 * core/json.h — the one JSON writer of the project (release.json, reason.json,
 * audit lines, --json output), and the one way to read JSON: json-glib's
 * JsonParser, with a few lenient getters over it.
 *
 * Commas and nesting are tracked by the writer: call json_key() before each
 * value inside an object, nothing before values inside an array. Strings
 * must be UTF-8; invalid bytes are written as U+FFFD, so the output is
 * always valid JSON. json_finish() returns the text (caller frees with
 * g_free) and frees the writer.
 */
#ifndef ARC_JSON_H
#define ARC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <json-glib/json-glib.h>

typedef struct json_writer json_writer;

/* pretty: two-space indentation and a final newline; else one line. */
json_writer *json_new(bool pretty);
void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);
void json_key(json_writer *w, const char *key);
void json_string(json_writer *w, const char *s); /* NULL writes null */
void json_int(json_writer *w, int64_t v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);
char *json_finish(json_writer *w);

/* Shorthands for "key": value. */
void json_kv_string(json_writer *w, const char *key, const char *s);
void json_kv_int(json_writer *w, const char *key, int64_t v);
void json_kv_bool(json_writer *w, const char *key, bool v);

/* Write a parsed value (json-glib's) as it is, e.g. release.json inside
 * another object. NULL writes null. */
void json_node(json_writer *w, JsonNode *n);

/*
 * Reading. json_read_object() parses text (len bytes, -1: NUL-terminated)
 * that must be one JSON object, and returns a new reference to it (free
 * with json_object_unref), or NULL with err set (ARC_ERROR_INPUT).
 * The getters return the member's value, or (string NULL, def) when it is
 * absent, null or of another type: a record from an older version of the
 * tool may lack a member, and must still be read.
 */
JsonObject *json_read_object(const char *text, gssize len, GError **err);
const char *json_get_string(JsonObject *o, const char *key);
int64_t json_get_int(JsonObject *o, const char *key, int64_t def);
bool json_get_bool(JsonObject *o, const char *key, bool def);
JsonObject *json_get_object(JsonObject *o, const char *key); /* not a new reference */
JsonArray *json_get_array(JsonObject *o, const char *key);   /* not a new reference */

#endif
