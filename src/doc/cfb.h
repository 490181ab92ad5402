/*
 * doc/cfb.h (private to src/doc/) — a bounded reader of compound files
 * (MS-CFB, "OLE2"), only as much of them as HWP 5 needs: the directory,
 * storages' children, and streams read whole.
 *
 * cfb_open checks the header, loads the FAT, the mini FAT and the
 * directory, and walks the directory tree once from the root, so that a
 * loop or an out-of-range id is refused there and every later look-up
 * walks a tree known to be one. Streams are read with their chains
 * walked against a bound, their size checked against the chain and
 * DOC_STREAM_MAX before anything is allocated. Failures are
 * ARC_ERROR_INPUT ("damaged: FAT chain loops at sector 7").
 */
#ifndef ARC_DOC_CFB_H
#define ARC_DOC_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef struct cfb cfb;

#define CFB_NONE 0xFFFFFFFFu /* no entry */

typedef enum {
	CFB_EMPTY = 0,
	CFB_STORAGE = 1,
	CFB_STREAM = 2,
	CFB_ROOT = 5,
} cfb_type;

cfb *cfb_open(const char *path, GError **err);
void cfb_close(cfb *c);

/* The entry at a path of names from the root, "/"-separated
 * ("BodyText/Section0", "FileHeader"; "" is the root), compared without
 * regard to ASCII case as CFB does; CFB_NONE when there is none. */
uint32_t cfb_lookup(const cfb *c, const char *path);

/* The entries directly inside storage id (the root included), in
 * directory order, as a GArray of uint32_t (the caller frees it). */
GArray *cfb_children(const cfb *c, uint32_t id);

/* An entry's facts; name is UTF-8 and owned by c. */
const char *cfb_name(const cfb *c, uint32_t id);
cfb_type cfb_entry_type(const cfb *c, uint32_t id);
uint64_t cfb_size(const cfb *c, uint32_t id);

/* Stream id's bytes, whole (g_malloc'd, *len bytes, the caller frees).
 * what names it in messages ("BodyText/Section3"). */
bool cfb_read(cfb *c, uint32_t id, const char *what, uint8_t **data, size_t *len,
              GError **err);

#endif
