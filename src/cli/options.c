/*
 * cli/options.c — the command line: finding the command among options
 * that may stand before it, parsing the command's options and the common
 * ones once (getopt_long, so a value is never taken for an option:
 * `--reason -v` is the reason "-v"), and option values shared by the
 * commands (dates, -j).
 */
#include "cli/cli.h"
#include "core/errors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The options every command takes. */
enum { OPT_STORE = 1000, OPT_JSON, OPT_SYSLOG, OPT_VERSION };
static const struct option common_longopts[] = {
	{ "store", required_argument, NULL, OPT_STORE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "log-syslog", no_argument, NULL, OPT_SYSLOG },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};
static const char common_shortopts[] = "hqv";

/* has_arg of the long option called name (len bytes) among the common
 * options and own, or -1 when there is none: getopt_long takes an exact
 * name, or else a prefix of exactly one. */
static int long_has_arg(const struct option *own, const char *name, size_t len)
{
	const struct option *tables[2] = { common_longopts, own }, *prefix = NULL;
	int prefixes = 0;
	for (int t = 0; t < 2; t++)
		for (const struct option *o = tables[t]; o && o->name; o++)
			if (strncmp(o->name, name, len) == 0) {
				if (o->name[len] == '\0')
					return o->has_arg;
				prefix = o;
				prefixes++;
			}
	return prefixes == 1 ? prefix->has_arg : -1;
}

/* What some commands' options say of arg, an argument that begins with
 * '-': *known when it is an option of one of them, and the result true
 * when the next argument is its value ("--date D", "-j 4"; not "--date=D",
 * "-j4", "-qv"). */
static bool next_is_value(const cli_command *const *cands, size_t n, const char *arg,
                          bool *known)
{
	bool value = false;
	*known = false;
	for (size_t k = 0; k < n; k++) {
		bool takes = false, ok = true;
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			int has = long_has_arg(cands[k]->longopts, name, eq ? (size_t)(eq - name) : strlen(name));
			ok = has >= 0;
			takes = has == required_argument && !eq;
		} else {
			const char *own = cands[k]->shortopts ? cands[k]->shortopts : "";
			for (const char *p = arg + 1; *p && ok; p++) {
				const char *at = strchr(common_shortopts, *p);
				if (!at && *p != ':' && (at = strchr(own, *p)) && at[1] == ':') {
					takes = p[1] == '\0';
					break;
				}
				ok = at != NULL && *p != ':';
			}
		}
		*known |= ok;
		value |= ok && takes;
	}
	return value;
}

/* The first word of argv that is neither an option nor an option's value
 * for the candidates, and its index; -1 when there is none. *bad: the
 * first option no candidate knows, or NULL. */
static int first_word(const cli_command *const *cands, size_t n, int argc, char **argv,
                      const char **bad)
{
	*bad = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : -1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		bool known;
		if (next_is_value(cands, n, a, &known))
			i++;
		if (!known && !*bad)
			*bad = a;
	}
	return -1;
}

const cli_entry *cli_find_command(const cli_entry *table, size_t n, int argc, char **argv,
                                  char ***out_argv, int *out_argc, const char **word,
                                  const char **unknown)
{
	const cli_entry *found = NULL;
	int at = -1;
	*word = *unknown = NULL;
	/* Each command reads the options before its name with its own
	 * table: the command is the one whose name comes first that way. */
	for (size_t k = 0; k < n && !found; k++) {
		const char *bad;
		int i = first_word(&table[k].cmd, 1, argc, argv, &bad);
		if (i >= 0 && !bad && strcmp(argv[i], table[k].name) == 0) {
			found = &table[k];
			at = i;
		}
	}
	if (!found) {
		const cli_command **all = g_new(const cli_command *, n);
		for (size_t k = 0; k < n; k++)
			all[k] = table[k].cmd;
		const char *bad;
		int i = first_word(all, n, argc, argv, &bad);
		g_free(all);
		*word = i >= 0 ? argv[i] : NULL;
		for (size_t k = 0; *word && k < n; k++)
			if (strcmp(*word, table[k].name) == 0) {
				/* The command is there, but an option before it is
				 * not one of its own. */
				const char *mine;
				first_word(&table[k].cmd, 1, argc, argv, &mine);
				*unknown = mine;
				return &table[k];
			}
		*unknown = bad;
		return NULL;
	}
	char **v = g_new0(char *, argc + 2);
	int m = 0;
	v[m++] = (char *)found->name;
	for (int i = 1; i < argc; i++) {
		if (i == at)
			continue;
		/* "--" before the command's name ends the options after it too. */
		if (strcmp(argv[i], "--") == 0 && i + 1 == at) {
			continue;
		}
		v[m++] = argv[i];
	}
	*out_argv = v;
	*out_argc = m;
	return found;
}

int cli_parse_command(cli_ctx *c, const cli_command *cmd, int argc, char **argv)
{
	size_t nown = 0, ncommon = G_N_ELEMENTS(common_longopts);
	while (cmd->longopts && cmd->longopts[nown].name)
		nown++;
	struct option *all = g_new0(struct option, nown + ncommon);
	if (nown)
		memcpy(all, cmd->longopts, nown * sizeof *all);
	memcpy(all + nown, common_longopts, ncommon * sizeof *all);
	char *shortopts = g_strconcat(":", common_shortopts, cmd->shortopts, NULL);
	int opt, rc = -1;
	opterr = 0; /* our messages, in our form */
	optind = 1;
	while (rc < 0 && (opt = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		switch (opt) {
		case OPT_STORE:
			if (!*optarg)
				rc = cli_usage_error(c, "--store needs a directory");
			g_free(c->store);
			c->store = g_strdup(optarg);
			break;
		case 'q': c->verbosity = -1; break;
		case 'v': c->verbosity = 1; break;
		case OPT_JSON: c->json = true; break;
		case OPT_SYSLOG: c->syslog = true; break;
		case OPT_VERSION: cli_print_version(); rc = EXIT_OK; break;
		case 'h': fputs(cmd->usage, stdout); rc = EXIT_OK; break;
		case ':':
			rc = cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
			break;
		case '?':
			/* optopt is 0 for an unknown long option; argv then holds it. */
			if (optopt && optopt < 256)
				rc = cli_usage_error(c, "unknown option '-%c'", optopt);
			else
				rc = cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
			break;
		default:
			rc = cmd->option(c, opt, optarg);
			break;
		}
	}
	g_free(shortopts);
	g_free(all);
	if (rc < 0)
		rc = cmd->operands(c, argc - optind, argv + optind);
	return rc;
}

void cli_today(char iso[11])
{
	GDateTime *now = g_date_time_new_now_utc();
	char *s = g_date_time_format(now, "%Y-%m-%d");
	g_strlcpy(iso, s, 11);
	g_free(s);
	g_date_time_unref(now);
}

bool cli_parse_iso_date(const char *s, char iso[11])
{
	for (int i = 0; i < 10; i++)
		if (!(i == 4 || i == 7 ? s[i] == '-' : g_ascii_isdigit(s[i])))
			return false;
	if (s[10] != '\0')
		return false;
	int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y))
		return false;
	memcpy(iso, s, 11);
	return true;
}

bool cli_parse_jobs(const char *s, int *n)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1024)
		return false;
	*n = (int)v;
	return true;
}

