/*
 * release/headline.c — which line of a page is the release's headline,
 * told apart by where it stands rather than by what it says.
 *
 * Measured on real pages (fixtures/pages/, see its README): a date,
 * metadata or department line follows the headline within a line or two
 * on most pages and on every korea.kr page; a section label or landmark
 * (보도자료, Press Releases, 콘텐츠 영역) stands right before it on most
 * others; its words come back in the first lines of the body, while the
 * other stories' headlines a page lists above it do not; and a real
 * headline may read exactly like a label ("정례브리핑"), while a stray
 * caption may read exactly like a headline. So each text line before the
 * body is scored by that evidence:
 *
 *   +4  a date, metadata or department line follows (controls between do
 *       not count), or a date is glued to its end ("… 2021-07-07");
 *   +4  the page itself states it as its title (og:title, <title>);
 *   +3  its words come back in the body's opening lines;
 *   +2  a section label or landmark stands right before it;
 *   +1  it is the first text line of the page;
 *
 * and the best one, the earliest of equals, is the headline. List items
 * (a bullet, an indented number) are menus, never headlines. The search
 * ends where the body begins (a sentence, a speaker tag "<이름 직함>", a
 * body marker □ ○ ▷, an end mark): a page whose body comes before any text
 * line has no headline, and release.title says why rather than promote a
 * label, a skip link or the body's first sentence.
 */
#include "parse.h"

#include <string.h>

/* Could the line be a headline at all: some letters, not a whole essay,
 * not an item of a list ("  • 홈", "  3. 어린이·청소년")? */
static bool title_like(const char *line)
{
	glong chars = g_utf8_strlen(line, -1);
	if (chars < 2 || chars > 250)
		return false;
	const char *s = text_skip_space(line);
	if (chrome_is_bullet(s) || release_subtitle_marker(s) || *s == '-')
		return false; /* a menu's entry, a subtitle, "-주요 내용-" */
	if (s != line && g_ascii_isdigit(*s)) {
		const char *p = s;
		while (g_ascii_isdigit(*p))
			p++;
		if ((*p == '.' || *p == ')') && p[1] == ' ')
			return false;
	}
	for (const char *p = line; *p; p = g_utf8_next_char(p))
		if (g_unichar_isalpha(g_utf8_get_char(p)))
			return true;
	return false;
}

/* The next line that says something about the one at i: not blank, not
 * a control or a picture between them. -1 at the end. */
static int next_significant(char **lines, const line_kind *kinds, int i)
{
	for (i++; lines[i]; i++)
		if (kinds[i] != LINE_BLANK && kinds[i] != LINE_CHROME)
			return i;
	return -1;
}

static bool is_hint(const char *line, const char *const *hints)
{
	if (!hints)
		return false;
	char *t = text_trimmed(line);
	bool yes = false;
	for (const char *const *h = hints; *h && !yes; h++)
		yes = **h && strcmp(t, *h) == 0;
	g_free(t);
	return yes;
}

/* English words too common to say what a line is about. */
static bool is_stopword(const char *w)
{
	static const char *const stop[] = { "the", "and", "for", "with", "from", "that", "this", "will",
		                            "are", "was", "has", "have", "its", "his", "her", "our", "their",
		                            "into", "over", "about", "not", "but", "all", "new" };
	for (size_t i = 0; i < G_N_ELEMENTS(stop); i++)
		if (strcmp(w, stop[i]) == 0)
			return true;
	return false;
}

/*
 * The words of s as a set of keys, for comparing a headline with a body
 * whose Korean words take other endings ("발간" and "발간했다", "백서는"):
 * each pair of adjacent Hangul syllables, each number of two digits or
 * more, each other word of three letters or more but the commonest
 * English ones, lower-cased. Into keys (a set) when adding, or the share
 * of them found in keys.
 */
static double words_of(const char *s, GHashTable *keys, bool add)
{
	int n = 0, found = 0;
	GString *run = g_string_new(NULL);
	gunichar prev = 0;
	for (const char *p = s;; p = g_utf8_next_char(p)) {
		gunichar c = *p ? g_unichar_tolower(g_utf8_get_char(p)) : 0;
		bool hangul = c && text_is_hangul_syllable(c);
		bool other = c && !hangul && g_unichar_isalnum(c);
		if (hangul && prev) {
			char key[16];
			int len = g_unichar_to_utf8(prev, key);
			len += g_unichar_to_utf8(c, key + len);
			key[len] = '\0';
			n++;
			if (add)
				g_hash_table_add(keys, g_strdup(key));
			else
				found += g_hash_table_contains(keys, key);
		}
		prev = hangul ? c : 0;
		if (other) {
			g_string_append_unichar(run, c);
		} else if (run->len) {
			glong len = g_utf8_strlen(run->str, -1);
			bool number = g_ascii_isdigit(run->str[0]);
			if (number ? len >= 2 : len >= 3 && !is_stopword(run->str)) {
				n++;
				if (add)
					g_hash_table_add(keys, g_strdup(run->str));
				else
					found += g_hash_table_contains(keys, run->str);
			}
			g_string_truncate(run, 0);
		}
		if (!c)
			break;
	}
	g_string_free(run, TRUE);
	return n >= 2 ? (double)found / n : 0;
}

