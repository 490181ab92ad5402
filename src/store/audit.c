/*
 * store/audit.c — the hash-chained audit log.
 *
 * The line format is ours, so it is checked strictly rather than parsed
 * loosely: a line is {"seq":N,"time":…,…,"prev":"<64 hex>"}. Anything
 * else breaks the chain.
 */
#include "store/audit.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/testhook.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct {
	char *key;
	char *json; /* the value, already JSON */
} field;

struct audit_entry {
	char *event;
	GArray *fields; /* field */
	char *when;     /* set by audit_batch_add; NULL: timed when appended */
};

struct audit_batch {
	GPtrArray *entries; /* audit_entry*, owned */
};

audit_entry *audit_entry_new(const char *event)
{
	audit_entry *e = g_new0(audit_entry, 1);
	e->event = g_strdup(event);
	e->fields = g_array_new(FALSE, TRUE, sizeof(field));
	return e;
}

void audit_entry_free(audit_entry *e)
{
	if (!e)
		return;
	for (guint i = 0; i < e->fields->len; i++) {
		field *f = &g_array_index(e->fields, field, i);
		g_free(f->key);
		g_free(f->json);
	}
	g_array_unref(e->fields);
	g_free(e->event);
	g_free(e->when);
	g_free(e);
}

void audit_entry_set_json(audit_entry *e, const char *key, const char *json)
{
	field f = { g_strdup(key), g_strdup(json) };
	g_array_append_val(e->fields, f);
}

void audit_entry_set(audit_entry *e, const char *key, const char *value)
{
	json_writer *w = json_new(false);
	json_string(w, value);
	char *s = json_finish(w);
	audit_entry_set_json(e, key, s);
	g_free(s);
}

void audit_entry_set_int(audit_entry *e, const char *key, int64_t value)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%" PRId64, value);
	audit_entry_set_json(e, key, buf);
}

void audit_entry_set_bool(audit_entry *e, const char *key, bool value)
{
	audit_entry_set_json(e, key, value ? "true" : "false");
}

const char *audit_user(void)
{
	static char user[256];
	if (user[0])
		return user;
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		g_strlcpy(user, pw->pw_name, sizeof user);
	else
		snprintf(user, sizeof user, "uid %u", (unsigned)getuid());
	return user;
}

const char *audit_sudo_user(void)
{
	const char *s = g_getenv("SUDO_USER");
	return s && *s && strcmp(s, audit_user()) != 0 ? s : NULL;
}

static char *log_path(const char *store_dir)
{
	return g_build_filename(store_dir, "audit.log", NULL);
}

/* The bytes of fd in [from, to), NUL-terminated (caller frees); *len
 * receives their number when len is not NULL. */
static char *read_range(int fd, off_t from, off_t to, size_t *len, GError **err)
{
	size_t n = (size_t)(to - from);
	char *buf = g_malloc(n + 1);
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, from + (off_t)got);
		if (r <= 0) {
			g_free(buf);
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "audit.log: cannot read: %s",
			            r < 0 ? g_strerror(errno) : "shorter than its size");
			return NULL;
		}
		got += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Where the line that ends at end (exclusive, its newline not included)
 * starts: just after the newline before it, or 0. Read back from end, so
 * the log's end is found without reading the whole log. */
static bool line_start(int fd, off_t end, off_t *start, GError **err)
{
	char buf[16384];
	off_t to = end;
	while (to > 0) {
		off_t from = to > (off_t)sizeof buf ? to - (off_t)sizeof buf : 0;
		size_t n = (size_t)(to - from);
		ssize_t got = pread(fd, buf, n, from);
		if (got != (ssize_t)n) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "audit.log: cannot read its end: %s",
			            got < 0 ? g_strerror(errno) : "it is shorter than it was");
			return false;
		}
		char *nl = memrchr(buf, '\n', n);
		if (nl) {
			*start = from + (off_t)(nl - buf) + 1;
			return true;
		}
		to = from;
	}
	*start = 0;
	return true;
}

/* The end of the log open on fd: its size, and where its torn tail (the
 * bytes after its last newline) starts; *tail == *size when the log ends
 * with a newline or is empty. */
