/*
 * store/store.c — the store's folders, its lock, atomic publication of bundles
 * and quarantine copies.
 *
 * Crash safety rests on one rule: nothing is created in bundles/ or
 * quarantine/ directly. It is written under tmp/, flushed with fsync, and
 * linked or renamed into place; then the directory is flushed. A crash
 * leaves at worst debris in tmp/, which the next locked run removes.
 */
#include "store/store.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/testhook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct store {
	char *dir;
	char *tmp;
	bool own_tmp; /* tmp is store_open_dry's, removed at close */
	int lock_fd;
	GHashTable *groups;   /* archive.conf: group → (key → trimmed value) */
};



store *store_open(const char *dir, bool create, GError **err)
{
	struct stat st;
	store *s = g_new0(store, 1);
	s->lock_fd = -1;
	s->dir = g_strdup(dir);
	s->tmp = g_build_filename(dir, "tmp", NULL);
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT || !create) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: cannot open store: %s", dir,
			            g_strerror(errno));
			goto fail;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: not a directory", dir);
		goto fail;
	}
	if (create) {
		const char *sub[] = { "bundles", "quarantine", "tmp" };
		for (size_t i = 0; i < G_N_ELEMENTS(sub); i++) {
			char *p = g_build_filename(dir, sub[i], NULL);
			bool ok = disk_mkdir_p(p, err);
			g_free(p);
			if (!ok)
				goto fail;
		}
	}
	char *conf = g_build_filename(dir, "archive.conf", NULL);
	if (g_file_test(conf, G_FILE_TEST_EXISTS)) {
		GError *e = NULL;
		GKeyFile *kf = g_key_file_new();
		if (!g_key_file_load_from_file(kf, conf, G_KEY_FILE_NONE, &e)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", conf, e->message);
			g_error_free(e);
			g_key_file_free(kf);
			g_free(conf);
			goto fail;
		}
		s->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                                  (GDestroyNotify)g_hash_table_unref);
		char **groups = g_key_file_get_groups(kf, NULL);
		for (char **gr = groups; gr && *gr; gr++) {
			GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			char **keys = g_key_file_get_keys(kf, *gr, NULL, NULL);
			for (char **k = keys; k && *k; k++) {
				char *v = g_key_file_get_string(kf, *gr, *k, NULL);
				if (v)
					g_hash_table_insert(t, g_strdup(*k), g_strstrip(v));
			}
			g_strfreev(keys);
			g_hash_table_insert(s->groups, g_strdup(*gr), t);
		}
		g_strfreev(groups);
		g_key_file_free(kf);
	}
	g_free(conf);
	return s;
fail:
	store_close(s);
	return NULL;
}

char *store_peek_config(const char *dir, const char *group, const char *key, GError **err)
{
	char *conf = g_build_filename(dir, "archive.conf", NULL);
	char *v = NULL;
	GError *e = NULL;
	GKeyFile *kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, conf, G_KEY_FILE_NONE, &e)) {
		if (!g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", conf, e->message);
	} else if ((v = g_key_file_get_string(kf, group, key, NULL))) {
		g_strstrip(v);
	}
	g_clear_error(&e);
	g_key_file_free(kf);
	g_free(conf);
	return v;
}

store *store_open_dry(const char *dir, GError **err)
{
	store *s = NULL;
	GError *e = NULL;
	if (g_file_test(dir, G_FILE_TEST_EXISTS) && !(s = store_open(dir, false, err)))
		return NULL;
	if (!s) {
		s = g_new0(store, 1);
		s->lock_fd = -1;
		s->dir = g_strdup(dir);
	}
	g_free(s->tmp);
	if (!(s->tmp = g_dir_make_tmp("archive-dry-run-XXXXXX", &e))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "cannot make a work folder: %s",
		            e->message);
		g_error_free(e);
		store_close(s);
		return NULL;
	}
	s->own_tmp = true;
	return s;
}

void store_close(store *s)
{
	if (!s)
		return;
	if (s->own_tmp && s->tmp)
		disk_remove_tree(s->tmp);
	if (s->lock_fd >= 0)
		close(s->lock_fd); /* releases the flock */
	if (s->groups)
		g_hash_table_unref(s->groups);
	g_free(s->dir);
	g_free(s->tmp);
	g_free(s);
}

