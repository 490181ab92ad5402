/*
 * log/translog.c — the audit log as a transparency log (translog.h).
 */
#include "log/translog.h"
#include "store/audit.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/testhook.h"
#include "log/merkle.h"
#include "log/note.h"
#include "log/tiles.h"
#include "log/tsa.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Leaves appended per tlog_tiles_append: a tile's worth, or fewer when
 * their lines come to APPEND_CHUNK_BYTES (disposal proposals are lines of
 * up to 64 kB: 256 of them held twice, here and in the tile being
 * filled, would be 32 MB). */
#define APPEND_CHUNK 256
#define APPEND_CHUNK_BYTES (1024 * 1024)

char *translog_key_path(const char *store_dir, const char *conf_key)
{
	return conf_key && *conf_key ? g_strdup(conf_key)
	                             : g_build_filename(store_dir, TRANSLOG_KEY_DEFAULT, NULL);
}

static char *log_file(const char *store_dir, const char *name)
{
	return g_build_filename(store_dir, "log", name, NULL);
}

/* Replace path with data[0..len): a temporary file beside it, flushed,
 * renamed, the folder flushed. */
static bool replace_bytes(const char *path, const char *data, size_t len, mode_t mode, GError **err)
{
	char *tmp = g_strconcat(path, ".tmp", NULL);
	char *dir = g_path_get_dirname(path);
	unlink(tmp);
	bool ok = disk_write_new(tmp, data, len, true, err);
	if (ok && chmod(tmp, mode) != 0)
		ok = (arc_set_errno(err, ARC_ERROR_STORE, errno, tmp), false);
	if (ok && rename(tmp, path) != 0)
		ok = (arc_set_errno(err, ARC_ERROR_STORE, errno, path), false);
	ok = ok && disk_fsync(dir, err);
	if (!ok)
		unlink(tmp);
	g_free(dir);
	g_free(tmp);
	return ok;
}

static bool replace_file(const char *path, const char *data, mode_t mode, GError **err)
{
	return replace_bytes(path, data, strlen(data), mode, err);
}

static char *read_text(const char *path, GError **err)
{
	char *s = NULL;
	GError *e = NULL;
	if (!g_file_get_contents(path, &s, NULL, &e)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %s", path, e->message);
		g_error_free(e);
	}
	return s;
}

bool translog_key_generate(const char *path, const char *name, bool witness, char **verifier,
                           GError **err)
{
	char *made = NULL;
	if (!name) {
		unsigned char r[8];
		if (RAND_bytes(r, sizeof r) != 1) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "no random bytes for a key name");
			return false;
		}
		made = g_strdup_printf("%s/%02x%02x%02x%02x%02x%02x%02x%02x",
		                       witness ? "witness.local" : "archive.local", r[0], r[1], r[2],
		                       r[3], r[4], r[5], r[6], r[7]);
		name = made;
	}
	char *skey = NULL, *line = NULL;
	bool ok = false;
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: a key is there already; not replaced",
		            path);
		goto out;
	}
	if (!note_key_generate(name, witness, &skey, verifier, err))
		goto out;
	line = g_strconcat(skey, "\n", NULL);
	/* Made 0600 before a byte of the key is in it. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	ssize_t n = write(fd, line, strlen(line));
	int e = n < 0 ? errno : n != (ssize_t)strlen(line) ? EIO : fsync(fd) != 0 ? errno : 0;
	if (e) {
		arc_set_errno(err, ARC_ERROR_STORE, e, path);
		close(fd);
		unlink(path);
		goto out;
	}
	close(fd);
	ok = true;
out:
	if (skey)
		memset(skey, 0, strlen(skey));
	if (line)
		memset(line, 0, strlen(line));
	g_free(skey);
	g_free(line);
	g_free(made);
	if (!ok && verifier)
		g_clear_pointer(verifier, g_free);
	return ok;
}

/* The signer key at path; the default one made when missing. */
static note_signer *load_signer(const char *store_dir, const char *key_path, bool *made,
                                GError **err)
{
	char *deflt = translog_key_path(store_dir, NULL);
	*made = false;
	if (strcmp(deflt, key_path) == 0 && !g_file_test(key_path, G_FILE_TEST_EXISTS)) {
		char *v = NULL;
		if (!translog_key_generate(key_path, NULL, false, &v, err)) {
			g_free(deflt);
			return NULL;
		}
		g_free(v);
		*made = true;
	}
	g_free(deflt);
	char *text = read_text(key_path, err);
	note_signer *s = text ? note_signer_parse(text, err) : NULL;
	if (text)
		memset(text, 0, strlen(text));
	g_free(text);
	if (!s && err && *err && (*err)->code != ARC_ERROR_STORE)
		(*err)->code = ARC_ERROR_STORE; /* a bad key is the store's trouble */
	return s;
}