static bool log_end(int fd, off_t *size, off_t *tail, GError **err)
{
	struct stat st;
	char last;
	if (fstat(fd, &st) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, "audit.log");
		return false;
	}
	*size = *tail = st.st_size;
	if (st.st_size == 0)
		return true;
	ssize_t got = pread(fd, &last, 1, st.st_size - 1);
	if (got != 1) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "audit.log: cannot read its end: %s",
		            got < 0 ? g_strerror(errno) : "it is shorter than it was");
		return false;
	}
	return last == '\n' || line_start(fd, st.st_size, tail, err);
}

/* The line that ends just before offset end (end is just after its
 * newline), without the newline; "" when end is 0. Caller frees. */
static char *line_before(int fd, off_t end, GError **err)
{
	off_t start;
	if (end == 0)
		return g_strdup("");
	if (!line_start(fd, end - 1, &start, err))
		return NULL;
	return read_range(fd, start, end - 1, NULL, err);
}

uint64_t audit_line_seq(const char *line)
{
	JsonObject *o = json_read_object(line, -1, NULL);
	int64_t seq = json_get_int(o, "seq", 0);
	if (o)
		json_object_unref(o);
	return seq > 0 ? (uint64_t)seq : 0;
}

/* Now (or ARCHIVE_TEST_NOW) as an audit line's "time". */
static char *now_iso(void)
{
	GDateTime *now = testhook_now_utc();
	char *when = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(now);
	return when;
}

/* Append to out e's line, with its newline: seq, time, user, event, the
 * fields in the order set, prev. */
static void format_line(GString *out, const audit_entry *e, const char *when, uint64_t seq,
                        const char *prev)
{
	json_writer *w = json_new(false);
	json_begin_object(w);
	json_kv_int(w, "seq", (int64_t)seq);
	json_kv_string(w, "time", when);
	json_kv_string(w, "user", audit_user());
	/* Only a claim: any process can set SUDO_USER. */
	if (audit_sudo_user())
		json_kv_string(w, "sudo_user", audit_sudo_user());
	json_kv_string(w, "event", e->event);
	json_end_object(w);
	char *head = json_finish(w);
	g_string_append_len(out, head, (gssize)strlen(head) - 1); /* the object left open */
	g_free(head);
	for (guint i = 0; i < e->fields->len; i++) {
		field *f = &g_array_index(e->fields, field, i);
		json_writer *k = json_new(false);
		json_string(k, f->key);
		char *key = json_finish(k);
		g_string_append_printf(out, ",%s:%s", key, f->json);
		g_free(key);
	}
	g_string_append_printf(out, ",\"prev\":\"%s\"}\n", prev);
}

/*
 * Append es[0..n-1] as consecutive lines, each chained to the one before
 * (the first to the log's last line), in one write and one fsync. lines,
 * when not NULL, receives the lines (char*, without newline). audit_append
 * is this with n = 1, so a batch's lines are byte for byte what appending
 * its entries one by one would have written (at their times).
 */
static bool append_entries(const char *store_dir, audit_entry *const *es, guint n,
                           GPtrArray *lines, GError **err)
{
	if (n == 0)
		return true;
	bool ok = false;
	char *path = log_path(store_dir);
	char *prev_line = NULL;
	char *now = NULL;
	GString *buf = NULL;
	gsize *ends = NULL;
	bool created = false;
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		created = fd >= 0;
	}
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	/* Never glue a line onto a torn one: the chain would be broken for
	 * good. Writers run recovery first (audit_repair_tail), so a torn
	 * end here is a tear of this very run that could not be taken back. */
	off_t size, tail;
	if (!log_end(fd, &size, &tail, err))
		goto out;
	if (tail != size) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s: ends in a torn line (%lld bytes without a newline); nothing appended: "
		            "the next writing run repairs it",
		            path, (long long)(size - tail));
		goto out;
	}
	if (!(prev_line = line_before(fd, size, err)))
		goto out;
	char prev[65];
	if (*prev_line)
		hash_sha256_hex(prev_line, strlen(prev_line), prev);
	else
		strcpy(prev, ZERO_HASH);
	uint64_t seq = audit_line_seq(prev_line);

	buf = g_string_new(NULL);
	ends = g_new(gsize, n); /* where each line ends, before its newline */
	for (guint i = 0; i < n; i++) {
		const audit_entry *e = es[i];
		if (!e->when && !now)
			now = now_iso();
		gsize start = buf->len;
		format_line(buf, e, e->when ? e->when : now, ++seq, prev);
		ends[i] = buf->len - 1;
		hash_sha256_hex(buf->str + start, ends[i] - start, prev);
	}

	/* One write of whole lines: O_APPEND keeps them in one piece. */
	ssize_t w = write(fd, buf->str, buf->len);
	if (w != (ssize_t)buf->len) {
		int saved = w < 0 ? errno : ENOSPC;
		/* Take back a partial write, so the chain stays readable. */
		struct stat st;
		if (w > 0 && fstat(fd, &st) == 0)
			(void)!ftruncate(fd, st.st_size - w);
		arc_set_errno(err, ARC_ERROR_STORE, saved, path);
		goto out;
	}
	testhook_crash_point("audit.written");
	if (fsync(fd) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	testhook_fsynced(path);
	testhook_crash_point("audit.fsynced");
	/* A new log is an entry of the store's folder: unflushed, a power cut
	 * may lose the whole log while the bundles it records stay. */
	if (created && !disk_fsync(store_dir, err))
		goto out;
	for (guint i = 0; lines && i < n; i++) {
		gsize start = i ? ends[i - 1] + 1 : 0;
		g_ptr_array_add(lines, g_strndup(buf->str + start, ends[i] - start));
	}
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	if (buf)
		g_string_free(buf, TRUE);
	g_free(ends);
	g_free(now);
	g_free(prev_line);
	g_free(path);
	return ok;
}

