/*
 * log/tiles.c — the tree in C2SP tlog-tiles files.
 *
 * Level-L tile N holds the hashes of level 8L, indices [256N, 256N+256):
 * at level 0 the leaf hashes, above it the root of each full tile of the
 * level below. A partial tile is never hashed into the level above, so
 * the tiles of level L+1 change only when a tile of level L fills.
 *
 * The right edge (the partial tile of every level, the partial entry
 * bundle) lives in memory: an append adds to it, writes each tile that
 * fills, and then the partial tiles that changed. Full tiles are read
 * from disk only when a hash or entry left of the edge is asked for.
 */
#include "log/tiles.h"
#include "core/disk.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TILE_W 256 /* hashes in a full tile: height 8 */
#define LEVELS 8   /* 8 levels of height 8 cover 2^64 leaves */
#define ENTRIES -1 /* the "level" of entry bundles in tlog_tiles_path */

struct tlog_tiles {
	char *dir;
	uint64_t size;
	bool broken; /* an append failed midway: memory is ahead of disk */
	/* edge[L]: level L's partial tile, its first (size >> 8L) % 256 hashes. */
	merkle_hash edge[LEVELS][TILE_W];
	GByteArray *bundle; /* the partial entry bundle: size % 256 entries */
};

char *tlog_tiles_path(int level, uint64_t n, unsigned width)
{
	GString *s = g_string_new(NULL);
	g_string_printf(s, "%03u", (unsigned)(n % 1000));
	for (; n >= 1000; n /= 1000) {
		char group[8];
		snprintf(group, sizeof group, "x%03u/", (unsigned)(n / 1000 % 1000));
		g_string_prepend(s, group);
	}
	char prefix[24];
	if (level == ENTRIES)
		snprintf(prefix, sizeof prefix, "tile/entries/");
	else
		snprintf(prefix, sizeof prefix, "tile/%d/", level);
	g_string_prepend(s, prefix);
	if (width)
		g_string_append_printf(s, ".p/%u", width);
	return g_string_free(s, FALSE);
}

/* Read path whole. Returns 1, or 0 when it is not there (err not set),
 * or -1 with err set. */
static int read_file(const char *path, uint8_t **data, size_t *len, GError **err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	int rc = -1;
	uint8_t *buf = NULL;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: not a regular file", path);
		goto out;
	}
	size_t want = (size_t)st.st_size, done = 0;
	buf = g_malloc(want ? want : 1);
	while (done < want) {
		ssize_t n = read(fd, buf + done, want - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			goto out;
		}
		if (n == 0) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: shrank while read", path);
			goto out;
		}
		done += (size_t)n;
	}
	*data = buf;
	*len = want;
	buf = NULL;
	rc = 1;
out:
	if (fd >= 0)
		close(fd);
	g_free(buf);
	return rc;
}

/*
 * The bytes of tile n of level (ENTRIES: the entry bundle) that must hold
 * at least w items: the full tile when it is there (it supersedes every
 * partial one), else, when w < 256, the partial tile of width w. *path
 * receives the one read; *full whether it is the full one. A missing tile
 * is an error naming the last one tried.
 */
static bool load_tile(const tlog_tiles *t, int level, uint64_t n, unsigned w, uint8_t **data, size_t *len,
                      char **path, bool *full, GError **err)
{
	char *rel = tlog_tiles_path(level, n, 0);
	*path = g_build_filename(t->dir, rel, NULL);
	g_free(rel);
	*full = true;
	int got = read_file(*path, data, len, err);
	if (got == 0 && w < TILE_W) {
		g_free(*path);
		rel = tlog_tiles_path(level, n, w);
		*path = g_build_filename(t->dir, rel, NULL);
		g_free(rel);
		*full = false;
		got = read_file(*path, data, len, err);
	}
	if (got == 0)
		arc_set_errno(err, ARC_ERROR_STORE, ENOENT, *path);
	return got > 0;
}

/* Hashes [0, w) of tile n of level into out. */
static bool read_hashes(const tlog_tiles *t, int level, uint64_t n, unsigned w, merkle_hash *out, GError **err)
{
	uint8_t *data = NULL;
	size_t len = 0;
	char *path = NULL;
	bool full, ok = load_tile(t, level, n, w, &data, &len, &path, &full, err);
	size_t want = (full ? TILE_W : w) * sizeof(merkle_hash);
	if (ok && len != want) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: %zu bytes, a tile of %zu hashes has %zu", path,
		            len, want / sizeof(merkle_hash), want);
		ok = false;
	}
	if (ok)
		memcpy(out, data, w * sizeof(merkle_hash));
	g_free(data);
	g_free(path);
	return ok;
}

/* The offset of entry k in a bundle of len bytes; false when the bundle
 * ends before it. */
