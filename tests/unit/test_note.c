/* Unit tests: signed notes, keys, checkpoints and cosignatures against
 * the golang.org/x/mod and C2SP examples (/work/notes/tlog-formats.md). */
#include "unit.h"
#include "core/errors.h"
#include "log/note.h"

/* golang.org/x/mod sumdb/note/note_test.go */
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_TEXT                                                                                 \
	"If you think cryptography is the answer to your problem,\n"                               \
	"then you don't know what your problem is.\n"
#define PETER_SIG "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
#define PETER_LINE "— PeterNeumann " PETER_SIG
#define PETER_NOTE PETER_TEXT "\n" PETER_LINE "\n"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define ENOCH_LINE                                                                                 \
	"— EnochRoot "                                                                             \
	"rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="

/* C2SP signed-note.md */
#define FOO_VKEY "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
#define FOO_NOTE                                                                                   \
	"This is an example message.\n\n— example.com/foo "                                        \
	"Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"

/* The notes' [generated] checkpoint and cosignature: the 8-leaf RFC 6962
 * tree, the PeterNeumann seed under another name, a witness seed 32×0x07. */
#define CP_SKEY "PRIVATE+KEY+example.com/archive+c3d5ce41+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define CP_VKEY "example.com/archive+c3d5ce41+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define CP_TEXT "example.com/archive\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
#define CP_LINE                                                                                    \
	"— example.com/archive "                                                                   \
	"w9XOQS64coT7y1206lAmvN76U6UPHoz5L0kG/ee/tZhzHagjW349TNLCTA+zt7E7HEELobG21jGey8pU99zhVcXGJQ4="
#define W_SKEY "PRIVATE+KEY+witness.example/w1+aa4a09d1+BAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH"
#define W_VKEY "witness.example/w1+aa4a09d1+BOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
#define W_LINE                                                                                     \
	"— witness.example/w1 "                                                                    \
	"qkoJ0QAAAABlU/EAzAPXNgdXq3DMJvmpAaewhPnA0gqtuJuPd0i+WneRCM5Poc2bJ3qTqaCGar1nINn1oAeiKGY3cA" \
	"nJYh8J2ZWrDw=="

static const uint8_t root8[32] = {
	0x5d, 0xc9, 0xda, 0x79, 0xa7, 0x06, 0x59, 0xa9, 0xad, 0x55, 0x9c, 0xb7, 0x01, 0xde, 0xd9, 0xa2,
	0xab, 0x9d, 0x82, 0x3a, 0xad, 0x2f, 0x49, 0x60, 0xcf, 0xe3, 0x70, 0xef, 0xf4, 0x60, 0x43, 0x28,
};

static bool is_input(GError *e) { return e && e->domain == ARC_ERROR && e->code == ARC_ERROR_INPUT; }

/* s with the byte at i replaced by c. */
static char *replace_at(const char *s, size_t i, char c)
{
	char *t = g_strdup(s);
	t[i] = c;
	return t;
}

/* A base64 character other than c. */
static char other_b64(char c) { return c == 'A' ? 'B' : 'A'; }

static bool verifies(const char *note, const char *vkey, GError **err)
{
	note_verifier *v = note_verifier_parse(vkey, NULL);
	bool ok = v && note_verify(note, v, err);
	note_verifier_free(v);
	return ok;
}

TEST(go_example_signs_byte_for_byte)
{
	GError *err = NULL;
	note_signer *s = note_signer_parse(PETER_SKEY, &err);
	EXPECT(s && !err);
	if (!s)
		return;
	EXPECT_STR(note_signer_name(s), "PeterNeumann");
	char *vkey = note_signer_verifier_key(s);
	EXPECT_STR(vkey, PETER_VKEY);
	char *note = note_sign(PETER_TEXT, s, &err);
	EXPECT_STR(note, PETER_NOTE);
	g_clear_error(&err);
	g_free(note);
	g_free(vkey);
	note_signer_free(s);
}