bool audit_append(const char *store_dir, audit_entry *e, char **line_out, GError **err)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = append_entries(store_dir, &e, 1, lines, err);
	if (ok && line_out)
		*line_out = g_ptr_array_steal_index(lines, 0);
	g_ptr_array_unref(lines);
	return ok;
}

audit_batch *audit_batch_new(void)
{
	audit_batch *b = g_new0(audit_batch, 1);
	b->entries = g_ptr_array_new_with_free_func((GDestroyNotify)audit_entry_free);
	return b;
}

void audit_batch_add(audit_batch *b, audit_entry *e)
{
	if (!e->when)
		e->when = now_iso();
	g_ptr_array_add(b->entries, e);
}

guint audit_batch_len(const audit_batch *b)
{
	return b->entries->len;
}

bool audit_batch_append(const char *store_dir, audit_batch *b, GPtrArray *lines, GError **err)
{
	bool ok = append_entries(store_dir, (audit_entry *const *)b->entries->pdata,
	                         b->entries->len, lines, err);
	g_ptr_array_set_size(b->entries, 0);
	return ok;
}

void audit_batch_free(audit_batch *b)
{
	if (!b)
		return;
	g_ptr_array_unref(b->entries);
	g_free(b);
}

bool audit_foreach_from(const char *store_dir, off_t from,
                        bool (*fn)(const char *line, void *arg), void *arg, uint64_t *torn,
                        GError **err)
{
	char *path = log_path(store_dir);
	FILE *f = fopen(path, "re");
	bool ok = true;
	if (torn)
		*torn = 0;
	if (!f) {
		if (errno != ENOENT) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			ok = false;
		}
		g_free(path);
		return ok;
	}
	if (from > 0 && fseeko(f, from, SEEK_SET) != 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		fclose(f);
		g_free(path);
		return false;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while (ok && (n = getline(&buf, &cap, f)) > 0) {
		/* Only the last line can lack its newline: torn, or being
		 * written. Not a record (yet): never handed on. */
		if (buf[n - 1] != '\n') {
			if (torn)
				*torn = (uint64_t)n;
			break;
		}
		buf[n - 1] = '\0';
		ok = fn(buf, arg);
	}
	if (ferror(f)) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		ok = false;
	}
	free(buf);
	fclose(f);
	g_free(path);
	return ok;
}

bool audit_foreach(const char *store_dir, bool (*fn)(const char *line, void *arg), void *arg,
                   uint64_t *torn, GError **err)
{
	return audit_foreach_from(store_dir, 0, fn, arg, torn, err);
}

/* n bytes at off of fd into buf; false with errno set when they are not
 * all there. */
static bool pread_all(int fd, char *buf, size_t n, off_t off)
{
	while (n) {
		ssize_t k = pread(fd, buf, n, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO; /* shorter than it was a moment ago */
			return false;
		}
		buf += k;
		off += k;
		n -= (size_t)k;
	}
	return true;
}

