/*
 * core/disk.c — writing to disk so that a crash leaves the old state or the
 * new one (core/disk.h).
 */
#include "core/disk.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

bool disk_mkdir_p(const char *path, GError **err)
{
	if (g_mkdir_with_parents(path, 0755) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	return true;
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
	return true;
}

void disk_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		GDir *d = g_dir_open(path, 0, NULL);
		const char *n;
		while (d && (n = g_dir_read_name(d))) {
			char *p = g_build_filename(path, n, NULL);
			disk_remove_tree(p);
			g_free(p);
		}
		if (d)
			g_dir_close(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

bool disk_write_new(const char *path, const char *data, size_t len, bool sync, GError **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		return false;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			close(fd);
			unlink(path);
			return false;
		}
		done += (size_t)n;
	}
	if ((sync && fsync(fd) != 0) || close(fd) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		unlink(path);
		return false;
	}
	return true;
}