const char *store_dir(const store *s) { return s->dir; }

GHashTable *store_config_group(const store *s, const char *group)
{
	return s->groups ? g_hash_table_lookup(s->groups, group) : NULL;
}

const char *store_config(const store *s, const char *key)
{
	GHashTable *t = store_config_group(s, "defaults");
	return t ? g_hash_table_lookup(t, key) : NULL;
}


bool store_lock(store *s, GError **err)
{
	char *p = g_build_filename(s->dir, "lock", NULL);
	bool ok = false;
	s->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, p);
		goto out;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			g_set_error(err, ARC_ERROR, ARC_ERROR_LOCKED,
			            "%s: the store is locked by another run", s->dir);
		else
			arc_set_errno(err, ARC_ERROR_STORE, errno, p);
		close(s->lock_fd);
		s->lock_fd = -1;
		goto out;
	}
	/* We hold the lock: whatever is in tmp/ is debris of a crashed run.
	 * Debris that cannot be removed is said, not left to pile up. */
	GError *e = NULL;
	GDir *d = g_dir_open(s->tmp, 0, &e);
	const char *n;
	ok = d || g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	if (!ok)
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s", e->message);
	g_clear_error(&e);
	while (ok && d && (n = g_dir_read_name(d))) {
		char *t = g_build_filename(s->tmp, n, NULL);
		ok = disk_remove_tree_checked(t, err);
		g_free(t);
	}
	if (d)
		g_dir_close(d);
	if (!ok) {
		close(s->lock_fd);
		s->lock_fd = -1;
	}
out:
	g_free(p);
	return ok;
}

char *store_make_tmpdir(store *s, GError **err)
{
	if (!disk_mkdir_p(s->tmp, err))
		return NULL;
	char *t = g_build_filename(s->tmp, "run-XXXXXX", NULL);
	if (!g_mkdtemp(t)) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, t);
		g_free(t);
		return NULL;
	}
	return t;
}

