/*
 * log/note.c — signed notes, checkpoints and cosignatures (C2SP
 * signed-note, tlog-checkpoint, tlog-cosignature); Ed25519 through
 * libcrypto's EVP one-shot interface, base64 through GLib.
 *
 * Parsing is strict: one key, signature or root has one spelling
 * (canonical base64, lower-case key IDs), so that what we accept is what
 * golang.org/x/mod/sumdb/note and the C2SP texts accept, never more.
 */
#include "log/note.h"
#include "core/errors.h"
#include "core/hash.h"

#include <inttypes.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

enum {
	TYPE_NOTE = 0x01,   /* Ed25519 note signature (signed-note) */
	TYPE_COSIG = 0x04,  /* Ed25519 cosignature/v1 (tlog-cosignature) */
	SIG_LEN = 64,
	/* golang.org/x/mod's cap; C2SP asks that at least 16 be accepted. */
	MAX_SIGS = 100,
};

#define DASH "\xe2\x80\x94 " /* U+2014 EM DASH and a space: a signature line's start */

/* What a signer and a verifier share. A signer's pkey holds the private
 * key, which verifies as well as it signs. */
struct note_key {
	char *name;
	uint8_t type;
	uint32_t id;
	uint8_t pub[32];
	EVP_PKEY *pkey;
};
struct note_signer {
	struct note_key k;
};
struct note_verifier {
	struct note_key k;
};

/* C2SP: non-empty, no Unicode spaces, no '+'. Control characters are
 * refused too: a note may not hold them, so such a name could sign none. */
static bool name_valid(const char *name)
{
	if (!*name || !g_utf8_validate(name, -1, NULL))
		return false;
	for (const char *p = name; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '+' || g_unichar_isspace(c) || g_unichar_iscntrl(c))
			return false;
	}
	return true;
}

/* C2SP: a signed note is UTF-8 with no control characters but "\n". */
static bool chars_valid(const char *s, size_t n)
{
	if (!g_utf8_validate(s, (gssize)n, NULL))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
			return false;
	return true;
}

/* g_base64_decode skips what is not base64 and ignores stray bits;
 * re-encoding and comparing refuses both. NULL unless s[0..n) is the
 * canonical base64 of exactly want bytes (any number when want is 0). */
static guint8 *b64_decode(const char *s, size_t n, gsize want, gsize *len)
{
	char *in = g_strndup(s, n);
	gsize got = 0;
	guint8 *d = n ? g_base64_decode(in, &got) : NULL;
	char *back = d ? g_base64_encode(d, got) : NULL;
	if (!back || strcmp(back, in) != 0 || (want && got != want)) {
		if (d)
			OPENSSL_cleanse(d, got);
		g_clear_pointer(&d, g_free);
	}
	if (len)
		*len = got;
	g_free(back);
	g_free(in);
	return d;
}

static uint32_t key_id(const char *name, uint8_t type, const uint8_t pub[32])
{
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (const guint8 *)name, (guint)strlen(name));
	g_byte_array_append(b, (const guint8 *)"\n", 1);
	g_byte_array_append(b, &type, 1);
	g_byte_array_append(b, pub, 32);
	char hex[65];
	hash_sha256_hex(b->data, b->len, hex);
	g_byte_array_free(b, TRUE);
	hex[8] = '\0';
	return (uint32_t)g_ascii_strtoull(hex, NULL, 16);
}

/* k from a raw 32-byte seed (private) or public key. */
static bool key_init(struct note_key *k, const char *name, uint8_t type, const uint8_t raw[32],
                     bool private, const char *what, GError **err)
{
	k->pkey = private ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, 32)
	                  : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, 32);
	size_t n = sizeof k->pub;
	if (!k->pkey || !EVP_PKEY_get_raw_public_key(k->pkey, k->pub, &n)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not an Ed25519 key", what);
		return false;
	}
	k->name = g_strdup(name);
	k->type = type;
	k->id = key_id(name, type, k->pub);
	return true;
}

static void key_clear(struct note_key *k)
{
	EVP_PKEY_free(k->pkey);
	g_free(k->name);
}

/* The fields after "PRIVATE+KEY+" of a signer key, or those of a
 * verifier key: name, key ID in hex, base64(type || key). */
