/* Unit tests: the hash-chained audit log. */
#include "unit.h"
#include "store/audit.h"
#include "core/hash.h"

#include <pwd.h>
#include <unistd.h>

static char *logfile(const char *dir) { return g_build_filename(dir, "audit.log", NULL); }

static void append(const char *dir, const char *event, const char *id)
{
	audit_entry *e = audit_entry_new(event);
	audit_entry_set(e, "id", id);
	audit_entry_set_int(e, "n", 42);
	audit_entry_set_bool(e, "valid", true);
	audit_entry_set_json(e, "problems", "[]");
	GError *err = NULL;
	EXPECT(audit_append(dir, e, NULL, &err));
	audit_entry_free(e);
}

/* Replace the file's text. */
static void rewrite(const char *dir, const char *from, const char *to)
{
	char *p = logfile(dir), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	char **parts = g_strsplit(s, from, 2);
	char *t = g_strjoinv(to, parts);
	g_file_set_contents(p, t, -1, NULL);
	g_free(t);
	g_strfreev(parts);
	g_free(s);
	g_free(p);
}

static uint64_t broken_at(const char *dir, char **reason)
{
	uint64_t lines = 0, bad = 0;
	GError *err = NULL;
	bool ok = audit_verify_chain(dir, &lines, &bad, reason, &err);
	EXPECT(err == NULL);
	return ok ? 0 : bad;
}

TEST(lines_are_chained)
{
	char *d = unit_tmpdir();
	uint64_t lines = 99;
	EXPECT(audit_verify_chain(d, &lines, NULL, NULL, NULL) && lines == 0);
	append(d, "ingest", "a");
	char *line = NULL;
	audit_entry *e = audit_entry_new("hold");
	audit_entry_set(e, "id", "b \"quoted\"\n");
	audit_entry_set(e, "reason", NULL);
	EXPECT(audit_append(d, e, &line, NULL));
	audit_entry_free(e);
	append(d, "verify", "c");
	EXPECT(audit_verify_chain(d, &lines, NULL, NULL, NULL) && lines == 3);

	char *p = logfile(d), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	char **l = g_strsplit(s, "\n", -1);
	EXPECT(g_str_has_prefix(l[0], "{\"seq\":1,\"time\":\"") && strstr(l[0], "\"event\":\"ingest\""));
	EXPECT(g_str_has_suffix(l[0], ",\"prev\":\"" "0000000000000000000000000000000000000000000000000000000000000000\"}"));
	EXPECT(g_str_has_prefix(l[1], "{\"seq\":2,"));
	EXPECT_STR(l[1], line);
	EXPECT(strstr(l[1], "\"id\":\"b \\\"quoted\\\"\\n\",\"reason\":null,") != NULL);
	char h[65];
	hash_sha256_hex(l[1], strlen(l[1]), h);
	char *want = g_strdup_printf(",\"prev\":\"%s\"}", h);
	EXPECT(g_str_has_suffix(l[2], want));
	EXPECT_STR(l[3], "");
	g_free(want);
	g_strfreev(l);
	g_free(s);
	g_free(p);
	g_free(line);
	g_free(d);
}

/* The uid's name is the user; SUDO_USER only a claim beside it. */
TEST(the_user_is_the_uid_and_sudo_a_claim)
{
	char *d = unit_tmpdir();
	struct passwd *pw = getpwuid(getuid());
	const char *me = pw ? pw->pw_name : NULL;
	g_setenv("SUDO_USER", "someone-else", TRUE);
	append(d, "ingest", "a");
	g_setenv("SUDO_USER", me ? me : "", TRUE);
	append(d, "ingest", "b");
	g_unsetenv("SUDO_USER");
	append(d, "ingest", "c");
	char *p = logfile(d), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	char **l = g_strsplit(s ? s : "", "\n", -1);
	char *user = g_strdup_printf("\"user\":\"%s\"", me ? me : "?");
	EXPECT(g_strv_length(l) == 4);
	if (g_strv_length(l) == 4) {
		EXPECT(strstr(l[0], user) && strstr(l[0], "\"sudo_user\":\"someone-else\""));
		EXPECT(strstr(l[1], user) && !strstr(l[1], "sudo_user")); /* the same: said once */
		EXPECT(strstr(l[2], user) && !strstr(l[2], "sudo_user"));
	}
	EXPECT(audit_verify_chain(d, NULL, NULL, NULL, NULL));
	g_free(user);
	g_strfreev(l);
	g_free(s);
	g_free(p);
	g_free(d);
}