TEST(known_notes_verify)
{
	GError *err = NULL;
	note_verifier *v = note_verifier_parse(PETER_VKEY, &err);
	EXPECT(v && !err);
	EXPECT_STR(v ? note_verifier_name(v) : NULL, "PeterNeumann");
	note_verifier_free(v);
	EXPECT(verifies(PETER_NOTE, PETER_VKEY, &err) && !err);
	/* Another key's signature is ignored, and checks with its own key. */
	const char *both = PETER_NOTE ENOCH_LINE "\n";
	EXPECT(verifies(both, PETER_VKEY, &err) && !err);
	EXPECT(verifies(both, ENOCH_VKEY, &err) && !err);
	EXPECT(!verifies(PETER_NOTE, ENOCH_VKEY, &err) && !err);
	EXPECT(verifies(FOO_NOTE, FOO_VKEY, &err) && !err);
	g_clear_error(&err);
}

TEST(changed_text_or_signature_fails)
{
	GError *err = NULL;
	size_t tlen = strlen(PETER_TEXT);
	for (size_t i = 0; i < tlen; i++) {
		char *bad = replace_at(PETER_NOTE, i, PETER_NOTE[i] == 'x' ? 'y' : 'x');
		EXPECT(!verifies(bad, PETER_VKEY, &err) && is_input(err));
		g_clear_error(&err);
		g_free(bad);
	}
	/* Every base64 character of the signature: the key ID (then no
	 * signature by the key: false, no error), the signature, the padding
	 * bits (then not canonical: malformed). */
	size_t start = tlen + 1 + strlen("— PeterNeumann ");
	size_t end = strlen(PETER_NOTE) - 2; /* before "=\n" */
	for (size_t i = start; i < end; i++) {
		char *bad = replace_at(PETER_NOTE, i, other_b64(PETER_NOTE[i]));
		EXPECT(!verifies(bad, PETER_VKEY, &err));
		/* Base64 characters 0..4 hold key ID bits only, 6.. signature
		 * bits only, 5 both. */
		if (i < start + 5)
			EXPECT(err == NULL);
		else if (i > start + 5)
			EXPECT(is_input(err));
		g_clear_error(&err);
		g_free(bad);
	}
}

TEST(changed_key_is_refused)
{
	/* Every character of the verifier key: the name and the key change
	 * the key ID, so each one must be refused when the key is read. */
	GError *err = NULL;
	for (size_t i = 0; i < strlen(PETER_VKEY); i++) {
		if (PETER_VKEY[i] == '+')
			continue;
		char c = g_ascii_isdigit(PETER_VKEY[i]) ? (PETER_VKEY[i] == '1' ? '2' : '1')
		                                        : other_b64(PETER_VKEY[i]);
		char *bad = replace_at(PETER_VKEY, i, c);
		note_verifier *v = note_verifier_parse(bad, &err);
		EXPECT(!v && is_input(err));
		note_verifier_free(v);
		g_clear_error(&err);
		g_free(bad);
	}
}

TEST(same_name_other_key_not_accepted)
{
	char *skey = NULL, *vkey = NULL;
	GError *err = NULL;
	EXPECT(note_key_generate("PeterNeumann", false, &skey, &vkey, &err));
	EXPECT(!verifies(PETER_NOTE, vkey, &err) && !err);
	/* Its own signature beside Peter's verifies with it, not with Peter's
	 * key unless Peter's own is there. */
	note_signer *s = note_signer_parse(skey, NULL);
	char *mine = s ? note_sign(PETER_TEXT, s, NULL) : NULL;
	EXPECT(mine && verifies(mine, vkey, NULL));
	EXPECT(mine && !verifies(mine, PETER_VKEY, &err) && !err);
	g_free(mine);
	/* C2SP: a key is its name and ID together; Peter's key ID and
	 * signature under another name are not his. */
	EXPECT(!verifies(PETER_TEXT "\n— PeterNeumann2 " PETER_SIG "\n", PETER_VKEY, &err) && !err);
	note_signer_free(s);
	g_free(skey);
	g_free(vkey);
}

