/*
 * fixity.c — the nightly fixity run over the whole store.
 */
#include "fixity.h"
#include "audit.h"
#include "errors.h"
#include "json.h"
#include "store.h"

#include <stdarg.h>
#include <string.h>

static void add_problem(GPtrArray *list, const char *file, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void problem_free(gpointer p)
{
	bag_problem *b = p;
	g_free(b->file);
	g_free(b->reason);
	g_free(b);
}

static void add_problem(GPtrArray *list, const char *file, const char *fmt, ...)
{
	bag_problem *p = g_new0(bag_problem, 1);
	va_list ap;
	va_start(ap, fmt);
	p->reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->file = g_strdup(file);
	g_ptr_array_add(list, p);
}

void fixity_result_clear(fixity_result *res)
{
	if (res->problems)
		g_ptr_array_unref(res->problems);
	memset(res, 0, sizeof *res);
}

/* The verification, as an audit line mirrored in the catalog. */
static bool record(const char *store_dir, catalog *c, const bag_report *r, GError **err)
{
	json_writer *w = json_new(false);
	json_begin_array(w);
	for (guint i = 0; i < r->problems->len; i++) {
		const bag_problem *p = g_ptr_array_index(r->problems, i);
		json_begin_object(w);
		json_kv_string(w, "file", p->file);
		json_kv_string(w, "reason", p->reason);
		json_end_object(w);
	}
	json_end_array(w);
	char *problems = json_finish(w);
	audit_entry *e = audit_entry_new("verify");
	audit_entry_set(e, "id", r->id);
	audit_entry_set_bool(e, "valid", r->valid);
	audit_entry_set_json(e, "problems", problems);
	char *line = NULL;
	bool ok = audit_append(store_dir, e, &line, err) && catalog_apply_event(c, line, err);
	g_free(line);
	audit_entry_free(e);
	g_free(problems);
	return ok;
}

/* The first 64 characters of a sidecar, or NULL. */
static char *read_sidecar(const char *bundle)
{
	char *p = g_strconcat(bundle, ".sha256", NULL), *s = NULL, *hex = NULL;
	if (g_file_get_contents(p, &s, NULL, NULL) && strlen(s) >= 64)
		hex = g_strndup(s, 64);
	g_free(s);
	g_free(p);
	return hex;
}

bool fixity_run(const char *store_dir, catalog *c, const bag_verify_opts *opts,
                fixity_progress progress, void *arg, fixity_result *res, GError **err)
{
	memset(res, 0, sizeof *res);
	res->problems = g_ptr_array_new_with_free_func(problem_free);
	GPtrArray *files = store_bundle_files(store_dir);
	GHashTable *on_disk = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	bool ok = true;
	for (guint i = 0; ok && i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		char *abs = g_build_filename(store_dir, rel, NULL);
		char *side = g_strconcat(abs, ".sha256", NULL);
		bag_report *r = bag_verify(abs, opts);
		/* In the store a bundle must have its sidecar; bag_verify only
		 * checks one that is there. */
		if (!g_file_test(side, G_FILE_TEST_EXISTS)) {
			char *name = g_path_get_basename(side);
			add_problem(r->problems, name, "missing: the bundle's sha256sum sidecar");
			r->valid = false;
			g_free(name);
		}
		char *base = g_path_get_basename(rel);
		char *id = g_strndup(base, strlen(base) - strlen(".tar.gz"));
		if (r->id && strcmp(r->id, id) != 0) {
			add_problem(r->problems, base, "the file is named %s but holds bag %s", id, r->id);
			r->valid = false;
		}
		catalog_bundle *b = catalog_get(c, id, NULL);
		char *sidecar = read_sidecar(abs);
		if (!b) {
			add_problem(r->problems, "catalog.sqlite", "the catalog does not list this bundle");
			r->valid = false;
		} else if (sidecar && b->bundle_sha256 && strcmp(sidecar, b->bundle_sha256) != 0) {
			add_problem(r->problems, "catalog.sqlite",
			            "the catalog records sha256 %s, the sidecar %s", b->bundle_sha256,
			            sidecar);
			r->valid = false;
		}
		res->verified++;
		res->failed += !r->valid;
		g_hash_table_add(on_disk, id);
		ok = record(store_dir, c, r, err);
		if (progress)
			progress(rel, r, arg);
		bag_report_free(r);
		catalog_bundle_free(b);
		g_free(sidecar);
		g_free(base);
		g_free(side);
		g_free(abs);
	}
	g_ptr_array_unref(files);

	/* Bundles the catalog lists that are not on disk: lost. */
	GPtrArray *all = ok ? catalog_list(c, err) : NULL;
	for (guint i = 0; all && i < all->len; i++) {
		const catalog_bundle *b = g_ptr_array_index(all, i);
		if (!g_hash_table_contains(on_disk, b->id))
			add_problem(res->problems, b->path,
			            "missing: the catalog lists bundle %s, which is not in the store, and "
			            "the audit log records no disposal of it",
			            b->id);
	}
	if (all)
		g_ptr_array_unref(all);
	else
		ok = false;
	g_hash_table_unref(on_disk);

	uint64_t bad = 0;
	char *why = NULL;
	if (ok && !audit_verify_chain(store_dir, &res->audit_lines, &bad, &why, err)) {
		if (why)
			add_problem(res->problems, "audit.log", "%s", why);
		else
			ok = false;
	}
	g_free(why);
	return ok;
}
