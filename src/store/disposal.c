/*
 * store/disposal.c — the retention run.
 */
#include "store/disposal.h"
#include "store/audit.h"
#include "core/errors.h"
#include "core/testhook.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

void disposal_item_free(disposal_item *d)
{
	if (!d)
		return;
	catalog_bundle_free(d->bundle);
	g_free(d);
}

static bool unlink_synced(const char *path, GError **err)
{
	if (unlink(path) != 0 && errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	return true;
}

static bool dispose(const char *store_dir, catalog *c, const catalog_bundle *b, const char *day,
                    GError **err)
{
	bool ok = false;
	char *line = NULL;
	char *abs = g_build_filename(store_dir, b->path, NULL);
	char *side = g_strconcat(abs, ".sha256", NULL);
	char *dir = g_path_get_dirname(abs);
	audit_entry *e = audit_entry_new("dispose");
	audit_entry_set(e, "id", b->id);
	audit_entry_set(e, "title", b->title);
	audit_entry_set(e, "bundle_sha256", b->bundle_sha256);
	audit_entry_set(e, "retention", b->retention);
	audit_entry_set(e, "release_date", b->release_date);
	audit_entry_set(e, "disposal_date", b->disposal_date);
	audit_entry_set(e, "disposed_on", day);
	audit_entry_set(e, "path", b->path);
	/* The record first: a crash after it leaves a deletion to finish,
	 * never a deletion nobody recorded. */
	if (!audit_append(store_dir, e, &line, err))
		goto out;
	testhook_crash_point("dispose.recorded");
	if (!unlink_synced(abs, err))
		goto out;
	testhook_crash_point("dispose.bundle_unlinked");
	if (!unlink_synced(side, err))
		goto out;
	testhook_crash_point("dispose.sidecar_unlinked");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dir);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	testhook_crash_point("dispose.dir_fsynced");
	ok = catalog_apply_event(c, line, err);
	if (ok)
		testhook_crash_point("dispose.catalog");
out:
	audit_entry_free(e);
	g_free(line);
	g_free(dir);
	g_free(side);
	g_free(abs);
	return ok;
}

GPtrArray *disposal_run(const char *store_dir, catalog *c, const char *day, bool apply,
                        GError **err)
{
	GPtrArray *due = catalog_due(c, day, err);
	if (!due)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)disposal_item_free);
	bool ok = true;
	for (guint i = 0; i < due->len; i++) {
		disposal_item *d = g_new0(disposal_item, 1);
		d->bundle = g_ptr_array_index(due, i);
		due->pdata[i] = NULL;
		d->status = d->bundle->hold_reason ? DISPOSAL_HELD : DISPOSAL_DUE;
		g_ptr_array_add(out, d);
		if (ok && apply && d->status == DISPOSAL_DUE) {
			ok = dispose(store_dir, c, d->bundle, day, err);
			if (ok)
				d->status = DISPOSAL_DONE;
		}
	}
	g_ptr_array_unref(due);
	return out;
}
