/* Unit tests: the catalog's walks (catalog_each*) collected into arrays
 * of catalog_bundle*, for tests that look at the rows together. */
#ifndef ARC_TEST_ROWS_H
#define ARC_TEST_ROWS_H

#include <string.h>
#include "store/catalog.h"

static inline bool rows_keep(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	catalog_bundle *copy = g_new(catalog_bundle, 1);
	*copy = *b;
	memset(b, 0, sizeof *b);
	g_ptr_array_add(arg, copy);
	return true;
}

static inline GPtrArray *rows_done(GPtrArray *rows, bool ok)
{
	if (!ok)
		g_clear_pointer(&rows, g_ptr_array_unref);
	return rows;
}

static inline GPtrArray *rows_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)catalog_bundle_free);
}

static inline GPtrArray *rows_all(catalog *c, GError **err)
{
	GPtrArray *r = rows_new();
	return rows_done(r, catalog_each(c, rows_keep, r, err));
}

static inline GPtrArray *rows_due(catalog *c, const char *date, GError **err)
{
	GPtrArray *r = rows_new();
	return rows_done(r, catalog_each_due(c, date, rows_keep, r, err));
}

static inline GPtrArray *rows_evaluation_due(catalog *c, const char *date, GError **err)
{
	GPtrArray *r = rows_new();
	return rows_done(r, catalog_each_evaluation_due(c, date, rows_keep, r, err));
}

#endif