static bool key_parse(struct note_key *k, char **f, bool private, const char *what,
                      GError **err)
{
	bool ok = false;
	gsize n = 0;
	guint8 *d = NULL;
	if (!name_valid(f[0])) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: the key name is empty or has a space, '+' or control character", what);
		goto out;
	}
	bool hex_ok = strlen(f[1]) == 8;
	for (int i = 0; hex_ok && i < 8; i++)
		hex_ok = g_ascii_isdigit(f[1][i]) || (f[1][i] >= 'a' && f[1][i] <= 'f');
	if (!hex_ok) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: the key ID is not 8 lower-case hex digits", what);
		goto out;
	}
	d = b64_decode(f[2], strlen(f[2]), 33, &n);
	if (!d) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: the key is not base64 of a type byte and 32 bytes", what);
		goto out;
	}
	if (d[0] != TYPE_NOTE && d[0] != TYPE_COSIG) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: key type 0x%02x is neither Ed25519 (0x01) nor cosignature/v1 (0x04)",
		            what, d[0]);
		goto out;
	}
	if (!key_init(k, f[0], d[0], d + 1, private, what, err))
		goto out;
	if (k->id != (uint32_t)g_ascii_strtoull(f[1], NULL, 16)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: key ID %s is not that of the key (%08" PRIx32 ")", what, f[1], k->id);
		goto out;
	}
	ok = true;
out:
	if (d)
		OPENSSL_cleanse(d, n);
	g_free(d);
	return ok;
}

/* Splits the key text on its first n-1 '+' (base64 has '+' of its own)
 * after dropping trailing white space, as a key read from a file has. */
static char **key_fields(const char *text, int n)
{
	char *t = g_strchomp(g_strdup(text));
	char **f = g_strsplit(t, "+", n);
	OPENSSL_cleanse(t, strlen(t));
	g_free(t);
	if (g_strv_length(f) != (guint)n) {
		g_strfreev(f);
		return NULL;
	}
	return f;
}

static void fields_free(char **f)
{
	for (char **p = f; p && *p; p++)
		OPENSSL_cleanse(*p, strlen(*p));
	g_strfreev(f);
}

note_signer *note_signer_parse(const char *signer_key, GError **err)
{
	char **f = key_fields(signer_key, 5);
	note_signer *s = g_new0(note_signer, 1);
	if (!f || strcmp(f[0], "PRIVATE") != 0 || strcmp(f[1], "KEY") != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "signer key: not of the form PRIVATE+KEY+<name>+<key ID>+<key>");
		g_clear_pointer(&s, note_signer_free);
	} else if (!key_parse(&s->k, f + 2, true, "signer key", err)) {
		g_clear_pointer(&s, note_signer_free);
	}
	fields_free(f);
	return s;
}

note_verifier *note_verifier_parse(const char *verifier_key, GError **err)
{
	char **f = key_fields(verifier_key, 3);
	note_verifier *v = g_new0(note_verifier, 1);
	if (!f) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "verifier key: not of the form <name>+<key ID>+<key>");
		g_clear_pointer(&v, note_verifier_free);
	} else if (!key_parse(&v->k, f, false, "verifier key", err)) {
		g_clear_pointer(&v, note_verifier_free);
	}
	g_strfreev(f);
	return v;
}

const char *note_signer_name(const note_signer *s) { return s->k.name; }
const char *note_verifier_name(const note_verifier *v) { return v->k.name; }

static char *key_format(const struct note_key *k, const uint8_t raw[32], bool private)
{
	uint8_t b[33];
	b[0] = k->type;
	memcpy(b + 1, raw, 32);
	char *b64 = g_base64_encode(b, sizeof b);
	char *s = g_strdup_printf("%s%s+%08" PRIx32 "+%s", private ? "PRIVATE+KEY+" : "", k->name,
	                          k->id, b64);
	OPENSSL_cleanse(b, sizeof b);
	OPENSSL_cleanse(b64, strlen(b64));
	g_free(b64);
	return s;
}

char *note_signer_verifier_key(const note_signer *s) { return key_format(&s->k, s->k.pub, false); }

void note_signer_free(note_signer *s)
{
	if (!s)
		return;
	key_clear(&s->k);
	g_free(s);
}

