/*
 * bag/extract.c — safe unpacking with libarchive's disk writer, with our
 * own checks in front of its SECURE flags: we refuse an entry outright
 * rather than let the writer skip or rewrite it.
 */
#include "bag/extract.h"
#include "bag/path.h"
#include "core/errors.h"
#include "core/disk.h"
#include "core/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Is path "<top>/…", a plain path inside the bag (bag/path.h)? */
static bool safe_path(const char *path, const char *top)
{
	size_t n = strlen(top);
	return strncmp(path, top, n) == 0 && (path[n] == '/' || path[n] == '\0') &&
	       !bag_path_problem(path);
}

bool bag_extract(const char *bundle, const char *top, const char *dest, GError **err)
{
	bool ok = false;
	struct archive *in = archive_read_new(), *out = archive_write_disk_new();
	struct archive_entry *e;
	char *name = NULL;
	char *root = g_build_filename(dest, top, NULL);
	bool made_root = false;
	/* Names are UTF-8 in the bag and on disk, whatever the locale. */
	locale_t old_locale = text_utf8_locale_begin();
	archive_read_support_filter_gzip(in);
	archive_read_support_format_tar(in);
	/* Entry names are checked below (safe_path) and then joined to dest,
	 * which may itself be absolute or hold "..": the writer's own path
	 * refusals would judge dest too, so only its refusal to write through
	 * a symlink is kept. */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	                                        ARCHIVE_EXTRACT_NO_OVERWRITE);
	if (g_mkdir_with_parents(dest, 0755) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dest);
		goto out;
	}
	if (g_file_test(root, G_FILE_TEST_EXISTS)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: already exists; not replaced", root);
		goto out;
	}
	if (archive_read_open_filename(in, bundle, 1 << 16) != ARCHIVE_OK) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", bundle, archive_error_string(in));
		goto out;
	}
	made_root = true;
	int r;
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		/* A copy: set_pathname below reuses the entry's buffer. */
		g_free(name);
		name = g_strdup(archive_entry_pathname(e));
		mode_t type = archive_entry_filetype(e);
		if (!name || !safe_path(name, top)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: entry %s would land outside %s; refused", bundle,
			            name ? name : "(no name)", root);
			goto out;
		}
		if ((type != AE_IFREG && type != AE_IFDIR) || archive_entry_hardlink(e)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: entry %s is a link or special file; refused", bundle, name);
			goto out;
		}
		char *target = g_build_filename(dest, name, NULL);
		archive_entry_set_pathname(e, target);
		g_free(target);
		archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
		if (archive_write_header(out, e) != ARCHIVE_OK) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", name,
			            archive_error_string(out));
			goto out;
		}
		const void *buf;
		size_t len;
		la_int64_t off;
		while ((r = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK)
			if (archive_write_data_block(out, buf, len, off) != ARCHIVE_OK) {
				g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", name,
				            archive_error_string(out));
				goto out;
			}
		if (r != ARCHIVE_EOF) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", bundle,
			            archive_error_string(in));
			goto out;
		}
		if (archive_write_finish_entry(out) != ARCHIVE_OK) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", name,
			            archive_error_string(out));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", bundle, archive_error_string(in));
		goto out;
	}
	ok = true;
out:
	g_free(name);
	archive_read_free(in);
	archive_write_free(out);
	text_utf8_locale_end(old_locale);
	if (!ok && made_root)
		disk_remove_tree(root);
	g_free(root);
	return ok;
}