TEST(a_changed_line_is_named)
{
	char *d = unit_tmpdir();
	append(d, "ingest", "a");
	append(d, "ingest", "b");
	append(d, "ingest", "c");
	append(d, "dispose", "d");
	rewrite(d, "\"id\":\"b\"", "\"id\":\"B\"");
	char *reason = NULL;
	EXPECT_INT(broken_at(d, &reason), 2);
	EXPECT(reason && strstr(reason, "line 2 was changed"));
	g_free(reason);
	g_free(d);
}

TEST(a_removed_or_inserted_line_is_named)
{
	char *d = unit_tmpdir();
	append(d, "ingest", "a");
	append(d, "ingest", "b");
	append(d, "ingest", "c");
	char *p = logfile(d), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	char **l = g_strsplit(s, "\n", -1);
	char *without = g_strconcat(l[0], "\n", l[2], "\n", NULL);
	g_file_set_contents(p, without, -1, NULL);
	char *reason = NULL;
	EXPECT_INT(broken_at(d, &reason), 2);
	EXPECT(reason && strstr(reason, "removed or inserted"));
	g_free(reason);
	reason = NULL;
	char *garbage = g_strconcat(l[0], "\nnot json\n", l[1], "\n", NULL);
	g_file_set_contents(p, garbage, -1, NULL);
	EXPECT_INT(broken_at(d, &reason), 2);
	EXPECT(reason && strstr(reason, "not an audit entry"));
	g_free(reason);
	/* Appending after a removal still continues from the last line. */
	g_free(garbage);
	g_free(without);
	g_strfreev(l);
	g_free(s);
	g_free(p);
	g_free(d);
}

TEST(unwritable_log_is_a_store_error)
{
	char *d = unit_tmpdir();
	char *p = logfile(d);
	g_mkdir_with_parents(p, 0755); /* a directory where the log should be */
	audit_entry *e = audit_entry_new("ingest");
	GError *err = NULL;
	EXPECT(!audit_append(d, e, NULL, &err));
	EXPECT(err && strstr(err->message, "audit.log"));
	g_clear_error(&err);
	audit_entry_free(e);
	g_free(p);
	g_free(d);
}

static audit_entry *entry(const char *event, const char *id)
{
	audit_entry *e = audit_entry_new(event);
	audit_entry_set(e, "id", id);
	audit_entry_set_bool(e, "valid", true);
	audit_entry_set_json(e, "problems", "[{\"file\":\"x\",\"reason\":\"y\"}]");
	return e;
}

static char *log_text(const char *dir)
{
	char *p = logfile(dir), *s = NULL;
	if (!g_file_get_contents(p, &s, NULL, NULL))
		s = NULL;
	g_free(p);
	return s;
}

/* A batch writes exactly the bytes that appending its entries one by one
 * writes: same seq, same prev chain, after lines already there, and the
 * lines it returns are the file's. */
