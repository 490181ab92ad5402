/*
 * release/release.c — parsing of a release document (see parse.h for the
 * files that do each part).
 *
 * The release is read as a sequence of lines. Before the title stands site
 * chrome (navigation) and sometimes a header (release time, contact); the
 * title is the first line that is neither. Then come subtitle lines, the
 * body, and a tail of contact, attachment and licence lines. The fields are
 * found by heuristics that favour the layouts ministries actually publish;
 * where one guesses wrong the checks downstream report a warning rather
 * than an error, so a wrong guess costs a record, never a release.
 */
#include "parse.h"

#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "release/license.h"

static GRegex *re_mentions_attachment, *re_attachment_line;

void release_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	decode_init();
	chrome_init();
	contact_init();
	date_init();
	org_init();
	html_init();
	re_mentions_attachment = text_regex("attached\\s+(?:pdf|file|document)|attachment|"
	                                    "refer\\s+to\\s+the\\s+attached|첨부|붙임|별첨|"
	                                    "^\\W*files?\\s*:", /* a board's "File :" line */
	                                    G_REGEX_CASELESS | G_REGEX_MULTILINE);
	re_attachment_line = text_regex("refer\\s+to\\s+the\\s+attached|^\\W*attach(?:ed|ment)",
	                                G_REGEX_CASELESS);
	g_once_init_leave(&done, 1);
}

static const char *const subtitle_markers[] = { "-", "–", "—", "○", "□", "ㅇ" };

/* The marker a subtitle line opens with, or NULL. */
const char *release_subtitle_marker(const char *line)
{
	const char *s = text_skip_space(line);
	for (size_t i = 0; i < G_N_ELEMENTS(subtitle_markers); i++)
		if (g_str_has_prefix(s, subtitle_markers[i]))
			return subtitle_markers[i];
	return NULL;
}

static bool mentions_attachment(const char *text)
{
	return g_regex_match(re_mentions_attachment, text, 0, NULL);
}

/* A line of the tail that ends the body: a reference to the attachments
 * ("Please refer to the attached PDF.", "붙임 1. 행사 개요"). */
static bool is_attachment_line(const char *line)
{
	const char *s = text_skip_decoration(line);
	if (g_str_has_prefix(s, "붙임") || g_str_has_prefix(s, "첨부") || g_str_has_prefix(s, "별첨"))
		return true;
	return g_utf8_strlen(line, -1) <= 120 &&
	       g_regex_match(re_attachment_line, line, 0, NULL);
}

/*
 * Letters are compared with letters: a Hangul syllable block is the two or
 * three jamo it is written with, so that Korean prose full of English
 * names ("AI Seoul Summit을") still counts as Korean.
 */
static const char *language_of(const char *s)
{
	size_t other = 0, hangul = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (text_is_hangul_syllable(c))
			hangul += (c - 0xAC00) % 28 ? 3 : 2;
		else if (g_unichar_isalpha(c))
			other++;
	}
	return hangul > other ? "ko" : "en";
}

/* The decoded text as it enters: NFC, every line ending LF, and no
 * control character but tab and newline, so that none reaches a title,
 * bag-info, XML or a terminal. Takes utf8. */
static char *clean_text(char *utf8)
{
	char *nfc = text_normalize(utf8, -1, G_NORMALIZE_NFC);
	g_free(utf8);
	GString *lf = g_string_sized_new(strlen(nfc));
	for (const char *p = nfc; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '\r') {
			g_string_append_c(lf, '\n');
			if (p[1] == '\n')
				p++;
		} else if (!text_is_unwanted_control(c)) {
			g_string_append_len(lf, p, g_utf8_next_char(p) - p);
		}
	}
	g_free(nfc);
	return g_string_free(lf, FALSE);
}

/* Lines of the cleaned text, trailing white space removed. */
static char **split_lines(const char *utf8)
{
	char **lines = g_strsplit(utf8, "\n", -1);
	for (char **l = lines; *l; l++)
		text_rtrim(*l);
	return lines;
}

/*
 * The kept lines (borrowed from lines) and their kinds: site chrome
 * dropped wherever it stands, and before the headline everything but a
 * release header, contact or metadata line; after an end mark ("<끝>")
 * only contact, attachment, licence and metadata lines; leading and
 * trailing blank lines dropped, runs of blank lines cut to two. *title_at:
 * the headline's index in the result, or -1. html: lines that are nothing
 * but navigation words go wherever they stand.
 */