void note_verifier_free(note_verifier *v)
{
	if (!v)
		return;
	key_clear(&v->k);
	g_free(v);
}

bool note_key_generate(const char *name, bool cosigner, char **signer_key, char **verifier_key,
                       GError **err)
{
	if (!name_valid(name)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "key name \"%s\" is empty or has a space, '+' or control character", name);
		return false;
	}
	uint8_t seed[32];
	if (RAND_bytes(seed, sizeof seed) != 1) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "key generate: no random bytes from OpenSSL");
		return false;
	}
	note_signer s = { 0 };
	bool ok = key_init(&s.k, name, cosigner ? TYPE_COSIG : TYPE_NOTE, seed, true, "key generate",
	                   err);
	if (ok) {
		*signer_key = key_format(&s.k, seed, true);
		*verifier_key = note_signer_verifier_key(&s);
	}
	OPENSSL_cleanse(seed, sizeof seed);
	key_clear(&s.k);
	return ok;
}

static bool ed25519_sign(EVP_PKEY *pkey, const void *msg, size_t len, uint8_t sig[SIG_LEN],
                         GError **err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = SIG_LEN;
	bool ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	          EVP_DigestSign(ctx, sig, &n, msg, len) == 1 && n == SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "sign: Ed25519 signing failed in OpenSSL");
	return ok;
}

static bool ed25519_verify(EVP_PKEY *pkey, const void *msg, size_t len, const uint8_t *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	          EVP_DigestVerify(ctx, sig, SIG_LEN, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* "— <name> base64(key ID || payload)" */
static char *sig_line_format(const struct note_key *k, const uint8_t *payload, size_t n)
{
	guint8 *b = g_malloc(4 + n);
	b[0] = (guint8)(k->id >> 24), b[1] = (guint8)(k->id >> 16);
	b[2] = (guint8)(k->id >> 8), b[3] = (guint8)k->id;
	memcpy(b + 4, payload, n);
	char *b64 = g_base64_encode(b, 4 + n);
	char *line = g_strconcat(DASH, k->name, " ", b64, NULL);
	g_free(b64);
	g_free(b);
	return line;
}

/* A signature line (without "\n"): its key name and ID, and the bytes
 * after the ID (g_free) into *payload. */
static bool sig_line_parse(const char *line, char **name, uint32_t *id, guint8 **payload,
                           gsize *n, const char *what, GError **err)
{
	const char *sp = g_str_has_prefix(line, DASH) ? strchr(line + strlen(DASH), ' ') : NULL;
	char *nm = sp ? g_strndup(line + strlen(DASH), (gsize)(sp - line) - strlen(DASH)) : NULL;
	gsize len = 0;
	guint8 *d = sp ? b64_decode(sp + 1, strlen(sp + 1), 0, &len) : NULL;
	/* Go's rule: a key ID and at least one byte of signature. */
	if (!nm || !name_valid(nm) || !d || len < 5) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not \"— <key name> <base64>\"", what);
		g_free(nm);
		g_free(d);
		return false;
	}
	if (name)
		*name = g_strdup(nm);
	if (id)
		*id = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
	if (payload) {
		*payload = g_memdup2(d + 4, len - 4);
		*n = len - 4;
	}
	g_free(nm);
	g_free(d);
	return true;
}

bool note_split(const char *note, char **text, GPtrArray *signatures, GError **err)
{
	size_t n = strlen(note);
	const char *end = note + n;
	const char *sep = g_strrstr(note, "\n\n");
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	bool ok = false;
	if (!chars_valid(note, n)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "note: not UTF-8, or has a control character other than newline");
		goto out;
	}
	if (!sep) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "note: no blank line between the text and the signatures");
		goto out;
	}
	if (sep + 2 == end) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "note: no signature line");
		goto out;
	}
	if (end[-1] != '\n') {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "note: does not end in a newline");
		goto out;
	}
	for (const char *p = sep + 2; p < end;) {
		const char *nl = strchr(p, '\n');
		if (lines->len == MAX_SIGS) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "note: more than %d signatures",
			            MAX_SIGS);
			goto out;
		}
		char *line = g_strndup(p, (gsize)(nl - p));
		g_ptr_array_add(lines, line);
		char *what = g_strdup_printf("note: signature line %u", lines->len);
		bool good = sig_line_parse(line, NULL, NULL, NULL, NULL, what, err);
		g_free(what);
		if (!good)
			goto out;
		p = nl + 1;
	}
	if (text)
		*text = g_strndup(note, (gsize)(sep + 1 - note));
	for (guint i = 0; signatures && i < lines->len; i++)
		g_ptr_array_add(signatures, g_strdup(lines->pdata[i]));
	ok = true;
