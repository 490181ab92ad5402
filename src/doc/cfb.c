/*
 * doc/cfb.c — a bounded reader of compound files (MS-CFB), for HWP 5.
 *
 * Written here rather than taken from a library: libgsf reads compound
 * files but trusts their chains and sizes more than a reader of hostile
 * attachments may, and pulls in far more than the few things HWP needs
 * (the directory, storages' children, streams read whole).
 *
 * The invariants every function relies on, set up by cfb_open:
 *   - the FAT covers fat_len sectors; a sector id is used only once it is
 *     below n_sectors (the sectors the file has) and below fat_len;
 *   - every chain is walked with a bitmap of the sectors it has visited,
 *     so that it ends, and a loop is named by the sector it returns to;
 *   - the directory tree was walked once from the root with a bitmap of
 *     the entries reached: each entry reachable has one parent, so that
 *     look-ups and listings scan parent[] and never follow the tree again;
 *   - a stream's size is checked against DOC_STREAM_MAX and its chain
 *     before its buffer is allocated.
 * The file is read with pread, a sector at a time; nothing is mapped.
 */
#include "cfb.h"
#include "reader.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_LEN 512
#define ENTRY_LEN 128
#define MINI_LEN 64
#define MINI_CUTOFF 4096
#define DIFAT_IN_HEADER 109

/* Special sector ids (MS-CFB 2.1). */
#define MAXREGSECT 0xFFFFFFFAu
#define ENDOFCHAIN 0xFFFFFFFEu

typedef struct {
	char *name;      /* UTF-8 */
	uint8_t type;
	uint32_t left, right, child, start;
	uint64_t size;
} entry;

struct cfb {
	int fd;
	uint64_t file_size;
	unsigned shift;        /* sector size 1 << shift */
	uint32_t ss;           /* sector size */
	uint32_t n_sectors;    /* sectors in the file after the header */
	uint32_t *fat;
	uint32_t fat_len;
	uint32_t *minifat;
	uint32_t minifat_len;
	entry *dir;
	uint32_t n_dir;
	uint32_t *parent;      /* CFB_NONE: not reached from the root */
	uint8_t *mini;         /* the mini stream, read when first needed */
	size_t mini_len;
	bool mini_loaded;
};

static bool bit_test_set(uint8_t *bits, uint32_t i)
{
	bool was = bits[i >> 3] & (1u << (i & 7));
	bits[i >> 3] |= (uint8_t)(1u << (i & 7));
	return was;
}

static bool pread_full(cfb *c, void *buf, size_t len, uint64_t off, GError **err)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(c->fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			arc_set_errno(err, ARC_ERROR_INPUT, errno, "read");
			return false;
		}
		if (n == 0) {
			doc_fail(err, "damaged: the file ends inside a sector");
			return false;
		}
		done += (size_t)n;
	}
	return true;
}

/* Sector sid into buf (ss bytes); the file's last sector may be short,
 * and is read as if padded with zeros. */
static bool read_sector(cfb *c, uint32_t sid, uint8_t *buf, GError **err)
{
	if (sid >= c->n_sectors) {
		doc_fail(err, "damaged: sector %u beyond the end of the file", sid);
		return false;
	}
	uint64_t off = ((uint64_t)sid + 1) << c->shift;
	size_t len = c->ss;
	if (off + len > c->file_size)
		len = (size_t)(c->file_size - off);
	memset(buf + len, 0, c->ss - len);
	return pread_full(c, buf, len, off, err);
}

/*
 * Follow a chain of the FAT (or the mini FAT) from start until need
 * sectors are collected (need UINT32_MAX: to ENDOFCHAIN). *out gets the
 * ids, *got how many. The chain ending early is an error when need is
 * given; a loop, an id beyond the file or the table, always.
 */