static GPtrArray *keep_lines(char **lines, const line_kind *kinds, int title, bool html,
                             GArray *kept_kinds, GString *head, int *title_at)
{
	GPtrArray *kept = g_ptr_array_new();
	int blanks = 0;
	bool body = false, after_end = false;
	*title_at = -1;
	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		line_kind k = kinds[i];
		if (k == LINE_BLANK) {
			if (kept->len > 0 && ++blanks <= 2) {
				g_ptr_array_add(kept, l);
				g_array_append_val(kept_kinds, k);
			}
			continue;
		}
		if (LINE_IS_CHROME(k)) {
			/* A board's "List" button under the body ends the post:
			 * what follows is the site's footer. */
			if (body && chrome_is_list_button(l))
				after_end = true;
			continue;
		}
		if (k == LINE_SENTENCE || k == LINE_SPEAKER || k == LINE_MARKER || k == LINE_END)
			body = true;
		bool before = title >= 0 ? i < title : !body;
		if (i == title) {
			*title_at = (int)kept->len;
		} else if (before) {
			/* Before the headline: the release's own header lines stay;
			 * the rest is the page's (the site's name, a menu's entries,
			 * stray captions, banners). Without a headline, text before
			 * the body stays too. */
			if (k == LINE_HEADER || k == LINE_DEPT)
				g_string_append_printf(head, "%s\n", l); /* a letterhead, the site's name */
			if (k == LINE_DEPT || (k != LINE_META && chrome_is_navigation(l)) ||
			    (title >= 0 && k != LINE_HEADER && k != LINE_CONTACT && k != LINE_META))
				continue;
		} else if (html && chrome_is_nav_trail(l)) {
			continue;
		} else if (after_end && k != LINE_CONTACT && k != LINE_META && k != LINE_DEPT &&
		           !is_attachment_line(l) &&
		           !kogl_detect(l, NULL)) {
			continue; /* after "<끝>": the page's footer, other releases */
		}
		if (k == LINE_END || chrome_opens_with_end(l))
			after_end = true;
		blanks = 0;
		g_ptr_array_add(kept, l);
		g_array_append_val(kept_kinds, k);
	}
	while (kept->len > 0 && *(char *)kept->pdata[kept->len - 1] == '\0') {
		g_ptr_array_remove_index(kept, kept->len - 1);
		g_array_remove_index(kept_kinds, kept_kinds->len - 1);
	}
	return kept;
}

static char *join_lines(GPtrArray *kept, guint from, guint to)
{
	GString *s = g_string_new(NULL);
	for (guint i = from; i < to; i++) {
		g_string_append(s, kept->pdata[i]);
		g_string_append_c(s, '\n');
	}
	char *t = text_trimmed(s->str);
	g_string_free(s, TRUE);
	return t;
}

static bool ends_body(const char *line)
{
	if (contact_is_line(line) || is_attachment_line(line))
		return true;
	return kogl_detect(line, NULL) != 0;
}

/*
 * The contact's lines [*from, *end) of kept; false when there is none. In
 * this order: a contact line and the lines after it that give more
 * numbers, addresses or contact words (a table of persons in charge); or
 * a contact's label alone ("연락처") and the block under it (a ministry,
 * a division, a person, a number). A department the metadata names
 * ("부서명 언론담당관실") is not a contact: nobody can be reached by it.
 */
static bool contact_span(GPtrArray *kept, guint *from, guint *end)
{
	guint n = kept->len, i;
	for (i = 0; i < n && !contact_is_line(kept->pdata[i]); i++)
		;
	if (i < n && contact_is_label(kept->pdata[i])) {
		guint e = i + 1;
		while (e < n && e <= i + 2 && *(char *)kept->pdata[e] == '\0')
			e++;
		guint block = e;
		while (e < n && e < block + 8 && *(char *)kept->pdata[e] != '\0' &&
		       g_utf8_strlen(kept->pdata[e], -1) <= 80 && !kogl_detect(kept->pdata[e], NULL))
			e++;
		*from = i;
		*end = e > block ? e : i + 1;
		return true;
	}
	if (i < n) {
		guint e = i + 1;
		while (e < n) {
			const char *l = kept->pdata[e];
			/* one blank line between its lines ("담당자 …", "", "전화 …") */
			if (*l == '\0' && e + 1 < n && *(char *)kept->pdata[e + 1] &&
			    (contact_is_line(kept->pdata[e + 1]) || contact_has_number(kept->pdata[e + 1])))
				l = kept->pdata[++e];
			if (*l == '\0')
				break;
			bool more = (contact_has_number(l) || contact_has_word(l)) && !is_attachment_line(l) &&
			            !kogl_detect(l, NULL);
			if (!more)
				break;
			e++;
		}
		*from = i;
		*end = e;
		return true;
	}
	return false;
}