bool audit_find_back(const char *store_dir, bool (*match)(const char *line, void *arg),
                     void *arg, off_t *after, GError **err)
{
	*after = -1;
	char *path = log_path(store_dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	bool ok = true;
	char *buf = NULL;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0 || errno != ENOENT) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			ok = false;
		}
		goto out;
	}
	/* e: the end of the line looked at, its newline included; the bytes
	 * after the last newline (a torn line) are no line. */
	off_t e = st.st_size;
	size_t got = 0;
	while (e > 0) {
		/* The line ending at e starts after the newline before e - 1: read
		 * back from there, further each time none is found. */
		size_t want = 4096;
		off_t start = 0;
		for (;;) {
			off_t from = e - 1 > (off_t)want ? e - 1 - (off_t)want : 0;
			size_t n = (size_t)(e - 1 - from);
			buf = g_realloc(buf, n + 1);
			if (!pread_all(fd, buf, n + 1, from)) {
				arc_set_errno(err, ARC_ERROR_STORE, errno, path);
				ok = false;
				goto out;
			}
			if (got == 0 && buf[n] != '\n') {
				/* The log's end is torn: start at its last newline. */
				char *nl = memrchr(buf, '\n', n + 1);
				if (nl) {
					e = from + (nl - buf) + 1;
					continue;
				}
				if (from == 0)
					goto out; /* no whole line at all */
				want *= 2;
				continue;
			}
			char *nl = memrchr(buf, '\n', n);
			if (nl || from == 0) {
				start = nl ? from + (nl - buf) + 1 : 0;
				buf[n] = '\0';
				got++;
				if (match(buf + (start - from), arg)) {
					*after = e;
					goto out;
				}
				break;
			}
			want *= 2;
		}
		e = start;
	}
out:
	g_free(buf);
	if (fd >= 0)
		close(fd);
	g_free(path);
	return ok;
}

typedef struct {
	uint64_t n;
	char prev[65];
	uint64_t bad;
	char *reason;
} chain_state;

static bool is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!g_ascii_isxdigit(s[i]) || g_ascii_isupper(s[i]))
			return false;
	return s[64] == '\0';
}

static bool check_line(const char *line, void *arg)
{
	chain_state *c = arg;
	c->n++;
	size_t len = strlen(line);
	JsonObject *o = json_read_object(line, (gssize)len, NULL);
	const char *prev = json_get_string(o, "prev");
	char got[65] = "";
	int64_t seq = json_get_int(o, "seq", 0);
	if (prev && strlen(prev) < sizeof got)
		strcpy(got, prev);
	if (o)
		json_object_unref(o);
	if (!prev || !seq) {
		c->reason = g_strdup_printf("line %" PRIu64 " is not an audit entry", c->n);
		goto bad;
	}
	if (!is_hex64(got)) {
		c->reason = g_strdup_printf("line %" PRIu64 ": prev is not a SHA-256", c->n);
		goto bad;
	}
	if ((uint64_t)seq != c->n) {
		c->reason = g_strdup_printf("line %" PRIu64 ": seq is %" PRId64 ", expected %" PRIu64
		                            " (a line was removed or inserted)",
		                            c->n, seq, c->n);
		goto bad;
	}
	if (strcmp(got, c->prev) != 0) {
		/* The line before is the one that differs from what was written:
		 * its successor recorded another hash for it. */
		if (c->n == 1)
			c->reason = g_strdup("line 1: prev is not zero: lines before it were removed");
		else
			c->reason = g_strdup_printf("line %" PRIu64 " was changed: line %" PRIu64
			                            " records a different SHA-256 for it",
			                            c->n - 1, c->n);
		c->bad = c->n > 1 ? c->n - 1 : 1;
		return false;
	}
	hash_sha256_hex(line, len, c->prev);
	return true;
bad:
	c->bad = c->n;
	return false;
}

bool audit_verify_chain(const char *store_dir, uint64_t *lines, uint64_t *bad_line,
                        char **reason, GError **err)
{
	chain_state c = { .n = 0 };
	strcpy(c.prev, ZERO_HASH);
	GError *e = NULL;
	uint64_t torn = 0;
	bool intact = audit_foreach(store_dir, check_line, &c, &torn, &e);
	if (e) {
		g_propagate_error(err, e);
		g_free(c.reason);
		return false;
	}
	if (intact && torn) {
		c.bad = c.n + 1;
		c.reason = g_strdup_printf("line %" PRIu64 " is torn: the log ends in %" PRIu64
		                           " bytes without a newline (a write interrupted or still "
		                           "going on; the next writing run repairs it)",
		                           c.bad, torn);
		intact = false;
	}
	if (lines)
		*lines = c.n;
	if (!intact) {
		if (bad_line)
			*bad_line = c.bad;
		if (reason)
			*reason = c.reason;
		else
			g_free(c.reason);
	}
	return intact;
}

