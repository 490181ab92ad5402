/*
 * release/input.c — walking the input paths into releases, without following
 * anything that is not a regular file or a directory.
 */
#include "release/input.h"
#include "core/errors.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* A release directory nested deeper than this is a loop or an attack. */
#define MAX_DEPTH 32

bool input_is_release_doc(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name &&
	       (g_ascii_strcasecmp(dot, ".txt") == 0 || g_ascii_strcasecmp(dot, ".html") == 0 ||
	        g_ascii_strcasecmp(dot, ".htm") == 0);
}

const char *input_kind_name(input_kind k)
{
	switch (k) {
	case INPUT_SYMLINK: return "symlink";
	case INPUT_FIFO: return "FIFO";
	case INPUT_DEVICE: return "device";
	case INPUT_SOCKET: return "socket";
	case INPUT_REGULAR: break;
	}
	return "regular file";
}

static void input_file_free(gpointer p)
{
	input_file *f = p;
	if (!f)
		return;
	g_free(f->rel);
	g_free(f->path);
	g_free(f);
}

void release_input_free(release_input *r)
{
	if (!r)
		return;
	g_free(r->source);
	g_free(r->name);
	g_free(r->root);
	input_file_free(r->doc);
	g_ptr_array_unref(r->attachments);
	g_ptr_array_unref(r->refused);
	g_free(r);
}

static release_input *release_input_new(const char *source, const char *name, const char *root)
{
	release_input *r = g_new0(release_input, 1);
	r->source = g_strdup(source);
	r->name = g_strdup(name);
	r->root = g_strdup(root);
	r->attachments = g_ptr_array_new_with_free_func(input_file_free);
	r->refused = g_ptr_array_new_with_free_func(input_file_free);
	return r;
}

static input_file *input_file_new(const char *rel, const char *path, input_kind kind)
{
	input_file *f = g_new0(input_file, 1);
	f->rel = g_strdup(rel);
	f->path = g_strdup(path);
	f->kind = kind;
	return f;
}

/* One directory entry as lstat sees it. */
typedef struct {
	char *name;
	char *path;
	bool is_dir;
	bool is_regular;
	input_kind kind;
} dirent_info;

static void dirent_info_free(gpointer p)
{
	dirent_info *e = p;
	g_free(e->name);
	g_free(e->path);
	g_free(e);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	const dirent_info *x = *(dirent_info *const *)a, *y = *(dirent_info *const *)b;
	return strcmp(x->name, y->name);
}

static bool kind_of(const struct stat *st, input_kind *kind)
{
	if (S_ISREG(st->st_mode))
		*kind = INPUT_REGULAR;
	else if (S_ISLNK(st->st_mode))
		*kind = INPUT_SYMLINK;
	else if (S_ISFIFO(st->st_mode))
		*kind = INPUT_FIFO;
	else if (S_ISSOCK(st->st_mode))
		*kind = INPUT_SOCKET;
	else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		*kind = INPUT_DEVICE;
	else
		return false;
	return true;
}

/* The entries of dir, sorted by name (byte order, so runs are stable). */
static GPtrArray *list_dir(const char *dir, GError **err)
{
	GDir *d = g_dir_open(dir, 0, err);
	if (!d) {
		if (err && *err)
			(*err)->code = ARC_ERROR_INPUT;
		return NULL;
	}
	GPtrArray *out = g_ptr_array_new_with_free_func(dirent_info_free);
	const char *n;
	while ((n = g_dir_read_name(d))) {
		struct stat st;
		dirent_info *e = g_new0(dirent_info, 1);
		e->name = g_strdup(n);
		e->path = g_build_filename(dir, n, NULL);
		if (lstat(e->path, &st) != 0) {
			/* Vanished since readdir: nothing to archive, nothing lost. */
			dirent_info_free(e);
			continue;
		}
		e->is_dir = S_ISDIR(st.st_mode);
		e->is_regular = S_ISREG(st.st_mode);
		if (!e->is_dir && !kind_of(&st, &e->kind))
			e->kind = INPUT_DEVICE;
		g_ptr_array_add(out, e);
	}
	g_dir_close(d);
	g_ptr_array_sort(out, by_name);
	return out;
}

/* Every file under dir into r, with rel paths prefixed by prefix. */
static bool walk_release_dir(release_input *r, const char *dir, const char *prefix, int depth,
                             GError **err)
{
	if (depth > MAX_DEPTH) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: directories nested too deep", dir);
		return false;
	}
	GPtrArray *ents = list_dir(dir, err);
	if (!ents)
		return false;
	bool ok = true;
	for (guint i = 0; i < ents->len && ok; i++) {
		dirent_info *e = g_ptr_array_index(ents, i);
		char *rel = prefix ? g_build_filename(prefix, e->name, NULL) : g_strdup(e->name);
		if (e->is_dir)
			ok = walk_release_dir(r, e->path, rel, depth + 1, err);
		else if (!e->is_regular)
			g_ptr_array_add(r->refused, input_file_new(rel, e->path, e->kind));
		else if (!prefix && input_is_release_doc(e->name) && !r->doc)
			r->doc = input_file_new(rel, e->path, INPUT_REGULAR);
		else
			g_ptr_array_add(r->attachments, input_file_new(rel, e->path, INPUT_REGULAR));
		g_free(rel);
	}
	g_ptr_array_unref(ents);
	return ok;
}

static char *stem_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name ? g_strndup(name, (gsize)(dot - name)) : g_strdup(name);
}

/* Does file name belong to the release document with this stem:
 * "<stem>.<ext>" or "<stem>-<anything>"? */
