/*
 * bag/verify.h — verify a BagIt bag: a .tar.gz/.tgz, .tar or .zip
 * serialisation read in one streaming pass (never extracted to disk), or an
 * unpacked bag directory.
 *
 * The report names every problem found, each with the file (bag-relative
 * path, or the bag itself) and the reason, not only the first. The caller
 * frees the report with bag_report_free().
 *
 * Bounded: memory grows with the number of files, never with their size;
 * gzip is decoded here with zlib (CRC-32 and length checked); a header
 * claiming more than the file can hold, or a stream that unpacks far
 * beyond Payload-Oxum (or, without it, beyond 1000:1), stops the reading
 * with a problem. Nothing is written anywhere.
 *
 * A serialisation FILE (of any kind: .tar.gz, .tar, .zip) is also checked
 * against FILE.sha256, in sha256sum format, when that exists: a digest
 * that differs is a problem named after the sidecar.
 */
#ifndef ARC_BAG_VERIFY_H
#define ARC_BAG_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "core/json.h"

typedef struct {
	char *file;   /* e.g. "data/attachments/x.pdf", "bag-info.txt", or the bundle path */
	char *reason; /* e.g. "sha256 mismatch", "missing (listed in manifest-sha256.txt)" */
} bag_problem;

typedef struct {
	char *path;          /* as given */
	char *id;            /* the bag's name: its top directory */
	bool valid;          /* no problems */
	bool ours;           /* Bag-Software-Agent: archive/... : held to our profile */
	GPtrArray *problems; /* bag_problem*: what makes it invalid */
	GPtrArray *warnings; /* bag_problem*: worth saying, not invalid */
	uint64_t payload_bytes;
	uint64_t payload_files;
} bag_report;

typedef struct {
	bool fast; /* structure, Payload-Oxum and required fields only; no checksums */
} bag_verify_opts;

/* Never returns NULL: a bag that cannot be read is a report with a problem. */
bag_report *bag_verify(const char *path, const bag_verify_opts *opts);
void bag_report_free(bag_report *r);
/* An empty report of path (valid false, id NULL) to add problems to. */
bag_report *bag_report_new(const char *path);
/* Add a problem (or a warning: the list decides) to a report's list. */
void bag_add_problem(GPtrArray *list, const char *file, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
/* Frees one bag_problem (a list's free function). */
void bag_problem_free(gpointer p);
/* The list as a JSON array of {"file", "reason"} objects. */
void bag_problems_to_json(json_writer *w, const GPtrArray *list);

/* Called with each report in the order of the paths given; the report is
 * freed after the call (the callback may change it). Returning false stops
 * the run. */
typedef bool (*bag_verify_each_fn)(guint index, bag_report *r, void *arg);

/* Verify paths[0..n-1]. jobs > 1: that many bags at once, each in a
 * forked child that sends its report back over a pipe; the callback still
 * runs here, in order, so that output and records are the same as with
 * jobs = 1 (which verifies in this process). A child that dies is a report
 * with that problem. Returns false when a callback stopped the run, or
 * with err set (ARC_ERROR_STORE, the reason) when the run cannot go on:
 * the workers' results cannot be waited for (poll fails, e.g. on more
 * descriptors than the open-file limit: up to 2 × jobs are polled). The
 * bags handed to the callback before that stay handed on; err is never
 * set when a callback stopped the run. */
bool bag_verify_each(const char *const *paths, guint n, const bag_verify_opts *opts, int jobs,
                     bag_verify_each_fn fn, void *arg, GError **err);

#endif