/*
 * A torn tail, repaired (see audit.h). The bytes after the last newline
 * never were a record: write(2) of whole lines was cut short (a power cut,
 * a full disk, a kill on a file system that does not finish a write) and
 * never reached its fsync. They are cut off, so that the next line is not
 * glued onto them and the chain stays whole, but they are not destroyed:
 * an archivist may want to see what the interrupted run was recording.
 * They go to a file of their own beside the log (tmp/ is emptied by every
 * locked run: no place to keep anything; catalog.sqlite.damaged-TIME is
 * the store's other piece of debris kept aside), written and fsync'd
 * before the log is cut, so that no crash loses them.
 *
 * One exception: bytes that are a whole line, exactly what audit_append
 * writes next (the strict line format, seq one more than the line before,
 * prev the SHA-256 of that line), missing only the newline. A prefix of a
 * line cannot pass that test (it ends with ,"prev":"<64 hex>"}, which no
 * shorter piece of a line does), so these are all the bytes of the record
 * but the last. Its content is as trustworthy as any log's last line (no
 * later line vouches for it either); cutting it would drop a record,
 * possibly of something done (a disposal, a verification), for want of
 * one byte. The newline is added instead.
 */

/* Does frag (len bytes) pass the chain check as the line after prev? */
static bool is_next_line(const char *prev, const char *frag, size_t len)
{
	if (len != strlen(frag)) /* a NUL: not a line of ours */
		return false;
	chain_state c = { .n = 0 };
	if (*prev) {
		c.n = audit_line_seq(prev);
		if (c.n == 0)
			return false;
		hash_sha256_hex(prev, strlen(prev), c.prev);
	} else {
		strcpy(c.prev, ZERO_HASH);
	}
	bool ok = check_line(frag, &c);
	g_free(c.reason);
	return ok;
}

/* Write the torn bytes to STORE/audit.log.torn-TIME (-2, -3… when taken),
 * fsync'd with the directory; *name receives the file's name. */
static bool keep_torn(const char *store_dir, const char *bytes, size_t len, char **name,
                      GError **err)
{
	GDateTime *now = testhook_now_utc();
	char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
	g_date_time_unref(now);
	char *path = NULL;
	for (unsigned k = 1;; k++) {
		g_free(*name);
		g_free(path);
		*name = k == 1 ? g_strdup_printf("audit.log.torn-%s", stamp)
		               : g_strdup_printf("audit.log.torn-%s-%u", stamp, k);
		path = g_build_filename(store_dir, *name, NULL);
		/* Only the lock's holder writes here: a name seen free stays free. */
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			break;
	}
	bool ok = disk_write_new(path, bytes, len, true, err) && disk_fsync(store_dir, err);
	g_free(path);
	g_free(stamp);
	return ok;
}

bool audit_repair_tail(const char *store_dir, audit_tail *t, GError **err)
{
	memset(t, 0, sizeof *t);
	char *path = log_path(store_dir);
	char *frag = NULL, *prev = NULL;
	bool ok = false;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ok = errno == ENOENT;
		if (!ok)
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
		goto out;
	}
	off_t size, tail;
	size_t len;
	if (!log_end(fd, &size, &tail, err))
		goto out;
	if (tail == size) {
		ok = true;
		goto out;
	}
	if (!(frag = read_range(fd, tail, size, &len, err)) || !(prev = line_before(fd, tail, err)))
		goto out;
	t->bytes = len;
	t->after_seq = audit_line_seq(prev);
	hash_sha256_hex(frag, len, t->sha256);
	if (is_next_line(prev, frag, len)) {
		if (pwrite(fd, "\n", 1, size) != 1 || fsync(fd) != 0) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			goto out;
		}
		t->completed = true;
	} else {
		if (!keep_torn(store_dir, frag, len, &t->kept, err))
			goto out;
		testhook_crash_point("audit.torn_kept");
		if (ftruncate(fd, tail) != 0 || fsync(fd) != 0) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, path);
			goto out;
		}
	}
	testhook_crash_point("audit.tail_repaired");
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	g_free(frag);
	g_free(prev);
	g_free(path);
	return ok;
}

void audit_tail_clear(audit_tail *t)
{
	g_free(t->kept);
	memset(t, 0, sizeof *t);
}