static bool stem_matches(const char *stem, const char *name)
{
	size_t n = strlen(stem);
	return strncmp(name, stem, n) == 0 && (name[n] == '.' || name[n] == '-');
}

/*
 * Release document files in dir (docs: dirent_info* of the documents to
 * take; all: every entry of dir). Each other entry goes to the document
 * with the longest matching stem, so "x-1.txt" keeps "x-1.pdf" from "x.txt".
 */
static void collect_doc_files(const char *dir, GPtrArray *docs, GPtrArray *all,
                              GPtrArray *releases, GPtrArray *stray, bool claim_all)
{
	release_input **rel = g_new0(release_input *, docs->len);
	char **stems = g_new0(char *, docs->len);
	for (guint i = 0; i < docs->len; i++) {
		dirent_info *d = g_ptr_array_index(docs, i);
		stems[i] = stem_of(d->name);
		rel[i] = release_input_new(d->path, stems[i], dir);
		rel[i]->doc = input_file_new(d->name, d->path, INPUT_REGULAR);
	}
	for (guint k = 0; claim_all && k < all->len; k++) {
		dirent_info *e = g_ptr_array_index(all, k);
		if (e->is_dir || (e->is_regular && input_is_release_doc(e->name)))
			continue;
		int best = -1;
		for (guint i = 0; i < docs->len; i++)
			if (stem_matches(stems[i], e->name) &&
			    (best < 0 || strlen(stems[i]) > strlen(stems[best])))
				best = (int)i;
		if (best < 0) {
			if (stray)
				g_ptr_array_add(stray, g_strdup(e->path));
			continue;
		}
		input_file *f = input_file_new(e->name, e->path, e->kind);
		g_ptr_array_add(e->is_regular ? rel[best]->attachments : rel[best]->refused, f);
	}
	for (guint i = 0; i < docs->len; i++) {
		g_ptr_array_add(releases, rel[i]);
		g_free(stems[i]);
	}
	g_free(stems);
	g_free(rel);
}

static bool collect_dir(const char *path, GPtrArray *releases, GPtrArray *stray, bool batch_ok,
                        GError **err)
{
	GPtrArray *ents = list_dir(path, err);
	if (!ents)
		return false;
	bool ok = true;
	GPtrArray *docs = g_ptr_array_new();
	for (guint i = 0; i < ents->len; i++) {
		dirent_info *e = g_ptr_array_index(ents, i);
		if (e->is_regular && input_is_release_doc(e->name))
			g_ptr_array_add(docs, e);
	}
	if (docs->len == 1 || (docs->len == 0 && !batch_ok)) {
		/* A release directory (or a would-be one without a document:
		 * it fails release.readable rather than vanishing). */
		char *base = g_path_get_basename(path);
		release_input *r = release_input_new(path, base, path);
		r->whole_dir = true;
		g_free(base);
		ok = walk_release_dir(r, path, NULL, 0, err);
		if (ok)
			g_ptr_array_add(releases, r);
		else
			release_input_free(r);
	} else if (docs->len > 1) {
		collect_doc_files(path, docs, ents, releases, stray, true);
		for (guint i = 0; i < ents->len; i++) {
			dirent_info *e = g_ptr_array_index(ents, i);
			if (e->is_dir && stray)
				g_ptr_array_add(stray, g_strdup(e->path));
		}
	} else {
		/* A batch directory: each subdirectory is a release directory. */
		for (guint i = 0; i < ents->len && ok; i++) {
			dirent_info *e = g_ptr_array_index(ents, i);
			if (e->is_dir)
				ok = collect_dir(e->path, releases, stray, false, err);
			else if (stray)
				g_ptr_array_add(stray, g_strdup(e->path));
		}
	}
	g_ptr_array_unref(docs);
	g_ptr_array_unref(ents);
	return ok;
}

bool input_collect(const char *path, GPtrArray *releases, GPtrArray *stray, GError **err)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", path, g_strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(path, releases, stray, true, err);
	if (!S_ISREG(st.st_mode)) {
		input_kind k = INPUT_DEVICE;
		kind_of(&st, &k);
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: is a %s, not a release (never followed)",
		            path, input_kind_name(k));
		return false;
	}
	if (!input_is_release_doc(path)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: not a release document (.txt, .html or .htm) or directory", path);
		return false;
	}
	/* A release document file: its siblings sharing its stem attach to it. */
	char *dir = g_path_get_dirname(path);
	GPtrArray *ents = list_dir(dir, err);
	if (!ents) {
		g_free(dir);
		return false;
	}
	char *base = g_path_get_basename(path);
	GPtrArray *docs = g_ptr_array_new();
	GPtrArray *siblings = g_ptr_array_new();
	char *stem = stem_of(base);
	for (guint i = 0; i < ents->len; i++) {
		dirent_info *e = g_ptr_array_index(ents, i);
		if (strcmp(e->name, base) == 0)
			g_ptr_array_add(docs, e);
		/* Other documents compete for siblings: "x-1.txt" keeps "x-1.pdf". */
		else if (e->is_regular && input_is_release_doc(e->name) && stem_matches(stem, e->name))
			g_ptr_array_add(docs, e);
		g_ptr_array_add(siblings, e);
	}
	GPtrArray *found = g_ptr_array_new();
	collect_doc_files(dir, docs, siblings, found, NULL, true);
	for (guint i = 0; i < found->len; i++) {
		release_input *r = g_ptr_array_index(found, i);
		if (strcmp(r->doc->rel, base) == 0)
			g_ptr_array_add(releases, r);
		else
			release_input_free(r);
	}
	g_ptr_array_unref(found);
	g_ptr_array_unref(siblings);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(ents);
	g_free(stem);
	g_free(base);
	g_free(dir);
	return true;
}
