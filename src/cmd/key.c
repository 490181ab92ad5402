/*
 * cmd/key.c — `archive key generate [--out DIR]`: the store's log key.
 */
#include "cli/cli.h"
#include "log/translog.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: archive key generate [--out DIR] [--json]\n"
	"       archive key generate --witness --out DIR [--json]\n"
	"\n"
	"Make the Ed25519 key pair that signs the store's transparency log\n"
	"checkpoints. The private key (mode 0600) goes where archive.conf's\n"
	"[log] key points, else STORE/archive-log.key, or with --out to\n"
	"DIR/archive-log.key (then set [log] key to it); it never replaces a key.\n"
	"The verifier key, in signed-note form, is printed and, in the store,\n"
	"kept as log/verifier.key. Make the key before the store's first\n"
	"writing run, which otherwise makes one at STORE/archive-log.key.\n"
	"\n"
	"  --out DIR   where to put the private key (kept outside the store, an\n"
	"              administrator of the store cannot sign with it)\n"
	"  --witness   a witness's key instead (DIR/witness.key), for 'archive\n"
	"              witness cosign'; give its printed verifier key to the store,\n"
	"              as log/witnesses/NAME.vkey\n"
	"  --json      one JSON object, then a summary object\n"
	"\n"
	"Exit: 0 made, 1 a key is there already, 2 usage, 3 cannot write it.\n";

static const struct option longopts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "witness", no_argument, NULL, 'w' },
	{ 0 },
};

static const char *out_dir;
static bool witness;

static int option(cli_ctx *c, int opt, const char *arg)
{
	(void)c;
	if (opt == 'o')
		out_dir = arg;
	else if (opt == 'w')
		witness = true;
	return -1;
}

static int operands(cli_ctx *c, int argc, char **argv)
{
	if (argc != 1 || strcmp(argv[0], "generate") != 0)
		return cli_usage_error(c, "say generate");
	if (witness && !out_dir)
		return cli_usage_error(c, "--witness needs --out DIR: a witness's key is not the store's");
	return -1;
}

static int run(const cli_ctx *c, cli_store *st)
{
	(void)st;
	GError *err = NULL;
	char *conf = out_dir ? NULL : store_peek_config(c->store, "log", "key", &err);
	char *path = out_dir ? g_build_filename(out_dir, witness ? "witness.key" : TRANSLOG_KEY_DEFAULT,
	                                        NULL)
	                     : translog_key_path(c->store, conf);
	char *verifier = NULL, *vline = NULL;
	char *logdir = g_build_filename(c->store, "log", NULL);
	char *vpath = g_build_filename(logdir, "verifier.key", NULL);
	int rc = EXIT_OK;
	char *parent = g_path_get_dirname(path);
	bool made = !err && disk_mkdir_p(parent, &err);
	g_free(parent);
	if (!made || !translog_key_generate(path, NULL, witness, &verifier, &err)) {
		rc = cli_fail_clear(c, &err);
		goto out;
	}
	/* The store's copy of the verifier key, when this key is the store's. */
	vline = g_strconcat(verifier, "\n", NULL);
	if (!out_dir && g_file_test(c->store, G_FILE_TEST_IS_DIR) &&
	    (!disk_mkdir_p(logdir, &err) ||
	     !g_file_set_contents(vpath, vline, -1, &err))) {
		rc = cli_fail_clear(c, &err);
		goto out;
	}
	if (c->json) {
		json_writer *w = cli_json_line();
		json_kv_string(w, "key", path);
		json_kv_string(w, "verifier_key", verifier);
		cli_json_print(w);
		cli_json_print(cli_json_summary());
	} else {
		cli_printf("%s\n", verifier);
		if (c->verbosity >= 0)
			fprintf(stderr, "archive: key: private key in %s (mode 0600)\n", path);
	}
	cli_summary(c, "made %s", path);
out:
	g_free(vline);
	g_free(vpath);
	g_free(logdir);
	g_free(verifier);
	g_free(path);
	g_free(conf);
	return rc;
}

const cli_command cmd_key = { usage_text, "", longopts, option, operands, run };
