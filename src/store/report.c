/*
 * store/report.c — the numbers of a store, and their HTML page (store/report.h).
 */
#include "store/report.h"
#include "store/audit.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

/* -- collecting ----------------------------------------------------------- */

static int key_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	return strcmp(a, b);
}

static GTree *count_tree(void)
{
	return g_tree_new_full(key_cmp, NULL, g_free, NULL);
}

static void count(GTree *t, const char *key)
{
	const char *k = key && *key ? key : "(none)";
	gpointer old = g_tree_lookup(t, k);
	g_tree_replace(t, g_strdup(k), GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
}

static void failure_free(gpointer p)
{
	report_failure *f = p;
	g_free(f->id);
	g_free(f->time);
	g_free(f->problems);
	g_free(f);
}

/* The walk over the audit log. */
typedef struct {
	report *r;
	GHashTable *ids; /* ids of the stretch of verify lines being read */
	bool in_run;
} audit_scan;

static void start_run(audit_scan *s)
{
	report *r = s->r;
	g_hash_table_remove_all(s->ids);
	g_ptr_array_set_size(r->run_failures, 0);
	g_clear_pointer(&r->run_start, g_free);
	g_clear_pointer(&r->run_end, g_free);
	r->run_verified = r->run_failed = 0;
	s->in_run = true;
}

/* "file: reason; file: reason" of a verify line's problems array. */
static char *problems_text(JsonArray *problems)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; problems && i < json_array_get_length(problems); i++) {
		JsonNode *n = json_array_get_element(problems, i);
		JsonObject *p = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
		const char *f = json_get_string(p, "file"), *why = json_get_string(p, "reason");
		g_string_append_printf(out, "%s%s: %s", out->len ? "; " : "", f ? f : "?",
		                       why ? why : "?");
	}
	return g_string_free(out, FALSE);
}

static bool on_line(const char *line, void *arg)
{
	audit_scan *s = arg;
	report *r = s->r;
	JsonObject *o = json_read_object(line, -1, NULL);
	/* Not JSON (verify reports the broken chain), or another event: the
	 * stretch of verify lines ends. */
	if (g_strcmp0(json_get_string(o, "event"), "verify") != 0) {
		s->in_run = false;
		if (o)
			json_object_unref(o);
		return true;
	}
	const char *id = json_get_string(o, "id"), *time = json_get_string(o, "time");
	bool valid = json_get_bool(o, "valid", false);
	if (!s->in_run || !id || g_hash_table_contains(s->ids, id))
		start_run(s);
	g_hash_table_add(s->ids, g_strdup(id ? id : ""));
	r->run_verified++;
	if (!r->run_start)
		r->run_start = g_strdup(time);
	g_free(r->run_end);
	r->run_end = g_strdup(time);
	if (!valid) {
		report_failure *f = g_new0(report_failure, 1);
		f->id = g_strdup(id);
		f->time = g_strdup(time);
		f->problems = problems_text(json_get_array(o, "problems"));
		g_ptr_array_add(r->run_failures, f);
		r->run_failed++;
	}
	json_object_unref(o);
	return true;
}

static bool scan_audit(const char *store_dir, report *r, GError **err)
{
	audit_scan s = { .r = r };
	s.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	bool ok = audit_foreach(store_dir, on_line, &s, &r->audit_torn, err);
	g_hash_table_unref(s.ids);
	return ok;
}

static bool count_checks(report *r, catalog *c, const char *id, GError **err)
{
	GPtrArray *checks = catalog_checks(c, id, err);
	if (!checks)
		return false;
	for (guint i = 0; i < checks->len; i++) {
		const catalog_check *k = g_ptr_array_index(checks, i);
		if (!k->status || strcmp(k->status, "fail") != 0 || !k->level)
			continue;
		if (strcmp(k->level, "warning") == 0)
			count(r->warnings, k->id);
		else if (strcmp(k->level, "error") == 0)
			count(r->errors, k->id);
	}
	g_ptr_array_unref(checks);
	return true;
}

/* YYYY-MM-DD, as far as a comparison of strings needs it. */
static bool is_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return false;
	return true;
}

