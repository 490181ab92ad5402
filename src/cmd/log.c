/*
 * cmd/log.c — `archive log checkpoint | proof ID [-o FILE] | verify
 * [--since FILE]`: the store's transparency log (store/translog.h).
 */
#include "cli/cli.h"
#include "log/translog.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive log checkpoint [--json]\n"
	"       archive log proof ID [-o FILE] [--json]\n"
	"       archive log verify [--since CHECKPOINT_FILE] [--json]\n"
	"\n"
	"The transparency log: every audit event is a leaf of an append-only\n"
	"Merkle tree (RFC 6962) under STORE/log/ (C2SP tlog-tiles), with a\n"
	"checkpoint signed by the store's key after every writing run.\n"
	"  checkpoint  print the latest signed checkpoint: keep it somewhere the\n"
	"              store's administrators cannot write\n"
	"  proof       the inclusion proof (C2SP tlog-proof@v1) of the bundle's\n"
	"              ingest entry, the entry itself in its extra line; checkable\n"
	"              offline with scripts/tlog-verify and log/verifier.key\n"
	"  verify      rebuild the tree from audit.log and check it against the\n"
	"              checkpoint's root and signature and the tiles; with --since,\n"
	"              that the log only grew since that older checkpoint; and the\n"
	"              checkpoints kept in log/cosigned/, each with a valid\n"
	"              cosignature by a witness of log/witnesses/\n"
	"\n"
	"  -o FILE          write the proof to FILE (default: stdout)\n"
	"  --since FILE     an older checkpoint kept by an auditor\n"
	"  --json           JSON lines, then a summary object\n"
	"\n"
	"Exit: 0 done (verify: all checks hold), 1 a check failed, or no such\n"
	"bundle, 2 usage, 3 the store or its log cannot be read.\n";

static const struct option longopts[] = {
	{ "since", required_argument, NULL, 's' },
	{ 0 },
};

static struct {
	enum { L_CHECKPOINT, L_PROOF, L_VERIFY } what;
	const char *since, *out, *id;
} args;

static int option(cli_ctx *c, int opt, const char *arg)
{
	(void)c;
	if (opt == 's')
		args.since = arg;
	else if (opt == 'o')
		args.out = arg;
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	const char *w = argc > 0 ? argv[0] : "";
	if (strcmp(w, "checkpoint") == 0 && argc == 1)
		args.what = L_CHECKPOINT;
	else if (strcmp(w, "proof") == 0 && argc == 2)
		args.what = L_PROOF, args.id = argv[1];
	else if (strcmp(w, "verify") == 0 && argc == 1)
		args.what = L_VERIFY;
	else
		return cli_usage_error(c, "say checkpoint, proof ID or verify");
	if (args.since && args.what != L_VERIFY)
		return cli_usage_error(c, "--since: only with verify");
	if (args.out && args.what != L_PROOF)
		return cli_usage_error(c, "-o: only with proof");
	return -1;
}

static int checkpoint(const cli_ctx *c)
{
	GError *err = NULL;
	char *note = translog_checkpoint(c->store, &err);
	if (!note)
		return cli_fail_clear(c, &err);
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "checkpoint", note);
		cli_json_print(w);
		w = cli_json_summary();
		cli_json_print(w);
	} else {
		fputs(note, stdout);
	}
	g_free(note);
	return EXIT_OK;
}

/* The seq of the bundle's last ingest line; 0 after saying why none. */
static uint64_t ingest_seq(const cli_ctx *c, cli_store *st, int *rc)
{
	GError *err = NULL;
	GPtrArray *events = catalog_events(st->catalog, args.id, &err);
	uint64_t seq = 0;
	if (!events) {
		*rc = cli_fail_clear(c, &err);
		return 0;
	}
	for (guint i = 0; i < events->len; i++) {
		const char *line = g_ptr_array_index(events, i);
		if (strstr(line, "\"event\":\"ingest\""))
			seq = audit_line_seq(line);
	}
	g_ptr_array_unref(events);
	if (!seq) {
		cli_error(c, "%s: no ingest of this bundle in %s", args.id, c->store);
		*rc = EXIT_ITEM_FAILED;
	}
	return seq;
}

static int proof(const cli_ctx *c, cli_store *st)
{
	int rc = EXIT_OK;
	uint64_t seq = ingest_seq(c, st, &rc);
	if (!seq)
		return rc;
	GError *err = NULL;
	char *p = translog_proof(c->store, seq - 1, &err);
	if (!p)
		return cli_fail_clear(c, &err);
	if (args.out) {
		if (!g_file_set_contents(args.out, p, -1, &err)) {
			cli_error(c, "%s", err->message);
			g_clear_error(&err);
			rc = EXIT_CANNOT_PROCEED;
		}
	} else if (!c->json) {
		fputs(p, stdout);
	}
	if (rc == EXIT_OK && c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "id", args.id);
		json_kv_int(w, "index", (int64_t)(seq - 1));
		json_kv_string(w, "proof", args.out ? NULL : p);
		json_kv_string(w, "file", args.out);
		cli_json_print(w);
		cli_json_print(cli_json_summary());
	}
	g_free(p);
	return rc;
}

static int verify(const cli_ctx *c)
{
	GError *err = NULL;
	char *since = NULL;
	if (args.since && !g_file_get_contents(args.since, &since, NULL, &err)) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_ITEM_FAILED;
	}
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
	translog_verdict v;
	int rc = EXIT_OK;
	if (!translog_verify(c->store, since, problems, &v, &err)) {
		rc = cli_fail_clear(c, &err);
	} else {
		for (guint i = 0; i < problems->len; i++) {
			const char *p = g_ptr_array_index(problems, i);
			cli_log_failure(c, "%s", p);
			if (c->json) {
				json_writer *w = cli_json_line();
				json_kv_string(w, "problem", p);
				cli_json_print(w);
			} else {
				cli_printf("FAIL %s\n", p);
			}
		}
		rc = problems->len ? EXIT_ITEM_FAILED : EXIT_OK;
		cli_summary(c, "log of %" G_GUINT64_FORMAT " entries: %s", v.size,
		            problems->len ? "FAIL" : "OK");
		if (c->json) {
			json_writer *w = cli_json_summary();
			json_kv_int(w, "size", (int64_t)v.size);
			json_kv_int(w, "audit_lines", (int64_t)v.lines);
			if (args.since)
				json_kv_int(w, "since_size", (int64_t)v.since_size);
			json_kv_int(w, "cosignatures", v.cosignatures);
			json_kv_bool(w, "valid", problems->len == 0);
			cli_json_print(w);
		} else if (!problems->len && c->verbosity >= 0) {
			cli_printf("OK   log of %" G_GUINT64_FORMAT " entries: signed, the audit log's, the "
			           "tiles'%s", v.size, args.since ? "; grown only since the older checkpoint" : "");
			if (v.cosignatures)
				cli_printf("; %u cosignature%s", v.cosignatures, v.cosignatures == 1 ? "" : "s");
			cli_printf("\n");
		}
	}
	g_ptr_array_unref(problems);
	g_free(since);
	return rc;
}

static int run(const cli_ctx *c, cli_store *st)
{
	switch (args.what) {
	case L_CHECKPOINT: return checkpoint(c);
	case L_PROOF: return proof(c, st);
	case L_VERIFY: break;
	}
	return verify(c);
}

const cli_command cmd_log = { usage_text, "o:", longopts, option, operands, run };