/* The checkpoint's size and origin, 0 and NULL when there is none. */
static bool stored_checkpoint(const char *store_dir, uint64_t *size, char **origin,
                              merkle_hash root, GError **err)
{
	char *path = log_file(store_dir, "checkpoint");
	*size = 0;
	*origin = NULL;
	bool ok = true;
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		char *note = read_text(path, err), *text = NULL;
		GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
		ok = note && note_split(note, &text, sigs, err) &&
		     checkpoint_parse(text, origin, size, root, err);
		if (!ok && err && *err) {
			char *m = g_strdup_printf("%s: %s", path, (*err)->message);
			g_free((*err)->message);
			(*err)->message = m;
			(*err)->code = ARC_ERROR_STORE;
		}
		g_ptr_array_unref(sigs);
		g_free(text);
		g_free(note);
	}
	g_free(path);
	return ok;
}

/* The root of the leaves seen so far, kept as the complete subtrees of
 * their count (RFC 6962: O(log n) hashes, the whole log streamed once). */
typedef struct {
	merkle_hash h[64];
	int height[64];
	int top;
} compact_range;

static void range_add(compact_range *r, const char *line)
{
	merkle_hash h;
	int height = 0;
	merkle_leaf_hash(line, strlen(line), h);
	while (r->top > 0 && r->height[r->top - 1] == height) {
		merkle_node_hash(r->h[r->top - 1], h, h);
		r->top--;
		height++;
	}
	memcpy(r->h[r->top], h, sizeof h);
	r->height[r->top++] = height;
}

static void range_root(const compact_range *r, merkle_hash root)
{
	if (!r->top) {
		merkle_empty_root(root);
		return;
	}
	memcpy(root, r->h[r->top - 1], sizeof(merkle_hash));
	for (int i = r->top - 2; i >= 0; i--)
		merkle_node_hash(r->h[i], root, root);
}

typedef struct {
	tlog_tiles *t;
	uint64_t from;     /* leaves already stored */
	uint64_t n;        /* lines seen */
	compact_range prefix; /* of the first `from` lines */
	GPtrArray *chunk;  /* char*: lines to append */
	size_t chunk_bytes; /* their length */
	GError **err;
	bool failed;
} sync_ctx;

static bool flush_chunk(sync_ctx *x)
{
	if (!x->chunk->len)
		return true;
	size_t *lens = g_new(size_t, x->chunk->len);
	for (guint i = 0; i < x->chunk->len; i++)
		lens[i] = strlen(g_ptr_array_index(x->chunk, i));
	bool ok = tlog_tiles_append(x->t, (const char *const *)x->chunk->pdata, lens, x->chunk->len,
	                            x->err);
	g_free(lens);
	g_ptr_array_set_size(x->chunk, 0);
	x->chunk_bytes = 0;
	if (ok)
		testhook_crash_point("translog.appended");
	return ok;
}

static bool sync_line(const char *line, void *arg)
{
	sync_ctx *x = arg;
	if (x->n++ < x->from) {
		range_add(&x->prefix, line);
		return true;
	}
	g_ptr_array_add(x->chunk, g_strdup(line));
	x->chunk_bytes += strlen(line);
	if ((x->chunk->len >= APPEND_CHUNK || x->chunk_bytes >= APPEND_CHUNK_BYTES) &&
	    !flush_chunk(x)) {
		x->failed = true;
		return false;
	}
	return true;
}

/*
 * Time-stamp log/checkpoint (its bytes as stored, what `openssl ts -verify
 * -data` hashes) into log/checkpoint.tsr and log/tsr/<size>.tsr, unless
 * log/checkpoint.tsr is for it already: so a run after one whose TSA was
 * down stamps the checkpoint it left, new lines or not. The copy is
 * written first: checkpoint.tsr present and current means both are there.
 * Returns why it could not be done, or NULL.
 */