static bool walk(const cfb *c, bool mini, uint32_t start, uint32_t need, const char *what,
                 uint32_t **out, uint32_t *got, GError **err)
{
	const uint32_t *table = mini ? c->minifat : c->fat;
	uint32_t tlen = mini ? c->minifat_len : c->fat_len;
	uint32_t limit = mini ? tlen : MIN(tlen, c->n_sectors);
	const char *kind = mini ? "mini FAT" : "FAT";
	uint8_t *seen = g_malloc0(limit / 8 + 1);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	bool ok = false;
	uint32_t sid = start;
	while (ids->len < need && sid != ENDOFCHAIN) {
		if (sid > MAXREGSECT) {
			doc_fail(err, "damaged: %s: %s chain holds the special id 0x%08X", what, kind, sid);
			goto out;
		}
		if (sid >= limit) {
			if (!mini && sid >= c->n_sectors)
				doc_fail(err, "damaged: sector %u beyond the end of the file", sid);
			else
				doc_fail(err, "damaged: %s: sector %u beyond the %s", what, sid, kind);
			goto out;
		}
		if (bit_test_set(seen, sid)) {
			doc_fail(err, "damaged: %s chain loops at sector %u", kind, sid);
			goto out;
		}
		g_array_append_val(ids, sid);
		sid = table[sid];
	}
	if (need != UINT32_MAX && ids->len < need) {
		doc_fail(err, "damaged: %s: its chain ends after %u of %u sectors", what, ids->len, need);
		goto out;
	}
	ok = true;
out:
	g_free(seen);
	*got = ids->len;
	*out = (uint32_t *)(void *)g_array_free(ids, !ok);
	return ok;
}

/* ---- the header, the FAT ---- */

static bool check_header(cfb *c, const uint8_t *h, GError **err)
{
	static const uint8_t sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	if (memcmp(h, sig, 8) != 0) {
		doc_fail(err, "damaged: not a compound file");
		return false;
	}
	unsigned major = doc_le16(h + 0x1A), shift = doc_le16(h + 0x1E);
	if (doc_le16(h + 0x1C) != 0xFFFE) {
		doc_fail(err, "damaged: compound file byte order 0x%04X", doc_le16(h + 0x1C));
		return false;
	}
	if (!((major == 3 && shift == 9) || (major == 4 && shift == 12))) {
		doc_fail(err, "damaged: compound file version %u with sector shift %u", major, shift);
		return false;
	}
	if (doc_le16(h + 0x20) != 6 || doc_le32(h + 0x38) != MINI_CUTOFF) {
		doc_fail(err, "damaged: mini sector shift %u, mini stream cutoff %u", doc_le16(h + 0x20),
		         doc_le32(h + 0x38));
		return false;
	}
	c->shift = shift;
	c->ss = 1u << shift;
	if (c->file_size < c->ss) {
		doc_fail(err, "damaged: %" G_GUINT64_FORMAT " bytes, shorter than its header",
		         c->file_size);
		return false;
	}
	uint64_t n = (c->file_size - c->ss + c->ss - 1) >> shift;
	if (n > MAXREGSECT) {
		doc_fail(err, "limit: a compound file of more than %u sectors", MAXREGSECT);
		return false;
	}
	c->n_sectors = (uint32_t)n;
	return true;
}

/* The FAT sectors' ids: the header's 109, then the DIFAT chain's. */
static bool fat_sector_ids(cfb *c, const uint8_t *h, uint32_t n_fat, uint32_t *ids, GError **err)
{
	uint32_t got = 0;
	for (; got < n_fat && got < DIFAT_IN_HEADER; got++)
		ids[got] = doc_le32(h + 0x4C + 4 * got);
	uint32_t per = c->ss / 4 - 1, sid = doc_le32(h + 0x44);
	uint8_t *seen = g_malloc0(c->n_sectors / 8 + 1), *buf = g_malloc(c->ss);
	bool ok = false;
	while (got < n_fat) {
		if (sid == ENDOFCHAIN || sid > MAXREGSECT) {
			doc_fail(err, "damaged: DIFAT chain ends after %u of %u FAT sectors", got, n_fat);
			goto out;
		}
		if (sid < c->n_sectors && bit_test_set(seen, sid)) {
			doc_fail(err, "damaged: DIFAT chain loops at sector %u", sid);
			goto out;
		}
		if (!read_sector(c, sid, buf, err))
			goto out;
		for (uint32_t i = 0; i < per && got < n_fat; i++)
			ids[got++] = doc_le32(buf + 4 * i);
		sid = doc_le32(buf + 4 * per);
	}
	ok = true;
out:
	g_free(seen);
	g_free(buf);
	return ok;
}

