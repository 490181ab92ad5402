/*
 * core/disk.c — writing to disk so that a crash leaves the old state or the
 * new one (core/disk.h).
 */
#include "core/disk.h"
#include "core/errors.h"
#include "core/testhook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool disk_mkdir_p(const char *path, GError **err)
{
	bool ok = false;
	char *parent = NULL;
	struct stat st;
	if (stat(path, &st) == 0) {
		ok = S_ISDIR(st.st_mode);
		if (!ok)
			arc_set_errno(err, ARC_ERROR_STORE, ENOTDIR, path);
		goto out;
	}
	if (errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	parent = g_path_get_dirname(path);
	if (strcmp(parent, path) != 0 && !disk_mkdir_p(parent, err))
		goto out;
	if (mkdir(path, 0755) != 0) {
		ok = errno == EEXIST;
		if (!ok)
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	/* The new folder is an entry of its parent: unflushed, a power cut
	 * may lose it, and all that is later put in it and flushed there
	 * (the first bundle of a year, while the audit log records it). */
	ok = disk_fsync(parent, err);
out:
	g_free(parent);
	return ok;
}

bool disk_fsync(const char *path, GError **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		arc_set_errno(err, ARC_ERROR_STORE, e, path);
		return false;
	}
	close(fd);
	testhook_fsynced(path);
	return true;
}

int disk_open_dir_at(int at, const char *name, const char *path, int code, GError **err)
{
	int injected = testhook_dir_open(path);
	int fd = injected ? -1 : openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int e = injected ? injected : errno;
	if (fd >= 0)
		return fd;
	/* ELOOP: a link (O_NOFOLLOW); ENOTDIR: a file. The caller saw a
	 * directory there a moment ago. */
	if (e == ELOOP || e == ENOTDIR)
		g_set_error(err, ARC_ERROR, code,
		            "%s: is no longer a directory (replaced while being read); not followed",
		            path);
	else
		arc_set_errno(err, code, e, path);
	return -1;
}

/*
 * Remove name in the directory open as at (path names it in errors).
 * A file or a link (never what it points to) is unlinked at once; only a
 * directory (EISDIR) is opened, without following a link, and emptied
 * through its own descriptor, so that nothing swapped in along the way
 * leads outside the tree. What replaced a directory between the unlink
 * and the open is unlinked in turn. An entry that cannot be removed does
 * not stop the others: the first error is kept.
 */
static bool remove_at(int at, const char *name, const char *path, GError **err)
{
	bool ok = false;
	DIR *d = NULL;
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 2; tries++) {
		if (unlinkat(at, name, 0) == 0 || errno == ENOENT) {
			ok = true;
			goto out;
		}
		if (errno != EISDIR) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			goto out;
		}
		fd = disk_open_dir_at(at, name, path, ARC_ERROR_STORE, tries ? err : NULL);
	}
	if (fd < 0)
		goto out;
	if (!(d = fdopendir(fd))) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		close(fd);
		goto out;
	}
	ok = true;
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			if (errno) {
				arc_set_errno(ok ? err : NULL, ARC_ERROR_STORE, errno, path);
				ok = false;
			}
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *child = g_build_filename(path, e->d_name, NULL);
		if (!remove_at(dirfd(d), e->d_name, child, ok ? err : NULL))
			ok = false;
		g_free(child);
	}
	if (ok && unlinkat(at, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		ok = false;
	}
out:
	if (d)
		closedir(d);
	return ok;
}

bool disk_remove_tree_checked(const char *path, GError **err)
{
	bool ok = false;
	char *trimmed = g_strdup(path);
	size_t n = strlen(trimmed);
	while (n > 1 && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	char *base = g_path_get_basename(trimmed), *dir = g_path_get_dirname(trimmed);
	int dfd = -1;
	if (!*base || strcmp(base, "/") == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: not a tree that can be removed", path);
		goto out;
	}
	/* The folders above it are the caller's; its last component is
	 * never followed. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ENOENT)
			ok = true; /* nothing there to remove */
		else
			arc_set_errno(err, ARC_ERROR_STORE, errno, dir);
		goto out;
	}
	ok = remove_at(dfd, base, trimmed, err);
out:
	if (dfd >= 0)
		close(dfd);
	g_free(base);
	g_free(dir);
	g_free(trimmed);
	return ok;
}

void disk_remove_tree(const char *path)
{
	(void)disk_remove_tree_checked(path, NULL);
}

/* fsync the folder open as fd (path names it) after every folder in it,
 * deepest first. Takes fd. */
static bool fsync_dirs_at(int fd, const char *path, GError **err)
{
	bool ok = false;
	DIR *d = fdopendir(fd);
	if (!d) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		close(fd);
		goto out;
	}
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		struct stat st;
		if (!e) {
			if (errno) {
				arc_set_errno(err, ARC_ERROR_STORE, errno, path);
				goto out;
			}
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
			continue;
		char *child = g_build_filename(path, e->d_name, NULL);
		int cfd = disk_open_dir_at(dirfd(d), e->d_name, child, ARC_ERROR_STORE, err);
		bool flushed = cfd >= 0 && fsync_dirs_at(cfd, child, err);
		g_free(child);
		if (!flushed)
			goto out;
	}
	if (fsync(dirfd(d)) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	testhook_fsynced(path);
	ok = true;
out:
	if (d)
		closedir(d);
	return ok;
}

bool disk_fsync_tree(const char *path, GError **err)
{
	int fd = disk_open_dir_at(AT_FDCWD, path, path, ARC_ERROR_STORE, err);
	return fd >= 0 && fsync_dirs_at(fd, path, err);
}

/* Write all of data to fd (again after a short write or EINTR); false
 * with errno set on an error. */
static bool write_all(int fd, const void *data, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const char *)data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

bool disk_write_new(const char *path, const char *data, size_t len, bool sync, GError **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	if (!write_all(fd, data, len)) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		close(fd);
		unlink(path);
		return false;
	}
	if ((sync && fsync(fd) != 0) || close(fd) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		unlink(path);
		return false;
	}
	return true;
}