TEST(generated_keys_round_trip)
{
	for (int cosigner = 0; cosigner < 2; cosigner++) {
		char *skey = NULL, *vkey = NULL, *skey2 = NULL, *vkey2 = NULL;
		GError *err = NULL;
		EXPECT(note_key_generate("example.org/log", cosigner, &skey, &vkey, &err) && !err);
		EXPECT(note_key_generate("example.org/log", cosigner, &skey2, &vkey2, &err));
		if (!skey || !skey2)
			return;
		EXPECT(g_str_has_prefix(skey, "PRIVATE+KEY+example.org/log+"));
		EXPECT(strcmp(skey, skey2) != 0 && strcmp(vkey, vkey2) != 0);
		/* As read back from files: with a final newline. */
		char *file = g_strconcat(skey, " \n", NULL);
		note_signer *s = note_signer_parse(file, &err);
		char *vfile = g_strconcat(vkey, "\n", NULL);
		note_verifier *v = note_verifier_parse(vfile, &err);
		EXPECT(s && v && !err);
		char *again = s ? note_signer_verifier_key(s) : NULL;
		EXPECT_STR(again, vkey);
		EXPECT_STR(s ? note_signer_name(s) : NULL, "example.org/log");
		if (s && v && !cosigner) {
			char *note = note_sign("hello\n", s, &err);
			EXPECT(note && note_verify(note, v, &err) && !err);
			g_free(note);
		} else if (s && v) {
			char *cp = checkpoint_body("example.org/log", 8, root8);
			char *line = note_cosignature_line(cp, s, 42, &err);
			char *note = g_strconcat(cp, "\n", line, "\n", NULL);
			uint64_t t = 0;
			EXPECT(line && note_verify_cosignature(note, v, &t, &err) && !err);
			EXPECT_INT(t, 42);
			g_free(note);
			g_free(line);
			g_free(cp);
		}
		g_clear_error(&err);
		note_signer_free(s);
		note_verifier_free(v);
		g_free(again);
		g_free(vfile);
		g_free(file);
		g_free(skey);
		g_free(vkey);
		g_free(skey2);
		g_free(vkey2);
	}
}

TEST(bad_key_names_refused)
{
	const char *names[] = { "", "a b", "a+b", "a\tb", "a\xc2\xa0" "b", "a\nb", "\xff" };
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *skey = NULL, *vkey = NULL;
		GError *err = NULL;
		EXPECT(!note_key_generate(names[i], false, &skey, &vkey, &err) && is_input(err));
		EXPECT(!skey && !vkey);
		g_clear_error(&err);
	}
}

TEST(malformed_keys_refused)
{
	const char *vkeys[] = {
		"",
		"PeterNeumann",
		"PeterNeumann+c74f20a3",
		"PeterNeumann+c74f20a3+",
		/* Names with a space, with their right key IDs. */
		"Peter Neumann+004fb23e+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"Peter\xc2\xa0Neumann+4277c020+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW==",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA==",
		/* Type 0x02 (ECDSA) with its right key ID. */
		"PeterNeumann+775c2e74+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		" PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(vkeys); i++) {
		GError *err = NULL;
		note_verifier *v = note_verifier_parse(vkeys[i], &err);
		if (v || !is_input(err))
			fprintf(stderr, "verifier key %zu: %s\n", i, vkeys[i]);
		EXPECT(!v && is_input(err));
		note_verifier_free(v);
		g_clear_error(&err);
	}
	const char *skeys[] = {
		"PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+Peter+Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKD",
		"PRIVATE+KEY+PeterNeumann+775c2e74+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		/* The public key where the seed belongs. */
		"PRIVATE+KEY+PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(skeys); i++) {
		GError *err = NULL;
		note_signer *s = note_signer_parse(skeys[i], &err);
		if (s || !is_input(err))
			fprintf(stderr, "signer key %zu\n", i);
		EXPECT(!s && is_input(err));
		/* A signer key is a secret: no error message repeats it. */
		EXPECT(!err || !strstr(err->message, "AYEKFALV"));
		note_signer_free(s);
		g_clear_error(&err);
	}
}