TEST(a_batch_writes_what_appends_one_by_one_write)
{
	g_setenv("ARCHIVE_TEST_NOW", "2030-01-01T00:00:00Z", TRUE);
	char *one = unit_tmpdir(), *many = unit_tmpdir();
	const char *ids[] = { "a", "b", "c", "d", "e" };
	GError *err = NULL;
	append(one, "ingest", "first");
	append(many, "ingest", "first");
	for (int i = 0; i < 5; i++) {
		audit_entry *e = entry("verify", ids[i]);
		EXPECT(audit_append(one, e, NULL, &err));
		audit_entry_free(e);
	}
	audit_batch *b = audit_batch_new();
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	/* An empty batch writes nothing and returns no line. */
	EXPECT(audit_batch_append(many, b, lines, &err) && lines->len == 0);
	for (int i = 0; i < 3; i++)
		audit_batch_add(b, entry("verify", ids[i]));
	EXPECT_INT(audit_batch_len(b), 3);
	EXPECT(audit_batch_append(many, b, lines, &err));
	EXPECT_INT(audit_batch_len(b), 0);
	for (int i = 3; i < 5; i++)
		audit_batch_add(b, entry("verify", ids[i]));
	EXPECT(audit_batch_append(many, b, lines, &err));
	EXPECT(err == NULL);
	char *a = log_text(one), *m = log_text(many);
	EXPECT_STR(m, a);
	uint64_t n = 0;
	EXPECT(audit_verify_chain(many, &n, NULL, NULL, NULL) && n == 6);
	/* The lines returned, in order, are the file's lines 2..6. */
	char **l = g_strsplit(m ? m : "", "\n", -1);
	EXPECT_INT(lines->len, 5);
	for (guint i = 0; i < lines->len && l[0] && l[i + 1]; i++)
		EXPECT_STR(g_ptr_array_index(lines, i), l[i + 1]);
	/* One by one after a batch continues the chain. */
	append(many, "hold", "z");
	EXPECT(audit_verify_chain(many, &n, NULL, NULL, NULL) && n == 7);
	g_strfreev(l);
	g_free(a);
	g_free(m);
	g_ptr_array_unref(lines);
	audit_batch_free(b);
	g_free(one);
	g_free(many);
	g_unsetenv("ARCHIVE_TEST_NOW");
}

/* An entry of a batch is timed when added, not when written. */
TEST(a_batch_entry_has_the_time_it_was_added)
{
	char *d = unit_tmpdir();
	audit_batch *b = audit_batch_new();
	g_setenv("ARCHIVE_TEST_NOW", "2030-01-01T00:00:00Z", TRUE);
	audit_batch_add(b, entry("verify", "a"));
	g_setenv("ARCHIVE_TEST_NOW", "2030-01-02T00:00:00Z", TRUE);
	audit_batch_add(b, entry("verify", "b"));
	g_setenv("ARCHIVE_TEST_NOW", "2030-01-03T00:00:00Z", TRUE);
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	EXPECT(audit_batch_append(d, b, lines, NULL) && lines->len == 2);
	EXPECT(lines->len == 2 &&
	       strstr(g_ptr_array_index(lines, 0), "\"time\":\"2030-01-01T00:00:00Z\"") &&
	       strstr(g_ptr_array_index(lines, 1), "\"time\":\"2030-01-02T00:00:00Z\""));
	g_ptr_array_unref(lines);
	audit_batch_free(b);
	g_unsetenv("ARCHIVE_TEST_NOW");
	g_free(d);
}

/* A batch that cannot be written is an error and is emptied; the log it
 * could not reach is not touched, and a batch freed unwritten leaks
 * nothing (ASan). */
TEST(an_unwritable_batch_is_a_store_error)
{
	char *d = unit_tmpdir();
	char *p = logfile(d);
	g_mkdir_with_parents(p, 0755);
	audit_batch *b = audit_batch_new();
	audit_batch_add(b, entry("verify", "a"));
	audit_batch_add(b, entry("verify", "b"));
	GError *err = NULL;
	EXPECT(!audit_batch_append(d, b, NULL, &err));
	EXPECT(err && strstr(err->message, "audit.log"));
	EXPECT_INT(audit_batch_len(b), 0);
	g_clear_error(&err);
	audit_batch_add(b, entry("verify", "c"));
	audit_batch_free(b);
	g_free(p);
	g_free(d);
}

