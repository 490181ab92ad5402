/*
 * core/filetype.c — libmagic behind a small object.
 */
#include "core/filetype.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <unistd.h>

struct filetype {
	magic_t cookie;
};

filetype *filetype_new(GError **err)
{
	/* MAGIC_ERROR: report read errors rather than guessing from nothing. */
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!m) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "libmagic");
		return NULL;
	}
	if (magic_load(m, NULL) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "libmagic: cannot load its database: %s",
		            magic_error(m));
		magic_close(m);
		return NULL;
	}
	/* Read at most 64 KiB of a file (libmagic's default is megabytes):
	 * every type we tell apart shows in its first bytes, and a PDF of
	 * several megabytes need not be read whole to be called one. The
	 * fixtures and the bench corpus are identified the same either way. */
	size_t bytes_max = 64 * 1024;
	if (magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "libmagic: cannot limit its read: %s",
		            magic_error(m));
		magic_close(m);
		return NULL;
	}
	filetype *ft = g_new0(filetype, 1);
	ft->cookie = m;
	return ft;
}

void filetype_free(filetype *ft)
{
	if (!ft)
		return;
	magic_close(ft->cookie);
	g_free(ft);
}

char *filetype_mime(filetype *ft, const char *path, GError **err)
{
	char *mime = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	const char *m = magic_descriptor(ft->cookie, fd);
	if (!m)
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: cannot identify: %s", path,
		            magic_error(ft->cookie));
	else
		mime = g_strdup(m);
	close(fd);
	return mime;
}