static void count_disposal(report *r, const catalog_bundle *b)
{
	const char *date = b->disposal_date;
	/* "semi-permanent" would compare after any date and atoi to 0: it is
	 * a kind of its own, as is "permanent", never a year. */
	if (g_strcmp0(date, "permanent") == 0) {
		r->permanent++;
		return;
	}
	if (g_strcmp0(date, "semi-permanent") == 0) {
		r->semi_permanent++;
		return;
	}
	if (!is_date(date)) {
		r->undated++;
		return;
	}
	/* On or before now and still here: due (a proposal takes it), held,
	 * or already in an open batch. due_now is catalog_due's count. */
	if (strcmp(date, r->now) <= 0) {
		r->past_date++;
		if (b->hold_reason)
			r->held_past_date++;
		return;
	}
	int i = atoi(date) - r->first_year;
	if (i >= 0 && i < REPORT_DISPOSAL_YEARS)
		r->due[i]++;
	else
		r->later++;
}

static void year_free(gpointer p)
{
	g_free(p);
}

/* The row of the year of time (YYYY…), NULL when time has none. */
static report_year *year_of(report *r, const char *time)
{
	if (!time || strlen(time) < 4)
		return NULL;
	for (int i = 0; i < 4; i++)
		if (!g_ascii_isdigit(time[i]))
			return NULL;
	char key[5];
	g_strlcpy(key, time, sizeof key);
	report_year *y = g_tree_lookup(r->executed_by_year, key);
	if (!y) {
		y = g_new0(report_year, 1);
		g_tree_insert(r->executed_by_year, g_strdup(key), y);
	}
	return y;
}

/* One item of a batch: undecided, decided, or its outcome. Destructions
 * are counted from the disposal records (count_disposals), which a batch
 * item's "destroyed" only repeats. */
static void count_item(report *r, const catalog_batch *b, const catalog_batch_item *i)
{
	const char *o = i->outcome;
	if (!o) {
		if (!i->decision)
			r->proposed++;
		else if (strcmp(i->decision, "destroy") == 0)
			r->decided_destroy++;
		else if (strcmp(i->decision, "reset") == 0)
			r->decided_reset++;
		else
			r->decided_defer++;
		return;
	}
	if (strcmp(o, "destroyed") == 0)
		return;
	report_year *y = year_of(r, b->executed_at);
	if (strcmp(o, "reset") == 0) {
		r->reset++;
		if (y)
			y->reset++;
		return;
	}
	if (strcmp(o, "deferred") == 0) {
		r->deferred++;
		if (y)
			y->deferred++;
		return;
	}
	if (strcmp(o, "kept-hold") == 0)
		r->kept_hold++;
	else if (strcmp(o, "kept-changed") == 0 || strcmp(o, "kept-unreadable") == 0)
		r->kept_changed++; /* either way, not proven the frozen bundle */
	else if (strcmp(o, "kept-missing") == 0)
		r->kept_missing++;
	else
		r->kept_other++; /* "kept": executed without a record of why */
	if (y)
		y->kept++;
}

static bool count_batches(report *r, catalog *c, GError **err)
{
	GPtrArray *batches = catalog_batches(c, err);
	if (!batches)
		return false;
	bool ok = true;
	for (guint k = 0; ok && k < batches->len; k++) {
		const catalog_batch *b = g_ptr_array_index(batches, k);
		if (g_strcmp0(b->state, "executed") != 0)
			r->open_batches++;
		GPtrArray *items = catalog_batch_items(c, b->id, err);
		if (!items) {
			ok = false;
			break;
		}
		for (guint j = 0; j < items->len; j++)
			count_item(r, b, g_ptr_array_index(items, j));
		g_ptr_array_unref(items);
	}
	g_ptr_array_unref(batches);
	return ok;
}

static bool count_disposals(report *r, catalog *c, GError **err)
{
	GPtrArray *d = catalog_disposals(c, err);
	if (!d)
		return false;
	for (guint i = 0; i < d->len; i++) {
		const catalog_disposal *x = g_ptr_array_index(d, i);
		report_year *y = year_of(r, x->disposed_at);
		r->destroyed++;
		if (y)
			y->destroyed++;
	}
	g_ptr_array_unref(d);
	return true;
}

static void body_free(gpointer p)
{
	report_body *b = p;
	g_free(b->body);
	g_free(b);
}

static int body_cmp(gconstpointer a, gconstpointer b)
{
	const report_body *x = *(report_body *const *)a, *y = *(report_body *const *)b;
	if (!x->body || !y->body)
		return !x->body - !y->body; /* not named last */
	return strcmp(x->body, y->body);
}

/* r->holds by requesting body; ended as catalog_holds(c, now) has it
 * (the same answer `retention` lists). */
