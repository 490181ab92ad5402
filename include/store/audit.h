/*
 * store/audit.h — the store's audit trail, STORE/audit.log.
 *
 * One JSON object per line. Every line carries "prev", the SHA-256 of the
 * line before it (its bytes without the newline; 64 zeros for the first),
 * so a changed, removed or inserted line breaks the chain from there on.
 * Lines are appended with O_APPEND and fsync'd; the caller holds the store
 * lock, so there is one writer at a time.
 *
 * An entry is built field by field and written whole:
 *   audit_entry *e = audit_entry_new("dispose");
 *   audit_entry_set(e, "id", id); ...
 *   audit_append(dir, e, &line, &err);
 * Every line has "seq" (1, 2, …), "time" (UTC, ISO 8601), "user" (and
 * "sudo_user" under sudo: audit_user below) and "event" first, then the entry's fields in the order set, then "prev".
 */
#ifndef ARC_AUDIT_H
#define ARC_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>
#include <glib.h>

typedef struct audit_entry audit_entry;

/* event: "ingest", "quarantine", "verify", "repair"; holds: "hold",
 * "hold-extended", "hold-removed"; disposal (store/disposal.h):
 * "disposal-proposed", "disposal-decision", "disposal-execute",
 * "disposal-kept", "dispose" (the disposal record), "disposal-executed". */
audit_entry *audit_entry_new(const char *event);
void audit_entry_set(audit_entry *e, const char *key, const char *value); /* NULL: null */
void audit_entry_set_int(audit_entry *e, const char *key, int64_t value);
void audit_entry_set_bool(audit_entry *e, const char *key, bool value);
/* A value that is already JSON (an array or object made by json.h). */
void audit_entry_set_json(audit_entry *e, const char *key, const char *json);
void audit_entry_free(audit_entry *e);

/* Append e to STORE/audit.log, timed now (or at the time set by
 * audit_set_clock for tests). *line receives the line written (without its
 * newline; caller frees) when line is not NULL. Errors: ARC_ERROR_STORE. */
bool audit_append(const char *store_dir, audit_entry *e, char **line, GError **err);

/*
 * Many entries, appended together: the lines are exactly those that
 * audit_append would write one after the other (each chained to the one
 * before it), but they go to the log in one write(2) and one fsync, so a
 * run that records many events (verify of the whole store) pays for one
 * fsync per batch rather than per event. A crash before the fsync loses
 * the batch's lines (all, or the last ones whole: one write of whole
 * lines); a failed or short write is taken back, as in audit_append.
 *   audit_batch *b = audit_batch_new();
 *   audit_batch_add(b, e); ...            (b takes e)
 *   audit_batch_append(dir, b, lines, &err);
 * Each entry is timed when added (the time of the event, not of the
 * write), or at the time set by ARCHIVE_TEST_NOW.
 */
typedef struct audit_batch audit_batch;

audit_batch *audit_batch_new(void);
void audit_batch_add(audit_batch *b, audit_entry *e);
guint audit_batch_len(const audit_batch *b);
/* Append the entries, in the order added, and empty the batch (whether
 * written or not). lines, when not NULL, receives the lines written (char*,
 * without newline) in order. An empty batch writes nothing. Errors:
 * ARC_ERROR_STORE. */
bool audit_batch_append(const char *store_dir, audit_batch *b, GPtrArray *lines, GError **err);
void audit_batch_free(audit_batch *b);

/*
 * Check the chain of STORE/audit.log. Returns true when every line is a
 * JSON object whose "prev" is the SHA-256 of the line before and whose
 * "seq" counts up from 1. Otherwise false with *bad_line (1-based) and
 * *reason ("prev does not match the SHA-256 of line 11") set. A store
 * without an audit log has an empty, intact chain. A log that does not end
 * with a newline is not intact either: *bad_line is the torn line (after
 * *lines whole ones), *reason says so. err only for I/O.
 */
bool audit_verify_chain(const char *store_dir, uint64_t *lines, uint64_t *bad_line,
                        char **reason, GError **err);

/* Call fn for every line of the log, in order (for reindex). Stops and
 * returns false when fn does. Only whole lines are records: bytes after
 * the last newline (a torn line, or one being written while a reader
 * without the lock reads) are never passed to fn; *torn, when torn is not
 * NULL, receives their number (0: the log ends with a newline). */
bool audit_foreach(const char *store_dir, bool (*fn)(const char *line, void *arg), void *arg,
                   uint64_t *torn, GError **err);
/* The same from byte offset from (the start of a line; 0: the first). */
bool audit_foreach_from(const char *store_dir, off_t from,
                        bool (*fn)(const char *line, void *arg), void *arg, uint64_t *torn,
                        GError **err);

/*
 * The lines of the log from its end backwards, the last whole line first,
 * until match returns true for one: *after is then the offset just past
 * it (its newline included), where the lines after it begin; -1 when no
 * line matched (or there is no log). Writing runs find where their work
 * starts this way (the lines a catalog has not mirrored, the lines the
 * transparency log does not hold yet), reading what is new rather than
 * the whole log. False with err when the log cannot be read.
 */
bool audit_find_back(const char *store_dir, bool (*match)(const char *line, void *arg),
                     void *arg, off_t *after, GError **err);

/*
 * A torn tail: the log does not end with a newline (a write cut short by a
 * power cut, a full disk, a kill). The next line appended would be glued
 * onto the fragment and break the chain for good, so audit_append refuses
 * to append to such a log, and recovery (holding the store lock) repairs
 * it first with audit_repair_tail:
 *  - bytes that are a whole line, the chain's next (seq and prev right),
 *    missing only its newline: the newline is added (completed);
 *  - anything else: the bytes are written to STORE/audit.log.torn-TIME
 *    (kept for the archivist, fsync'd), then the log is cut back to just
 *    after its last newline (or to empty) and fsync'd.
 * *t says what was done (t->bytes 0: the log was whole, nothing done).
 * Errors: ARC_ERROR_STORE.
 */
typedef struct {
	uint64_t bytes;     /* bytes after the last newline; 0: none */
	uint64_t after_seq; /* seq of the last whole line before them (0: none) */
	char sha256[65];    /* SHA-256 of those bytes */
	bool completed;     /* they were a whole line: its newline was added */
	char *kept;         /* cut: the file in the store now holding them */
} audit_tail;

bool audit_repair_tail(const char *store_dir, audit_tail *t, GError **err);
void audit_tail_clear(audit_tail *t);

/* The "seq" of an audit line, or 0 when it has none. */
uint64_t audit_line_seq(const char *line);

/* The user recorded in entries ("user"): the name of the real uid, else
 * "uid N". Under sudo that is root; the user sudo names (SUDO_USER, when
 * set and another) is recorded beside it as "sudo_user": a claim of the
 * environment, which any process can set, never instead of the uid. */
const char *audit_user(void);
const char *audit_sudo_user(void); /* NULL: none */

#endif
