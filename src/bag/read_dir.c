/*
 * bag/read_dir.c — an unpacked bag directory, walked in the order our bundles
 * have (so that it is hashed in one pass as a bundle is), links and devices
 * refused, never followed.
 */
#include "vctx.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Walk order: what decides how the rest is hashed first (bagit.txt,
 * bag-info.txt, the manifests), then the other tag files, then the
 * originals before their access copies, tag manifests last, as in our
 * bundles; sorted by name within each group so output is stable. */
static int dir_rank(const char *rel)
{
	bool tag;
	char *alg = NULL;
	int rank;
	if (strcmp(rel, "bagit.txt") == 0)
		rank = 0;
	else if (bag_is_info_file(rel))
		rank = 1;
	else if (bag_manifest_name(rel, &tag, &alg))
		rank = tag ? 6 : 2;
	else if (g_str_has_prefix(rel, "data/attachments/"))
		rank = 4;
	else if (g_str_has_prefix(rel, "data/"))
		rank = 5;
	else
		rank = 3;
	g_free(alg);
	return rank;
}

static int dir_cmp(gconstpointer a, gconstpointer b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = dir_rank(x), ry = dir_rank(y);
	return rx != ry ? rx - ry : strcmp(x, y);
}

static void walk(vctx *v, const char *root, const char *rel, GPtrArray *out)
{
	GError *err = NULL;
	char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
	GDir *d = g_dir_open(dir, 0, &err);
	if (!d) {
		PROBLEM(v, rel ? rel : v->path, "%s", err->message);
		g_error_free(err);
		g_free(dir);
		return;
	}
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	while ((n = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(n));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)dir_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		char *r = rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		char *full = g_build_filename(root, r, NULL);
		struct stat st;
		if (lstat(full, &st) != 0)
			PROBLEM(v, r, "%s", g_strerror(errno));
		else if (S_ISLNK(st.st_mode))
			PROBLEM(v, r, "symbolic link");
		else if (S_ISDIR(st.st_mode))
			walk(v, root, r, out);
		else if (!S_ISREG(st.st_mode))
			PROBLEM(v, r, "device or FIFO");
		else {
			g_ptr_array_add(out, r);
			r = NULL;
		}
		g_free(r);
		g_free(full);
	}
	g_ptr_array_unref(names);
	g_free(dir);
}

void bag_read_dir(vctx *v)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	walk(v, v->path, NULL, files);
	g_ptr_array_sort(files, dir_cmp);
	for (guint i = 0; i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		char *full = g_build_filename(v->path, rel, NULL);
		int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		bool complete = true;
		if (fd < 0 || fstat(fd, &st) != 0) {
			PROBLEM(v, rel, "%s", g_strerror(errno));
			goto next;
		}
		bag_entry_begin(v, rel);
		if (!bag_entry_needs_data(v)) {
			v->cur_rec->size = (uint64_t)st.st_size;
		} else {
			for (;;) {
				ssize_t n = read(fd, v->buf, CHUNK);
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0) {
					PROBLEM(v, rel, "read: %s", g_strerror(errno));
					complete = false;
					break;
				}
				if (n == 0)
					break;
				bag_entry_data(v, v->buf, (size_t)n);
			}
		}
		bag_entry_end(v, complete);
	next:
		if (fd >= 0)
			close(fd);
		g_free(full);
	}
	g_ptr_array_unref(files);
}

