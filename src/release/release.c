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
	                                    "refer\\s+to\\s+the\\s+attached|첨부|붙임|별첨",
	                                    G_REGEX_CASELESS);
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

/* Lines of the decoded text: NFC, LF, trailing white space removed. */
static char **split_lines(const char *utf8)
{
	char *nfc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFC);
	GString *lf = g_string_sized_new(strlen(nfc));
	for (const char *p = nfc; *p; p++) {
		if (*p == '\r') {
			g_string_append_c(lf, '\n');
			if (p[1] == '\n')
				p++;
		} else {
			g_string_append_c(lf, *p);
		}
	}
	g_free(nfc);
	char **lines = g_strsplit(lf->str, "\n", -1);
	g_string_free(lf, TRUE);
	for (char **l = lines; *l; l++)
		text_rtrim(*l);
	return lines;
}

/*
 * The kept lines (borrowed from lines): navigation before the title
 * dropped, leading and trailing blank lines dropped, runs of blank lines
 * cut to two. *title_at: index of the title in the result, or -1.
 *
 * headline >= 0 (HTML whose headline is known): lines[headline] is the
 * title; before it only header and contact lines stay (what else stands
 * there is page chrome: a board's name, share buttons). html: lines that
 * are nothing but navigation words go wherever they stand.
 */
static GPtrArray *keep_lines(char **lines, int headline, bool html, int *title_at)
{
	GPtrArray *kept = g_ptr_array_new();
	int blanks = 0;
	*title_at = -1;
	for (int i = 0; lines[i]; i++) {
		char *l = lines[i];
		if (*l == '\0') {
			if (kept->len > 0 && ++blanks <= 2)
				g_ptr_array_add(kept, l);
			continue;
		}
		if (*title_at < 0 && headline >= 0) {
			if (i == headline)
				*title_at = (int)kept->len;
			else if (chrome_is_navigation(l) || !(chrome_is_header_line(l) || contact_is_line(l)))
				continue;
		} else if (*title_at < 0) {
			if (chrome_is_navigation(l))
				continue;
			if (!chrome_is_header_line(l) && !contact_is_line(l))
				*title_at = (int)kept->len;
		} else if (html && chrome_is_nav_trail(l)) {
			continue;
		}
		blanks = 0;
		g_ptr_array_add(kept, l);
	}
	while (kept->len > 0 && *(char *)kept->pdata[kept->len - 1] == '\0')
		g_ptr_array_remove_index(kept, kept->len - 1);
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

/* Title, subtitles, body, contact: the structure of the kept lines. */
static void parse_structure(release_doc *doc, GPtrArray *kept, int title_at)
{
	guint n = kept->len, i;

	for (i = 0; i < n; i++) {
		if (contact_is_line(kept->pdata[i]))
			break;
	}
	if (i < n) {
		guint end = i + 1;
		/* The contact goes on while its lines give more numbers,
		 * addresses or contact words (a table of persons in charge). */
		while (end < n && *(char *)kept->pdata[end] != '\0') {
			const char *l = kept->pdata[end];
			char *phone = contact_find_phone(l), *email = contact_find_email(l);
			bool more = (phone || email || contact_has_word(l)) &&
			            !is_attachment_line(l) && !kogl_detect(l, NULL);
			g_free(phone);
			g_free(email);
			if (!more)
				break;
			end++;
		}
		doc->contact = join_lines(kept, i, end);
		doc->contact_phone = contact_find_phone(doc->contact);
		doc->contact_email = contact_find_email(doc->contact);
	}

	if (title_at < 0)
		return;
	doc->title = text_trimmed(kept->pdata[title_at]);

	/* Subtitles share the marker of the first; a line of Korean prose
	 * ("…밝혔다.") under a "□" is the body, which Korean releases
	 * open with the same markers. */
	const char *marker = NULL;
	guint body_from = (guint)title_at + 1;
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
	html_page page = { .headline_line = -1 };
	if (!name)
		name = "(release)";
	bool html = text_has_suffix_ci(name, ".html") || text_has_suffix_ci(name, ".htm");
	char *utf8 = decode_release(bytes, len, name, html, &encoding, err);
	if (!utf8)
		goto out;

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
	int title_at;
	kept = keep_lines(lines, page.headline_line, html, &title_at);
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < kept->len; i++) {
		g_string_append(text, kept->pdata[i]);
		g_string_append_c(text, '\n');
	}

	parse_structure(doc, kept, title_at);

	doc->license_type = kogl_detect(text->str, &doc->license_statement);
	if (!doc->license_type && page.page_text) {
		/* A page states its licence in the site's footer as often as
		 * in the article: the statement joins the text, where a .txt
		 * release has it too. */
		char *nfc = g_utf8_normalize(page.page_text, -1, G_NORMALIZE_NFC);
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
	doc->organisation = org_find(doc->text, doc->license_statement);
	doc->mentions_attachment = mentions_attachment(doc->text) || doc->attachment_links->len > 0;
	doc->language = g_strdup(language_of(doc->body && *doc->body ? doc->body : doc->text));

out:
	if (kept)
		g_ptr_array_free(kept, TRUE);
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
