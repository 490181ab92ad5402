/*
 * bag/write.h — write a BagIt bag as one gzip-compressed tar stream
 * (tar via libarchive, gzip via zlib), entry by entry, in the order the
 * caller adds them. Files are streamed, never held whole in memory.
 *
 * Every entry's path is "<top_dir>/<path>". The writer hashes every tag
 * file (any entry outside data/) and bag_writer_finish() appends
 * tagmanifest-sha256.txt listing them. The writer does not own the fd.
 */
#ifndef ARC_BAG_WRITE_H
#define ARC_BAG_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <glib.h>

typedef struct bag_writer bag_writer;

/* Entries get mode 0644 (directories 0755), owner 0/0 with no names, and
 * the given mtime, so that equal input gives equal bytes. */
bag_writer *bag_writer_new(int fd, const char *top_dir, time_t mtime, GError **err);

bool bag_writer_add_bytes(bag_writer *w, const char *path, const void *data, size_t len,
                          GError **err);

/* How a file's bytes go into the gzip stream (all of them stay one
 * standard gzip stream that gzip, tar and any BagIt tool read):
 *   BAG_DEFLATE  text, XML, anything that compresses: deflate level 6;
 *   BAG_STORE    already compressed (PDF, images, zip containers): stored
 *                blocks, since deflate gains ~1% on them at ~40 MB/s;
 *   BAG_PROBE    unknown: stored unless its first 64 KiB deflate by 10%. */
typedef enum { BAG_DEFLATE, BAG_STORE, BAG_PROBE } bag_packing;

/* Stream the regular file src into the bag as path. When expected_sha256
 * is not NULL, fail if the bytes read hash differently (the file changed
 * since it was hashed) or its size differs from expected_size. */
bool bag_writer_add_file(bag_writer *w, const char *path, const char *src,
                         const char *expected_sha256, uint64_t expected_size,
                         bag_packing packing, GError **err);
/* The same, with tail's bytes (when not NULL) after src's in the one
 * entry: the access copy, an original and its update. expected_size and
 * expected_sha256 are of the two together. */
bool bag_writer_add_file_tail(bag_writer *w, const char *path, const char *src, GBytes *tail,
                              const char *expected_sha256, uint64_t expected_size,
                              bag_packing packing, GError **err);

/* Append tagmanifest-sha256.txt, end the tar and the gzip stream and flush
 * to the fd (no fsync: the store does that). */
bool bag_writer_finish(bag_writer *w, GError **err);

/* After bag_writer_finish: the SHA-256 (hex) and size of every byte the
 * writer wrote to the fd, so that the bundle is never read back to hash
 * it. False before a successful finish. */
bool bag_writer_digest(const bag_writer *w, char hex[65], uint64_t *size);

/* After bag_writer_finish: the SHA-256 (hex) of tagmanifest-sha256.txt as
 * written, which names every tag file's digest (and so the manifest of
 * the payload): the bag's content in 64 characters. */
bool bag_writer_tagmanifest_digest(const bag_writer *w, char hex[65]);

/* Free the writer; after a failure, what was written to the fd is garbage. */
void bag_writer_free(bag_writer *w);

/* Append one manifest line "<hex>  <encoded path>\n" to m (bag/path.h). */
void bag_manifest_add(GString *m, const char *hex, const char *path);

#endif
