/*
 * core/disk.h — writing to disk so that a crash leaves either the old
 * state or the new one: new files made with O_EXCL and flushed, folders
 * flushed after a rename into them, trees removed without following a
 * link. Errors are ARC_ERROR_STORE (unless said otherwise) naming the path
 * and the system's reason.
 */
#ifndef ARC_DISK_H
#define ARC_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* mkdir -p, mode 0755; the parent of each folder it makes is flushed
 * (fsync), so that a power cut cannot lose the new folder while what was
 * put in it and flushed is recorded elsewhere. */
bool disk_mkdir_p(const char *path, GError **err);

/* fsync(2) of a file or a folder (a folder after a rename into it). */
bool disk_fsync(const char *path, GError **err);

/* fsync every folder under path, and path: a tree built under tmp/ before
 * it is renamed into place (the rename, flushed in the folder it goes
 * to, makes visible entries that must already be on disk). Links are not
 * followed. */
bool disk_fsync_tree(const char *path, GError **err);

/* Write data to path, which must not exist (O_EXCL), flushed with fsync
 * when sync; on failure the file is removed and err names it. */
bool disk_write_new(const char *path, const char *data, size_t len, bool sync, GError **err);

/*
 * Remove path and, when it is a folder, everything under it; never
 * follows a link (a link is removed, not what it points to), not even one
 * swapped for a folder while the tree is being removed: each folder is
 * opened with O_NOFOLLOW and emptied through its descriptor. The folders
 * above path are followed as they are. A path that is not there is no
 * error. On failure err names the first entry that could not be removed
 * and why; the others are removed all the same.
 */
bool disk_remove_tree_checked(const char *path, GError **err);

/* The same, for a cleanup whose failure has nowhere to go (after an error
 * already on its way, or of tmp/, which the next locked run empties). */
void disk_remove_tree(const char *path);

/*
 * Open the folder name in the directory open as at (AT_FDCWD: name is a
 * path) for reading, never through a link (O_DIRECTORY | O_NOFOLLOW):
 * what is there now is opened or refused, not what the caller saw there a
 * moment before (a test hook stands just before the open). path
 * names it in err, with code (an ArcErrorCode: whose fault it is); a link
 * or file found there instead is "PATH: is no longer a directory".
 * Returns the descriptor, or -1.
 */
int disk_open_dir_at(int at, const char *name, const char *path, int code, GError **err);

#endif
