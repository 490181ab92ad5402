/*
 * release/bundle_id.h — bundle identifiers (SPEC, "The bundle"):
 * "YYYY-MM-DD_<slug>_<8 hex>".
 */
#ifndef ARC_BUNDLE_ID_H
#define ARC_BUNDLE_ID_H

#include <stdbool.h>

/* The slug: up to 48 characters of the title's ASCII letters and digits,
 * lower-cased, runs joined by "-"; "release" when the title has none.
 * Caller frees. */
char *bundle_slug(const char *title);

/* "<date>_<slug>_<first 8 of content_sha256>"; caller frees. */
char *bundle_id_make(const char *date_iso, const char *title, const char *content_sha256);

/* Is s shaped like a bundle id (safe to use as a file name)? */
bool bundle_id_valid(const char *s);

#endif
