/*
 * cli/store.c — the store as a command gets it: opened as the table of
 * commands says (read, or written under the lock after recovery), and the
 * repairs recovery made, reported.
 */
#include "cli/cli.h"
#include "log/translog.h"
#include "core/errors.h"
#include "store/recovery.h"

#include <errno.h>
#include <string.h>

void cli_report_repairs(const cli_ctx *c, const recovery_report *r)
{
	const audit_tail *t = &r->audit_tail;
	for (guint i = 0; r->kept_unread && i < r->kept_unread->len; i++)
		cli_error(c, "%s; its disposal is recorded, but a bundle that cannot be read is "
		             "never deleted: left as it is",
		          (char *)g_ptr_array_index(r->kept_unread, i));
	if (t->bytes && t->completed)
		cli_error(c, "%s/audit.log: repaired after an interrupted run: line %" G_GUINT64_FORMAT
		             " was whole but for its newline, which was added",
		          c->store, t->after_seq + 1);
	else if (t->bytes)
		cli_error(c, "%s/audit.log: repaired after an interrupted run: a torn line of %"
		             G_GUINT64_FORMAT " byte%s after line %" G_GUINT64_FORMAT
		             " (no newline: never a whole record) was cut off; the bytes are kept in %s/%s",
		          c->store, t->bytes, t->bytes == 1 ? "" : "s", t->after_seq, c->store, t->kept);
	if (r->recorded || r->disposals_finished || r->orphans_removed)
		cli_error(c, "%s: repaired after an interrupted run: %u bundle%s recorded, %u "
		             "disposal%s finished, %u stray sidecar%s removed",
		          c->store, r->recorded, r->recorded == 1 ? "" : "s", r->disposals_finished,
		          r->disposals_finished == 1 ? "" : "s", r->orphans_removed,
		          r->orphans_removed == 1 ? "" : "s");
	if (r->executions_finished)
		cli_error(c, "%s: repaired after an interrupted run: the execution of %u disposal "
		             "batch%s was finished (archive disposal list)",
		          c->store, r->executions_finished, r->executions_finished == 1 ? "" : "es");
}

/* Say why the store could not be opened, close what was, free err. */
static int cli_store_failed(const cli_ctx *c, cli_store *out, GError *err)
{
	cli_error(c, "%s", err->message);
	int rc = err->code == ARC_ERROR_LOCKED ? EXIT_LOCKED : EXIT_CANNOT_PROCEED;
	g_error_free(err);
	cli_close_store(out);
	return rc;
}

int cli_open_store(const cli_ctx *c, cli_store *out)
{
	GError *err = NULL;
	memset(out, 0, sizeof *out);
	if (c->mode == STORE_NONE)
		return EXIT_OK;
	if (c->mode == STORE_PEEK) {
		char *cat = g_build_filename(c->store, "catalog.sqlite", NULL);
		bool have = g_file_test(cat, G_FILE_TEST_IS_REGULAR);
		g_free(cat);
		if (!(out->store = store_open_dry(c->store, &err)) ||
		    (have && !(out->catalog = catalog_open(c->store, &err))))
			goto fail;
		return EXIT_OK;
	}
	/* Only ingest makes a store; every other command needs one there. */
	if (c->mode != STORE_CREATE && !g_file_test(c->store, G_FILE_TEST_IS_DIR)) {
		g_set_error(&err, ARC_ERROR, ARC_ERROR_STORE, "%s: cannot read store: %s", c->store,
		            g_file_test(c->store, G_FILE_TEST_EXISTS) ? "not a directory"
		                                                      : g_strerror(ENOENT));
		goto fail;
	}
	bool write = c->mode != STORE_READ;
	if (!(out->store = store_open(c->store, write, &err)))
		goto fail;
	if (c->mode == STORE_LOCK)
		return store_lock(out->store, &err) ? EXIT_OK : cli_store_failed(c, out, err);
	if (write) {
		recovery_report r = { 0 };
		if (!store_lock(out->store, &err) || !(out->catalog = catalog_open(c->store, &err)) ||
		    !recovery_run(c->store, out->catalog, &r, &err)) {
			recovery_report_clear(&r);
			goto fail;
		}
		for (guint i = 0; i < r.unreadable->len; i++)
			cli_error(c, "%s: cannot be indexed; 'archive verify' tells what is wrong",
			          (char *)g_ptr_array_index(r.unreadable, i));
		cli_report_repairs(c, &r);
		out->rows_restored = r.rows_restored;
		r.rows_restored = NULL;
		recovery_report_clear(&r);
		return EXIT_OK;
	}
	/* Reading: a catalog that is not there would answer "nothing". */
	char *cat = g_build_filename(c->store, "catalog.sqlite", NULL);
	bool have = g_file_test(cat, G_FILE_TEST_IS_REGULAR);
	g_free(cat);
	if (!have) {
		g_set_error(&err, ARC_ERROR, ARC_ERROR_STORE,
		            "%s: no catalog: run 'archive reindex' (or any ingest) to make it", c->store);
		goto fail;
	}
	if ((out->catalog = catalog_open(c->store, &err)))
		return EXIT_OK;
fail:
	return cli_store_failed(c, out, err);
}

int cli_sync_log(const cli_ctx *c, cli_store *s, int rc)
{
	if (!s->store || (c->mode != STORE_WRITE && c->mode != STORE_CREATE && c->mode != STORE_LOCK))
		return rc;
	GHashTable *conf = store_config_group(s->store, "log");
	char *key = translog_key_path(c->store, conf ? g_hash_table_lookup(conf, "key") : NULL);
	const char *tsa = conf ? g_hash_table_lookup(conf, "tsa") : NULL;
	translog_result r;
	GError *err = NULL;
	if (!translog_sync(c->store, key, tsa, &r, &err)) {
		cli_error(c, "transparency log not brought up to date: %s", err->message);
		g_error_free(err);
		/* A run that failed already keeps its own exit status. */
		if (rc == EXIT_OK)
			rc = EXIT_CANNOT_PROCEED;
	} else if (r.key_made) {
		cli_verbose(c, "%s: made the store's log key (keep it safe; archive.conf [log] key "
		               "may keep it outside the store)", key);
	}
	/* The checkpoint is signed and written; only its time-stamp is late,
	 * and the next writing run asks again: a warning, the exit status the
	 * run's own. */
	if (r.tsa_error)
		cli_error(c, "warning: log/checkpoint not time-stamped (the next writing run tries again): %s",
		            r.tsa_error);
	g_free(r.tsa_error);
	g_free(key);
	return rc;
}

void cli_close_store(cli_store *s)
{
	catalog_close(s->catalog);
	store_close(s->store);
	if (s->rows_restored)
		g_ptr_array_unref(s->rows_restored);
	memset(s, 0, sizeof *s);
}

