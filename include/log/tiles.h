/*
 * log/tiles.h — the Merkle tree on disk in the C2SP tlog-tiles layout,
 * under a folder DIR (the store's log/):
 *   DIR/tile/<L>/<N>[.p/<W>]        hash tiles of height 8: 256 hashes
 *                                   (W in a partial tile), raw, 32 bytes each
 *   DIR/tile/entries/<N>[.p/<W>]    entry bundles: each entry as a 2-byte
 *                                   big-endian length and its bytes
 * N is written in 3-digit groups, all but the last prefixed with x
 * (1234067: x001/x234/067).
 *
 * A tlog_tiles keeps the right edge of the tree (the partial tile of each
 * level and the partial entry bundle) in memory, read once by open, so an
 * append of k entries reads nothing and writes O(k + log n) hashes. The
 * caller says how many leaves are stored (its checkpoint's size): the
 * tiles may hold more, left by a run that crashed before its checkpoint,
 * and they are then overwritten. The caller owns the tlog_tiles and frees
 * it with tlog_tiles_close(); no locking: the store's write lock is held.
 * Errors are ARC_ERROR_STORE naming the file and the reason, unless said.
 */
#ifndef ARC_TILES_H
#define ARC_TILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "log/merkle.h"

#define TLOG_ENTRY_MAX 65535 /* the 2-byte length of an entry bundle */

typedef struct tlog_tiles tlog_tiles;

/* Open the tree of size leaves under dir, reading its right edge: the
 * last tile of each level and the last entry bundle. One that is missing
 * or holds too little is an error naming it. */
tlog_tiles *tlog_tiles_open(const char *dir, uint64_t size, GError **err);
void tlog_tiles_close(tlog_tiles *t);
uint64_t tlog_tiles_size(const tlog_tiles *t);

/*
 * Append entries[0..n) (lens[i] bytes each) as leaves size..size+n-1,
 * and write every tile they touch: new full tiles, then the partial tiles
 * of the new right edge, lower levels first. Each file is written under a
 * temporary name, flushed, renamed into place and its folder flushed. A
 * partial tile that became full is not removed: readers take the full
 * one first. Appending the same entries again after a crash rewrites
 * identical files. An entry longer than TLOG_ENTRY_MAX is ARC_ERROR_INPUT
 * naming its size, and then nothing is written. On a STORE error the
 * tlog_tiles is unusable: close it, and open again at the caller's size.
 */
bool tlog_tiles_append(tlog_tiles *t, const char *const *entries, const size_t *lens, size_t n, GError **err);

/* A merkle_hash_fn over t (a tlog_tiles *): the complete subtree hash at
 * any level, folded from the tile below when the level is between tile
 * levels. A subtree not within the tree is ARC_ERROR_INPUT. */
bool tlog_tiles_hash(void *t, int level, uint64_t index, merkle_hash out, GError **err);

/* A copy of entry index into *entry (g_free it; a NUL follows its
 * bytes), its length in *len. index >= size is ARC_ERROR_INPUT. */
bool tlog_tiles_entry(tlog_tiles *t, uint64_t index, char **entry, size_t *len, GError **err);

/* The path under DIR of tile N at level (-1: the entry bundle), partial of
 * width W when width is 1..255, full when 0 ("tile/0/x001/x234/067.p/12").
 * g_free it. */
char *tlog_tiles_path(int level, uint64_t n, unsigned width);

#endif
