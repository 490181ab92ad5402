/*
 * json.h — the one JSON writer of the project (release.json, reason.json,
 * --json output). Output only: nothing here parses JSON.
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

#endif