static bool bundle_offset(const uint8_t *d, size_t len, unsigned k, size_t *off)
{
	size_t o = 0;
	for (unsigned i = 0; i < k; i++) {
		if (len - o < 2 || len - o - 2 < ((size_t)d[o] << 8 | d[o + 1]))
			return false;
		o += 2 + ((size_t)d[o] << 8 | d[o + 1]);
	}
	*off = o;
	return true;
}

/* Entries [0, w) of bundle n, as bundle bytes, into out. The file must
 * hold exactly the entries its name says. */
static bool read_entries(const tlog_tiles *t, uint64_t n, unsigned w, GByteArray *out, GError **err)
{
	uint8_t *data = NULL;
	size_t len = 0, end = 0, keep = 0;
	char *path = NULL;
	bool full, ok = load_tile(t, ENTRIES, n, w, &data, &len, &path, &full, err);
	unsigned count = full ? TILE_W : w;
	if (ok && (!bundle_offset(data, len, count, &end) || end != len)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: not a bundle of %u entries", path, count);
		ok = false;
	}
	if (ok) {
		bundle_offset(data, len, w, &keep); /* w <= count: walked above */
		g_byte_array_append(out, data, (guint)keep);
	}
	g_free(data);
	g_free(path);
	return ok;
}

tlog_tiles *tlog_tiles_open(const char *dir, uint64_t size, GError **err)
{
	tlog_tiles *t = g_new0(tlog_tiles, 1);
	t->dir = g_strdup(dir);
	t->size = size;
	t->bundle = g_byte_array_new();
	/* The last tile of each level: the partial one into memory, or, when
	 * the level ends on a tile boundary, the full one, only to check that
	 * it holds what the caller says. */
	bool ok = true;
	merkle_hash *scratch = g_new(merkle_hash, TILE_W);
	for (int level = 0; ok && level < LEVELS && size >> (8 * level); level++) {
		uint64_t m = size >> (8 * level);
		unsigned w = (unsigned)(m % TILE_W);
		ok = w ? read_hashes(t, level, m / TILE_W, w, t->edge[level], err)
		       : read_hashes(t, level, m / TILE_W - 1, TILE_W, scratch, err);
	}
	g_free(scratch);
	if (ok && size % TILE_W)
		ok = read_entries(t, size / TILE_W, (unsigned)(size % TILE_W), t->bundle, err);
	else if (ok && size) {
		GByteArray *last = g_byte_array_new();
		ok = read_entries(t, size / TILE_W - 1, TILE_W, last, err);
		g_byte_array_unref(last);
	}
	if (!ok) {
		tlog_tiles_close(t);
		return NULL;
	}
	return t;
}

void tlog_tiles_close(tlog_tiles *t)
{
	if (!t)
		return;
	g_byte_array_unref(t->bundle);
	g_free(t->dir);
	g_free(t);
}

uint64_t tlog_tiles_size(const tlog_tiles *t)
{
	return t->size;
}

/* Write tile rel under t->dir as a whole or not at all: a temporary file
 * beside it, flushed, renamed over it, the folder flushed. A temporary
 * left by a crash is replaced. */
static bool write_tile(const tlog_tiles *t, const char *rel, const void *data, size_t len, GError **err)
{
	char *path = g_build_filename(t->dir, rel, NULL);
	char *folder = g_path_get_dirname(path);
	char *tmp = g_strconcat(path, ".tmp", NULL);
	bool ok = disk_mkdir_p(folder, err);
	if (ok && unlink(tmp) != 0 && errno != ENOENT) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		ok = false;
	}
	ok = ok && disk_write_new(tmp, data, len, true, err);
	if (ok && rename(tmp, path) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		unlink(tmp);
		ok = false;
	}
	ok = ok && disk_fsync(folder, err);
	g_free(tmp);
	g_free(folder);
	g_free(path);
	return ok;
}

static bool write_hashes(const tlog_tiles *t, int level, uint64_t n, unsigned w, GError **err)
{
	char *rel = tlog_tiles_path(level, n, w == TILE_W ? 0 : w);
	bool ok = write_tile(t, rel, t->edge[level], w * sizeof(merkle_hash), err);
	g_free(rel);
	return ok;
}

static bool write_entries(const tlog_tiles *t, uint64_t n, unsigned w, GError **err)
{
	char *rel = tlog_tiles_path(ENTRIES, n, w == TILE_W ? 0 : w);
	bool ok = write_tile(t, rel, t->bundle->data, t->bundle->len, err);
	g_free(rel);
	return ok;
}

