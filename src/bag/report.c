/*
 * bag/report.c — a verification's report: its problems and warnings,
 * each with the file and the reason.
 */
#include "bag/verify.h"

#include <stdarg.h>

void bag_add_problem(GPtrArray *list, const char *file, const char *fmt, ...)
{
	va_list ap;
	bag_problem *p = g_new0(bag_problem, 1);
	p->file = g_strdup(file);
	va_start(ap, fmt);
	p->reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(list, p);
}
#define PROBLEM(v, file, ...) bag_add_problem((v)->r->problems, file, __VA_ARGS__)
#define WARNING(v, file, ...) bag_add_problem((v)->r->warnings, file, __VA_ARGS__)

void bag_problem_free(gpointer p)
{
	bag_problem *b = p;
	g_free(b->file);
	g_free(b->reason);
	g_free(b);
}

void bag_report_free(bag_report *r)
{
	if (!r)
		return;
	g_free(r->path);
	g_free(r->id);
	g_ptr_array_unref(r->problems);
	g_ptr_array_unref(r->warnings);
	g_free(r);
}

void bag_problems_to_json(json_writer *w, const GPtrArray *list)
{
	json_begin_array(w);
	for (guint i = 0; i < list->len; i++) {
		const bag_problem *p = g_ptr_array_index(list, i);
		json_begin_object(w);
		json_kv_string(w, "file", p->file);
		json_kv_string(w, "reason", p->reason);
		json_end_object(w);
	}
	json_end_array(w);
}

bag_report *bag_report_new(const char *path)
{
	bag_report *r = g_new0(bag_report, 1);
	r->path = g_strdup(path);
	r->problems = g_ptr_array_new_with_free_func(bag_problem_free);
	r->warnings = g_ptr_array_new_with_free_func(bag_problem_free);
	return r;
}

