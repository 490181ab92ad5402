/*
 * core/disk.h — writing to disk so that a crash leaves either the old
 * state or the new one: new files made with O_EXCL and flushed, folders
 * flushed after a rename into them, trees removed without following a
 * link. Errors are ARC_ERROR_STORE naming the path and the system's reason.
 */
#ifndef ARC_DISK_H
#define ARC_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* mkdir -p, mode 0755. */
bool disk_mkdir_p(const char *path, GError **err);

/* fsync(2) of a file or a folder (a folder after a rename into it). */
bool disk_fsync(const char *path, GError **err);

/* Write data to path, which must not exist (O_EXCL), flushed with fsync
 * when sync; on failure the file is removed and err names it. */
bool disk_write_new(const char *path, const char *data, size_t len, bool sync, GError **err);

/* Remove path and, when it is a folder, everything under it; never
 * follows a link (a link is removed, not what it points to). */
void disk_remove_tree(const char *path);

#endif