static bool group_holds(report *r, catalog *c, GError **err)
{
	GPtrArray *ended = catalog_holds(c, r->now, err);
	if (!ended)
		return false;
	GHashTable *ended_ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < ended->len; i++)
		g_hash_table_add(ended_ids, ((catalog_hold *)g_ptr_array_index(ended, i))->id);
	/* Keyed by body; the empty string stands for "not named", which no
	 * body given as --by can be. */
	GHashTable *bodies = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < r->holds->len; i++) {
		const catalog_hold *h = g_ptr_array_index(r->holds, i);
		const char *key = h->by && *h->by ? h->by : "";
		report_body *b = g_hash_table_lookup(bodies, key);
		if (!b) {
			b = g_new0(report_body, 1);
			b->body = *key ? g_strdup(key) : NULL;
			g_hash_table_insert(bodies, b->body ? b->body : "", b);
			g_ptr_array_add(r->holds_by_body, b);
		}
		b->holds++;
		if (g_hash_table_contains(ended_ids, h->id)) {
			b->ended++;
			r->holds_ended++;
		}
	}
	g_ptr_array_sort(r->holds_by_body, body_cmp);
	g_hash_table_unref(bodies);
	g_hash_table_unref(ended_ids);
	g_ptr_array_unref(ended);
	return true;
}

static bool count_row(catalog_bundle *b, void *arg, GError **err)
{
	(void)b;
	(void)err;
	++*(unsigned *)arg;
	return true;
}

typedef struct {
	report *r;
	catalog *c;
} collect_ctx;

/* A bundle of the store, counted (one row in memory at a time). */
static bool count_bundle(catalog_bundle *b, void *arg, GError **err)
{
	collect_ctx *x = arg;
	report *r = x->r;
	char year[5] = { 0 };
	if (b->release_date)
		g_strlcpy(year, b->release_date, sizeof year);
	r->bundles++;
	r->bytes += b->size;
	count(r->by_year, year);
	count(r->by_license, b->license);
	count(r->by_status, b->check_status);
	count_disposal(r, b);
	return count_checks(r, x->c, b->id, err);
}

report *report_collect(const char *store_dir, catalog *c, const char *now, GError **err)
{
	report *r = g_new0(report, 1);
	g_strlcpy(r->now, now, sizeof r->now);
	r->first_year = atoi(now);
	r->by_year = count_tree();
	r->by_license = count_tree();
	r->by_status = count_tree();
	r->warnings = count_tree();
	r->errors = count_tree();
	r->run_failures = g_ptr_array_new_with_free_func(failure_free);
	r->executed_by_year = g_tree_new_full(key_cmp, NULL, g_free, year_free);
	r->holds_by_body = g_ptr_array_new_with_free_func(body_free);
	collect_ctx x = { r, c };
	if (!catalog_each(c, count_bundle, &x, err) || !(r->holds = catalog_holds(c, NULL, err)) ||
	    !group_holds(r, c, err) || !catalog_each_due(c, now, count_row, &r->due_now, err) ||
	    !catalog_each_evaluation_due(c, now, count_row, &r->evaluation_due, err) ||
	    !count_batches(r, c, err) || !count_disposals(r, c, err) || !scan_audit(store_dir, r, err)) {
		report_free(r);
		return NULL;
	}
	return r;
}

void report_free(report *r)
{
	if (!r)
		return;
	g_tree_destroy(r->by_year);
	g_tree_destroy(r->by_license);
	g_tree_destroy(r->by_status);
	g_tree_destroy(r->warnings);
	g_tree_destroy(r->errors);
	if (r->holds)
		g_ptr_array_unref(r->holds);
	g_tree_destroy(r->executed_by_year);
	g_ptr_array_unref(r->holds_by_body);
	g_ptr_array_unref(r->run_failures);
	g_free(r->run_start);
	g_free(r->run_end);
	g_free(r);
}

/* -- JSON ----------------------------------------------------------------- */

static gboolean tree_to_json(gpointer key, gpointer value, gpointer w)
{
	json_kv_int(w, key, GPOINTER_TO_UINT(value));
	return FALSE;
}

static void kv_tree(json_writer *w, const char *key, GTree *t)
{
	json_key(w, key);
	json_begin_object(w);
	g_tree_foreach(t, tree_to_json, w);
	json_end_object(w);
}

