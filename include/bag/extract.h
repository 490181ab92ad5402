/*
 * bag/extract.h — unpack a bag serialisation (.tar.gz) into a folder,
 * refusing anything that is not a plain file or folder under the bag's
 * top directory: absolute paths, "..", links, devices. Nothing is written
 * outside DEST, and nothing already there is replaced.
 */
#ifndef ARC_BAG_EXTRACT_H
#define ARC_BAG_EXTRACT_H

#include <stdbool.h>
#include <glib.h>

/* Unpack bundle into dest (created when missing): dest/<top>/... The bag's
 * top directory must be top and must not exist in dest yet. On a refused
 * entry, stops with ARC_ERROR_INPUT naming it; what was unpacked so far is
 * removed. */
bool bag_extract(const char *bundle, const char *top, const char *dest, GError **err);

#endif
