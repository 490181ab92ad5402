/*
 * release/license.c — the KOGL table and detection of KOGL statements.
 *
 * Detection works line by line. A number ("Type 1", "제1유형", "1유형")
 * counts only when the line, or the non-blank line just before it, gives
 * KOGL context (KOGL, 공공누리, Open Government License) or the line names
 * the conditions ("Source Indication", "출처표시"): "type 1" alone is
 * common in prose ("type 1 diabetes", "제1유형 당뇨"). Without a number the
 * conditions decide the type: source indication alone is type 1, plus
 * commercial-use prohibition 2, plus change prohibition 3, both 4. Source
 * indication alone needs KOGL context; with a prohibition it is specific
 * enough by itself.
 */
#include "release/license.h"

#include <stdbool.h>
#include <string.h>
#include <glib.h>

static const kogl_license licenses[4] = {
	{ 1, "KOGL-Type-1", "Type 1: Source Indication", "제1유형: 출처표시",
	  "https://www.kogl.or.kr/info/licenseType1.do" },
	{ 2, "KOGL-Type-2", "Type 2: Source Indication + Commercial Use Prohibition",
	  "제2유형: 출처표시+상업적 이용금지",
	  "https://www.kogl.or.kr/info/licenseType2.do" },
	{ 3, "KOGL-Type-3", "Type 3: Source Indication + Change Prohibition",
	  "제3유형: 출처표시+변경금지",
	  "https://www.kogl.or.kr/info/licenseType3.do" },
	{ 4, "KOGL-Type-4",
	  "Type 4: Source Indication + Commercial Use Prohibition + Change Prohibition",
	  "제4유형: 출처표시+상업적 이용금지+변경금지",
	  "https://www.kogl.or.kr/info/licenseType4.do" },
};

const kogl_license *kogl_get(int type)
{
	if (type < 1 || type > 4)
		return NULL;
	return &licenses[type - 1];
}

int kogl_parse_name(const char *name)
{
	if (!name)
		return 0;
	const char *rest;
	if (g_ascii_strncasecmp(name, "kogl-type-", 10) == 0)
		rest = name + 10;
	else if (g_ascii_strncasecmp(name, "kogl-", 5) == 0)
		rest = name + 5;
	else
		return 0;
	if (rest[0] >= '1' && rest[0] <= '4' && rest[1] == '\0')
		return rest[0] - '0';
	return 0;
}

/* The patterns, compiled once per process (kogl_init, or the first
 * detection) and never freed: detection runs per line of every release and
 * PDF text, and compiling them each time cost more than matching. */
typedef struct {
	GRegex *context;
	GRegex *number;
	GRegex *source;
	GRegex *commercial;
	GRegex *change;
} kogl_patterns;

static kogl_patterns patterns;

void kogl_init(void)
{
	static gsize done = 0;
	kogl_patterns *p = &patterns;
	if (!g_once_init_enter(&done))
		return;
	const GRegexCompileFlags f = G_REGEX_CASELESS | G_REGEX_OPTIMIZE;
	/* The patterns are constants: a failure to compile is a bug, and
	 * g_regex_new then returns NULL, which the asserts catch. */
	p->context = g_regex_new("kogl|공공누리|open\\s+government\\s+licen[cs]e", f, 0, NULL);
	/* Group 1: English "Type 1", "Type-1", "type1"; group 2: Korean
	 * "제1유형", "제 1 유형", "1유형". */
	p->number = g_regex_new("\\btype\\s*[-.:]?\\s*([1-4])(?![0-9])"
	                        "|(?<![0-9])(?:제\\s*)?([1-4])\\s*유형", f, 0, NULL);
	p->source = g_regex_new("source\\s+indication|출처\\s*표시", f, 0, NULL);
	p->commercial = g_regex_new("commercial\\s+use\\s+prohibit|상업적\\s*이용\\s*금지", f, 0, NULL);
	p->change = g_regex_new("change\\s+prohibit|변경\\s*금지", f, 0, NULL);
	g_assert(p->context && p->number && p->source && p->commercial && p->change);
	g_once_init_leave(&done, 1);
}

/*
 * The types stated in one line, as a bit mask; *first receives the type
 * stated first on the line. prev_context: the line before gave KOGL
 * context (a statement broken over two lines, as PDF text often is).
 */
static unsigned line_types(const kogl_patterns *p, const char *line,
                           bool prev_context, int *first)
{
	unsigned mask = 0;
	*first = 0;
	bool context = prev_context || g_regex_match(p->context, line, 0, NULL);
	bool source = g_regex_match(p->source, line, 0, NULL);

	if (context || source) {
		GMatchInfo *mi = NULL;
		g_regex_match(p->number, line, 0, &mi);
		while (g_match_info_matches(mi)) {
			char *en = g_match_info_fetch(mi, 1);
			char *ko = g_match_info_fetch(mi, 2);
			int t = (en && *en) ? en[0] - '0' : ko[0] - '0';
			g_free(en);
			g_free(ko);
			if (!*first)
				*first = t;
			mask |= 1u << t;
			g_match_info_next(mi, NULL);
		}
		g_match_info_free(mi);
	}
	if (mask || !source)
		return mask;

	bool commercial = g_regex_match(p->commercial, line, 0, NULL);
	bool change = g_regex_match(p->change, line, 0, NULL);
	if (!context && !commercial && !change)
		return 0;
	*first = 1 + (commercial ? 1 : 0) + (change ? 2 : 0);
	return 1u << *first;
}

/* Walk the lines of text; stop at the first statement when first_only. */
static unsigned detect(const char *text, bool first_only, int *type, char **statement)
{
	unsigned all = 0;
	*type = 0;
	if (!text)
		return 0;
	kogl_init();
	const kogl_patterns *p = &patterns;
	char **lines = g_strsplit_set(text, "\r\n\f", -1);
	bool prev_context = false;
	for (char **l = lines; *l; l++) {
		char *line = g_strstrip(*l);
		if (!*line)
			continue;
		int first;
		unsigned m = line_types(p, line, prev_context, &first);
		prev_context = g_regex_match(p->context, line, 0, NULL);
		if (!m)
			continue;
		all |= m;
		if (!*type) {
			*type = first;
			if (statement)
				*statement = g_strdup(line);
			if (first_only)
				break;
		}
	}
	g_strfreev(lines);
	return all;
}

int kogl_detect(const char *text, char **statement)
{
	int type;
	if (statement)
		*statement = NULL;
	detect(text, true, &type, statement);
	return type;
}

unsigned kogl_detect_all(const char *text)
{
	int type;
	return detect(text, false, &type, NULL);
}