static gboolean year_to_json(gpointer key, gpointer value, gpointer w)
{
	const report_year *y = value;
	json_key(w, key);
	json_begin_object(w);
	json_kv_int(w, "destroyed", y->destroyed);
	json_kv_int(w, "reset", y->reset);
	json_kv_int(w, "deferred", y->deferred);
	json_kv_int(w, "kept", y->kept);
	json_end_object(w);
	return FALSE;
}

void report_to_json(const report *r, json_writer *w)
{
	json_kv_string(w, "now", r->now);
	json_kv_int(w, "bundles", r->bundles);
	json_kv_int(w, "bytes", r->bytes);
	kv_tree(w, "by_year", r->by_year);
	kv_tree(w, "by_license", r->by_license);
	kv_tree(w, "check_status", r->by_status);
	kv_tree(w, "warnings", r->warnings);
	kv_tree(w, "errors_forced", r->errors);
	/* The schedule of the bundles in the store. due_now is catalog_due's:
	 * neither held nor in an open batch (it once counted held ones too);
	 * past_date counts them all. */
	json_key(w, "disposals");
	json_begin_object(w);
	json_kv_int(w, "due_now", r->due_now);
	json_kv_int(w, "past_date", r->past_date);
	json_kv_int(w, "held_past_date", r->held_past_date);
	json_key(w, "by_year");
	json_begin_object(w);
	for (int i = 0; i < REPORT_DISPOSAL_YEARS; i++) {
		char y[16];
		g_snprintf(y, sizeof y, "%d", r->first_year + i);
		json_kv_int(w, y, r->due[i]);
	}
	json_end_object(w);
	json_kv_int(w, "later", r->later);
	json_kv_int(w, "semi_permanent", r->semi_permanent);
	json_kv_int(w, "permanent", r->permanent);
	json_kv_int(w, "undated", r->undated);
	json_kv_int(w, "evaluation_due", r->evaluation_due);
	json_end_object(w);

	/* The pipeline, stage by stage. */
	json_key(w, "disposal");
	json_begin_object(w);
	json_kv_int(w, "due_now", r->due_now);
	json_kv_int(w, "held_past_date", r->held_past_date);
	json_kv_int(w, "open_batches", r->open_batches);
	json_kv_int(w, "proposed", r->proposed);
	json_key(w, "decided");
	json_begin_object(w);
	json_kv_int(w, "destroy", r->decided_destroy);
	json_kv_int(w, "reset", r->decided_reset);
	json_kv_int(w, "defer", r->decided_defer);
	json_end_object(w);
	json_key(w, "executed");
	json_begin_object(w);
	json_kv_int(w, "destroyed", r->destroyed);
	json_kv_int(w, "reset", r->reset);
	json_kv_int(w, "deferred", r->deferred);
	json_kv_int(w, "kept_hold", r->kept_hold);
	json_kv_int(w, "kept_changed", r->kept_changed);
	json_kv_int(w, "kept_missing", r->kept_missing);
	json_kv_int(w, "kept_other", r->kept_other);
	json_end_object(w);
	json_key(w, "by_year");
	json_begin_object(w);
	g_tree_foreach(r->executed_by_year, year_to_json, w);
	json_end_object(w);
	json_kv_int(w, "semi_permanent", r->semi_permanent);
	json_kv_int(w, "permanent", r->permanent);
	json_kv_int(w, "evaluation_due", r->evaluation_due);
	json_end_object(w);

	json_key(w, "holds");
	json_begin_array(w);
	for (guint i = 0; i < r->holds->len; i++) {
		const catalog_hold *h = g_ptr_array_index(r->holds, i);
		json_begin_object(w);
		json_kv_string(w, "id", h->id);
		json_kv_string(w, "reason", h->reason);
		json_kv_string(w, "user", h->user);
		json_kv_string(w, "since", h->since);
		json_kv_string(w, "by", h->by);
		json_kv_string(w, "until", h->until);
		json_end_object(w);
	}
	json_end_array(w);
	/* One object per body, "body" null for holds that name none. */
	json_key(w, "holds_by_body");
	json_begin_array(w);
	for (guint i = 0; i < r->holds_by_body->len; i++) {
		const report_body *b = g_ptr_array_index(r->holds_by_body, i);
		json_begin_object(w);
		json_kv_string(w, "body", b->body);
		json_kv_int(w, "holds", b->holds);
		json_kv_int(w, "ended", b->ended);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "last_fixity_run");
	if (!r->run_verified) {
		json_null(w);
		return;
	}
	json_begin_object(w);
	json_kv_string(w, "start", r->run_start);
	json_kv_string(w, "end", r->run_end);
	json_kv_int(w, "verified", r->run_verified);
	json_kv_int(w, "failed", r->run_failed);
	json_key(w, "failures");
	json_begin_array(w);
	for (guint i = 0; i < r->run_failures->len; i++) {
		const report_failure *f = g_ptr_array_index(r->run_failures, i);
		json_begin_object(w);
		json_kv_string(w, "id", f->id);
		json_kv_string(w, "time", f->time);
		json_kv_string(w, "problems", f->problems);
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
}

/* -- HTML ----------------------------------------------------------------- */

/* Text into the page: everything from a release or a user is escaped
 * (<, >, &, both quotes), so a title can never become markup. */
static void put(GString *h, const char *text)
{
	char *e = g_markup_escape_text(text ? text : "", -1);
	g_string_append(h, e);
	g_free(e);
}

typedef struct {
	GPtrArray *labels; /* char*, owned */
	GArray *values;    /* unsigned */
} series;

static series *series_new(void)
{
	series *s = g_new0(series, 1);
	s->labels = g_ptr_array_new_with_free_func(g_free);
	s->values = g_array_new(FALSE, FALSE, sizeof(unsigned));
	return s;
}

static void series_add(series *s, const char *label, unsigned v)
{
	g_ptr_array_add(s->labels, g_strdup(label));
	g_array_append_val(s->values, v);
}

static void series_free(series *s)
{
	g_ptr_array_unref(s->labels);
	g_array_unref(s->values);
	g_free(s);
}

static gboolean tree_to_series(gpointer key, gpointer value, gpointer s)
{
	series_add(s, key, GPOINTER_TO_UINT(value));
	return FALSE;
}

static series *series_of(GTree *t)
{
	series *s = series_new();
	g_tree_foreach(t, tree_to_series, s);
	return s;
}

/* A horizontal bar chart as inline SVG: one row per label, bars scaled to
 * the largest value, the value written after each bar. Long labels are
 * cut (the full text is the row's tooltip). */
static void svg_bars(GString *h, const char *caption, const series *s, const char *color)
{
	enum { ROW = 22, LABEL_W = 190, BAR_W = 240, WIDTH = LABEL_W + BAR_W + 50 };
	unsigned max = 0;
	for (guint i = 0; i < s->values->len; i++)
		max = MAX(max, g_array_index(s->values, unsigned, i));
	g_string_append(h, "<figure><figcaption>");
	put(h, caption);
	g_string_append(h, "</figcaption>\n");
	if (!s->values->len) {
		g_string_append(h, "<p class=\"none\">none</p></figure>\n");
		return;
	}
	g_string_append_printf(h,
	                       "<svg role=\"img\" width=\"%d\" "
	                       "height=\"%u\" viewBox=\"0 0 %d %u\" aria-label=\"",
	                       WIDTH, s->values->len * ROW + 4, WIDTH, s->values->len * ROW + 4);
	put(h, caption);
	g_string_append(h, "\">\n");
	for (guint i = 0; i < s->values->len; i++) {
		unsigned v = g_array_index(s->values, unsigned, i);
		const char *label = g_ptr_array_index(s->labels, i);
		int w = max ? (int)((double)v / max * BAR_W + 0.5) : 0;
		if (v && w < 2)
			w = 2;
		unsigned y = i * ROW;
		char *shown = g_utf8_strlen(label, -1) > 34 ? g_utf8_substring(label, 0, 33)
		                                            : g_strdup(label);
		g_string_append(h, "<g><title>");
		put(h, label);
		g_string_append_printf(h, ": %u</title>", v);
		g_string_append_printf(h, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">", LABEL_W - 8,
		                       y + 16);
		put(h, shown);
		if (strcmp(shown, label) != 0)
			g_string_append(h, "\u2026");
		g_string_append_printf(h,
		                       "</text><rect x=\"%d\" y=\"%u\" width=\"%d\" height=\"%d\" "
		                       "fill=\"%s\"/><text x=\"%d\" y=\"%u\">%u</text></g>\n",
		                       LABEL_W, y + 3, w, ROW - 6, color, LABEL_W + w + 6, y + 16, v);
		g_free(shown);
	}
	g_string_append(h, "</svg></figure>\n");
}

/* A column chart for a run of years: one column per year, every fifth
 * year named under the axis, the value over each column that has one. */
static void svg_years(GString *h, const char *caption, int first, const unsigned *v, int n)
{
	enum { COL = 30, TOP = 18, PLOT_H = 160, LEFT = 10 };
	unsigned max = 0;
	for (int i = 0; i < n; i++)
		max = MAX(max, v[i]);
	int width = LEFT * 2 + n * COL, height = TOP + PLOT_H + 24;
	g_string_append(h, "<figure><figcaption>");
	put(h, caption);
	g_string_append_printf(h,
	                       "</figcaption>\n<svg role=\"img\" "
	                       "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" aria-label=\"",
	                       width, height, width, height);
	put(h, caption);
	g_string_append_printf(h, "\">\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	                          "stroke=\"#888\"/>\n",
	                       LEFT, TOP + PLOT_H, LEFT + n * COL, TOP + PLOT_H);
	for (int i = 0; i < n; i++) {
		int x = LEFT + i * COL;
		int bh = max ? (int)((double)v[i] / max * PLOT_H + 0.5) : 0;
		if (v[i] && bh < 2)
			bh = 2;
		g_string_append_printf(h, "<g><title>%d: %u</title>", first + i, v[i]);
		if (v[i])
			g_string_append_printf(h,
			                       "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			                       "fill=\"#8a6d3b\"/><text x=\"%d\" y=\"%d\" "
			                       "text-anchor=\"middle\">%u</text>",
			                       x + 3, TOP + PLOT_H - bh, COL - 6, bh, x + COL / 2,
			                       TOP + PLOT_H - bh - 4, v[i]);
		if (i % 5 == 0)
			g_string_append_printf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>",
			                       x + COL / 2, TOP + PLOT_H + 18, first + i);
		g_string_append(h, "</g>\n");
	}
	g_string_append(h, "</svg></figure>\n");
}

