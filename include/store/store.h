/*
 * store/store.h — the archive store on disk (SPEC, "Store"):
 *
 *   STORE/bundles/YYYY/ID.tar.gz (+ .sha256)
 *   STORE/quarantine/<name>/   reason.json, and release/: the release as given
 *   STORE/archive.conf         optional GLib key file: [defaults], [limits]
 *   STORE/tmp/                 work space of the run holding the lock
 *   STORE/lock                 flock(2) target of mutating runs
 *
 * Everything that becomes visible in bundles/ or quarantine/ is written
 * beside it first, flushed, and renamed into place, so a crash leaves no
 * partial bundle. The store object owns every string it returns as const.
 */
#ifndef ARC_STORE_H
#define ARC_STORE_H

#include <stdbool.h>
#include <glib.h>
#include "release/input.h"

typedef struct store store;

/* Open the store at dir; with create, make it (and its folders) when it is
 * missing. Reads archive.conf when present. Errors are ARC_ERROR_STORE. */
store *store_open(const char *dir, bool create, GError **err);
/* For a run that must change nothing (ingest --dry-run): the store at dir
 * read when it is there (archive.conf), never made; its work space a
 * private folder under $TMPDIR, removed by store_close. */
store *store_open_dry(const char *dir, GError **err);
void store_close(store *s);
const char *store_dir(const store *s);

/* Take the exclusive lock for a mutating run, without waiting: another
 * holder gives ARC_ERROR_LOCKED. Then removes what an earlier, crashed run
 * left in tmp/. The lock lasts until store_close. */
bool store_lock(store *s, GError **err);

/* A value of archive.conf's [defaults] group ("license", "retention",
 * "organisation"), or NULL. */
const char *store_config(const store *s, const char *key);
/* Every key of an archive.conf group ("limits") → its trimmed value, owned
 * by the store; NULL when the group is absent. */
GHashTable *store_config_group(const store *s, const char *group);

/* A value of STORE/archive.conf read without opening the store (a
 * command's usage checks, before the lock): NULL without err when the
 * file or the key is absent. Caller frees. */
char *store_peek_config(const char *dir, const char *group, const char *key, GError **err);

/* A fresh private directory under tmp/ (caller frees the path; remove it
 * with disk_remove_tree, core/disk.h). */
char *store_make_tmpdir(store *s, GError **err);

/* Is path, byte for byte, a folder store_make_tmpdir makes (tmp/run- and
 * six letters or digits, directly under the store's tmp/) and there a
 * directory, not a link? For a path a worker sent back, before it is
 * removed. False with ARC_ERROR_STORE naming the path otherwise. */
bool store_check_tmpdir(const store *s, const char *path, GError **err);

/* Where the bundle ID lives (caller frees): bundles/YYYY/ID.tar.gz. */
char *store_bundle_path(const store *s, const char *id);
bool store_has_bundle(const store *s, const char *id);

/* The SHA-256 a bundle's .sha256 sidecar records (its first 64
 * characters), or NULL when there is none. Caller frees. */
char *store_sidecar_sha256(const char *bundle_path);

/*
 * Every file under STORE/bundles/YYYY/ whose name ends in suffix
 * (".tar.gz", ".tar.gz.sha256"), handed to fn as a store-relative path
 * ("bundles/2024/ID.tar.gz") in sorted order: folder by folder, each
 * folder's names sorted, so that memory grows with the largest year's
 * bundles, not with the store. fn returns false to stop; then so does
 * this. Folders that cannot be read are passed over (their bundles are
 * then missing, which the catalog's side of a check finds).
 */
typedef bool (*store_file_fn)(const char *rel, void *arg);
bool store_each_file(const char *store_dir, const char *suffix, store_file_fn fn, void *arg);
/* The same a folder at a time: fn gets the folder ("bundles/2024") and
 * its names ending in suffix (every name when NULL), sorted with strcmp. */
typedef bool (*store_folder_fn)(const char *folder, GPtrArray *names, void *arg);
bool store_each_folder(const char *store_dir, const char *suffix, store_folder_fn fn, void *arg);
/* How many bundles store_each_file(".tar.gz") would hand on. */
unsigned store_count_bundles(const char *store_dir);

/*
 * Make the finished bundle at tmp_path (under tmp/) visible as ID: fsync
 * it, write ID.tar.gz.sha256 (sha256 given), fsync that, move the sidecar
 * and then the bundle into bundles/YYYY/ without replacing anything there,
 * fsync the directory.
 * *final_path receives the bundle's path (caller frees).
 */
bool store_publish_bundle(store *s, const char *tmp_path, const char *id,
                          const char *bundle_sha256, char **final_path, GError **err);

/*
 * Copy the release as given into quarantine/<name>/release/ (<name>-2, -3
 * … when <name> is taken), with reason_json as quarantine/<name>/reason.json
 * beside that folder, where no file of the release can take its name:
 * symlinks are copied as links, never followed; FIFOs, devices and sockets
 * are left out. Built under tmp/ and renamed into place. *qdir receives
 * quarantine/<name> (caller frees).
 */
#define STORE_QUARANTINE_RELEASE "release"
#define STORE_QUARANTINE_REASON "reason.json"
bool store_quarantine(store *s, const release_input *r, const char *reason_json, char **qdir,
                      GError **err);

#endif
