/*
 * log/translog.h — STORE/log/, the transparency log of the audit log
 * (SPEC, "Transparency log").
 *
 * Every line of audit.log is a leaf, in order (leaf i is the line of seq
 * i + 1, its bytes without the newline), of a Merkle tree kept in the
 * C2SP tlog-tiles layout (log/tiles.h):
 *   log/tile/...        the tree
 *   log/checkpoint      the latest checkpoint (C2SP tlog-checkpoint), a
 *                       signed note by the store's Ed25519 key (log/note.h)
 *   log/verifier.key    the store's verifier key, for auditors
 *   log/checkpoint.tsr  with [log] tsa: the RFC 3161 TimeStampResp (DER) of
 *                       log/checkpoint's bytes (log/tsa.h), kept too as
 *   log/tsr/<size>.tsr  one per checkpoint size time-stamped
 * The signer key: archive.conf [log] key, else STORE/archive-log.key.
 *
 * A writing run ends with translog_sync: the leaves its audit lines add,
 * then a new checkpoint. The checkpoint is written (a temporary file,
 * flushed, renamed) only after the tiles it covers are flushed, so it never
 * claims more than is stored; tiles past it (a run cut short) are written
 * again by the next sync, the same bytes. The caller holds the store lock.
 */
#ifndef ARC_TRANSLOG_H
#define ARC_TRANSLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#define TRANSLOG_KEY_DEFAULT "archive-log.key"

/* The signer key's path: conf_key ([log] key) when set, else
 * STORE/archive-log.key. Caller frees. */
char *translog_key_path(const char *store_dir, const char *conf_key);

/* Make a key pair: the signer key at path (mode 0600; never over an
 * existing file: ARC_ERROR_INPUT), named name (NULL: a new
 * "archive.local/<16 hex>", "witness.local/<16 hex>" for a witness's);
 * *verifier gets the verifier key. */
bool translog_key_generate(const char *path, const char *name, bool witness, char **verifier,
                           GError **err);

typedef struct {
	uint64_t size;     /* leaves after */
	uint64_t appended; /* leaves this sync added */
	bool key_made;     /* the default key was missing and was made */
	char *tsa_error;   /* the time-stamp not had (a warning, not a failure);
	                      NULL when none was asked or it came. Caller frees. */
} translog_result;

/* Bring log/ up to audit.log (above). A missing key at the default place
 * is made (a store's first writing run), its verifier key written to
 * log/verifier.key; a configured key that cannot be read is an error. An
 * audit log shorter than the checkpoint (lines removed) is an error.
 * With tsa_url (NULL: none), the checkpoint is then time-stamped when
 * log/checkpoint.tsr is missing or is not for it: a new checkpoint, or one
 * an earlier run could not have stamped. A TSA that fails leaves the
 * checkpoint as written and says why in r->tsa_error (true is returned);
 * the next sync asks again. Errors: ARC_ERROR_STORE. */
bool translog_sync(const char *store_dir, const char *key_path, const char *tsa_url,
                   translog_result *r, GError **err);

/* log/checkpoint, as stored; NULL with err when there is none. */
char *translog_checkpoint(const char *store_dir, GError **err);

typedef struct {
	uint64_t size;       /* the checkpoint's */
	uint64_t lines;      /* audit.log's whole lines */
	uint64_t since_size; /* the older checkpoint's, with since */
	unsigned cosignatures; /* valid ones, on the checkpoints of log/cosigned/ */
} translog_verdict;

/*
 * `archive log verify`: the checkpoint's signature by log/verifier.key;
 * the tree rebuilt from audit.log (its first checkpoint-size lines) against
 * the checkpoint's root, the tiles' root and every stored entry; with
 * since (an older checkpoint, a signed note), its signature, that it is a
 * prefix of this log (its root from audit.log and a consistency proof from
 * the tiles); the cosigned checkpoints kept in log/cosigned/ (each the
 * store's, a prefix of this log, with a valid cosignature by a witness
 * whose verifier key is in log/witnesses/). Each failure is a message added to problems; false with err
 * only when the files cannot be read at all.
 */
bool translog_verify(const char *store_dir, const char *since, GPtrArray *problems,
                     translog_verdict *v, GError **err);

/* The C2SP tlog-proof@v1 of leaf index against log/checkpoint, its
 * "extra" line the entry (the audit line, base64). Errors:
 * ARC_ERROR_INPUT when the checkpoint does not cover it. */
char *translog_proof(const char *store_dir, uint64_t index, GError **err);

/*
 * `archive witness cosign`: a second custodian's check. state_dir holds
 * log.vkey (the store's verifier key, put there when the witness starts)
 * and last (the checkpoint it last cosigned). note, a checkpoint, is
 * cosigned (C2SP tlog-cosignature, at time now) with the witness key at
 * key_path only when it is signed by log.vkey and extends last: a
 * consistency proof from the tiles of store_dir/log/ (read, never
 * written; a copy will do), checked against both roots. Returns the note
 * with the cosignature added, and last becomes it; ARC_ERROR_INPUT when it
 * refuses (an older or rewritten history, another log's checkpoint).
 */
char *translog_witness_cosign(const char *store_dir, const char *state_dir, const char *key_path,
                              const char *note, uint64_t now, GError **err);

#endif
