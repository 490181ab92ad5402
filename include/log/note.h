/*
 * log/note.h — C2SP signed notes with Ed25519 keys, checkpoints
 * (C2SP tlog-checkpoint) and witness cosignatures (C2SP tlog-cosignature,
 * cosignature/v1).
 *
 * A note is a text of lines each ending in "\n", a blank line, and one or
 * more signature lines "— <key name> base64(key ID[4] || signature)".
 * Keys are written in the golang.org/x/mod/sumdb/note forms:
 *   signer    PRIVATE+KEY+<name>+<key ID, 8 hex>+base64(type || seed[32])
 *   verifier  <name>+<key ID, 8 hex>+base64(type || public key[32])
 * with key ID = SHA-256(name || "\n" || type || public key)[0:4] and type
 * 0x01 for a log's note signatures, 0x04 for a witness's cosignatures.
 * A key of one type never makes or checks the other kind of signature.
 *
 * A "signature line" here is the line without its "\n". Strings and
 * objects returned are the caller's: g_free() the strings, the _free()
 * functions for keys. Malformed notes, keys and checkpoints are INPUT
 * errors; messages never quote a signer key.
 */
#ifndef ARC_LOG_NOTE_H
#define ARC_LOG_NOTE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef struct note_signer note_signer;
typedef struct note_verifier note_verifier;

/* A new key pair under name: a log key, or with cosigner a witness key. */
bool note_key_generate(const char *name, bool cosigner, char **signer_key, char **verifier_key,
                       GError **err);

/* Keys from their text forms; trailing spaces and newlines are ignored. */
note_signer *note_signer_parse(const char *signer_key, GError **err);
note_verifier *note_verifier_parse(const char *verifier_key, GError **err);
const char *note_signer_name(const note_signer *s);
const char *note_verifier_name(const note_verifier *v);
char *note_signer_verifier_key(const note_signer *s);
void note_signer_free(note_signer *s);
void note_verifier_free(note_verifier *v);

/* The note of text (non-empty, ending in "\n") signed by the log key s:
 * text, "\n", then s's signature line and "\n". */
char *note_sign(const char *text, const note_signer *s, GError **err);
/* note with signature_line (a final "\n" optional) after its existing
 * ones; refused when the same key (name and key ID) has signed already. */
char *note_add_signature(const char *note, const char *signature_line, GError **err);
/* The text of note (with its final "\n") into *text and its signature
 * lines appended to signatures (g_free'd strings); either may be NULL.
 * The text is what comes before the note's last blank line. */
bool note_split(const char *note, char **text, GPtrArray *signatures, GError **err);
/* Whether note carries a valid signature by the log key v. No signature
 * by v (its name and key ID) is false and no error; one that does not
 * verify, or two, are INPUT errors, as is a malformed note. */
bool note_verify(const char *note, const note_verifier *v, GError **err);

/* A checkpoint's text: "<origin>\n<size>\n<base64 root>\n". origin must be
 * one non-empty line. */
char *checkpoint_body(const char *origin, uint64_t size, const uint8_t root[32]);
/* The origin (g_free), tree size and root hash of a checkpoint's text.
 * Strict: size in decimal without leading zeros, a root of exactly 32
 * bytes in canonical base64; extension lines after them are allowed
 * (and not returned) but no line may be empty. */
bool checkpoint_parse(const char *text, char **origin, uint64_t *size, uint8_t root[32],
                      GError **err);

/* The cosignature line that the witness key w makes at time t (POSIX
 * seconds, < 2^63) over checkpoint_text, a checkpoint note's text. */
char *note_cosignature_line(const char *checkpoint_text, const note_signer *w, uint64_t t,
                            GError **err);
/* Whether note carries a valid cosignature by the witness key w, and its
 * time into *t (may be NULL); false and errors as note_verify. */
bool note_verify_cosignature(const char *note, const note_verifier *w, uint64_t *t,
                             GError **err);

#endif