static bool load_fat(cfb *c, const uint8_t *h, GError **err)
{
	uint32_t n_fat = doc_le32(h + 0x2C);
	if (n_fat == 0 || n_fat > c->n_sectors) {
		doc_fail(err, "damaged: %u FAT sectors in a file of %u sectors", n_fat, c->n_sectors);
		return false;
	}
	uint32_t *ids = g_new(uint32_t, n_fat);
	bool ok = fat_sector_ids(c, h, n_fat, ids, err);
	uint32_t per = c->ss / 4;
	c->fat_len = n_fat * per; /* n_fat <= n_sectors < 2^32 >> 7: no overflow */
	c->fat = g_new(uint32_t, c->fat_len);
	uint8_t *buf = g_malloc(c->ss);
	for (uint32_t i = 0; ok && i < n_fat; i++) {
		ok = read_sector(c, ids[i], buf, err);
		for (uint32_t j = 0; ok && j < per; j++)
			c->fat[i * per + j] = doc_le32(buf + 4 * j);
	}
	g_free(buf);
	g_free(ids);
	return ok;
}

/* A regular chain's sectors into one buffer of len bytes (len fits). */
static bool read_sectors(cfb *c, const uint32_t *ids, uint32_t n, uint8_t *dst, size_t len,
                         GError **err)
{
	uint8_t *buf = g_malloc(c->ss);
	bool ok = true;
	for (uint32_t i = 0; ok && i < n && len; i++) {
		ok = read_sector(c, ids[i], buf, err);
		size_t k = MIN(len, (size_t)c->ss);
		memcpy(dst, buf, k);
		dst += k;
		len -= k;
	}
	g_free(buf);
	return ok;
}

static bool load_minifat(cfb *c, const uint8_t *h, GError **err)
{
	uint32_t start = doc_le32(h + 0x3C);
	if (start == ENDOFCHAIN || doc_le32(h + 0x40) == 0)
		return true; /* no mini stream */
	uint32_t *ids, n;
	if (!walk(c, false, start, UINT32_MAX, "mini FAT", &ids, &n, err))
		return false;
	c->minifat_len = n * (c->ss / 4);
	c->minifat = g_new(uint32_t, c->minifat_len);
	uint8_t *raw = g_malloc((size_t)n * c->ss);
	bool ok = read_sectors(c, ids, n, raw, (size_t)n * c->ss, err);
	for (uint32_t i = 0; ok && i < c->minifat_len; i++)
		c->minifat[i] = doc_le32(raw + 4 * i);
	g_free(raw);
	g_free(ids);
	return ok;
}

/* ---- the directory ---- */

/* A directory entry's name: UTF-16LE, a lone surrogate read as U+FFFD. */
static char *entry_name(const uint8_t *e)
{
	unsigned bytes = doc_le16(e + 64);
	unsigned units = bytes >= 2 && bytes <= 64 ? bytes / 2 - 1 : 0;
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < units;) {
		gunichar u = doc_utf16le_next(e, units, &i);
		if (u == 0)
			break;
		g_string_append_unichar(s, u);
	}
	return g_string_free(s, FALSE);
}

static bool load_directory(cfb *c, const uint8_t *h, bool v3, GError **err)
{
	uint32_t *ids, n;
	if (!walk(c, false, doc_le32(h + 0x30), UINT32_MAX, "directory", &ids, &n, err))
		return false;
	size_t len = (size_t)n * c->ss;
	uint8_t *raw = g_malloc(len ? len : 1);
	bool ok = read_sectors(c, ids, n, raw, len, err);
	g_free(ids);
	c->n_dir = (uint32_t)(len / ENTRY_LEN);
	c->dir = g_new0(entry, c->n_dir ? c->n_dir : 1);
	for (uint32_t i = 0; ok && i < c->n_dir; i++) {
		const uint8_t *e = raw + (size_t)i * ENTRY_LEN;
		entry *d = &c->dir[i];
		d->name = entry_name(e);
		d->type = e[66];
		d->left = doc_le32(e + 68);
		d->right = doc_le32(e + 72);
		d->child = doc_le32(e + 76);
		d->start = doc_le32(e + 116);
		/* Version 3 writers may leave garbage in the high half (MS-CFB 2.6.3). */
		d->size = v3 ? doc_le32(e + 120) : doc_le64(e + 120);
	}
	g_free(raw);
	if (ok && (c->n_dir == 0 || c->dir[0].type != CFB_ROOT)) {
		doc_fail(err, "damaged: the directory has no root entry");
		ok = false;
	}
	return ok;
}

