/*
 * release/input.h — find the releases in the paths given to `archive ingest`.
 *
 * A PATH is (SPEC, "Input"):
 *  - a release directory: exactly one release document (*.txt, *.html,
 *    *.htm) at its top level; every other file in it and in its subfolders
 *    is an attachment (relative path kept);
 *  - a batch directory: no release document at its top level; each
 *    subdirectory is a release directory;
 *  - a release document file: its attachments are the files beside it
 *    sharing its stem (x.txt with x.pdf, x-1.pdf, x.hwp).
 * A directory with several release documents at its top level is read as
 * that many release document files (stem matching).
 *
 * Nothing is followed: symlinks, FIFOs, devices and sockets are listed in
 * `refused` (check input.file) and never opened. The caller owns the
 * returned array; its elements free themselves.
 */
#ifndef ARC_INPUT_H
#define ARC_INPUT_H

#include <stdbool.h>
#include <glib.h>

typedef enum {
	INPUT_REGULAR,
	INPUT_SYMLINK,
	INPUT_FIFO,
	INPUT_DEVICE,
	INPUT_SOCKET,
} input_kind;

typedef struct {
	char *rel;        /* path relative to the release's root, "sub/x.pdf" */
	char *path;       /* path to open */
	input_kind kind;
} input_file;

typedef struct {
	char *source;         /* the release as the user would name it: its
	                         directory, or its document file */
	char *name;           /* short name: directory name or document stem */
	char *root;           /* the directory the rel paths start from */
	input_file *doc;      /* the release document, or NULL when there is none */
	GPtrArray *attachments; /* input_file*: regular files, sorted by rel */
	GPtrArray *refused;     /* input_file*: links, FIFOs, devices, sockets */
	bool whole_dir;       /* the release is all of root (a release directory) */
} release_input;

/* Is name a release document's name (.txt, .html, .htm, any case)? */
bool input_is_release_doc(const char *name);

/* "symlink", "FIFO", "device", "socket" or "regular file". */
const char *input_kind_name(input_kind k);

/*
 * Add the releases found in path to releases (release_input*), in sorted
 * order. Files that belong to no release (beside several release documents
 * but sharing no stem, or loose in a batch directory) are added to stray
 * (char*: their paths). Fails with ARC_ERROR_INPUT when path does not exist
 * or cannot be read.
 */
bool input_collect(const char *path, GPtrArray *releases, GPtrArray *stray, GError **err);

void release_input_free(release_input *r);

#endif