static char *stamp_checkpoint(const char *store_dir, const char *url, uint64_t size)
{
	char *cp = log_file(store_dir, "checkpoint"), *tsr = log_file(store_dir, "checkpoint.tsr");
	char *tdir = log_file(store_dir, "tsr");
	char *name = g_strdup_printf("%" G_GUINT64_FORMAT ".tsr", size);
	char *copy = g_build_filename(tdir, name, NULL), *note = NULL, *old = NULL, *why = NULL;
	gsize note_len = 0, old_len = 0;
	GBytes *reply = NULL;
	GError *e = NULL;
	if (!g_file_get_contents(cp, &note, &note_len, &e))
		goto out;
	if (g_file_get_contents(tsr, &old, &old_len, NULL)) {
		GBytes *b = g_bytes_new_take(old, old_len);
		bool current = tsa_reply_covers(b, note, note_len);
		g_bytes_unref(b);
		if (current)
			goto out;
	}
	if (!(reply = tsa_timestamp(url, note, note_len, &e)))
		goto out;
	gsize len = 0;
	const char *der = g_bytes_get_data(reply, &len);
	if (disk_mkdir_p(tdir, &e) && replace_bytes(copy, der, len, 0644, &e))
		replace_bytes(tsr, der, len, 0644, &e);
out:
	if (e)
		why = g_strdup(e->message);
	g_clear_error(&e);
	if (reply)
		g_bytes_unref(reply);
	g_free(note);
	g_free(copy);
	g_free(name);
	g_free(tdir);
	g_free(tsr);
	g_free(cp);
	return why;
}

typedef struct {
	merkle_hash leaf; /* the tree's last leaf */
} covered_ctx;

static bool is_last_leaf(const char *line, void *arg)
{
	const covered_ctx *x = arg;
	merkle_hash h;
	merkle_leaf_hash(line, strlen(line), h);
	return memcmp(h, x->leaf, sizeof h) == 0;
}

/*
 * Where the lines the checkpoint (size leaves, root) covers end in
 * audit.log, found from its end: past the last line that is the tree's
 * last leaf. That line carries the SHA-256 of the line before it, and so
 * on back to the first: it stands for the history signed before, and the
 * lines after it chain on to it, so a run appends them without reading
 * the whole log again (log verify and store verify read all of it). -1
 * when there is no such line (removed, or changed with every line after
 * it): the caller reads the log from the start and says what is wrong.
 * The tiles must make the checkpoint's root, or nothing is signed.
 */
static bool find_covered(const char *store_dir, tlog_tiles *t, uint64_t size,
                         const merkle_hash root, off_t *from, GError **err)
{
	*from = -1;
	merkle_hash tiles_root;
	covered_ctx x;
	if (!merkle_tree_hash(size, tlog_tiles_hash, t, tiles_root, err) ||
	    !tlog_tiles_hash(t, 0, size - 1, x.leaf, err))
		return false;
	if (memcmp(tiles_root, root, sizeof tiles_root) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s/log/tile: the tiles do not make the checkpoint's root: the log was "
		            "changed; not signed (archive log verify)",
		            store_dir);
		return false;
	}
	return audit_find_back(store_dir, is_last_leaf, &x, from, err);
}