out:
	g_ptr_array_free(lines, TRUE);
	return ok;
}

char *note_sign(const char *text, const note_signer *s, GError **err)
{
	size_t n = strlen(text);
	uint8_t sig[SIG_LEN];
	if (s->k.type != TYPE_NOTE) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "sign: %s is a witness (cosignature) key, not a log key", s->k.name);
		return NULL;
	}
	if (!n || text[n - 1] != '\n' || !chars_valid(text, n)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "sign: the text is empty, does not end in a newline, is not UTF-8 or has "
		            "a control character");
		return NULL;
	}
	if (!ed25519_sign(s->k.pkey, text, n, sig, err))
		return NULL;
	char *line = sig_line_format(&s->k, sig, sizeof sig);
	char *note = g_strconcat(text, "\n", line, "\n", NULL);
	g_free(line);
	return note;
}

char *note_add_signature(const char *note, const char *signature_line, GError **err)
{
	GPtrArray *have = g_ptr_array_new_with_free_func(g_free);
	char *line = g_strdup(signature_line);
	char *name = NULL, *other = NULL, *out = NULL;
	uint32_t id = 0, other_id = 0;
	size_t n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (!note_split(note, NULL, have, err))
		goto out;
	/* Its name and canonical base64 leave no room for a newline or a
	 * control character. */
	if (!sig_line_parse(line, &name, &id, NULL, NULL, "signature line", err))
		goto out;
	if (have->len == MAX_SIGS) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "note: already has %d signatures",
		            MAX_SIGS);
		goto out;
	}
	/* Verifiers refuse a note that a known key signed twice (Go's rule). */
	for (guint i = 0; i < have->len; i++) {
		sig_line_parse(have->pdata[i], &other, &other_id, NULL, NULL, "note", NULL);
		bool same = strcmp(other, name) == 0 && other_id == id;
		g_clear_pointer(&other, g_free);
		if (same) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "note: already signed by %s (key ID %08" PRIx32 ")", name, id);
			goto out;
		}
	}
	out = g_strconcat(note, line, "\n", NULL);
out:
	g_free(name);
	g_free(line);
	g_ptr_array_free(have, TRUE);
	return out;
}

/* What a cosignature/v1 signs: the time, then the checkpoint's text. */
static char *cosig_message(const char *text, uint64_t t)
{
	return g_strdup_printf("cosignature/v1\ntime %" PRIu64 "\n%s", t, text);
}

/* The one signature by k on note, checked; false without error when k
 * has not signed. A cosignature's time goes to *t. C2SP: a signature of
 * a known key that fails rejects the note, others are ignored. */
static bool verify_by(const char *note, const struct note_key *k, uint64_t *t, GError **err)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	char *text = NULL, *name = NULL, *msg = NULL;
	guint8 *payload = NULL;
	bool found = false, ok = false;
	if (!note_split(note, &text, lines, err))
		goto out;
	for (guint i = 0; i < lines->len; i++) {
		uint32_t id = 0;
		gsize n = 0;
		g_clear_pointer(&name, g_free);
		g_clear_pointer(&payload, g_free);
		g_clear_pointer(&msg, g_free);
		sig_line_parse(lines->pdata[i], &name, &id, &payload, &n, "note", NULL);
		if (strcmp(name, k->name) != 0 || id != k->id)
			continue;
		if (found) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "note: two signatures by %s",
			            k->name);
			goto out;
		}
		found = true;
		const guint8 *sig = payload;
		bool good = false;
		if (k->type == TYPE_NOTE && n == SIG_LEN) {
			good = ed25519_verify(k->pkey, text, strlen(text), sig);
		} else if (k->type == TYPE_COSIG && n == 8 + SIG_LEN) {
			uint64_t when = 0;
			for (int b = 0; b < 8; b++)
				when = when << 8 | payload[b];
			msg = cosig_message(text, when);
			good = when < UINT64_C(1) << 63 &&
			       ed25519_verify(k->pkey, msg, strlen(msg), sig + 8);
			if (good && t)
				*t = when;
		}
		if (!good) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "note: the signature by %s (key ID %08" PRIx32 ") does not verify",
			            k->name, k->id);
			goto out;
		}
	}
	ok = found;