/* Append raw bytes to the log, as a torn write would leave them. */
static void tear(const char *dir, const char *bytes, gssize len)
{
	char *p = logfile(dir), *s = NULL;
	gsize n = 0;
	g_file_get_contents(p, &s, &n, NULL);
	GString *t = g_string_new_len(s, (gssize)n);
	g_string_append_len(t, bytes, len < 0 ? (gssize)strlen(bytes) : len);
	EXPECT(g_file_set_contents(p, t->str, (gssize)t->len, NULL));
	g_string_free(t, TRUE);
	g_free(s);
	g_free(p);
}

static bool count_line(const char *line, void *arg)
{
	(void)line;
	(*(int *)arg)++;
	return true;
}

/* A log ending in a torn line: readers take only the whole lines and say
 * how many bytes are torn; the chain is not intact and names the torn
 * line; nothing is glued onto it. */
TEST(a_torn_line_is_no_record)
{
	char *d = unit_tmpdir();
	append(d, "ingest", "a");
	append(d, "ingest", "b");
	tear(d, "{\"seq\":3,\"time\":\"2026-01-01T00:00:00Z\",\"us", -1);
	int n = 0;
	uint64_t torn = 0;
	GError *err = NULL;
	EXPECT(audit_foreach(d, count_line, &n, &torn, &err));
	EXPECT_INT(n, 2);
	EXPECT_INT(torn, 42);
	uint64_t lines = 0, bad = 0;
	char *why = NULL;
	EXPECT(!audit_verify_chain(d, &lines, &bad, &why, &err));
	EXPECT(err == NULL);
	EXPECT_INT(lines, 2);
	EXPECT_INT(bad, 3);
	EXPECT(why && strstr(why, "line 3 is torn") && strstr(why, "42 bytes without a newline"));
	g_free(why);
	/* Appending now would glue the line onto the fragment: refused. */
	audit_entry *e = audit_entry_new("hold");
	EXPECT(!audit_append(d, e, NULL, &err));
	EXPECT(err && strstr(err->message, "audit.log") && strstr(err->message, "torn"));
	g_clear_error(&err);
	audit_entry_free(e);
	/* A log of nothing but a fragment. */
	char *d2 = unit_tmpdir();
	tear(d2, "{\"seq\":1,\"ti", -1);
	n = 0;
	EXPECT(audit_foreach(d2, count_line, &n, &torn, &err) && n == 0 && torn == 12);
	EXPECT(!audit_verify_chain(d2, &lines, &bad, NULL, &err) && lines == 0 && bad == 1);
	g_free(d2);
	g_free(d);
}

/* audit_repair_tail: fragments are cut and kept; a whole line that lacks
 * only its newline is completed; a whole log is left alone. */