TEST(malformed_notes_refused)
{
	const char *notes[] = {
		"",
		PETER_TEXT PETER_LINE "\n",                       /* no blank line */
		PETER_TEXT "\n" PETER_LINE,                       /* no final newline */
		PETER_TEXT "\n",                                  /* no signature */
		PETER_TEXT "\n" PETER_LINE "\n\n",                /* a blank line after them */
		PETER_TEXT "\n- PeterNeumann " PETER_SIG "\n",   /* a hyphen, not an em dash */
		PETER_TEXT "\n—PeterNeumann " PETER_SIG "\n",    /* no space after the dash */
		PETER_TEXT "\n—  " PETER_SIG "\n",               /* no name */
		PETER_TEXT "\n— PeterNeumann\n",                 /* no signature */
		PETER_TEXT "\n— PeterNeumann \n",                /* an empty signature */
		PETER_TEXT "\n— PeterNeumann x08go/Z\n",         /* not base64: its length */
		PETER_TEXT "\n— PeterNeumann x08go/Z!\n",        /* not base64: '!' */
		PETER_TEXT "\n— PeterNeumann " PETER_SIG " \n",  /* a space after */
		PETER_TEXT "\n— PeterNeumann  " PETER_SIG "\n",  /* two spaces */
		PETER_TEXT "\n— PeterNeumann x08go/Z=\n",        /* non-canonical (5 bytes) */
		PETER_TEXT "\n— PeterNeumann x08g\n",            /* 3 bytes: under 5 */
		PETER_TEXT "\n— Peter+Neumann " PETER_SIG "\n",  /* '+' in the name */
		"tab\there\n\n" PETER_LINE "\n",                  /* a control character */
		"cr\r\n\n" PETER_LINE "\n",                       /* a control character */
		"\xff\xfe\n\n" PETER_LINE "\n",                   /* not UTF-8 */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(notes); i++) {
		GError *err = NULL;
		char *text = NULL;
		GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
		EXPECT(!note_split(notes[i], &text, sigs, &err) && is_input(err));
		EXPECT(!text && sigs->len == 0);
		g_clear_error(&err);
		if (verifies(notes[i], PETER_VKEY, &err) || !is_input(err))
			fprintf(stderr, "note %zu\n", i);
		EXPECT(is_input(err));
		g_clear_error(&err);
		g_ptr_array_free(sigs, TRUE);
	}
}

TEST(at_most_100_signatures)
{
	GString *n = g_string_new(PETER_NOTE);
	for (int i = 1; i < 100; i++)
		g_string_append(n, ENOCH_LINE "\n");
	GError *err = NULL;
	GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
	EXPECT(note_split(n->str, NULL, sigs, &err) && !err);
	EXPECT_INT(sigs->len, 100);
	char *more = note_add_signature(n->str, W_LINE, &err);
	EXPECT(!more && is_input(err));
	g_clear_error(&err);
	g_string_append(n, ENOCH_LINE "\n");
	EXPECT(!note_split(n->str, NULL, NULL, &err) && is_input(err));
	g_clear_error(&err);
	g_ptr_array_free(sigs, TRUE);
	g_string_free(n, TRUE);
}

TEST(two_signatures_by_one_key_refused)
{
	GError *err = NULL;
	EXPECT(!verifies(PETER_NOTE PETER_LINE "\n", PETER_VKEY, &err) && is_input(err));
	g_clear_error(&err);
}

TEST(split_gives_text_and_lines)
{
	GError *err = NULL;
	char *text = NULL;
	GPtrArray *sigs = g_ptr_array_new_with_free_func(g_free);
	EXPECT(note_split(PETER_NOTE ENOCH_LINE "\n", &text, sigs, &err) && !err);
	EXPECT_STR(text, PETER_TEXT);
	EXPECT_INT(sigs->len, 2);
	if (sigs->len == 2) {
		EXPECT_STR(sigs->pdata[0], PETER_LINE);
		EXPECT_STR(sigs->pdata[1], ENOCH_LINE);
	}
	g_free(text);
	g_ptr_array_free(sigs, TRUE);
}