/*
 * Walk the tree from the root once, giving each entry reached its
 * parent storage. Each entry is pushed at most once per edge into it and
 * popped once before a second visit is refused, so the stack never holds
 * more than 3 * n_dir + 1 ids.
 */
static bool walk_tree(cfb *c, GError **err)
{
	c->parent = g_new(uint32_t, c->n_dir);
	for (uint32_t i = 0; i < c->n_dir; i++)
		c->parent[i] = CFB_NONE;
	uint8_t *seen = g_malloc0(c->n_dir / 8 + 1);
	bit_test_set(seen, 0);
	size_t cap = 3 * (size_t)c->n_dir + 1, top = 0;
	uint32_t (*stack)[2] = g_malloc(cap * sizeof *stack);
	bool ok = false;
	if (c->dir[0].child != CFB_NONE) {
		stack[top][0] = c->dir[0].child;
		stack[top++][1] = 0;
	}
	while (top) {
		top--;
		uint32_t id = stack[top][0], p = stack[top][1];
		if (id >= c->n_dir) {
			doc_fail(err, "damaged: directory entry %u beyond the directory's %u", id, c->n_dir);
			goto out;
		}
		if (bit_test_set(seen, id)) {
			doc_fail(err, "damaged: directory tree loops at entry %u", id);
			goto out;
		}
		entry *e = &c->dir[id];
		if (e->type != CFB_STORAGE && e->type != CFB_STREAM) {
			doc_fail(err, "damaged: directory entry %u of type %u in the tree", id, e->type);
			goto out;
		}
		c->parent[id] = p;
		uint32_t next[3][2] = { { e->left, p }, { e->right, p }, { e->child, id } };
		for (int k = 0; k < 3; k++) {
			if (next[k][0] == CFB_NONE || (k == 2 && e->type != CFB_STORAGE))
				continue;
			stack[top][0] = next[k][0];
			stack[top++][1] = next[k][1];
		}
	}
	ok = true;
out:
	g_free(stack);
	g_free(seen);
	return ok;
}

/* ---- open, look up, read ---- */

cfb *cfb_open(const char *path, GError **err)
{
	cfb *c = g_new0(cfb, 1);
	/* O_NONBLOCK: a FIFO must not hold the worker until its deadline. */
	c->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (c->fd < 0 || fstat(c->fd, &st) != 0) {
		arc_set_errno(err, ARC_ERROR_INPUT, errno, path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		doc_fail(err, "not a regular file");
		goto fail;
	}
	c->file_size = (uint64_t)st.st_size;
	uint8_t h[HEADER_LEN];
	if (c->file_size < HEADER_LEN) {
		doc_fail(err, "damaged: %" G_GUINT64_FORMAT " bytes, shorter than a compound file header",
		         c->file_size);
		goto fail;
	}
	if (!pread_full(c, h, sizeof h, 0, err) || !check_header(c, h, err) ||
	    !load_fat(c, h, err) || !load_minifat(c, h, err) ||
	    !load_directory(c, h, c->shift == 9, err) || !walk_tree(c, err))
		goto fail;
	return c;
fail:
	cfb_close(c);
	return NULL;
}

void cfb_close(cfb *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	for (uint32_t i = 0; c->dir && i < c->n_dir; i++)
		g_free(c->dir[i].name);
	g_free(c->dir);
	g_free(c->parent);
	g_free(c->fat);
	g_free(c->minifat);
	g_free(c->mini);
	g_free(c);
}

static uint32_t find_child(const cfb *c, uint32_t parent, const char *name, size_t len)
{
	for (uint32_t i = 1; i < c->n_dir; i++)
		if (c->parent[i] == parent && strlen(c->dir[i].name) == len &&
		    g_ascii_strncasecmp(c->dir[i].name, name, len) == 0)
			return i;
	return CFB_NONE;
}

uint32_t cfb_lookup(const cfb *c, const char *path)
{
	uint32_t id = 0;
	while (*path && id != CFB_NONE) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		id = find_child(c, id, path, len);
		path += len + (slash != NULL);
	}
	return id;
}