TEST(a_torn_tail_is_cut_and_kept_or_completed)
{
	g_setenv("ARCHIVE_TEST_NOW", "2026-03-04T05:06:07Z", TRUE);
	char *d = unit_tmpdir();
	char *p = logfile(d);
	GError *err = NULL;
	audit_tail t;
	/* No log, and a whole log: nothing to do. */
	EXPECT(audit_repair_tail(d, &t, &err) && t.bytes == 0 && !t.kept);
	append(d, "ingest", "a");
	append(d, "ingest", "b");
	char *whole = NULL;
	g_file_get_contents(p, &whole, NULL, NULL);
	EXPECT(audit_repair_tail(d, &t, &err) && t.bytes == 0 && !t.kept);

	/* A fragment, with a NUL as a power cut may leave: cut off, kept. */
	tear(d, "{\"seq\":3,\"ti\0\0", 15);
	EXPECT(audit_repair_tail(d, &t, &err));
	EXPECT(err == NULL);
	EXPECT_INT(t.bytes, 15);
	EXPECT_INT(t.after_seq, 2);
	EXPECT(!t.completed);
	EXPECT_STR(t.kept, "audit.log.torn-20260304T050607Z");
	char want[65];
	hash_sha256_hex("{\"seq\":3,\"ti\0\0", 15, want);
	EXPECT_STR(t.sha256, want);
	char *kept = g_build_filename(d, "audit.log.torn-20260304T050607Z", NULL), *k = NULL;
	gsize kn = 0;
	EXPECT(g_file_get_contents(kept, &k, &kn, NULL) && kn == 15 &&
	       memcmp(k, "{\"seq\":3,\"ti\0\0", 15) == 0);
	g_free(k);
	char *now = NULL;
	g_file_get_contents(p, &now, NULL, NULL);
	EXPECT_STR(now, whole);
	g_free(now);
	audit_tail_clear(&t);
	append(d, "ingest", "c");
	uint64_t lines = 0;
	EXPECT(audit_verify_chain(d, &lines, NULL, NULL, NULL) && lines == 3);

	/* Torn again in the same second: a second file, not over the first. */
	tear(d, "{\"seq\"", -1);
	EXPECT(audit_repair_tail(d, &t, &err));
	EXPECT_STR(t.kept, "audit.log.torn-20260304T050607Z-2");
	audit_tail_clear(&t);

	/* A whole line, the chain's next, without its newline: completed. */
	append(d, "ingest", "d");
	g_free(whole);
	g_file_get_contents(p, &whole, NULL, NULL);
	EXPECT(truncate(p, (off_t)strlen(whole) - 1) == 0);
	EXPECT(audit_repair_tail(d, &t, &err));
	EXPECT(t.completed && !t.kept);
	EXPECT_INT(t.after_seq, 3);
	g_file_get_contents(p, &now, NULL, NULL);
	EXPECT_STR(now, whole);
	g_free(now);
	char *line4 = g_strdup(strrchr(g_strchomp(whole), '\n') + 1);
	EXPECT_INT(t.bytes, strlen(line4));
	audit_tail_clear(&t);
	EXPECT(audit_verify_chain(d, &lines, NULL, NULL, NULL) && lines == 4);

	/* A whole line whose seq is not the next one: not the next record of
	 * this chain; cut and kept like any fragment. */
	char *bad = g_strdup(line4);
	char *seq = strstr(bad, "\"seq\":4,");
	seq[6] = '5';
	tear(d, bad, -1);
	EXPECT(audit_repair_tail(d, &t, &err));
	EXPECT(!t.completed && t.kept);
	audit_tail_clear(&t);
	/* The very first line, whole but for its newline: completed. */
	char *d2 = unit_tmpdir();
	append(d2, "ingest", "a");
	char *p2 = logfile(d2);
	EXPECT(truncate(p2, 0) == 0);
	/* Line 1 of another log with the same entry: prev zeros, seq 1. */
	char *one = NULL;
	g_file_get_contents(p, &one, NULL, NULL);
	*strchr(one, '\n') = '\0';
	tear(d2, one, -1);
	EXPECT(audit_repair_tail(d2, &t, &err) && t.completed && t.after_seq == 0);
	audit_tail_clear(&t);
	EXPECT(audit_verify_chain(d2, &lines, NULL, NULL, NULL) && lines == 1);
	g_free(one);
	g_free(p2);
	g_free(d2);
	g_free(bad);
	g_free(line4);
	g_free(kept);
	g_free(whole);
	g_free(p);
	g_free(d);
	g_unsetenv("ARCHIVE_TEST_NOW");
}

/* The lines flushed so far (ARCHIVE_TEST_FSYNC_LOG), one path each. */
static char **fsyncs(const char *log)
{
	char *text = NULL;
	g_file_get_contents(log, &text, NULL, NULL);
	char **v = g_strsplit(text ? text : "", "\n", -1);
	g_free(text);
	return v;
}

