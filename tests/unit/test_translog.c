/* Unit tests: the store's transparency log (log/translog.h). */
#include "store_fixture.h"
#include "log/merkle.h"
#include "log/note.h"
#include "log/translog.h"
#include "log/tsa.h"
#include "core/errors.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static char *key_of(const store_fixture *f) { return translog_key_path(f->dir, NULL); }

static char *slurp(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	g_free(p);
	return s;
}

TEST(sync_signs_every_audit_line)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *key = key_of(&f);
	translog_result r;
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e));
	EXPECT(r.key_made && r.appended == r.size && r.size > 0);
	char *log = slurp(f.dir, "audit.log");
	guint lines = 0;
	for (const char *p = log; (p = strchr(p, '\n')); p++)
		lines++;
	EXPECT_INT(r.size, lines);
	/* Again: nothing new, nothing written. */
	char *cp1 = slurp(f.dir, "log/checkpoint");
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e) && r.appended == 0 && !r.key_made);
	char *cp2 = slurp(f.dir, "log/checkpoint");
	EXPECT_STR(cp2, cp1);
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
	translog_verdict v;
	EXPECT(translog_verify(f.dir, cp1, problems, &v, &e));
	EXPECT_INT(problems->len, 0);
	EXPECT_INT(v.size, lines);
	g_ptr_array_unref(problems);
	g_free(cp2);
	g_free(cp1);
	g_free(log);
	g_free(key);
	store_fixture_close(&f);
}

TEST(a_proof_verifies_against_the_checkpoint)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *key = key_of(&f);
	translog_result r;
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e));
	char *proof = translog_proof(f.dir, 1, &e);
	EXPECT(proof && g_str_has_prefix(proof, "c2sp.org/tlog-proof@v1\nextra "));
	/* Its parts: the entry, the index, the hashes, the checkpoint. */
	char **parts = g_strsplit(proof, "\n\n", 2);
	char **lines = g_strsplit(parts[0], "\n", -1);
	gsize len;
	guchar *entry = g_base64_decode(lines[1] + 6, &len);
	EXPECT_STR(lines[2], "index 1");
	GArray *path = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	for (int i = 3; lines[i]; i++) {
		gsize n;
		guchar *h = g_base64_decode(lines[i], &n);
		EXPECT_INT(n, 32);
		g_array_append_vals(path, h, 1);
		g_free(h);
	}
	char *text = NULL, *origin = NULL;
	uint64_t size;
	merkle_hash root, leaf;
	EXPECT(note_split(parts[1], &text, NULL, &e) && checkpoint_parse(text, &origin, &size, root, &e));
	merkle_leaf_hash(entry, len, leaf);
	EXPECT(merkle_verify_inclusion(1, size, leaf, (const merkle_hash *)(void *)path->data, path->len,
	                               root));
	leaf[0] ^= 1;
	EXPECT(!merkle_verify_inclusion(1, size, leaf, (const merkle_hash *)(void *)path->data,
	                                path->len, root));
	/* Past the checkpoint: no proof. */
	EXPECT(!translog_proof(f.dir, size, &e) && e->code == ARC_ERROR_INPUT);
	g_clear_error(&e);
	g_array_unref(path);
	g_free(origin);
	g_free(text);
	g_free(entry);
	g_strfreev(lines);
	g_strfreev(parts);
	g_free(proof);
	g_free(key);
	store_fixture_close(&f);
}

/* A writing run reads the audit log from the last line its checkpoint
 * covers (found from the end): a change before it, with the lines after
 * re-chained as an insider would, changes that line too and nothing is
 * signed; a change that leaves it (and breaks the chain) leaves the signed
 * tree as it was, and log verify names it. */
TEST(a_changed_audit_log_is_not_signed)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *key = key_of(&f);
	translog_result r;
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e));
	char *path = g_build_filename(f.dir, "audit.log", NULL), *log = NULL;
	EXPECT(g_file_get_contents(path, &log, NULL, NULL));
	char *first = strstr(log, "\"user\":\""), *last = g_strrstr(log, "\"user\":\"");
	EXPECT(first && last && first != last);
	first[8] = first[8] == 'x' ? 'y' : 'x';
	EXPECT(g_file_set_contents(path, log, -1, NULL));
	char *before = slurp(f.dir, "log/checkpoint");
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e) && r.appended == 0);
	char *after = slurp(f.dir, "log/checkpoint");
	EXPECT_STR(after, before);
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
	translog_verdict v;
	EXPECT(translog_verify(f.dir, NULL, problems, &v, &e) && problems->len == 1);
	g_ptr_array_unref(problems);
	g_free(after);
	/* The last covered line changed too: not signed. */
	last[8] = last[8] == 'x' ? 'y' : 'x';
	EXPECT(g_file_set_contents(path, log, -1, NULL));
	EXPECT(!translog_sync(f.dir, key, NULL, &r, &e) && strstr(e->message, "the audit log was changed"));
	g_clear_error(&e);
	after = slurp(f.dir, "log/checkpoint");
	EXPECT_STR(after, before);
	g_free(after);
	g_free(before);
	g_free(log);
	g_free(path);
	g_free(key);
	store_fixture_close(&f);
}