/* In copied text, a release's contact block ends it: short lines after
 * it, none a sentence, an attachment, a licence or metadata, are the
 * page's footer ("국내 최대 배포망으로 귀사의 소식을 널리 알리세요"). */
static void drop_footer(GPtrArray *kept, GArray *kinds, int title_at, guint from, guint end)
{
	if ((int)from <= title_at)
		return;
	for (guint i = end; i < kept->len; i++) {
		const char *l = kept->pdata[i];
		if (*l && (g_array_index(kinds, line_kind, i) != LINE_TEXT || g_utf8_strlen(l, -1) > 60 ||
		           is_attachment_line(l) || kogl_detect(l, NULL)))
			return;
	}
	g_ptr_array_set_size(kept, end);
	g_array_set_size(kinds, end);
}

/* Title, subtitles, body: the structure of the kept lines. */
static void parse_structure(release_doc *doc, GPtrArray *kept, const GArray *kinds, int title_at)
{
	guint n = kept->len, i;

	if (title_at < 0)
		return;
	const char *t = kept->pdata[title_at];
	size_t cut;
	doc->title = chrome_glued_date(t, &cut) ? g_strndup(t, cut) : g_strdup(t);
	char *trimmed = text_trimmed(doc->title);
	g_free(doc->title);
	doc->title = trimmed;

	/* Subtitles share the marker of the first; a line of Korean prose
	 * ("…밝혔다.") under a "□" is the body, which Korean releases
	 * open with the same markers. The date and department lines under
	 * the headline are neither. */
	const char *marker = NULL;
	guint body_from = (guint)title_at + 1;
	while (body_from < n && (g_array_index(kinds, line_kind, body_from) == LINE_META ||
	                         g_array_index(kinds, line_kind, body_from) == LINE_DEPT ||
	                         g_array_index(kinds, line_kind, body_from) == LINE_BLANK))
		body_from++;
	for (i = body_from; i < n; i++) {
		const char *l = kept->pdata[i];
		if (*l == '\0')
			continue;
		const char *m = release_subtitle_marker(l);
		if (!m || (marker && strcmp(m, marker) != 0) || g_str_has_suffix(l, "다."))
			break;
		char *sub = text_trimmed(text_skip_space(l) + strlen(m));
		if (!*sub) {
			g_free(sub);
			break;
		}
		marker = m;
		g_ptr_array_add(doc->subtitles, sub);
		body_from = i + 1;
	}
	guint body_to = body_from;
	while (body_to < n && !ends_body(kept->pdata[body_to]))
		body_to++;
	doc->body = join_lines(kept, body_from, body_to);
}

