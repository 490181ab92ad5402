/*
 * cli/batch.c — how a disposal batch's items are shown (disposal propose,
 * show, execute; retention --apply).
 */
#include "cli/cli.h"
#include "core/errors.h"
#include "core/json.h"

#include <string.h>

static const char *or_empty(const char *s) { return s ? s : ""; }

void cli_print_batch_item(const cli_ctx *c, const catalog_batch_item *it)
{
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "batch", it->batch);
		json_kv_string(w, "id", it->id);
		json_kv_string(w, "title", it->title);
		json_kv_string(w, "retention", it->retention);
		json_kv_string(w, "retention_start", it->retention_start);
		json_kv_string(w, "disposal_date", it->disposal_date);
		json_kv_string(w, "bundle_sha256", it->bundle_sha256);
		json_kv_string(w, "decision", it->decision);
		json_kv_string(w, "value", it->value);
		json_kv_string(w, "by", it->decided_by);
		json_kv_string(w, "reason", it->reason);
		json_kv_string(w, "meeting", it->meeting);
		json_kv_string(w, "decided_user", it->decided_user);
		json_kv_string(w, "decided_at", it->decided_at);
		json_kv_string(w, "outcome", it->outcome);
		json_kv_string(w, "detail", it->detail);
		cli_json_print(w);
		return;
	}
	cli_printf("  %s  %s from %s, disposal %s\n      sha256 %s  %s\n", it->id,
	           or_empty(it->retention), or_empty(it->retention_start),
	           or_empty(it->disposal_date), or_empty(it->bundle_sha256), or_empty(it->title));
	if (it->decision)
		cli_printf("      decided %s%s%s by %s%s%s on %s (user %s): %s\n", it->decision,
		           it->value ? "=" : "", or_empty(it->value), or_empty(it->decided_by),
		           it->meeting ? ", meeting " : "", or_empty(it->meeting),
		           or_empty(it->decided_at), or_empty(it->decided_user), or_empty(it->reason));
	else
		cli_printf("      undecided\n");
	if (it->outcome)
		cli_printf("      %s%s%s\n", it->outcome, it->detail ? ": " : "", or_empty(it->detail));
}

int cli_report_execution(const cli_ctx *c, catalog *cat, const char *batch)
{
	GError *err = NULL;
	GPtrArray *items = catalog_batch_items(cat, batch, &err);
	if (!items) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_CANNOT_PROCEED;
	}
	unsigned destroyed = 0, held = 0, failed = 0, other = 0;
	for (guint i = 0; i < items->len; i++) {
		const catalog_batch_item *it = g_ptr_array_index(items, i);
		const char *o = or_empty(it->outcome);
		if (strcmp(o, "destroyed") == 0) {
			destroyed++;
		} else if (strcmp(o, "kept-hold") == 0) {
			held++;
			cli_verbose(c, "%s: kept: on hold (%s)", it->id, or_empty(it->detail));
		} else if (g_str_has_prefix(o, "kept-")) {
			failed++;
			cli_error(c, "%s: kept, not destroyed: %s: verify it", it->id, or_empty(it->detail));
			cli_log_failure(c, "%s: kept: %s", it->id, or_empty(it->detail));
		} else {
			other++;
		}
		if (c->json)
			cli_print_batch_item(c, it);
		else if (c->verbosity >= 0)
			cli_printf("%-10s %s%s%s\n", o, it->id, it->detail ? ": " : "",
			           or_empty(it->detail));
	}
	cli_summary(c, "batch %s: %u destroyed, %u kept on hold, %u kept (changed or missing), %u "
	               "reset or deferred",
	            batch, destroyed, held, failed, other);
	if (c->json) {
		json_writer *w = cli_json_summary();
		json_kv_string(w, "batch", batch);
		json_kv_int(w, "destroyed", destroyed);
		json_kv_int(w, "kept_on_hold", held);
		json_kv_int(w, "kept_failed", failed);
		json_kv_int(w, "reset_or_deferred", other);
		cli_json_print(w);
	} else if (c->verbosity >= 0) {
		cli_printf("batch %s executed: %u destroyed, %u kept on hold, %u kept (changed or "
		           "missing: verify them), %u reset or deferred\n",
		           batch, destroyed, held, failed, other);
	}
	g_ptr_array_unref(items);
	return failed ? EXIT_ITEM_FAILED : EXIT_OK;
}
