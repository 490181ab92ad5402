/*
 * scratch.c — the scratch file that targets taking a path (bag_verify)
 * write their input to. See fuzz.h.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

static char *dir;
static char path[4096];

/* The scratch file goes with the process (replays and fuzz runs alike). */
static void remove_dir(void)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;
	while (d && (n = g_dir_read_name(d))) {
		snprintf(path, sizeof path, "%s/%s", dir, n);
		unlink(path);
	}
	if (d)
		g_dir_close(d);
	rmdir(dir);
}

const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
	if (!dir) {
		GError *err = NULL;
		dir = g_dir_make_tmp("fuzz-XXXXXX", &err);
		if (!dir) {
			fprintf(stderr, "fuzz: %s\n", err->message);
			abort();
		}
		atexit(remove_dir);
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		abort();
	}
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0) {
			perror(path);
			abort();
		}
		data += n;
		size -= (size_t)n;
	}
	close(fd);
	return path;
}
