/* Unit tests: json writer, checks list, hashing. */
#include <unistd.h>
#include "unit.h"
#include "ingest/checks.h"
#include "core/hash.h"
#include "core/json.h"

TEST(json_nesting_and_commas)
{
	json_writer *w = json_new(false);
	json_begin_object(w);
	json_kv_string(w, "a", "x");
	json_key(w, "b");
	json_begin_array(w);
	json_int(w, 1);
	json_bool(w, true);
	json_null(w);
	json_begin_object(w);
	json_end_object(w);
	json_end_array(w);
	json_kv_string(w, "c", NULL);
	json_end_object(w);
	char *s = json_finish(w);
	EXPECT_STR(s, "{\"a\":\"x\",\"b\":[1,true,null,{}],\"c\":null}");
	g_free(s);
}

TEST(json_escapes_and_invalid_utf8)
{
	json_writer *w = json_new(false);
	json_string(w, "q\"b\\n\n\x01 한\xff");
	char *s = json_finish(w);
	EXPECT_STR(s, "\"q\\\"b\\\\n\\n\\u0001 한\\ufffd\"");
	g_free(s);
}

/* The one reader: lenient getters over json-glib, and a parsed value
 * written back as it was. */
TEST(json_read_and_node)
{
	const char *line = "{\"seq\":7,\"time\":\"2024-05-10T00:00:00Z\",\"event\":\"verify\","
	                   "\"valid\":false,\"problems\":[{\"file\":\"a\\nb\",\"reason\":\"x\"}],"
	                   "\"o\":{\"k\":\"공공누리\"},\"n\":null}";
	GError *err = NULL;
	JsonObject *o = json_read_object(line, -1, &err);
	EXPECT(o && !err);
	EXPECT(json_get_int(o, "seq", 0) == 7);
	EXPECT_STR(json_get_string(o, "event"), "verify");
	EXPECT(!json_get_bool(o, "valid", true));
	EXPECT(json_get_bool(o, "absent", true));
	EXPECT(json_get_string(o, "seq") == NULL);  /* of another type */
	EXPECT(json_get_string(o, "n") == NULL);    /* null */
	EXPECT(json_get_int(o, "event", -1) == -1);
	EXPECT_STR(json_get_string(json_get_object(o, "o"), "k"), "공공누리");
	EXPECT(json_get_array(o, "problems") && json_array_get_length(json_get_array(o, "problems")) == 1);
	EXPECT(json_get_string(NULL, "x") == NULL); /* a line that did not parse */
	/* Written back: the same text, members in their order. */
	JsonNode *n = json_node_init_object(json_node_alloc(), o);
	json_writer *w = json_new(false);
	json_node(w, n);
	char *back = json_finish(w);
	EXPECT_STR(back, line);
	g_free(back);
	json_node_unref(n);
	json_object_unref(o);
	/* Not JSON, not an object, half a line: NULL with a reason. */
	EXPECT(json_read_object("[1,2]", -1, &err) == NULL && err);
	g_clear_error(&err);
	EXPECT(json_read_object(line, 20, &err) == NULL && err);
	g_clear_error(&err);
	EXPECT(json_read_object("", -1, &err) == NULL && err);
	g_clear_error(&err);
}

TEST(json_pretty)
{
	json_writer *w = json_new(true);
	json_begin_object(w);
	json_kv_int(w, "n", -3);
	json_key(w, "e");
	json_begin_array(w);
	json_end_array(w);
	json_end_object(w);
	char *s = json_finish(w);
	EXPECT_STR(s, "{\n  \"n\": -3,\n  \"e\": []\n}\n");
	g_free(s);
}

TEST(checks_status)
{
	check_list *l = check_list_new();
	EXPECT_STR(check_list_status(l), "pass");
	check_add(l, "release.title", CHECK_LEVEL_ERROR, true, NULL, "title found");
	EXPECT_STR(check_list_status(l), "pass");
	check_add(l, "release.contact", CHECK_LEVEL_WARNING, false, "x.txt", "no e-mail");
	EXPECT_STR(check_list_status(l), "warn");
	EXPECT(!check_list_has_error(l));
	check_add(l, "pdf.open", CHECK_LEVEL_ERROR, false, "x.pdf", "damaged %d", 1);
	EXPECT_STR(check_list_status(l), "fail");
	EXPECT(check_list_has_error(l));
	EXPECT_STR(check_list_find_failed(l, "pdf.open")->message, "damaged 1");
	EXPECT(check_list_find_failed(l, "release.title") == NULL);
	json_writer *w = json_new(false);
	check_list_to_json(l, w);
	char *s = json_finish(w);
	EXPECT(strstr(s, "{\"id\":\"pdf.open\",\"level\":\"error\",\"status\":\"fail\","
	                 "\"message\":\"damaged 1\",\"file\":\"x.pdf\"}") != NULL);
	g_free(s);
	check_list_free(l);
}

TEST(hash_known_vectors)
{
	char hex[HASH_HEX_MAX];
	hash_sha256_hex("abc", 3, hex);
	EXPECT_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_ctx *h = hash_new(HASH_MASK(HASH_MD5) | HASH_MASK(HASH_SHA1) | HASH_MASK(HASH_SHA512));
	hash_update(h, "a", 1);
	hash_update(h, "bc", 2);
	hash_final_hex(h, HASH_MD5, hex);
	EXPECT_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
	hash_final_hex(h, HASH_SHA1, hex);
	EXPECT_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	hash_final_hex(h, HASH_SHA512, hex);
	EXPECT(strncmp(hex, "ddaf35a193617aba", 16) == 0);
	EXPECT_INT(strlen(hex), 128);
	hash_free(h);
	hash_alg a;
	EXPECT(hash_alg_from_name("SHA256", &a) && a == HASH_SHA256);
	EXPECT(!hash_alg_from_name("sha3", &a));
}

TEST(hash_file)
{
	char *d = unit_tmpdir();
	char *p = g_build_filename(d, "f", NULL);
	g_file_set_contents(p, "abc", 3, NULL);
	char hex[65];
	uint64_t n = 0;
	EXPECT(hash_file_sha256(p, hex, &n, NULL));
	EXPECT_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT_INT(n, 3);
	GError *err = NULL;
	char *missing = g_build_filename(d, "nope", NULL);
	EXPECT(!hash_file_sha256(missing, hex, NULL, &err));
	EXPECT(err && strstr(err->message, "nope") != NULL);
	g_clear_error(&err);
	/* A symlink is never followed. */
	char *link = g_build_filename(d, "l", NULL);
	EXPECT(symlink(p, link) == 0);
	EXPECT(!hash_file_sha256(link, hex, NULL, &err));
	g_clear_error(&err);
	g_free(p);
	g_free(missing);
	g_free(link);
	g_free(d);
}

UNIT_MAIN(json_nesting_and_commas, json_escapes_and_invalid_utf8, json_read_and_node, json_pretty, checks_status,
          hash_known_vectors, hash_file)
