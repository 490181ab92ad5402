/* Unit tests: the hash-chained audit log. */
#include "unit.h"
#include "audit.h"
#include "hash.h"

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

UNIT_MAIN(lines_are_chained, a_changed_line_is_named, a_removed_or_inserted_line_is_named,
          unwritable_log_is_a_store_error, a_batch_writes_what_appends_one_by_one_write,
          a_batch_entry_has_the_time_it_was_added, an_unwritable_batch_is_a_store_error)