TEST(text_may_hold_empty_lines)
{
	/* C2SP: the text MAY contain empty lines; the last one separates. */
	note_signer *s = note_signer_parse(PETER_SKEY, NULL);
	GError *err = NULL;
	char *note = s ? note_sign("a\n\nb\n\n", s, &err) : NULL;
	char *text = NULL;
	EXPECT(note && note_split(note, &text, NULL, &err));
	EXPECT_STR(text, "a\n\nb\n\n");
	EXPECT(note && verifies(note, PETER_VKEY, &err) && !err);
	g_free(text);
	g_free(note);
	const char *bad[] = { "", "no newline", "a\tb\n", "\xc3\n" };
	for (size_t i = 0; s && i < G_N_ELEMENTS(bad); i++) {
		EXPECT(!note_sign(bad[i], s, &err) && is_input(err));
		g_clear_error(&err);
	}
	note_signer_free(s);
}

TEST(add_signature_appends)
{
	GError *err = NULL;
	char *n = note_add_signature(PETER_NOTE, ENOCH_LINE, &err);
	EXPECT_STR(n, PETER_NOTE ENOCH_LINE "\n");
	g_free(n);
	n = note_add_signature(PETER_NOTE, ENOCH_LINE "\n", &err);
	EXPECT_STR(n, PETER_NOTE ENOCH_LINE "\n");
	EXPECT(n && verifies(n, ENOCH_VKEY, &err) && verifies(n, PETER_VKEY, &err) && !err);
	g_free(n);
	const char *lines[] = {
		PETER_LINE,                      /* Peter has signed already */
		"— EnochRoot rwz+",              /* not base64 */
		ENOCH_LINE "\n" ENOCH_LINE,      /* two lines */
		"EnochRoot rwz+eBzm",            /* no dash */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		n = note_add_signature(PETER_NOTE, lines[i], &err);
		EXPECT(!n && is_input(err));
		g_clear_error(&err);
		g_free(n);
	}
	n = note_add_signature(PETER_TEXT, ENOCH_LINE, &err);
	EXPECT(!n && is_input(err));
	g_clear_error(&err);
}

TEST(checkpoint_example)
{
	GError *err = NULL;
	char *body = checkpoint_body("example.com/archive", 8, root8);
	EXPECT_STR(body, CP_TEXT);
	note_signer *s = note_signer_parse(CP_SKEY, &err);
	char *vkey = s ? note_signer_verifier_key(s) : NULL;
	EXPECT_STR(vkey, CP_VKEY);
	char *note = s ? note_sign(body, s, &err) : NULL;
	EXPECT_STR(note, CP_TEXT "\n" CP_LINE "\n");
	EXPECT(note && verifies(note, CP_VKEY, &err) && !err);
	/* Same seed, other name: another key ID, so not Peter's signature. */
	EXPECT(note && !verifies(note, PETER_VKEY, &err) && !err);
	char *origin = NULL;
	uint64_t size = 0;
	uint8_t root[32] = { 0 };
	EXPECT(checkpoint_parse(body, &origin, &size, root, &err) && !err);
	EXPECT_STR(origin, "example.com/archive");
	EXPECT_INT(size, 8);
	EXPECT(memcmp(root, root8, 32) == 0);
	g_free(origin);
	g_free(note);
	g_free(vkey);
	g_free(body);
	note_signer_free(s);
}