/* The root of count (a power of two) hashes, as a perfect tree. */
static void fold(const merkle_hash *h, unsigned count, merkle_hash out)
{
	merkle_hash buf[TILE_W];
	memcpy(buf, h, count * sizeof(merkle_hash));
	for (; count > 1; count /= 2)
		for (unsigned i = 0; i < count / 2; i++)
			merkle_node_hash(buf[2 * i], buf[2 * i + 1], buf[i]);
	memcpy(out, buf[0], sizeof(merkle_hash));
}

/* Add one entry to the edge, writing the tiles it fills. */
static bool append_one(tlog_tiles *t, const char *entry, size_t len, GError **err)
{
	uint8_t be[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	g_byte_array_append(t->bundle, be, 2);
	g_byte_array_append(t->bundle, (const guint8 *)entry, (guint)len);
	merkle_leaf_hash(entry, len, t->edge[0][t->size % TILE_W]);
	t->size++;
	if (t->size % TILE_W == 0) {
		if (!write_entries(t, t->size / TILE_W - 1, TILE_W, err))
			return false;
		g_byte_array_set_size(t->bundle, 0);
	}
	/* m: the number of hashes at level 8L. When level L's tile fills,
	 * its root is hash number m/256 - 1 of the level above, which is
	 * also the filled tile's own number. */
	uint64_t m = t->size;
	for (int level = 0; m % TILE_W == 0; level++, m /= TILE_W) {
		uint64_t n = m / TILE_W - 1;
		if (!write_hashes(t, level, n, TILE_W, err))
			return false;
		fold(t->edge[level], TILE_W, t->edge[level + 1][n % TILE_W]);
	}
	return true;
}

bool tlog_tiles_append(tlog_tiles *t, const char *const *entries, const size_t *lens, size_t n, GError **err)
{
	if (t->broken) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "%s: an append failed before: open the log again",
		            t->dir);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (lens[i] > TLOG_ENTRY_MAX) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: log entry of %zu bytes: a tile entry holds at most %u", t->dir, lens[i],
			            TLOG_ENTRY_MAX);
			return false;
		}
	uint64_t old = t->size;
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++)
		ok = append_one(t, entries[i], lens[i], err);
	/* Then the new right edge: every partial tile whose width changed. */
	if (ok && t->size != old && t->size % TILE_W)
		ok = write_entries(t, t->size / TILE_W, (unsigned)(t->size % TILE_W), err);
	uint64_t m = t->size, m_old = old;
	for (int level = 0; ok && m; level++, m /= TILE_W, m_old /= TILE_W)
		if (m != m_old && m % TILE_W)
			ok = write_hashes(t, level, m / TILE_W, (unsigned)(m % TILE_W), err);
	t->broken = !ok;
	return ok;
}

bool tlog_tiles_hash(void *tv, int level, uint64_t index, merkle_hash out, GError **err)
{
	tlog_tiles *t = tv;
	if (level < 0 || level > 63 || index >= t->size >> level) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: no subtree %" PRIu64 " at level %d in a tree of %" PRIu64 " leaves", t->dir,
		            index, level, t->size);
		return false;
	}
	/* The subtree is the fold of 2^r consecutive hashes of tile level L,
	 * starting at hash j of that level. */
	int tl = level / 8, r = level % 8;
	uint64_t j = index << r, n = j / TILE_W;
	unsigned off = (unsigned)(j % TILE_W);
	if (n == (t->size >> (8 * tl)) / TILE_W) {
		fold(t->edge[tl] + off, 1u << r, out);
		return true;
	}
	merkle_hash *tile = g_new(merkle_hash, TILE_W);
	bool ok = read_hashes(t, tl, n, TILE_W, tile, err);
	if (ok)
		fold(tile + off, 1u << r, out);
	g_free(tile);
	return ok;
}

bool tlog_tiles_entry(tlog_tiles *t, uint64_t index, char **entry, size_t *len, GError **err)
{
	if (index >= t->size) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: no entry %" PRIu64 " in a log of %" PRIu64 " entries", t->dir, index, t->size);
		return false;
	}
	uint64_t n = index / TILE_W;
	unsigned k = (unsigned)(index % TILE_W);
	GByteArray *full = NULL;
	const GByteArray *b = t->bundle;
	if (n != t->size / TILE_W) {
		full = g_byte_array_new();
		if (!read_entries(t, n, TILE_W, full, err)) {
			g_byte_array_unref(full);
			return false;
		}
		b = full;
	}
	/* Both bundles were checked to hold entry k whole. */
	size_t start = 0, end = 0;
	bundle_offset(b->data, b->len, k, &start);
	bundle_offset(b->data, b->len, k + 1, &end);
	*len = end - start - 2;
	*entry = g_malloc(*len + 1);
	memcpy(*entry, b->data + start + 2, *len);
	(*entry)[*len] = '\0';
	if (full)
		g_byte_array_unref(full);
	return true;
}