static gboolean year_row(gpointer key, gpointer value, gpointer h)
{
	const report_year *y = value;
	g_string_append(h, "<tr><td>");
	put(h, key);
	g_string_append_printf(h,
	                       "</td><td class=\"n\">%u</td><td class=\"n\">%u</td>"
	                       "<td class=\"n\">%u</td><td class=\"n\">%u</td></tr>\n",
	                       y->destroyed, y->reset, y->deferred, y->kept);
	return FALSE;
}

static const char css[] =
	"body{font-family:'DejaVu Sans','NanumGothic',sans-serif;margin:2em;color:#1a1a1a;"
	"background:#fff;max-width:1100px}"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;"
	"border-bottom:2px solid #2f6fb0;padding-bottom:.2em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
	"padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eef3f9}"
	"td.n{text-align:right}figure{margin:1em 2em 1em 0;display:inline-block;vertical-align:top}"
	"figcaption{font-weight:bold;margin-bottom:.4em}svg text{font-size:13px;fill:#1a1a1a}"
	".none{color:#666;font-style:italic}.bad{color:#b00020;font-weight:bold}"
	".ok{color:#1b7a2f;font-weight:bold}.meta{color:#555}"
	"table.holds td:nth-child(2),table.failures td:nth-child(2){white-space:nowrap}"
	"caption{font-weight:bold;text-align:left;margin-bottom:.3em}";