bool translog_sync(const char *store_dir, const char *key_path, const char *tsa_url,
                   translog_result *r, GError **err)
{
	memset(r, 0, sizeof *r);
	char *dir = g_build_filename(store_dir, "log", NULL);
	char *origin = NULL, *body = NULL, *note = NULL, *cp = log_file(store_dir, "checkpoint");
	char *vpath = log_file(store_dir, "verifier.key"), *vkey = NULL;
	merkle_hash root;
	uint64_t size = 0;
	bool ok = false;
	tlog_tiles *t = NULL;
	sync_ctx x = { 0 };
	note_signer *s = NULL;
	if (!disk_mkdir_p(dir, err) || !stored_checkpoint(store_dir, &size, &origin, root, err) ||
	    !(s = load_signer(store_dir, key_path, &r->key_made, err)))
		goto out;
	if (!g_file_test(vpath, G_FILE_TEST_EXISTS)) {
		char *v = note_signer_verifier_key(s);
		vkey = g_strconcat(v, "\n", NULL);
		g_free(v);
		if (!replace_file(vpath, vkey, 0644, err))
			goto out;
	}
	if (origin && strcmp(origin, note_signer_name(s)) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s: the log is %s's, but the key %s is %s's: not signed", cp, origin, key_path,
		            note_signer_name(s));
		goto out;
	}
	if (!(t = tlog_tiles_open(dir, size, err)))
		goto out;
	x = (sync_ctx){ .t = t, .from = size, .chunk = g_ptr_array_new_with_free_func(g_free), .err = err };
	off_t from = -1;
	if (size && !find_covered(store_dir, t, size, root, &from, err))
		goto out;
	if (from >= 0)
		x.n = size; /* the lines before from: the checkpoint's, checked */
	if (!audit_foreach_from(store_dir, from < 0 ? 0 : from, sync_line, &x, NULL, err) ||
	    x.failed || !flush_chunk(&x))
		goto out;
	/* Never sign a history that is not the one signed before: read from
	 * the start, the lines the checkpoint covers must still make its root. */
	merkle_hash prefix;
	range_root(&x.prefix, prefix);
	if (from < 0 && (x.n < size || (size && memcmp(prefix, root, sizeof root) != 0))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            x.n < size ? "%s/audit.log: %" G_GUINT64_FORMAT " lines, but the log's "
		                         "checkpoint covers %" G_GUINT64_FORMAT
		                         ": lines were removed from the audit log; not signed"
		                       : "%s/audit.log: %" G_GUINT64_FORMAT " lines, but its first %"
		                         G_GUINT64_FORMAT " do not make the checkpoint's root: the "
		                         "audit log was changed; not signed (archive log verify)",
		            store_dir, x.n, size);
		goto out;
	}
	r->size = tlog_tiles_size(t);
	r->appended = r->size - size;
	if (r->appended || !g_file_test(cp, G_FILE_TEST_EXISTS)) {
		if (!merkle_tree_hash(r->size, tlog_tiles_hash, t, root, err))
			goto out;
		body = checkpoint_body(note_signer_name(s), r->size, root);
		if (!(note = note_sign(body, s, err)) || !replace_file(cp, note, 0644, err))
			goto out;
		testhook_crash_point("translog.checkpoint");
	}
	ok = true;
	/* After the checkpoint, never before: a TSA that is down or slow
	 * delays the stamp, never the signed log. */
	if (tsa_url && *tsa_url)
		r->tsa_error = stamp_checkpoint(store_dir, tsa_url, r->size);
out:
	if (x.chunk)
		g_ptr_array_unref(x.chunk);
	tlog_tiles_close(t);
	note_signer_free(s);
	g_free(vkey);
	g_free(vpath);
	g_free(note);
	g_free(body);
	g_free(cp);
	g_free(origin);
	g_free(dir);
	return ok;
}

char *translog_checkpoint(const char *store_dir, GError **err)
{
	char *path = log_file(store_dir, "checkpoint");
	char *s = NULL;
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: no checkpoint yet (the next writing run makes it)", path);
	else
		s = read_text(path, err);
	g_free(path);
	return s;
}

typedef struct {
	compact_range r;   /* of the first size lines */
	uint64_t lines;    /* every line */
	uint64_t size, since;
	merkle_hash root_at_size, root_at_since;
} verify_ctx;

static bool verify_line(const char *line, void *arg)
{
	verify_ctx *x = arg;
	if (++x->lines > x->size)
		return true;
	range_add(&x->r, line);
	if (x->lines == x->since)
		range_root(&x->r, x->root_at_since);
	if (x->lines == x->size)
		range_root(&x->r, x->root_at_size);
	return true;
}

