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

UNIT_MAIN(lines_are_chained, a_changed_line_is_named, a_removed_or_inserted_line_is_named,
          unwritable_log_is_a_store_error)