out:
	g_free(msg);
	g_free(payload);
	g_free(name);
	g_free(text);
	g_ptr_array_free(lines, TRUE);
	return ok;
}

bool note_verify(const char *note, const note_verifier *v, GError **err)
{
	if (v->k.type != TYPE_NOTE) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "verify: %s is a witness (cosignature) key, not a log key", v->k.name);
		return false;
	}
	return verify_by(note, &v->k, NULL, err);
}

bool note_verify_cosignature(const char *note, const note_verifier *w, uint64_t *t, GError **err)
{
	if (w->k.type != TYPE_COSIG) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "verify: %s is a log key, not a witness (cosignature) key", w->k.name);
		return false;
	}
	return verify_by(note, &w->k, t, err);
}

char *checkpoint_body(const char *origin, uint64_t size, const uint8_t root[32])
{
	g_return_val_if_fail(origin && *origin && !strchr(origin, '\n'), NULL);
	char *b64 = g_base64_encode(root, 32);
	char *body = g_strdup_printf("%s\n%" PRIu64 "\n%s\n", origin, size, b64);
	g_free(b64);
	return body;
}

bool checkpoint_parse(const char *text, char **origin, uint64_t *size, uint8_t root[32],
                      GError **err)
{
	size_t n = strlen(text);
	char **lines = NULL;
	guint8 *hash = NULL;
	guint64 sz = 0;
	bool ok = false;
	if (!n || text[n - 1] != '\n' || !chars_valid(text, n)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "checkpoint: does not end in a newline, is not UTF-8 or has a control "
		            "character");
		goto out;
	}
	lines = g_strsplit(text, "\n", -1);
	guint count = g_strv_length(lines) - 1; /* the "" after the last "\n" */
	if (count < 3) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "checkpoint: fewer than 3 lines (origin, tree size, root hash)");
		goto out;
	}
	for (guint i = 0; i < count; i++)
		if (!*lines[i]) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "checkpoint: line %u is empty",
			            i + 1);
			goto out;
		}
	const char *s = lines[1];
	bool digits = s[0] != '0' || s[1] == '\0';
	for (const char *p = s; digits && *p; p++)
		digits = g_ascii_isdigit(*p);
	if (!digits || !g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, &sz, NULL)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "checkpoint: tree size \"%s\" is not a 64-bit decimal number without "
		            "leading zeros",
		            s);
		goto out;
	}
	hash = b64_decode(lines[2], strlen(lines[2]), 32, NULL);
	if (!hash) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "checkpoint: the root hash is not the base64 of 32 bytes");
		goto out;
	}
	if (origin)
		*origin = g_strdup(lines[0]);
	if (size)
		*size = sz;
	if (root)
		memcpy(root, hash, 32);
	ok = true;
out:
	g_free(hash);
	g_strfreev(lines);
	return ok;
}

char *note_cosignature_line(const char *checkpoint_text, const note_signer *w, uint64_t t,
                            GError **err)
{
	uint8_t payload[8 + SIG_LEN];
	if (w->k.type != TYPE_COSIG) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "cosign: %s is a log key, not a witness (cosignature) key", w->k.name);
		return NULL;
	}
	if (t >= UINT64_C(1) << 63) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "cosign: time %" PRIu64 " is not below 2^63",
		            t);
		return NULL;
	}
	/* cosignature/v1 is defined over checkpoints only. */
	if (!checkpoint_parse(checkpoint_text, NULL, NULL, NULL, err))
		return NULL;
	for (int b = 0; b < 8; b++)
		payload[b] = (uint8_t)(t >> (56 - 8 * b));
	char *msg = cosig_message(checkpoint_text, t);
	bool ok = ed25519_sign(w->k.pkey, msg, strlen(msg), payload + 8, err);
	g_free(msg);
	return ok ? sig_line_format(&w->k, payload, sizeof payload) : NULL;
}