static void figures_table(GString *h, const report *r)
{
	g_string_append(h, "<table class=\"figures\">\n");
	g_string_append_printf(h, "<tr><th>bundles</th><td class=\"n\">%u</td></tr>\n", r->bundles);
	g_string_append_printf(h,
	                       "<tr><th>size</th><td class=\"n\">%.1f MB</td></tr>\n",
	                       (double)r->bytes / 1e6);
	g_string_append_printf(h, "<tr><th>on hold</th><td class=\"n\">%u</td></tr>\n",
	                       r->holds->len);
	g_string_append_printf(h, "<tr><th>last fixity run</th><td class=\"n\">%s</td></tr>\n",
	                       !r->run_verified ? "none"
	                       : r->run_failed  ? "<span class=\"bad\">FAILURES</span>"
	                                        : "<span class=\"ok\">all valid</span>");
	g_string_append(h, "</table>\n");
}

/* A row of the pipeline table: the stage, its count, what it means. */
static void stage_row(GString *h, const char *stage, unsigned n, const char *what)
{
	g_string_append(h, "<tr><th>");
	put(h, stage);
	g_string_append_printf(h, "</th><td class=\"n\">%u</td><td>", n);
	put(h, what);
	g_string_append(h, "</td></tr>\n");
}

static void disposal_section(GString *h, const report *r)
{
	g_string_append(h, "<h2>Disposal</h2>\n");
	series *s = series_new();
	series_add(s, "due now", r->due_now);
	series_add(s, "proposed, undecided", r->proposed);
	series_add(s, "decided: destroy", r->decided_destroy);
	series_add(s, "decided: reset", r->decided_reset);
	series_add(s, "decided: defer", r->decided_defer);
	series_add(s, "destroyed", r->destroyed);
	series_add(s, "kept", r->kept_hold + r->kept_changed + r->kept_missing + r->kept_other);
	svg_bars(h, "Disposal pipeline (bundles)", s, "#8a6d3b");
	series_free(s);

	g_string_append(h, "<table class=\"pipeline\"><tr><th>stage</th><th>bundles</th>"
	                   "<th>what it is</th></tr>\n");
	stage_row(h, "due now", r->due_now,
	          "past the disposal date, neither held nor in an open batch: the next proposal "
	          "takes them");
	stage_row(h, "held past the date", r->held_past_date,
	          "past the disposal date and on hold: never proposed, kept when executed");
	stage_row(h, "proposed, undecided", r->proposed, "in an open batch, awaiting a decision");
	stage_row(h, "decided: destroy", r->decided_destroy, "decided, batch not yet executed");
	stage_row(h, "decided: reset", r->decided_reset, "decided, batch not yet executed");
	stage_row(h, "decided: defer", r->decided_defer, "decided, batch not yet executed");
	stage_row(h, "destroyed", r->destroyed, "disposal records, kept for ever");
	stage_row(h, "reset", r->reset, "executed: a new period from the same start");
	stage_row(h, "deferred", r->deferred, "executed: a later disposal date");
	stage_row(h, "kept (hold)", r->kept_hold, "decided destroy, on hold at execution");
	stage_row(h, "kept (changed or missing)", r->kept_changed + r->kept_missing,
	          "decided destroy, SHA-256 no longer the frozen one (or unreadable), or bundle "
	          "gone: verify them");
	if (r->kept_other)
		stage_row(h, "kept (other)", r->kept_other, "executed without a record of why");
	g_string_append_printf(h, "</table>\n<p class=\"meta\">%u open batch%s.</p>\n",
	                       r->open_batches, r->open_batches == 1 ? "" : "es");

	g_string_append(h, "<table class=\"executed\"><caption>Executed, per year</caption>"
	                   "<tr><th>year</th><th>destroyed</th><th>reset</th><th>deferred</th>"
	                   "<th>kept</th></tr>\n");
	if (!g_tree_nnodes(r->executed_by_year))
		g_string_append(h, "<tr><td colspan=\"5\" class=\"none\">no batch executed</td>"
		                   "</tr>\n");
	else
		g_tree_foreach(r->executed_by_year, year_row, h);
	g_string_append(h, "</table>\n");

	char *cap = g_strdup_printf("Disposals due per year, %d\u2013%d", r->first_year,
	                            r->first_year + REPORT_DISPOSAL_YEARS - 1);
	svg_years(h, cap, r->first_year, r->due, REPORT_DISPOSAL_YEARS);
	g_free(cap);
	g_string_append(h, "<table class=\"disposals\">\n");
	stage_row(h, "past the date, in the store", r->past_date, "due now, held, or in an open batch");
	char *after = g_strdup_printf("due after %d", r->first_year + REPORT_DISPOSAL_YEARS - 1);
	stage_row(h, after, r->later, "");
	g_free(after);
	stage_row(h, "semi-permanent", r->semi_permanent, "never proposed");
	stage_row(h, "permanent", r->permanent, "never proposed");
	stage_row(h, "due for evaluation", r->evaluation_due,
	          "semi-permanent or permanent, 70 years after the start");
	if (r->undated)
		stage_row(h, "no readable disposal date", r->undated, "");
	g_string_append(h, "</table>\n");
}

