/*
 * cmd/witness.c — `archive witness cosign --state DIR --key FILE
 * CHECKPOINT_FILE`: a second custodian's check (store/translog.h).
 */
#include "cli/cli.h"
#include "log/translog.h"
#include "core/errors.h"
#include "core/json.h"
#include "core/testhook.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive witness cosign --state DIR --key FILE CHECKPOINT_FILE [--json]\n"
	"\n"
	"Run by a second custodian, on another account or machine, with a key of\n"
	"its own (a witness key: see 'archive key -h'): cosign (C2SP\n"
	"tlog-cosignature) the store's checkpoint CHECKPOINT_FILE (archive log\n"
	"checkpoint) only when it is signed by the store's key and extends the\n"
	"checkpoint this witness last cosigned. The consistency proof comes from\n"
	"the store's log/ tiles (--store: the store, or a read-only copy of its\n"
	"log/), and is checked against both roots: a rewritten history is refused.\n"
	"Prints the checkpoint with the cosignature added; keep it in the store as\n"
	"log/cosigned/SIZE, where 'archive log verify' checks it.\n"
	"\n"
	"  --state DIR   the witness's state: log.vkey (the store's verifier key,\n"
	"                copied there once) and last (the checkpoint last cosigned)\n"
	"  --key FILE    the witness's private key\n"
	"  --json        one JSON object, then a summary object\n"
	"\n"
	"Exit: 0 cosigned, 1 refused (not the store's, older, or rewritten), 2\n"
	"usage, 3 a file cannot be read or written.\n";

static const struct option longopts[] = {
	{ "state", required_argument, NULL, 's' },
	{ "key", required_argument, NULL, 'k' },
	{ 0 },
};

static const char *state, *key, *checkpoint;

static int option(cli_ctx *c, int opt, const char *arg)
{
	(void)c;
	if (opt == 's')
		state = arg;
	else if (opt == 'k')
		key = arg;
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "cosign") != 0)
		return cli_usage_error(c, "say cosign CHECKPOINT_FILE");
	if (!state || !key)
		return cli_usage_error(c, "cosign needs --state DIR and --key FILE");
	checkpoint = argv[1];
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	(void)st;
	GError *err = NULL;
	char *note = NULL;
	if (!g_file_get_contents(checkpoint, &note, NULL, &err)) {
		cli_error(c, "%s", err->message);
		g_error_free(err);
		return EXIT_ITEM_FAILED;
	}
	GDateTime *now = testhook_now_utc();
	char *out = translog_witness_cosign(c->store, state, key, note,
	                                    (uint64_t)g_date_time_to_unix(now), &err);
	g_date_time_unref(now);
	g_free(note);
	if (!out)
		return cli_fail_clear(c, &err);
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "cosigned", out);
		cli_json_print(w);
		cli_json_print(cli_json_summary());
	} else {
		fputs(out, stdout);
	}
	cli_summary(c, "cosigned %s", checkpoint);
	g_free(out);
	return EXIT_OK;
}

const cli_command cmd_witness = { usage_text, "", longopts, option, operands, run };