TEST(checkpoint_parse_is_strict)
{
	const char *R = "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
	struct {
		const char *size, *tail;
		bool ok;
		uint64_t want;
	} sizes[] = {
		{ "0", R, true, 0 },
		{ "8", R, true, 8 },
		{ "18446744073709551615", R, true, UINT64_MAX },
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nextension\nanother\n", true, 8 },
		{ "08", R, false, 0 },
		{ "00", R, false, 0 },
		{ "-1", R, false, 0 },
		{ "+8", R, false, 0 },
		{ " 8", R, false, 0 },
		{ "8 ", R, false, 0 },
		{ "0x8", R, false, 0 },
		{ "18446744073709551616", R, false, 0 },
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n", false, 0 },   /* 31 bytes */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyhB\n", false, 0 },   /* 33 bytes */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n", false, 0 },    /* no '=' */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n", false, 0 },   /* stray bits */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n", false, 0 },   /* URL-safe */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", false, 0 },     /* no newline */
		{ "8", "\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n", false, 0 }, /* empty line */
		{ "8", "\n", false, 0 },                                                /* no root */
		{ "8", "\n\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", false, 0 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		char *text = g_strconcat("example.com/archive\n", sizes[i].size, sizes[i].tail, NULL);
		uint64_t size = 12345;
		GError *err = NULL;
		bool ok = checkpoint_parse(text, NULL, &size, NULL, &err);
		if (ok != sizes[i].ok)
			fprintf(stderr, "checkpoint %zu: %s\n", i, text);
		EXPECT(ok == sizes[i].ok);
		EXPECT(ok ? !err : is_input(err));
		if (ok)
			EXPECT_INT(size, sizes[i].want);
		g_clear_error(&err);
		g_free(text);
	}
	/* An empty origin. */
	GError *err = NULL;
	EXPECT(!checkpoint_parse("\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", NULL, NULL,
	                         NULL, &err) &&
	       is_input(err));
	g_clear_error(&err);
	/* The empty tree round-trips. */
	uint8_t empty[32] = { 0 }, back[32];
	char *body = checkpoint_body("o", 0, empty);
	uint64_t size = 1;
	EXPECT(checkpoint_parse(body, NULL, &size, back, NULL));
	EXPECT_INT(size, 0);
	EXPECT(memcmp(back, empty, 32) == 0);
	g_free(body);
}

TEST(cosignature_example)
{
	GError *err = NULL;
	note_signer *w = note_signer_parse(W_SKEY, &err);
	char *vkey = w ? note_signer_verifier_key(w) : NULL;
	EXPECT_STR(vkey, W_VKEY);
	char *line = w ? note_cosignature_line(CP_TEXT, w, 1700000000, &err) : NULL;
	EXPECT_STR(line, W_LINE);
	char *note = note_add_signature(CP_TEXT "\n" CP_LINE "\n", W_LINE, &err);
	EXPECT_STR(note, CP_TEXT "\n" CP_LINE "\n" W_LINE "\n");
	note_verifier *v = note_verifier_parse(W_VKEY, &err);
	uint64_t t = 0;
	EXPECT(v && note && note_verify_cosignature(note, v, &t, &err) && !err);
	EXPECT_INT(t, 1700000000);
	/* The log's signature still verifies beside it. */
	EXPECT(note && verifies(note, CP_VKEY, &err) && !err);
	/* Without the cosignature: none, no error. */
	EXPECT(v && !note_verify_cosignature(CP_TEXT "\n" CP_LINE "\n", v, &t, &err) && !err);
	/* A witness key is no log key, and the other way round. */
	EXPECT(v && note && !note_verify(note, v, &err) && is_input(err));
	g_clear_error(&err);
	note_verifier *log = note_verifier_parse(CP_VKEY, NULL);
	EXPECT(log && note && !note_verify_cosignature(note, log, &t, &err) && is_input(err));
	g_clear_error(&err);
	EXPECT(w && !note_sign(CP_TEXT, w, &err) && is_input(err));
	g_clear_error(&err);
	note_signer *ls = note_signer_parse(CP_SKEY, NULL);
	EXPECT(ls && !note_cosignature_line(CP_TEXT, ls, 1, &err) && is_input(err));
	g_clear_error(&err);
	note_signer_free(ls);
	note_verifier_free(log);
	note_verifier_free(v);
	g_free(note);
	g_free(line);
	g_free(vkey);
	note_signer_free(w);
}