static void holds_table(GString *h, const report *r)
{
	g_string_append(h, "<h2>Holds</h2>\n");
	if (!r->holds->len) {
		g_string_append(h, "<p class=\"none\">No bundle is on hold.</p>\n");
		return;
	}
	g_string_append(h, "<table class=\"bodies\"><caption>Holds by requesting body</caption>"
	                   "<tr><th>body</th><th>holds</th><th>ended</th></tr>\n");
	for (guint i = 0; i < r->holds_by_body->len; i++) {
		const report_body *b = g_ptr_array_index(r->holds_by_body, i);
		g_string_append(h, "<tr><td>");
		if (b->body)
			put(h, b->body);
		else
			g_string_append(h, "<span class=\"none\">not named</span>");
		g_string_append_printf(h, "</td><td class=\"n\">%u</td><td class=\"n\">%u</td></tr>\n",
		                       b->holds, b->ended);
	}
	g_string_append(h, "</table>\n<p class=\"meta\">ended: past its until, in force until "
	                   "removed.</p>\n");
	g_string_append(h, "<table class=\"holds\"><tr><th>bundle</th><th>since</th>"
	                   "<th>asked by</th><th>until</th><th>placed by</th><th>reason</th></tr>\n");
	for (guint i = 0; i < r->holds->len; i++) {
		const catalog_hold *k = g_ptr_array_index(r->holds, i);
		g_string_append(h, "<tr><td>");
		put(h, k->id);
		g_string_append(h, "</td><td>");
		put(h, k->since);
		g_string_append(h, "</td><td>");
		put(h, k->by);
		g_string_append(h, "</td><td>");
		put(h, k->until);
		g_string_append(h, "</td><td>");
		put(h, k->user);
		g_string_append(h, "</td><td>");
		put(h, k->reason);
		g_string_append(h, "</td></tr>\n");
	}
	g_string_append(h, "</table>\n");
}

