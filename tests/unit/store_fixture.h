/*
 * store_fixture.h — a store with the three fixture releases archived,
 * made through the library as `archive ingest` makes it, for the unit
 * tests of the modules that work on a store.
 */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H

#include "unit.h"
#include "store/catalog.h"
#include "ingest/ingest.h"
#include "store/recovery.h"
#include "store/store.h"

typedef struct {
	char *dir;
	store *s;
	catalog *c;
	GPtrArray *ids; /* char*: the bundles, in ingest order */
} store_fixture;

static inline void store_fixture_open(store_fixture *f, const char *retention)
{
	GError *e = NULL;
	memset(f, 0, sizeof *f);
	f->dir = unit_tmpdir();
	f->ids = g_ptr_array_new_with_free_func(g_free);
	f->s = store_open(f->dir, true, &e);
	if (!f->s || !store_lock(f->s, &e) || !(f->c = catalog_open(f->dir, &e))) {
		fprintf(stderr, "store fixture: %s\n", e->message);
		exit(2);
	}
	ingest_opts o = { .now = 1795737600, .retention = retention };
	worker_limits_default(&o.limits);
	ingester *g = ingester_new(f->s, f->c, &o, &e);
	char *batch = g_build_filename(unit_fixtures(), "releases", NULL);
	GPtrArray *rs = g_ptr_array_new_with_free_func((GDestroyNotify)release_input_free);
	if (!g || !input_collect(batch, rs, NULL, &e)) {
		fprintf(stderr, "store fixture: %s\n", e->message);
		exit(2);
	}
	for (guint i = 0; i < rs->len; i++) {
		ingest_result res;
		if (!ingest_release(g, g_ptr_array_index(rs, i), &res, &e) ||
		    res.status != INGEST_ARCHIVED) {
			fprintf(stderr, "store fixture: release %u not archived\n", i);
			exit(2);
		}
		g_ptr_array_add(f->ids, g_strdup(res.id));
		ingest_result_clear(&res);
	}
	g_ptr_array_unref(rs);
	g_free(batch);
	ingester_free(g);
}

static inline void store_fixture_close(store_fixture *f)
{
	catalog_close(f->c);
	store_close(f->s);
	g_ptr_array_unref(f->ids);
	g_free(f->dir);
}

/* STORE/bundles/YYYY/ID.tar.gz of a bundle; caller frees. */
static inline char *store_fixture_bundle(const store_fixture *f, guint i)
{
	return store_bundle_path(f->s, g_ptr_array_index(f->ids, i));
}

#endif