bool store_check_tmpdir(const store *s, const char *path, GError **err)
{
	static const char prefix[] = "run-";
	size_t tl = strlen(s->tmp), pl = sizeof prefix - 1;
	const char *name = path + tl + 1;
	bool ok = strncmp(path, s->tmp, tl) == 0 && path[tl] == '/' &&
	          strncmp(name, prefix, pl) == 0 && strlen(name) == pl + 6;
	for (size_t i = pl; ok && i < pl + 6; i++)
		ok = g_ascii_isalnum(name[i]);
	struct stat st;
	/* The name alone would pass a link planted there; lstat does not. */
	if (ok && (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
		ok = false;
	if (!ok)
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s: not a work folder of this store (%s/run-XXXXXX)", path, s->tmp);
	return ok;
}

char *store_bundle_path(const store *s, const char *id)
{
	char year[5];
	g_strlcpy(year, id, sizeof year);
	char *name = g_strconcat(id, ".tar.gz", NULL);
	char *p = g_build_filename(s->dir, "bundles", year, name, NULL);
	g_free(name);
	return p;
}

bool store_has_bundle(const store *s, const char *id)
{
	char *p = store_bundle_path(s, id);
	bool yes = g_file_test(p, G_FILE_TEST_EXISTS);
	g_free(p);
	return yes;
}


bool store_publish_bundle(store *s, const char *tmp_path, const char *id,
                          const char *bundle_sha256, char **final_path, GError **err)
{
	bool ok = false;
	char *final = store_bundle_path(s, id);
	char *dir = g_path_get_dirname(final);
	char *sidecar = g_strconcat(final, ".sha256", NULL);
	char *tmp_sidecar = g_strconcat(tmp_path, ".sha256", NULL);
	char *line = g_strdup_printf("%s  %s.tar.gz\n", bundle_sha256, id);

	if (!disk_fsync(tmp_path, err))
		goto out;
	testhook_crash_point("store.tmp_fsynced");
	if (!disk_write_new(tmp_sidecar, line, strlen(line), true, err))
		goto out;
	testhook_crash_point("store.tmp_sidecar_written");
	if (!disk_mkdir_p(dir, err))
		goto out;
	/* The sidecar goes first, so that a visible bundle always has one; a
	 * crash in between leaves an orphan sidecar, which the next run removes.
	 * We hold the lock: nobody else can take the name between the test and
	 * the link. */
	if (g_file_test(final, G_FILE_TEST_EXISTS)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", final, g_strerror(EEXIST));
		goto out;
	}
	if (rename(tmp_sidecar, sidecar) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, sidecar);
		goto out;
	}
	testhook_crash_point("store.sidecar_renamed");
	/* link() refuses to replace: a bundle, once there, is never overwritten. */
	if (link(tmp_path, final) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", final, g_strerror(errno));
		unlink(sidecar);
		goto out;
	}
	testhook_crash_point("store.bundle_linked");
	unlink(tmp_path);
	testhook_crash_point("store.tmp_unlinked");
	if (!disk_fsync(dir, err))
		goto out;
	testhook_crash_point("store.dir_fsynced");
	*final_path = g_steal_pointer(&final);
	ok = true;
out:
	unlink(tmp_sidecar);
	g_free(final);
	g_free(dir);
	g_free(sidecar);
	g_free(tmp_sidecar);
	g_free(line);
	return ok;
}

/* Copy the regular file name in the directory open as at (src names it)
 * byte for byte, never through a link, and fsync the copy. What cannot be
 * read is an input error. */
static bool copy_file_at(int at, const char *name, const char *src, const char *dst,
                         GError **err)
{
	bool ok = false;
	char buf[1 << 16];
	struct stat st;
	/* O_NONBLOCK: a FIFO swapped in must not hang the run; fstat then
	 * refuses it. */
	int in = openat(at, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int out = -1;
	if (in < 0 || fstat(in, &st) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", src, g_strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: is no longer a regular file (replaced while being read)", src);
		goto done;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dst);
		goto done;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", src, g_strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				arc_set_errno(err, ARC_ERROR_STORE, errno, dst);
				goto done;
			}
			off += w;
		}
	}
	if (fsync(out) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dst);
		goto done;
	}
	ok = true;
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && ok) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, dst);
		ok = false;
	}
	return ok;
}

static bool copy_tree_at(int fd, const char *src, const char *dst_root, const char *rel,
                         GError **err);

/*
 * Copy the entry name of the directory open as at (AT_FDCWD: name is a
 * path; src names it in errors) to dst_root/rel: a folder with all it
 * holds, a regular file, a link as a link; FIFOs, devices and sockets are
 * left out. Nothing is followed: each folder is opened with O_NOFOLLOW and
 * read through its descriptor, so a link swapped in for it since the look
 * is refused, not copied from.
 */
static bool copy_entry_at(int at, const char *name, const char *src, const char *dst_root,
                          const char *rel, GError **err)
{
	bool ok = false;
	struct stat st;
	char target[PATH_MAX];
	char *dst = g_build_filename(dst_root, rel, NULL);
	char *parent = g_path_get_dirname(dst);
	if (!disk_mkdir_p(parent, err))
		goto out;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		/* Vanished: it cannot be kept, but it was never ours to lose. */
		ok = errno == ENOENT;
		if (!ok)
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: cannot be copied to quarantine: %s",
			            src, g_strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		int fd = disk_open_dir_at(at, name, src, ARC_ERROR_INPUT, err);
		if (fd >= 0 && !disk_mkdir_p(dst, err)) {
			close(fd);
			fd = -1;
		}
		ok = fd >= 0 && copy_tree_at(fd, src, dst_root, rel, err);
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(at, name, target, sizeof target);
		if (n < 0 || (size_t)n >= sizeof target) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: cannot be copied to quarantine: %s",
			            src, n < 0 ? g_strerror(errno) : g_strerror(ENAMETOOLONG));
			goto out;
		}
		target[n] = '\0';
		ok = symlink(target, dst) == 0;
		if (!ok)
			arc_set_errno(err, ARC_ERROR_STORE, errno, dst);
	} else if (S_ISREG(st.st_mode)) {
		GError *e = NULL;
		ok = copy_file_at(at, name, src, dst, &e);
		/* Unreadable (no permission) or gone: it cannot be kept, and the
		 * release's input.file check already names it. Only a store that
		 * cannot be written stops the quarantine. */
		if (!ok && e->domain == ARC_ERROR && e->code == ARC_ERROR_INPUT) {
			unlink(dst);
			g_clear_error(&e);
			ok = true;
		}
		if (e)
			g_propagate_error(err, e);
	} else {
		ok = true; /* a FIFO, device or socket: left out, never opened */
	}