static void fixity_section(GString *h, const report *r)
{
	g_string_append(h, "<h2>Last fixity run</h2>\n");
	if (!r->run_verified) {
		g_string_append(h, "<p class=\"none\">No fixity run recorded in the audit log: run "
		                   "<code>archive verify</code>.</p>\n");
		return;
	}
	g_string_append(h, "<p>");
	put(h, r->run_start);
	if (g_strcmp0(r->run_start, r->run_end) != 0) {
		g_string_append(h, " \u2013 ");
		put(h, r->run_end);
	}
	g_string_append_printf(h, ": %u bundle%s verified, ", r->run_verified,
	                       r->run_verified == 1 ? "" : "s");
	if (r->run_failed)
		g_string_append_printf(h, "<span class=\"bad\">%u FAILED</span></p>\n", r->run_failed);
	else
		g_string_append(h, "<span class=\"ok\">all valid</span></p>\n");
	if (!r->run_failures->len)
		return;
	g_string_append(h, "<table class=\"failures\"><tr><th>bundle</th><th>verified</th>"
	                   "<th>problems</th></tr>\n");
	for (guint i = 0; i < r->run_failures->len; i++) {
		const report_failure *f = g_ptr_array_index(r->run_failures, i);
		g_string_append(h, "<tr><td>");
		put(h, f->id);
		g_string_append(h, "</td><td>");
		put(h, f->time);
		g_string_append(h, "</td><td>");
		put(h, f->problems);
		g_string_append(h, "</td></tr>\n");
	}
	g_string_append(h, "</table>\n");
}

char *report_html(const report *r, const char *store_name)
{
	GString *h = g_string_new(NULL);
	g_string_append(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                   "<title>archive report: ");
	put(h, store_name);
	g_string_append_printf(h, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	g_string_append(h, "<h1>Archive store report</h1>\n<p class=\"meta\">store <code>");
	put(h, store_name);
	g_string_append(h, "</code>, as of ");
	put(h, r->now);
	g_string_append(h, ", made by archive " ARCHIVE_VERSION "</p>\n");
	figures_table(h, r);

	g_string_append(h, "<h2>Bundles</h2>\n");
	series *s = series_of(r->by_year);
	svg_bars(h, "Bundles per release year", s, "#2f6fb0");
	series_free(s);
	s = series_of(r->by_license);
	svg_bars(h, "Bundles per licence", s, "#3b8f6a");
	series_free(s);
	s = series_of(r->by_status);
	svg_bars(h, "Bundles per check status", s, "#7a5cb0");
	series_free(s);

	g_string_append(h, "<h2>Checks</h2>\n");
	s = series_of(r->warnings);
	svg_bars(h, "Warnings by check id (bundles)", s, "#d08a1e");
	series_free(s);
	if (g_tree_nnodes(r->errors)) {
		s = series_of(r->errors);
		svg_bars(h, "Errors archived with --force, by check id (bundles)", s, "#b00020");
		series_free(s);
	}

	disposal_section(h, r);
	holds_table(h, r);
	fixity_section(h, r);
	g_string_append(h, "</body>\n</html>\n");
	return g_string_free(h, FALSE);
}