TEST(cosignature_covers_time_and_text)
{
	GError *err = NULL;
	note_verifier *v = note_verifier_parse(W_VKEY, NULL);
	const char *good = CP_TEXT "\n" CP_LINE "\n" W_LINE "\n";
	/* The time is base64 characters 6..16 of the payload (bytes 4..11);
	 * the text is the checkpoint's. Changing either breaks it. */
	size_t at = strlen(CP_TEXT "\n" CP_LINE "\n— witness.example/w1 ");
	for (size_t i = at + 6; v && i < at + 16; i++) {
		char *bad = replace_at(good, i, other_b64(good[i]));
		EXPECT(!note_verify_cosignature(bad, v, NULL, &err) && is_input(err));
		g_clear_error(&err);
		g_free(bad);
	}
	char *bad = replace_at(good, strlen("example.com/archive\n"), '9');
	EXPECT(v && !note_verify_cosignature(bad, v, NULL, &err) && is_input(err));
	g_clear_error(&err);
	g_free(bad);
	/* Another time, same text: another line, and it reads back. */
	note_signer *w = note_signer_parse(W_SKEY, NULL);
	char *line = w ? note_cosignature_line(CP_TEXT, w, 1700000001, NULL) : NULL;
	EXPECT(line && strcmp(line, W_LINE) != 0);
	char *note = line ? g_strconcat(CP_TEXT "\n", line, "\n", NULL) : NULL;
	uint64_t t = 0;
	EXPECT(v && note && note_verify_cosignature(note, v, &t, &err) && !err);
	EXPECT_INT(t, 1700000001);
	g_free(note);
	g_free(line);
	/* C2SP: a time below 2^63; only checkpoints are cosigned. */
	EXPECT(w && !note_cosignature_line(CP_TEXT, w, UINT64_C(1) << 63, &err) && is_input(err));
	g_clear_error(&err);
	line = w ? note_cosignature_line(CP_TEXT, w, (UINT64_C(1) << 63) - 1, &err) : NULL;
	EXPECT(line && !err);
	g_free(line);
	EXPECT(w && !note_cosignature_line("hello\n", w, 1, &err) && is_input(err));
	g_clear_error(&err);
	note_signer_free(w);
	note_verifier_free(v);
}

/* line with its payload (after the key ID) one byte longer. */
static char *longer(const char *line)
{
	const char *b64 = strrchr(line, ' ') + 1;
	gsize n = 0;
	guint8 *d = g_base64_decode(b64, &n);
	d = g_realloc(d, n + 1);
	d[n] = 0;
	char *e = g_base64_encode(d, n + 1);
	char *out = g_strdup_printf("%.*s%s", (int)(b64 - line), line, e);
	g_free(e);
	g_free(d);
	return out;
}

TEST(signature_length_is_exact)
{
	/* Same key, a valid signature in the first 64 bytes, one more byte. */
	char *l = longer(PETER_LINE);
	char *note = g_strconcat(PETER_TEXT "\n", l, "\n", NULL);
	GError *err = NULL;
	EXPECT(!verifies(note, PETER_VKEY, &err) && is_input(err));
	g_clear_error(&err);
	g_free(note);
	g_free(l);
	l = longer(W_LINE);
	note = g_strconcat(CP_TEXT "\n" CP_LINE "\n", l, "\n", NULL);
	note_verifier *v = note_verifier_parse(W_VKEY, NULL);
	EXPECT(v && !note_verify_cosignature(note, v, NULL, &err) && is_input(err));
	g_clear_error(&err);
	/* [generated] with python3 cryptography: a true signature at time
	 * 2^63, which C2SP puts out of range. */
	const char *late = CP_TEXT "\n" CP_LINE "\n— witness.example/w1 qkoJ0YAAAAAAAAAA77/y8vz5VPMaKzCe"
	                   "Z1LN2ufXKZFsI5G5Zig9TYWoiaCtHkd5gyVUuRXdwk0rLoNeyS+ZZzxQLf1fuJG6nTySDA==\n";
	EXPECT(v && !note_verify_cosignature(late, v, NULL, &err) && is_input(err));
	g_clear_error(&err);
	note_verifier_free(v);
	g_free(note);
	g_free(l);
}

UNIT_MAIN(go_example_signs_byte_for_byte, known_notes_verify, changed_text_or_signature_fails,
          changed_key_is_refused, same_name_other_key_not_accepted, generated_keys_round_trip,
          bad_key_names_refused, malformed_keys_refused, malformed_notes_refused,
          at_most_100_signatures, two_signatures_by_one_key_refused, split_gives_text_and_lines,
          text_may_hold_empty_lines, add_signature_appends, checkpoint_example,
          checkpoint_parse_is_strict, cosignature_example, cosignature_covers_time_and_text,
          signature_length_is_exact)
