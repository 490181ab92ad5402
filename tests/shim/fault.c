/*
 * tests/shim/fault.c — I/O faults on demand, for tests/e2e/faults.sh: an
 * LD_PRELOAD library (built as $(B)/libfault.so, never linked into the
 * tool) that makes one call of write, fsync, rename or read fail, as a
 * failing disk or a full one would.
 *
 * Only calls on files under ARCHIVE_FAULT_DIR (the store) count, so that
 * the loader, libmagic's database, the input and stderr are left alone.
 * Calls are numbered across the process and every child it forks (the
 * PDF and release workers): the counter lives in a shared anonymous
 * mapping made before main. Environment:
 *
 *   ARCHIVE_FAULT_DIR=/abs/store   which files count (required)
 *   ARCHIVE_FAULT_LOG=FILE         append "N op path" for every counted call
 *   ARCHIVE_FAULT=op:N:ERRNO       fail the Nth counted call of op (write,
 *                                  fsync, rename, read) with EIO or ENOSPC;
 *                                  the calls after it succeed again
 *
 * write covers write, pwrite and writev; fsync covers fdatasync; rename
 * covers renameat and renameat2; read covers pread. The real calls are made
 * through syscall(2) so that the shim never meets itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum { OP_WRITE, OP_FSYNC, OP_RENAME, OP_READ, OP_N };
static const char *const op_names[OP_N] = { "write", "fsync", "rename", "read" };

static const char *dir;
static size_t dir_len;
static const char *log_path;
static int fail_op = -1, fail_errno;
static long fail_at;
static long *counters; /* shared with forked children: one per op */

__attribute__((constructor)) static void fault_init(void)
{
	dir = getenv("ARCHIVE_FAULT_DIR");
	if (!dir || !*dir) {
		dir = NULL;
		return;
	}
	dir_len = strlen(dir);
	log_path = getenv("ARCHIVE_FAULT_LOG");
	counters = mmap(NULL, sizeof(long) * OP_N, PROT_READ | PROT_WRITE,
	                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counters == MAP_FAILED) {
		dir = NULL;
		return;
	}
	const char *f = getenv("ARCHIVE_FAULT");
	char op[16], err[16];
	if (f && sscanf(f, "%15[a-z]:%ld:%15[A-Z]", op, &fail_at, err) == 3) {
		for (int i = 0; i < OP_N; i++)
			if (strcmp(op, op_names[i]) == 0)
				fail_op = i;
		fail_errno = strcmp(err, "ENOSPC") == 0 ? ENOSPC : EIO;
	}
}

static bool under_dir(const char *path)
{
	return path && strncmp(path, dir, dir_len) == 0 && (path[dir_len] == '/' || !path[dir_len]);
}

/* The absolute path of a path argument (relative ones against the cwd). */
static bool path_counts(const char *path, char *abs, size_t n)
{
	if (path[0] == '/')
		snprintf(abs, n, "%s", path);
	else if (getcwd(abs, n)) {
		size_t l = strlen(abs);
		snprintf(abs + l, n - l, "/%s", path);
	} else
		return false;
	return under_dir(abs);
}

static bool fd_counts(int fd, char *abs, size_t n)
{
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t l = readlink(link, abs, n - 1);
	if (l < 0)
		return false;
	abs[l] = '\0';
	return under_dir(abs);
}

/* Count a call on path; true when it is the one to fail (errno is set). */
static bool fault_here(int op, const char *path)
{
	long n = __atomic_add_fetch(&counters[op], 1, __ATOMIC_SEQ_CST);
	if (log_path) {
		char line[PATH_MAX + 64];
		int len = snprintf(line, sizeof line, "%ld %s %s\n", n, op_names[op], path);
		int fd = (int)syscall(SYS_openat, AT_FDCWD, log_path,
		                      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			(void)syscall(SYS_write, fd, line, (size_t)len);
			(void)syscall(SYS_close, fd);
		}
	}
	if (op == fail_op && n == fail_at) {
		errno = fail_errno;
		return true;
	}
	return false;
}

static bool fd_fault(int op, int fd)
{
	char abs[PATH_MAX];
	return dir && fd_counts(fd, abs, sizeof abs) && fault_here(op, abs);
}

static bool path_fault(int op, int dirfd, const char *path)
{
	char abs[PATH_MAX];
	if (!dir || !path)
		return false;
	if (dirfd != AT_FDCWD && path[0] != '/') {
		if (!fd_counts(dirfd, abs, sizeof abs))
			return false;
		size_t l = strlen(abs);
		if (l + 1 + strlen(path) >= sizeof abs)
			return false;
		abs[l] = '/';
		memcpy(abs + l + 1, path, strlen(path) + 1);
		return fault_here(op, abs);
	}
	return path_counts(path, abs, sizeof abs) && fault_here(op, abs);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fd_fault(OP_WRITE, fd))
		return -1;
	return syscall(SYS_write, fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (fd_fault(OP_WRITE, fd))
		return -1;
	return syscall(SYS_pwrite64, fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) __attribute__((alias("pwrite")));

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	if (fd_fault(OP_WRITE, fd))
		return -1;
	return syscall(SYS_writev, fd, iov, cnt);
}

int fsync(int fd)
{
	if (fd_fault(OP_FSYNC, fd))
		return -1;
	return (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
	if (fd_fault(OP_FSYNC, fd))
		return -1;
	return (int)syscall(SYS_fdatasync, fd);
}

int rename(const char *from, const char *to)
{
	if (path_fault(OP_RENAME, AT_FDCWD, to))
		return -1;
	return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 0);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	if (path_fault(OP_RENAME, tofd, to))
		return -1;
	return (int)syscall(SYS_renameat2, fromfd, from, tofd, to, 0);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
	if (path_fault(OP_RENAME, tofd, to))
		return -1;
	return (int)syscall(SYS_renameat2, fromfd, from, tofd, to, flags);
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (fd_fault(OP_READ, fd))
		return -1;
	return syscall(SYS_read, fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	if (fd_fault(OP_READ, fd))
		return -1;
	return syscall(SYS_pread64, fd, buf, n, off);
}
ssize_t pread64(int fd, void *buf, size_t n, off_t off) __attribute__((alias("pread")));