GArray *cfb_children(const cfb *c, uint32_t id)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (uint32_t i = 1; id < c->n_dir && i < c->n_dir; i++)
		if (c->parent[i] == id)
			g_array_append_val(a, i);
	return a;
}

const char *cfb_name(const cfb *c, uint32_t id) { return id < c->n_dir ? c->dir[id].name : ""; }
cfb_type cfb_entry_type(const cfb *c, uint32_t id)
{
	return id < c->n_dir ? (cfb_type)c->dir[id].type : CFB_EMPTY;
}
uint64_t cfb_size(const cfb *c, uint32_t id) { return id < c->n_dir ? c->dir[id].size : 0; }

/* The root entry's stream: where streams under the cutoff live. */
static bool load_mini(cfb *c, GError **err)
{
	if (c->mini_loaded)
		return true;
	const entry *r = &c->dir[0];
	if (r->size > DOC_STREAM_MAX) {
		doc_fail(err, "limit: the mini stream is larger than %" G_GUINT64_FORMAT " MiB",
		         DOC_STREAM_MAX >> 20);
		return false;
	}
	uint32_t need = (uint32_t)((r->size + c->ss - 1) >> c->shift), n, *ids;
	if (!walk(c, false, r->start, need, "the mini stream", &ids, &n, err))
		return false;
	c->mini_len = (size_t)r->size;
	c->mini = g_malloc(c->mini_len ? c->mini_len : 1);
	bool ok = read_sectors(c, ids, n, c->mini, c->mini_len, err);
	g_free(ids);
	c->mini_loaded = ok;
	return ok;
}

static bool read_mini(cfb *c, const entry *e, const char *what, uint8_t *dst, GError **err)
{
	if (!load_mini(c, err))
		return false;
	uint32_t need = (uint32_t)((e->size + MINI_LEN - 1) / MINI_LEN), n, *ids;
	if (!walk(c, true, e->start, need, what, &ids, &n, err))
		return false;
	bool ok = true;
	size_t left = (size_t)e->size;
	for (uint32_t i = 0; i < n && left; i++) {
		size_t off = (size_t)ids[i] * MINI_LEN, k = MIN(left, (size_t)MINI_LEN);
		if (off + k > c->mini_len) {
			doc_fail(err, "damaged: %s: mini sector %u beyond the mini stream", what, ids[i]);
			ok = false;
			break;
		}
		memcpy(dst, c->mini + off, k);
		dst += k;
		left -= k;
	}
	g_free(ids);
	return ok;
}

bool cfb_read(cfb *c, uint32_t id, const char *what, uint8_t **data, size_t *len, GError **err)
{
	*data = NULL;
	*len = 0;
	if (id == 0 || id >= c->n_dir || c->dir[id].type != CFB_STREAM) {
		doc_fail(err, "damaged: %s is not a stream", what);
		return false;
	}
	const entry *e = &c->dir[id];
	if (e->size > DOC_STREAM_MAX) {
		doc_fail(err, "limit: %s is larger than %" G_GUINT64_FORMAT " MiB", what,
		         DOC_STREAM_MAX >> 20);
		return false;
	}
	if (e->size > (uint64_t)c->n_sectors << c->shift) {
		doc_fail(err, "damaged: %s declares %" G_GUINT64_FORMAT " bytes, more than the file has",
		         what, e->size);
		return false;
	}
	uint8_t *buf = NULL;
	bool ok;
	if (e->size < MINI_CUTOFF) {
		buf = g_malloc(e->size ? (size_t)e->size : 1);
		ok = e->size == 0 || read_mini(c, e, what, buf, err);
	} else {
		/* The chain is walked before the buffer is allocated: a size the
		 * chain does not back is refused without allocating for it. */
		uint32_t need = (uint32_t)((e->size + c->ss - 1) >> c->shift), n, *ids;
		ok = walk(c, false, e->start, need, what, &ids, &n, err);
		if (ok) {
			buf = g_malloc((size_t)e->size);
			ok = read_sectors(c, ids, n, buf, (size_t)e->size, err);
			g_free(ids);
		}
	}
	if (!ok) {
		g_free(buf);
		return false;
	}
	*data = buf;
	*len = (size_t)e->size;
	return true;
}
