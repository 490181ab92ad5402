/*
 * core/filetype.h — identify a file by its content with libmagic, never by its
 * name and never through a symlink (the file is opened O_NOFOLLOW and
 * libmagic reads the descriptor).
 */
#ifndef ARC_FILETYPE_H
#define ARC_FILETYPE_H

#include <glib.h>

typedef struct filetype filetype;

filetype *filetype_new(GError **err);
void filetype_free(filetype *ft);

/* The MIME type ("application/pdf", "text/plain", "application/x-hwp"),
 * caller frees; NULL with err when the file cannot be read. */
char *filetype_mime(filetype *ft, const char *path, GError **err);

#endif