out:
	g_free(parent);
	g_free(dst);
	return ok;
}

/* Copy everything in the directory open as fd (src names it; fd is taken
 * and closed) into dst_root/rel. A folder that cannot be read fails the
 * copy, naming it: a quarantine without it would pass for the release. */
static bool copy_tree_at(int fd, const char *src, const char *dst_root, const char *rel,
                         GError **err)
{
	bool ok = false;
	DIR *d = fdopendir(fd);
	if (!d) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: cannot be copied to quarantine: %s", src,
		            g_strerror(errno));
		close(fd);
		goto out;
	}
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			if (errno) {
				g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
				            "%s: cannot be copied to quarantine: %s", src, g_strerror(errno));
				goto out;
			}
			break;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *p = g_build_filename(src, e->d_name, NULL);
		char *r = rel ? g_build_filename(rel, e->d_name, NULL) : g_strdup(e->d_name);
		bool copied = copy_entry_at(dirfd(d), e->d_name, p, dst_root, r, err);
		g_free(p);
		g_free(r);
		if (!copied)
			goto out;
	}
	ok = true;
out:
	if (d)
		closedir(d);
	return ok;
}

/*
 * The n-th candidate name for a quarantine folder: base, then "base-2"...
 * within NAME_MAX bytes. A release folder may legally be named with 255
 * bytes; its second quarantine must not fail with ENAMETOOLONG, which
 * would stop the whole run. The cut never splits a UTF-8 character.
 */
static char *quarantine_name(const char *base, int n)
{
	char suffix[16] = "";
	if (n > 1)
		snprintf(suffix, sizeof suffix, "-%d", n);
	size_t keep = strlen(base), max = NAME_MAX - strlen(suffix);
	if (keep > max) {
		keep = max;
		while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80)
			keep--;
	}
	return g_strdup_printf("%.*s%s", (int)keep, base, suffix);
}

bool store_quarantine(store *s, const release_input *r, const char *reason_json, char **qdir,
                      GError **err)
{
	bool ok = false;
	char *work = store_make_tmpdir(s, err);
	char *stage = NULL, *release = NULL, *qroot = NULL, *target = NULL;
	if (!work)
		return false;
	stage = g_build_filename(work, "q", NULL);
	/* The release goes into a folder of its own, reason.json beside it:
	 * a release may hold any file name, reason.json too, and no name of
	 * ours put among its files could be sure not to clash (a clash made
	 * the exclusive create fail, which stopped the whole batch). */
	release = g_build_filename(stage, STORE_QUARANTINE_RELEASE, NULL);
	if (!disk_mkdir_p(release, err))
		goto out;
	if (r->whole_dir) {
		/* input_collect took no link for a release folder: none now. */
		int fd = disk_open_dir_at(AT_FDCWD, r->root, r->root, ARC_ERROR_INPUT, err);
		if (fd < 0 || !copy_tree_at(fd, r->root, release, NULL, err))
			goto out;
	} else {
		if (r->doc &&
		    !copy_entry_at(AT_FDCWD, r->doc->path, r->doc->path, release, r->doc->rel, err))
			goto out;
		const GPtrArray *lists[] = { r->attachments, r->refused };
		for (size_t l = 0; l < 2; l++)
			for (guint i = 0; i < lists[l]->len; i++) {
				const input_file *f = g_ptr_array_index(lists[l], i);
				if ((f->kind == INPUT_REGULAR || f->kind == INPUT_SYMLINK) &&
				    !copy_entry_at(AT_FDCWD, f->path, f->path, release, f->rel, err))
					goto out;
			}
	}
	char *reason = g_build_filename(stage, STORE_QUARANTINE_REASON, NULL);
	/* The files are flushed as they are copied; their folders' entries
	 * before the rename makes them visible. */
	ok = disk_write_new(reason, reason_json, strlen(reason_json), true, err) &&
	     disk_fsync_tree(stage, err);
	g_free(reason);
	if (!ok)
		goto out;
	testhook_crash_point("store.quarantine_copied");
	ok = false;
	qroot = g_build_filename(s->dir, "quarantine", NULL);
	if (!disk_mkdir_p(qroot, err))
		goto out;
	/* The name comes from the input: never let it climb out of quarantine/. */
	const char *base = r->name;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strchr(base, '/'))
		base = "release";
	for (int n = 1; n < 10000; n++) {
		char *name = quarantine_name(base, n);
		g_free(target);
		target = g_build_filename(qroot, name, NULL);
		g_free(name);
		/* rename() onto an existing empty directory would succeed, so a
		 * taken name is tested with mkdir's atomic EEXIST first. */
		if (mkdir(target, 0755) != 0) {
			if (errno == EEXIST)
				continue;
			arc_set_errno(err, ARC_ERROR_STORE, errno, target);
			goto out;
		}
		if (rename(stage, target) != 0) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, target);
			rmdir(target);
			goto out;
		}
		testhook_crash_point("store.quarantine_renamed");
		ok = disk_fsync(qroot, err);
		break;
	}
	if (!ok && !(err && *err))
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: no free quarantine name", base);
	if (ok)
		*qdir = g_steal_pointer(&target);