static void problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(GPtrArray *problems, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_ptr_array_add(problems, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* A checkpoint note signed by v: its size and root, or a problem. */
static bool signed_checkpoint(const char *what, const char *note, const note_verifier *v,
                              uint64_t *size, merkle_hash root, GPtrArray *problems)
{
	GError *e = NULL;
	char *text = NULL, *origin = NULL;
	GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
	bool ok = false;
	if (!note_split(note, &text, sigs, &e) || !checkpoint_parse(text, &origin, size, root, &e))
		problem(problems, "%s: %s", what, e->message);
	else if (!note_verify(note, v, &e))
		problem(problems, "%s: %s", what,
		        e ? e->message : "no valid signature by the store's verifier key");
	else if (strcmp(origin, note_verifier_name(v)) != 0)
		problem(problems, "%s: origin %s is not the store's log (%s)", what, origin,
		        note_verifier_name(v));
	else
		ok = true;
	g_clear_error(&e);
	g_ptr_array_unref(sigs);
	g_free(origin);
	g_free(text);
	return ok;
}

static bool consistent(const char *dir, uint64_t m, const merkle_hash old, uint64_t n,
                       const merkle_hash new_root, GError **err);

/* The verifier keys of log/witnesses/ (note_verifier*); a key that cannot
 * be read is a problem. */
static GPtrArray *witness_keys(const char *dir, GPtrArray *problems)
{
	GPtrArray *keys = g_ptr_array_new_with_free_func((GDestroyNotify)note_verifier_free);
	char *wdir = g_build_filename(dir, "witnesses", NULL);
	GDir *d = g_dir_open(wdir, 0, NULL);
	for (const char *f; d && (f = g_dir_read_name(d));) {
		char *path = g_build_filename(wdir, f, NULL), *text = NULL;
		GError *e = NULL;
		note_verifier *w = g_file_get_contents(path, &text, NULL, &e) ? note_verifier_parse(text, &e)
		                                                              : NULL;
		if (w)
			g_ptr_array_add(keys, w);
		else
			problem(problems, "log/witnesses/%s: %s", f, e->message);
		g_clear_error(&e);
		g_free(text);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_free(wdir);
	return keys;
}

/* The cosigned checkpoints kept in log/cosigned/: each the store's, a
 * prefix of this log, with a valid cosignature by a witness of
 * log/witnesses/. */
static void check_cosigned(const char *dir, const note_verifier *ver, uint64_t size,
                           const merkle_hash root, GPtrArray *problems, translog_verdict *v)
{
	char *cdir = g_build_filename(dir, "cosigned", NULL);
	GDir *d = g_dir_open(cdir, 0, NULL);
	GPtrArray *keys = d ? witness_keys(dir, problems) : NULL;
	for (const char *f; d && (f = g_dir_read_name(d));) {
		char *path = g_build_filename(cdir, f, NULL), *note = NULL, *what = NULL;
		uint64_t m;
		merkle_hash r;
		GError *e = NULL;
		what = g_strdup_printf("log/cosigned/%s", f);
		if (!g_file_get_contents(path, &note, NULL, &e)) {
			problem(problems, "%s: %s", what, e->message);
		} else if (signed_checkpoint(what, note, ver, &m, r, problems)) {
			if (m > size || !consistent(dir, m, r, size, root, NULL))
				problem(problems, "%s: not a prefix of this log: history was rewritten", what);
			unsigned good = 0;
			for (guint i = 0; i < keys->len; i++) {
				GError *ce = NULL;
				if (note_verify_cosignature(note, g_ptr_array_index(keys, i), NULL, &ce))
					good++;
				else if (ce)
					problem(problems, "%s: %s", what, ce->message);
				g_clear_error(&ce);
			}
			if (!good)
				problem(problems, "%s: no valid cosignature by a witness of log/witnesses/", what);
			v->cosignatures += good;
		}
		g_clear_error(&e);
		g_free(what);
		g_free(note);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	if (keys)
		g_ptr_array_unref(keys);
	g_free(cdir);
}

bool translog_verify(const char *store_dir, const char *since, GPtrArray *problems,
                     translog_verdict *v, GError **err)
{
	memset(v, 0, sizeof *v);
	char *vpath = log_file(store_dir, "verifier.key"), *dir = g_build_filename(store_dir, "log", NULL);
	char *vkey = read_text(vpath, err), *note = vkey ? translog_checkpoint(store_dir, err) : NULL;
	note_verifier *ver = vkey ? note_verifier_parse(vkey, err) : NULL;
	tlog_tiles *t = NULL;
	bool ok = false;
	merkle_hash root, old_root, tiles_root;
	if (!ver || !note)
		goto out;
	ok = true;
	if (!signed_checkpoint("log/checkpoint", note, ver, &v->size, root, problems))
		goto out;
	verify_ctx x = { .size = v->size, .since = UINT64_MAX };
	if (since && signed_checkpoint("the older checkpoint", since, ver, &v->since_size, old_root,
	                               problems)) {
		x.since = v->since_size;
		if (x.since > v->size)
			problem(problems, "the older checkpoint has %" G_GUINT64_FORMAT " entries, more "
			        "than this log's %" G_GUINT64_FORMAT ": the log was cut back",
			        x.since, v->size);
	}
	if (!v->size)
		range_root(&x.r, x.root_at_size);
	if (!x.since)
		range_root(&x.r, x.root_at_since);
	if (!audit_foreach(store_dir, verify_line, &x, NULL, err)) {
		ok = false;
		goto out;
	}
	v->lines = x.lines;
	if (v->lines < v->size) {
		problem(problems, "audit.log: %" G_GUINT64_FORMAT " lines, but the checkpoint covers %"
		        G_GUINT64_FORMAT ": lines were removed", v->lines, v->size);
		goto out;
	}
	if (memcmp(x.root_at_size, root, sizeof root) != 0)
		problem(problems, "audit.log: its first %" G_GUINT64_FORMAT " lines do not make the "
		        "checkpoint's root: the audit log was changed", v->size);
	GError *e = NULL;
	if (!(t = tlog_tiles_open(dir, v->size, &e)) ||
	    !merkle_tree_hash(v->size, tlog_tiles_hash, t, tiles_root, &e)) {
		problem(problems, "log/tile: %s", e->message);
		g_clear_error(&e);
	} else if (memcmp(tiles_root, root, sizeof root) != 0) {
		problem(problems, "log/tile: the tiles do not make the checkpoint's root");
	}
	check_cosigned(dir, ver, v->size, root, problems, v);
	if (x.since != UINT64_MAX && x.since <= v->size) {
		if (memcmp(x.root_at_since, old_root, sizeof root) != 0)
			problem(problems, "audit.log: its first %" G_GUINT64_FORMAT " lines do not make the "
			        "older checkpoint's root: history was rewritten", x.since);
		else if (t && !consistent(dir, x.since, old_root, v->size, root, &e))
			problem(problems, "log/tile: no consistency proof from %" G_GUINT64_FORMAT
			        " to %" G_GUINT64_FORMAT " entries%s%s", x.since, v->size, e ? ": " : "",
			        e ? e->message : "");
		g_clear_error(&e);
	}
out:
	tlog_tiles_close(t);
	note_verifier_free(ver);
	g_free(note);
	g_free(vkey);
	g_free(dir);
	g_free(vpath);
	return ok;
}

char *translog_proof(const char *store_dir, uint64_t index, GError **err)
{
	char *note = translog_checkpoint(store_dir, err), *dir = g_build_filename(store_dir, "log", NULL);
	char *text = NULL, *origin = NULL, *out = NULL;
	GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
	GArray *proof = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	tlog_tiles *t = NULL;
	uint64_t size;
	merkle_hash root;
	if (!note || !note_split(note, &text, sigs, err) ||
	    !checkpoint_parse(text, &origin, &size, root, err))
		goto out;
	if (index >= size) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "entry %" G_GUINT64_FORMAT " is not in the checkpoint (%" G_GUINT64_FORMAT
		            " entries) yet", index, size);
		goto out;
	}
	if (!(t = tlog_tiles_open(dir, size, err)) ||
	    !merkle_inclusion_proof(size, index, tlog_tiles_hash, t, proof, err))
		goto out;
	char *entry = NULL;
	size_t len = 0;
	if (!tlog_tiles_entry(t, index, &entry, &len, err))
		goto out;
	/* The entry itself rides along (unauthenticated; the proof is what
	 * binds it), so that an auditor needs nothing of the store's. */
	char *extra = g_base64_encode((const guchar *)entry, len);
	g_free(entry);
	GString *s = g_string_new("c2sp.org/tlog-proof@v1\n");
	g_string_append_printf(s, "extra %s\nindex %" G_GUINT64_FORMAT "\n", extra, index);
	g_free(extra);
	for (guint i = 0; i < proof->len; i++) {
		char *b = g_base64_encode(g_array_index(proof, merkle_hash, i), sizeof(merkle_hash));
		g_string_append_printf(s, "%s\n", b);
		g_free(b);
	}
	g_string_append_printf(s, "\n%s", note);
	out = g_string_free(s, FALSE);
out:
	tlog_tiles_close(t);
	g_array_unref(proof);
	g_ptr_array_unref(sigs);
	g_free(origin);
	g_free(text);
	g_free(dir);
	g_free(note);
	return out;
}

/* The size and root of a checkpoint note signed by the log key v, or an
 * INPUT error saying why not. */
static bool checkpoint_of(const char *what, const char *note, const note_verifier *v,
                          uint64_t *size, merkle_hash root, GError **err)
{
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
	bool ok = signed_checkpoint(what, note, v, size, root, problems);
	if (!ok)
		g_set_error_literal(err, ARC_ERROR, ARC_ERROR_INPUT, g_ptr_array_index(problems, 0));
	g_ptr_array_unref(problems);
	return ok;
}

/* Is the tree of size m and root old a prefix of the one of size n and
 * root new, by a consistency proof from the tiles under dir? */
static bool consistent(const char *dir, uint64_t m, const merkle_hash old, uint64_t n,
                       const merkle_hash new_root, GError **err)
{
	if (m == n)
		return memcmp(old, new_root, sizeof(merkle_hash)) == 0;
	if (m == 0)
		return true;
	tlog_tiles *t = tlog_tiles_open(dir, n, err);
	GArray *proof = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	bool ok = t && merkle_consistency_proof(m, n, tlog_tiles_hash, t, proof, err) &&
	          merkle_verify_consistency(m, n, old, new_root,
	                                    (const merkle_hash *)(void *)proof->data, proof->len);
	g_array_unref(proof);
	tlog_tiles_close(t);
	return ok;
}

char *translog_witness_cosign(const char *store_dir, const char *state_dir, const char *key_path,
                              const char *note, uint64_t now, GError **err)
{
	char *vpath = g_build_filename(state_dir, "log.vkey", NULL);
	char *last_path = g_build_filename(state_dir, "last", NULL);
	char *dir = g_build_filename(store_dir, "log", NULL);
	char *vtext = NULL, *ktext = NULL, *last = NULL, *text = NULL, *line = NULL, *out = NULL;
	note_verifier *v = NULL;
	note_signer *w = NULL;
	uint64_t n, m = 0;
	merkle_hash root, old;
	GError *e = NULL;
	if (!g_file_test(vpath, G_FILE_TEST_EXISTS)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: missing: put the store's log/verifier.key there, as the log to witness",
		            vpath);
		goto out;
	}
	if (!(vtext = read_text(vpath, err)) || !(v = note_verifier_parse(vtext, err)) ||
	    !(ktext = read_text(key_path, err)) || !(w = note_signer_parse(ktext, err)) ||
	    !checkpoint_of("the checkpoint", note, v, &n, root, err))
		goto out;
	if (g_file_test(last_path, G_FILE_TEST_EXISTS) &&
	    (!(last = read_text(last_path, err)) ||
	     !checkpoint_of(last_path, last, v, &m, old, err)))
		goto out;
	if (n < m) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "the checkpoint has %" G_GUINT64_FORMAT " entries, fewer than the %"
		            G_GUINT64_FORMAT " last cosigned: not cosigned",
		            n, m);
		goto out;
	}
	if (!consistent(dir, m, old, n, root, &e)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "the checkpoint of %" G_GUINT64_FORMAT " entries does not extend the one of %"
		            G_GUINT64_FORMAT " last cosigned%s%s: history was rewritten; not cosigned",
		            n, m, e ? ": " : "", e ? e->message : "");
		goto out;
	}
	if (!note_split(note, &text, NULL, err) ||
	    !(line = note_cosignature_line(text, w, now, err)) ||
	    !(out = note_add_signature(note, line, err)))
		goto out;
	/* The state moves on only once the cosignature is made. */
	if (!replace_file(last_path, note, 0644, err))
		g_clear_pointer(&out, g_free);
out:
	g_clear_error(&e);
	if (ktext)
		memset(ktext, 0, strlen(ktext));
	note_signer_free(w);
	note_verifier_free(v);
	g_free(line);
	g_free(text);
	g_free(last);
	g_free(ktext);
	g_free(vtext);
	g_free(dir);
	g_free(last_path);
	g_free(vpath);
	return out;
}