release_doc *release_parse(const char *bytes, size_t len, const char *name, GError **err)
{
	release_init();
	const char *encoding = NULL;
	release_doc *doc = NULL;
	char **lines = NULL;
	GPtrArray *kept = NULL;
	GArray *kept_kinds = NULL;
	html_page page = { .headline_line = -1 };
	if (!name)
		name = "(release)";
	bool html = text_has_suffix_ci(name, ".html") || text_has_suffix_ci(name, ".htm");
	char *utf8 = decode_release(bytes, len, name, html, &encoding, err);
	if (!utf8)
		goto out;
	utf8 = clean_text(utf8);

	doc = g_new0(release_doc, 1);
	doc->encoding = g_strdup(encoding);
	doc->subtitles = g_ptr_array_new_with_free_func(g_free);
	doc->attachment_links = g_ptr_array_new_with_free_func(g_free);
	if (html) {
		if (!html_extract(utf8, name, &page, doc->attachment_links, err)) {
			g_clear_pointer(&doc, release_doc_free);
			goto out;
		}
		g_free(utf8);
		utf8 = g_strdup(page.text);
	}

	lines = split_lines(utf8);
	guint nlines = g_strv_length(lines);
	line_kind *kinds = g_new0(line_kind, nlines + 1);
	chrome_kinds(lines, kinds);
	const char *hints[] = { page.og_title, page.title, NULL };
	int title = headline_find(lines, kinds, page.headline_line, hints, &doc->title_problem);
	int title_at;
	kept_kinds = g_array_new(FALSE, FALSE, sizeof(line_kind));
	GString *head = g_string_new(NULL);
	kept = keep_lines(lines, kinds, title, html, kept_kinds, head, &title_at);
	if (page.site)
		g_string_append_printf(head, "%s\n", page.site);
	g_free(kinds);
	guint contact_from, contact_end;
	bool contact = contact_span(kept, &contact_from, &contact_end);
	if (contact && !html) /* HTML's footer is known by its element */
		drop_footer(kept, kept_kinds, title_at, contact_from, contact_end);
	if (contact) {
		doc->contact = join_lines(kept, contact_from, contact_end);
		doc->contact_phone = contact_find_phone(doc->contact);
		doc->contact_email = contact_find_email(doc->contact);
	}
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < kept->len; i++) {
		g_string_append(text, kept->pdata[i]);
		g_string_append_c(text, '\n');
	}

	parse_structure(doc, kept, kept_kinds, title_at);

	doc->license_type = kogl_detect(text->str, &doc->license_statement);
	if (!doc->license_type && page.page_text) {
		/* A page states its licence in the site's footer as often as
		 * in the article: the statement joins the text, where a .txt
		 * release has it too. */
		char *nfc = text_normalize(page.page_text, -1, G_NORMALIZE_NFC);
		doc->license_type = kogl_detect(nfc, &doc->license_statement);
		g_free(nfc);
		if (doc->license_type)
			g_string_append_printf(text, "%s%s\n", text->len ? "\n" : "", doc->license_statement);
	}
	if (text->len == 0)
		g_string_append_c(text, '\n');
	doc->text = g_string_free(text, FALSE);

	char iso[11];
	if (page.meta_date) {
		doc->date = g_strdup(page.meta_date);
		doc->date_source = g_strdup("html-meta");
	} else if (release_find_date(doc->text, iso)) {
		doc->date = g_strdup(iso);
		doc->date_source = g_strdup("text");
	}
	doc->license_types_stated = kogl_detect_all(doc->text);
	GString *dept = g_string_new(NULL);
	for (guint i = 0; i < kept->len; i++)
		if (g_array_index(kept_kinds, line_kind, i) == LINE_META ||
		    g_array_index(kept_kinds, line_kind, i) == LINE_DEPT)
			g_string_append_printf(dept, "%s\n", (char *)kept->pdata[i]);
	/* The body's first sentence or paragraph (not a repeat of the headline
	 * above it, not a subtitle). */
	const char *lead = NULL;
	for (guint i = title_at >= 0 ? (guint)title_at + 1 : 0; i < kept->len && !lead; i++) {
		line_kind k = g_array_index(kept_kinds, line_kind, i);
		if (k == LINE_SENTENCE || k == LINE_MARKER)
			lead = kept->pdata[i];
	}
	doc->organisation = org_find(doc->license_statement, dept->str, doc->contact, head->str, lead);
	g_string_free(dept, TRUE);
	g_string_free(head, TRUE);
	doc->mentions_attachment = mentions_attachment(doc->text) || doc->attachment_links->len > 0;
	doc->language = g_strdup(language_of(doc->body && *doc->body ? doc->body : doc->text));

out:
	if (kept)
		g_ptr_array_free(kept, TRUE);
	if (kept_kinds)
		g_array_free(kept_kinds, TRUE);
	g_strfreev(lines);
	g_free(utf8);
	html_page_clear(&page);
	return doc;
}

void release_doc_free(release_doc *doc)
{
	if (!doc)
		return;
	g_free(doc->encoding);
	g_free(doc->text);
	g_free(doc->title);
	g_free(doc->title_problem);
	if (doc->subtitles)
		g_ptr_array_free(doc->subtitles, TRUE);
	g_free(doc->body);
	g_free(doc->contact);
	g_free(doc->contact_phone);
	g_free(doc->contact_email);
	g_free(doc->date);
	g_free(doc->organisation);
	g_free(doc->license_statement);
	g_free(doc->language);
	g_free(doc->date_source);
	if (doc->attachment_links)
		g_ptr_array_free(doc->attachment_links, TRUE);
	g_free(doc);
}