out:
	disk_remove_tree(work);
	g_free(work);
	g_free(stage);
	g_free(release);
	g_free(qroot);
	g_free(target);
	return ok;
}

static gint strcmp_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir (sorted; NULL when it cannot be read) that end in
 * suffix, or every name when suffix is NULL. */
static GPtrArray *sorted_names(const char *dir, const char *suffix)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	while ((n = g_dir_read_name(d)))
		if (!suffix || g_str_has_suffix(n, suffix))
			g_ptr_array_add(names, g_strdup(n));
	g_dir_close(d);
	g_ptr_array_sort(names, strcmp_ptr);
	return names;
}

bool store_each_folder(const char *store_dir, const char *suffix, store_folder_fn fn, void *arg)
{
	char *bundles = g_build_filename(store_dir, "bundles", NULL);
	GPtrArray *years = sorted_names(bundles, NULL);
	bool go = true;
	for (guint i = 0; go && years && i < years->len; i++) {
		const char *y = g_ptr_array_index(years, i);
		char *yd = g_build_filename(bundles, y, NULL);
		GPtrArray *names = sorted_names(yd, suffix);
		g_free(yd);
		if (names) {
			char *rel = g_build_filename("bundles", y, NULL);
			go = fn(rel, names, arg);
			g_free(rel);
			g_ptr_array_unref(names);
		}
	}
	if (years)
		g_ptr_array_unref(years);
	g_free(bundles);
	return go;
}

typedef struct {
	store_file_fn fn;
	void *arg;
} each_file;

static bool each_file_in(const char *folder, GPtrArray *names, void *arg)
{
	each_file *x = arg;
	bool go = true;
	for (guint j = 0; go && j < names->len; j++) {
		char *rel = g_build_filename(folder, g_ptr_array_index(names, j), NULL);
		go = x->fn(rel, x->arg);
		g_free(rel);
	}
	return go;
}

bool store_each_file(const char *store_dir, const char *suffix, store_file_fn fn, void *arg)
{
	each_file x = { fn, arg };
	return store_each_folder(store_dir, suffix, each_file_in, &x);
}

static bool count_one(const char *rel, void *arg)
{
	(void)rel;
	++*(unsigned *)arg;
	return true;
}

unsigned store_count_bundles(const char *store_dir)
{
	unsigned n = 0;
	store_each_file(store_dir, ".tar.gz", count_one, &n);
	return n;
}

char *store_sidecar_sha256(const char *bundle_path)
{
	char *p = g_strconcat(bundle_path, ".sha256", NULL), *s = NULL, *hex = NULL;
	if (g_file_get_contents(p, &s, NULL, NULL) && strlen(s) >= 64)
		hex = g_strndup(s, 64);
	g_free(s);
	g_free(p);
	return hex;
}