static int index_of(char **v, const char *s, int from)
{
	for (int i = from; v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return -1;
}

/* A new audit.log is an entry of the store's folder: flushed after the
 * log's first lines, or a power cut could lose the whole log while the
 * bundles it records stay. Later appends create nothing. */
TEST(a_new_log_has_its_folder_flushed)
{
	char *dir = unit_tmpdir(), *scratch = unit_tmpdir();
	char *log = g_build_filename(scratch, "fsyncs", NULL), *path = logfile(dir);
	g_setenv("ARCHIVE_TEST_FSYNC_LOG", log, TRUE);
	append(dir, "ingest", "first");
	char **v = fsyncs(log);
	int at = index_of(v, path, 0);
	EXPECT(at >= 0 && index_of(v, dir, at + 1) > at);
	g_strfreev(v);
	unlink(log);
	append(dir, "ingest", "second");
	v = fsyncs(log);
	EXPECT(index_of(v, path, 0) >= 0 && index_of(v, dir, 0) < 0);
	g_strfreev(v);
	g_unsetenv("ARCHIVE_TEST_FSYNC_LOG");
	g_free(path);
	g_free(log);
	g_free(scratch);
	g_free(dir);
}

typedef struct {
	const char *want; /* the line to stop at */
	GString *seen;    /* every line looked at, last first, one a row */
} back_ctx;

static bool stop_at(const char *line, void *arg)
{
	back_ctx *x = arg;
	g_string_append_printf(x->seen, "%.12s|", line);
	return strcmp(line, x->want) == 0;
}

/* audit_find_back: from the end, past a torn tail, over lines longer than
 * one read, to the line asked for; -1 when none is, and for no log. */
TEST(lines_are_found_from_the_end)
{
	char *d = unit_tmpdir(), *p = logfile(d);
	GError *e = NULL;
	off_t at = 0;
	back_ctx x = { "b", g_string_new(NULL) };
	EXPECT(audit_find_back(d, stop_at, &x, &at, &e) && at == -1 && e == NULL);
	char *longline = g_strnfill(10000, 'L');
	char *text = g_strdup_printf("a\nb\n%s\nc\ntorn", longline);
	EXPECT(g_file_set_contents(p, text, -1, NULL));
	EXPECT(audit_find_back(d, stop_at, &x, &at, &e) && at == 4);
	EXPECT_STR(x.seen->str, "c|LLLLLLLLLLLL|b|");
	/* What follows is read from there. */
	g_string_truncate(x.seen, 0);
	x.want = "nothing";
	EXPECT(audit_find_back(d, stop_at, &x, &at, &e) && at == -1);
	EXPECT_STR(x.seen->str, "c|LLLLLLLLLLLL|b|a|");
	x.want = "a";
	g_string_truncate(x.seen, 0);
	EXPECT(g_file_set_contents(p, "a\n", -1, NULL));
	EXPECT(audit_find_back(d, stop_at, &x, &at, &e) && at == 2);
	EXPECT(g_file_set_contents(p, "no newline at all", -1, NULL));
	EXPECT(audit_find_back(d, stop_at, &x, &at, &e) && at == -1);
	g_string_free(x.seen, TRUE);
	g_free(text);
	g_free(longline);
	g_free(p);
	g_free(d);
}

TEST(lines_are_read_from_an_offset)
{
	char *d = unit_tmpdir(), *p = logfile(d);
	GError *e = NULL;
	EXPECT(g_file_set_contents(p, "a\nb\nc\ntorn", -1, NULL));
	int n = 0;
	uint64_t torn = 0;
	EXPECT(audit_foreach_from(d, 4, count_line, &n, &torn, &e) && n == 1 && torn == 4);
	n = 0;
	EXPECT(audit_foreach_from(d, 0, count_line, &n, &torn, &e) && n == 3);
	g_free(p);
	g_free(d);
}

UNIT_MAIN(lines_are_chained, the_user_is_the_uid_and_sudo_a_claim, a_changed_line_is_named, a_removed_or_inserted_line_is_named,
          unwritable_log_is_a_store_error, a_batch_writes_what_appends_one_by_one_write,
          a_batch_entry_has_the_time_it_was_added, an_unwritable_batch_is_a_store_error,
          a_torn_line_is_no_record, a_torn_tail_is_cut_and_kept_or_completed,
          a_new_log_has_its_folder_flushed, lines_are_found_from_the_end,
          lines_are_read_from_an_offset)