/* The keys of the body's opening: up to 2000 bytes from line body on. */
static GHashTable *body_keys(char **lines, int body)
{
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t taken = 0;
	for (int i = body; body >= 0 && lines[i] && taken < 2000; i++) {
		words_of(lines[i], keys, true);
		taken += strlen(lines[i]);
	}
	return keys;
}

/* Why no headline: what the page holds before its body, if anything. */
static char *no_headline(char **lines, const line_kind *kinds, int body)
{
	if (body < 0)
		return g_strdup("every line of the page is site navigation, a label, a date or "
		                "metadata, or a contact");
	const char *what = kinds[body] == LINE_SPEAKER ? "a speaker's tag"
	                   : kinds[body] == LINE_MARKER ? "a paragraph marker"
	                   : kinds[body] == LINE_END    ? "its end mark"
	                                                : "a sentence";
	glong chars = g_utf8_strlen(lines[body], -1);
	char *start = g_utf8_substring(lines[body], 0, MIN(chars, 40));
	char *t = text_trimmed(start);
	char *why = g_strdup_printf("the body begins with %s (\"%s%s\") before any line that can be "
	                            "a headline",
	                            what, t, chars > 40 ? "…" : "");
	g_free(start);
	g_free(t);
	return why;
}

int headline_find(char **lines, const line_kind *kinds, int html_line, const char *const *hints,
                  char **why)
{
	*why = NULL;
	/* The page's own headline element, unless it holds chrome. */
	if (html_line >= 0 && !LINE_IS_CHROME(kinds[html_line]) && kinds[html_line] != LINE_BLANK)
		return html_line;

	/* The candidates, each with its evidence of place; where the body begins. */
	GArray *cand = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *score = g_array_new(FALSE, FALSE, sizeof(int));
	int body = -1;
	bool first = true, after_label = false;
	for (int i = 0; lines[i]; i++) {
		line_kind k = kinds[i];
		if (k == LINE_BLANK)
			continue;
		if (k == LINE_SENTENCE || k == LINE_SPEAKER || k == LINE_END || k == LINE_MARKER) {
			/* A headline may end like a sentence ("… 전해드립니다."):
			 * it is one when the date line stands under it. */
			int next = next_significant(lines, kinds, i);
			bool dated = k == LINE_SENTENCE && next >= 0 &&
			             (kinds[next] == LINE_META || kinds[next] == LINE_DEPT) &&
			             g_utf8_strlen(lines[i], -1) <= 120;
			if (!dated) {
				body = i;
				break;
			}
			int s = first ? 5 : 4;
			first = after_label = false;
			g_array_append_val(cand, i);
			g_array_append_val(score, s);
			continue;
		}
		if (k == LINE_LABEL) {
			after_label = true;
			continue;
		}
		if (k != LINE_TEXT || !title_like(lines[i]))
			continue;
		int s = 0;
		size_t cut;
		int next = next_significant(lines, kinds, i);
		if ((next >= 0 && (kinds[next] == LINE_META || kinds[next] == LINE_DEPT)) ||
		    chrome_glued_date(lines[i], &cut))
			s += 4;
		if (is_hint(lines[i], hints))
			s += 4;
		if (after_label)
			s += 2;
		if (first)
			s += 1;
		first = after_label = false;
		g_array_append_val(cand, i);
		g_array_append_val(score, s);
	}

	/* The evidence of content: its words come back in the body. */
	GHashTable *keys = body_keys(lines, body);
	int best = -1, best_score = 0;
	for (guint c = 0; c < cand->len; c++) {
		int i = g_array_index(cand, int, c), s = g_array_index(score, int, c);
		if (words_of(lines[i], keys, false) >= 0.4)
			s += 3;
		if (s > best_score) {
			best = i;
			best_score = s;
		}
	}
	g_hash_table_destroy(keys);
	g_array_free(cand, TRUE);
	g_array_free(score, TRUE);
	if (best < 0)
		*why = no_headline(lines, kinds, body);
	return best;
}
