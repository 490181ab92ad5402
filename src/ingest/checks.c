/*
 * ingest/checks.c — the list of check results.
 */
#include "ingest/checks.h"

#include <stdarg.h>
#include <string.h>

static void result_free(gpointer p)
{
	check_result *r = p;
	g_free(r->id);
	g_free(r->message);
	g_free(r->file);
	g_free(r);
}

check_list *check_list_new(void)
{
	check_list *l = g_new0(check_list, 1);
	l->items = g_ptr_array_new_with_free_func(result_free);
	return l;
}

void check_list_free(check_list *l)
{
	if (!l)
		return;
	g_ptr_array_unref(l->items);
	g_free(l);
}

void check_add(check_list *l, const char *id, check_level level, bool passed,
               const char *file, const char *fmt, ...)
{
	check_result *r = g_new0(check_result, 1);
	va_list ap;
	va_start(ap, fmt);
	r->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r->id = g_strdup(id);
	r->level = level;
	r->passed = passed;
	r->file = g_strdup(file);
	g_ptr_array_add(l->items, r);
}

void check_list_drop_passed(check_list *l, const char *id)
{
	for (guint i = l->items->len; i-- > 0;) {
		const check_result *r = g_ptr_array_index(l->items, i);
		if (r->passed && strcmp(r->id, id) == 0)
			g_ptr_array_remove_index(l->items, i);
	}
}

bool check_list_has_error(const check_list *l)
{
	for (guint i = 0; i < l->items->len; i++) {
		const check_result *r = g_ptr_array_index(l->items, i);
		if (!r->passed && r->level == CHECK_LEVEL_ERROR)
			return true;
	}
	return false;
}

const char *check_list_status(const check_list *l)
{
	bool warn = false;
	for (guint i = 0; i < l->items->len; i++) {
		const check_result *r = g_ptr_array_index(l->items, i);
		if (!r->passed && r->level == CHECK_LEVEL_ERROR)
			return "fail";
		if (!r->passed)
			warn = true;
	}
	return warn ? "warn" : "pass";
}

const check_result *check_list_find_failed(const check_list *l, const char *id)
{
	for (guint i = 0; i < l->items->len; i++) {
		const check_result *r = g_ptr_array_index(l->items, i);
		if (!r->passed && strcmp(r->id, id) == 0)
			return r;
	}
	return NULL;
}

static int rank(const char *const *ids, const check_result *r)
{
	int i = 0;
	for (; ids[i]; i++)
		if (strcmp(ids[i], r->id) == 0)
			break;
	return i;
}

static gint by_rank(gconstpointer a, gconstpointer b, gpointer ids)
{
	return rank(ids, *(check_result *const *)a) - rank(ids, *(check_result *const *)b);
}

void check_list_sort(check_list *l, const char *const *ids)
{
	/* Stable (GLib guarantees it since 2.32): the results of one id keep
	 * the order of the files they concern. */
	g_ptr_array_sort_with_data(l->items, by_rank, (gpointer)ids);
}

void check_list_to_json(const check_list *l, json_writer *w)
{
	json_begin_array(w);
	for (guint i = 0; i < l->items->len; i++) {
		const check_result *r = g_ptr_array_index(l->items, i);
		json_begin_object(w);
		json_kv_string(w, "id", r->id);
		json_kv_string(w, "level", r->level == CHECK_LEVEL_ERROR ? "error" : "warning");
		json_kv_string(w, "status", r->passed ? "pass" : "fail");
		json_kv_string(w, "message", r->message);
		json_kv_string(w, "file", r->file);
		json_end_object(w);
	}
	json_end_array(w);
}