/* The tiles changed under the checkpoint: nothing is signed. */
TEST(changed_tiles_are_not_signed)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *key = key_of(&f);
	translog_result r;
	EXPECT(translog_sync(f.dir, key, NULL, &r, &e) && r.size > 0);
	char *tile = g_build_filename(f.dir, "log", "tile", "0", "000.p", NULL);
	GDir *d = g_dir_open(tile, 0, NULL);
	const char *w = d ? g_dir_read_name(d) : NULL;
	EXPECT(w != NULL);
	char *p = g_build_filename(tile, w, NULL), *bytes = NULL;
	gsize n = 0;
	EXPECT(g_file_get_contents(p, &bytes, &n, NULL) && n >= 32);
	bytes[0] ^= 1;
	EXPECT(g_file_set_contents(p, bytes, (gssize)n, NULL));
	char *before = slurp(f.dir, "log/checkpoint");
	EXPECT(!translog_sync(f.dir, key, NULL, &r, &e) && strstr(e->message, "the tiles do not make"));
	g_clear_error(&e);
	char *after = slurp(f.dir, "log/checkpoint");
	EXPECT_STR(after, before);
	g_free(after);
	g_free(before);
	g_free(bytes);
	g_free(p);
	if (d)
		g_dir_close(d);
	g_free(tile);
	g_free(key);
	store_fixture_close(&f);
}

TEST(a_key_is_never_replaced)
{
	char *dir = unit_tmpdir(), *path = g_build_filename(dir, "k", NULL), *v = NULL;
	GError *e = NULL;
	EXPECT(translog_key_generate(path, "example.org/log", false, &v, &e));
	EXPECT(g_str_has_prefix(v, "example.org/log+"));
	char *v2 = NULL;
	EXPECT(!translog_key_generate(path, NULL, false, &v2, &e) && e->code == ARC_ERROR_INPUT);
	g_clear_error(&e);
	EXPECT(v2 == NULL);
	g_free(v);
	g_free(path);
	g_free(dir);
}

/* A port on 127.0.0.1 that nothing listens on: bound, then closed. */
static int closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int port = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	                   getsockname(fd, (struct sockaddr *)&a, &len) == 0
	               ? ntohs(a.sin_port)
	               : 9;
	if (fd >= 0)
		close(fd);
	return port;
}

TEST(a_tsa_that_is_down_is_only_a_warning)
{
	store_fixture f;
	store_fixture_open(&f, NULL);
	GError *e = NULL;
	char *key = key_of(&f), *url = g_strdup_printf("http://127.0.0.1:%d/", closed_port());
	translog_result r;
	EXPECT(translog_sync(f.dir, key, url, &r, &e) && r.size > 0);
	EXPECT(r.tsa_error && g_str_has_prefix(r.tsa_error, "tsa ") && strstr(r.tsa_error, url));
	char *cp = slurp(f.dir, "log/checkpoint"), *tsr = slurp(f.dir, "log/checkpoint.tsr");
	EXPECT(cp && !tsr);
	g_free(r.tsa_error);
	/* Nothing new, but no time-stamp yet: asked again. */
	EXPECT(translog_sync(f.dir, key, url, &r, &e) && r.appended == 0 && r.tsa_error);
	g_free(r.tsa_error);
	/* Only http and https. */
	EXPECT(translog_sync(f.dir, key, "file:///etc/passwd", &r, &e) && r.tsa_error &&
	       strstr(r.tsa_error, "tsa file:///etc/passwd: "));
	g_free(r.tsa_error);
	g_free(cp);
	g_free(url);
	g_free(key);
	store_fixture_close(&f);
}

TEST(a_reply_that_is_not_a_timestamp_covers_nothing)
{
	GBytes *b = g_bytes_new_static("0\x03\x02\x01\x00", 5);
	EXPECT(!tsa_reply_covers(b, "x", 1));
	g_bytes_unref(b);
	b = g_bytes_new_static("", 0);
	EXPECT(!tsa_reply_covers(b, "x", 1));
	g_bytes_unref(b);
}

UNIT_MAIN(sync_signs_every_audit_line, a_proof_verifies_against_the_checkpoint,
          a_changed_audit_log_is_not_signed, changed_tiles_are_not_signed, a_key_is_never_replaced,
          a_tsa_that_is_down_is_only_a_warning, a_reply_that_is_not_a_timestamp_covers_nothing)
