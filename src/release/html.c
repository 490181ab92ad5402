/*
 * release/html.c — a saved HTML page (libxml2) as the lines a reader sees.
 *
 * The page is parsed into a tree, and the tree written out as lines the
 * way a browser shows it: block elements as paragraphs, <br> and list
 * items as lines, page chrome left out. Those lines then go through the
 * rules of a text release, so that a page and its text give the same
 * fields. Every walk of the tree is a loop, not a recursion: a page of
 * 10,000 nested <div>s must cost no stack.
 */
#include "parse.h"

#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/errors.h"

static GRegex *re_hidden_style, *re_title_split;

static gpointer init_libxml2(gpointer unused)
{
	xmlInitParser(); /* once, before threads race into it */
	return NULL;
}

void html_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	static GOnce once = G_ONCE_INIT;
	g_once(&once, init_libxml2, NULL);
	re_hidden_style = text_regex("display\\s*:\\s*none|visibility\\s*:\\s*hidden", G_REGEX_CASELESS);
	re_title_split = text_regex("\\s+(?:\\||-|–|—|<|>|::|:|·)\\s+", 0);
	g_once_init_leave(&done, 1);
}


/* Never text a reader sees. */
static const char *const html_unseen[] = {
	"script", "style", "noscript", "template", "head", "title", "meta", "link",
	"iframe", "object", "embed", "svg", "math", "canvas", "button", "select",
	"option", "input", "textarea", "datalist", "audio", "video", "map",
};

/* Page chrome by element; <header> and <footer> only outside the content,
 * since inside an <article> they hold its heading or its byline. */
static const char *const html_chrome[] = { "nav", "aside", "form", "menu" };

/* Words of an id or class that mark navigation ("gnb", "skip-nav",
 * "top_menu", "breadcrumb"); "header" and "footer" count only as the first
 * word ("header", "footer-wrap"), as "entry-header" holds a title. */
static const char *const html_nav_classes[] = {
	"nav", "navi", "navbar", "navigation", "gnb", "lnb", "snb", "tnb", "menu",
	"menubar", "submenu", "breadcrumb", "breadcrumbs", "location", "skip", "skipnav",
	"sidebar", "sitemap", "quickmenu", "blind", "sr", "hidden", "banner",
};

static const char *const html_roles[] = {
	"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary",
};

/* Where a page keeps its date. */
static const char *const html_date_metas[] = {
	"date", "article:published_time", "dc.date", "dcterms.date", "dc.date.issued",
	"dcterms.issued", "dcterms.created", "pubdate",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (g_ascii_strcasecmp(s, list[i]) == 0)
			return true;
	return false;
}
#define IN_LIST(s, list) in_list((s), (list), G_N_ELEMENTS(list))

static bool is_element(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && g_ascii_strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value (caller frees), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? g_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static bool is_main(const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (is_element(n, "article") || is_element(n, "main"))
		return true;
	char *role = attr(n, "role");
	bool m = role && g_ascii_strcasecmp(role, "main") == 0;
	g_free(role);
	return m;
}

static bool inside_main(const xmlNode *n)
{
	for (n = n->parent; n; n = n->parent)
		if (is_main(n))
			return true;
	return false;
}

/* 0: the id or class names no chrome; 1: navigation; 2: header or footer. */
static int class_marks_chrome(const char *value)
{
	int mark = 0;
	if (!value)
		return 0;
	char *lower = g_ascii_strdown(value, -1);
	char **tokens = g_strsplit_set(lower, " \t\r\n\f", -1);
	for (char **t = tokens; *t && mark != 1; t++) {
		char **words = g_strsplit_set(*t, "-_", -1);
		for (char **w = words; *w && mark != 1; w++) {
			if (IN_LIST(*w, html_nav_classes))
				mark = 1;
			else if (w == words && (g_str_has_prefix(*w, "header") || g_str_has_prefix(*w, "footer") ||
			                        g_str_has_prefix(*w, "gnb") || g_str_has_prefix(*w, "lnb")))
				mark = g_str_has_prefix(*w, "header") || g_str_has_prefix(*w, "footer") ? 2 : 1;
			else if (w == words && words[1] && (strcmp(*w, "site") == 0 || strcmp(*w, "global") == 0 ||
			                                    strcmp(*w, "common") == 0) &&
			         (strcmp(words[1], "header") == 0 || strcmp(words[1], "footer") == 0))
				mark = 2;
		}
		g_strfreev(words);
	}
	g_strfreev(tokens);
	g_free(lower);
	return mark;
}

typedef struct {
	GHashTable *holds_main; /* elements holding an <article> or <main>: never chrome */
	bool drop_chrome;       /* leave page chrome out */
	/* output */
	GString *out;
	int pending;            /* break before the next character: 1 line, 2 paragraph */
	bool space;             /* white space since the last character */
	const char *sep;        /* separator before the next character on this line */
	int pre;                /* depth of <pre> */
	char prefix[16];        /* opens the next text of a list item */
	const xmlNode *last_li; /* numbering of <ol> items */
	int last_number;
	const xmlNode *headline;
	bool in_headline;
	bool mark;              /* the next character opens the headline */
	gssize headline_at;     /* its byte offset in out, or -1 */
	GPtrArray *links;       /* when not NULL: attachment links */
} html_walk;

static bool is_chrome(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	bool chrome = IN_LIST(name, html_chrome);
	if (!chrome && (is_element(n, "header") || is_element(n, "footer")))
		chrome = !inside_main(n);
	if (!chrome) {
		char *role = attr(n, "role"), *hidden = attr(n, "hidden");
		char *aria = attr(n, "aria-hidden"), *style = attr(n, "style");
		chrome = (role && IN_LIST(role, html_roles)) || hidden ||
		         (aria && g_ascii_strcasecmp(aria, "true") == 0) ||
		         (style && g_regex_match(re_hidden_style, style, 0, NULL));
		g_free(role);
		g_free(hidden);
		g_free(aria);
		g_free(style);
	}
	if (!chrome) {
		char *id = attr(n, "id"), *cls = attr(n, "class");
		int m = MAX(class_marks_chrome(id), class_marks_chrome(cls));
		chrome = m == 1 || (m == 2 && !inside_main(n));
		g_free(id);
		g_free(cls);
	}
	/* A wrapper (<form id="aspnetForm">, <div class="wrap-sidebar">) may
	 * hold the whole page: chrome never holds the content. */
	return chrome && !(w->holds_main && g_hash_table_contains(w->holds_main, n));
}

/* Would the walk enter n at all? */
static bool html_enters(html_walk *w, const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return false;
	if (IN_LIST((const char *)n->name, html_unseen))
		return false;
	return !(w->drop_chrome && is_chrome(w, n));
}

static void html_leave(html_walk *w, const xmlNode *n);

/*
 * The next node of a walk under root in document order, or NULL: into
 * the children when descend, else on to the next sibling or up. With
 * leave_to, html_leave() is told of every element left: of n only when
 * it was entered, of its ancestors always (they were).
 */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, bool descend, bool entered,
                          html_walk *leave_to)
{
	if (descend && n->children)
		return n->children;
	for (;;) {
		if (leave_to && entered && n->type == XML_ELEMENT_NODE)
			html_leave(leave_to, n);
		entered = true;
		if (n == root)
			return NULL;
		if (n->next)
			return n->next;
		n = n->parent;
		if (!n)
			return NULL;
	}
}

/* Text content of n (tags dropped), white space collapsed; caller frees. */
static char *collapsed_text(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	GString *s = g_string_new(NULL);
	bool space = false;
	for (const char *p = c ? (const char *)c : ""; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (g_unichar_isspace(u) || text_is_control(u)) {
			space = true;
			continue;
		}
		if (space && s->len)
			g_string_append_c(s, ' ');
		space = false;
		g_string_append_unichar(s, u);
	}
	xmlFree(c);
	return g_string_free(s, FALSE);
}

/* ---- writing the tree as lines ---- */

static const char *const html_paragraphs[] = {
	"address", "article", "blockquote", "body", "center", "details", "dialog", "div",
	"dl", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
	"h6", "header", "hgroup", "hr", "main", "ol", "p", "pre", "section", "summary",
	"table", "ul", "caption",
};
static const char *const html_lines[] = { "br", "li", "dt", "dd", "tr", "thead", "tbody", "tfoot" };

static void html_break(html_walk *w, int level)
{
	if (w->in_headline) {
		w->space = true;
		return;
	}
	w->pending = MAX(w->pending, level);
	w->sep = NULL;
}

static bool opens_with_marker(const char *s)
{
	return release_subtitle_marker(s) || chrome_is_bullet(s) || g_ascii_isdigit(*s);
}

static void html_char(html_walk *w, const char *at, gunichar c)
{
	GString *o = w->out;
	if (o->len == 0) {
		w->pending = 0;
	} else if (w->pending) {
		int have = 0;
		while (have < 2 && (gsize)have < o->len && o->str[o->len - 1 - have] == '\n')
			have++;
		for (int i = have; i < w->pending; i++)
			g_string_append_c(o, '\n');
	} else if (o->str[o->len - 1] != '\n') {
		if (w->sep)
			g_string_append(o, w->sep);
		else if (w->space)
			g_string_append_c(o, ' ');
	}
	w->pending = 0;
	w->space = false;
	w->sep = NULL;
	if (w->prefix[0]) {
		if (!opens_with_marker(at))
			g_string_append(o, w->prefix);
		w->prefix[0] = '\0';
	}
	if (w->mark) {
		w->headline_at = (gssize)o->len;
		w->mark = false;
	}
	g_string_append_unichar(o, c);
}

static void html_text(html_walk *w, const char *text)
{
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == 0xFEFF || (text_is_control(c) && c != '\t'))
			continue; /* \n and \r are not text_is_control() */
		if (w->pre && (c == '\n' || c == '\r')) {
			if (c == '\r' && p[1] == '\n')
				p++;
			if (w->out->len)
				g_string_append_c(w->out, '\n');
			continue;
		}
		if (w->pre ? c == '\f' || c == '\v' : g_unichar_isspace(c)) {
			w->space = true;
			continue;
		}
		html_char(w, p, c);
	}
}

static bool names_attachment(const char *s)
{
	static const char *const ext[] = { ".pdf", ".hwp", ".hwpx", ".docx", ".zip" };
	char *lower = g_utf8_strdown(s, -1);
	bool yes = strstr(lower, "첨부") || strstr(lower, "붙임") || strstr(lower, "download");
	for (size_t i = 0; i < G_N_ELEMENTS(ext) && !yes; i++)
		yes = g_str_has_suffix(lower, ext[i]);
	g_free(lower);
	return yes;
}

/* The file name an href points to: its last path segment, %-escapes
 * decoded when they decode to UTF-8. */
static char *href_basename(const char *href)
{
	size_t n = strcspn(href, "?#");
	char *path = g_strndup(href, n);
	const char *slash = strrchr(path, '/');
	char *base = g_strdup(slash ? slash + 1 : path);
	char *un = g_uri_unescape_string(base, NULL);
	g_free(path);
	if (un && *un && g_utf8_validate(un, -1, NULL)) {
		g_free(base);
		return un;
	}
	g_free(un);
	return base;
}

static void html_link(html_walk *w, const xmlNode *a)
{
	char *href = attr(a, "href");
	if (!href)
		return;
	char *text = collapsed_text(a), *base = href_basename(href);
	if (names_attachment(text) || names_attachment(base) || names_attachment(href)) {
		static const char *const ext[] = { ".pdf", ".hwp", ".hwpx", ".docx", ".zip" };
		bool text_is_file = false, base_is_file = false;
		for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
			text_is_file |= text_has_suffix_ci(text, ext[i]);
			base_is_file |= text_has_suffix_ci(base, ext[i]);
		}
		const char *name = text_is_file || (!base_is_file && *text) ? text : base;
		bool seen = !*name;
		for (guint i = 0; i < w->links->len && !seen; i++)
			seen = strcmp(g_ptr_array_index(w->links, i), name) == 0;
		if (!seen)
			g_ptr_array_add(w->links, g_strdup(name));
	}
	g_free(href);
	g_free(text);
	g_free(base);
}

static void html_enter(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (n == w->headline) {
		html_break(w, 2);
		w->in_headline = true;
		w->mark = true;
	}
	if (IN_LIST(name, html_paragraphs))
		html_break(w, 2);
	else if (IN_LIST(name, html_lines))
		html_break(w, 1);
	else if (is_element(n, "td") || is_element(n, "th"))
		w->sep = "\t";
	if (is_element(n, "pre"))
		w->pre++;
	if (is_element(n, "li") && !w->in_headline) {
		if (is_element(n->parent, "ol")) {
			const xmlNode *prev = n->prev;
			while (prev && prev->type != XML_ELEMENT_NODE)
				prev = prev->prev;
			w->last_number = prev && prev == w->last_li ? w->last_number + 1 : 1;
			w->last_li = n;
			g_snprintf(w->prefix, sizeof w->prefix, "%d. ", w->last_number);
		} else {
			g_strlcpy(w->prefix, "- ", sizeof w->prefix);
		}
	}
	if (w->links && is_element(n, "a"))
		html_link(w, n);
}

static void html_leave(html_walk *w, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	if (IN_LIST(name, html_unseen))
		return;
	if (is_element(n, "pre") && w->pre > 0)
		w->pre--;
	if (n == w->headline)
		w->in_headline = false;
	if (IN_LIST(name, html_paragraphs) || n == w->headline)
		html_break(w, 2);
	else if (IN_LIST(name, html_lines) && !is_element(n, "br"))
		html_break(w, 1);
	w->prefix[0] = '\0';
}

/* Write the tree under root (root's own tags included) into w->out. */
static void html_write(html_walk *w, xmlNode *root)
{
	xmlNode *n = root;
	while (n) {
		bool descend = false;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(w, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && (n == root || html_enters(w, n))) {
			html_enter(w, n);
			descend = true;
		}
		n = next_node(n, root, descend, descend, w);
	}
}

/* First element under root, in document order and outside chrome, for
 * which want() holds; NULL when none. */
static xmlNode *html_find(html_walk *w, xmlNode *root, bool (*want)(html_walk *, xmlNode *, void *),
                          void *data)
{
	xmlNode *n = root;
	while (n) {
		bool enter = n == root || html_enters(w, n);
		if (enter && n->type == XML_ELEMENT_NODE && want(w, n, data))
			return n;
		n = next_node(n, root, enter, enter, NULL);
	}
	return NULL;
}

static bool want_name(html_walk *w, xmlNode *n, void *name)
{
	return is_element(n, name);
}

static bool want_main(html_walk *w, xmlNode *n, void *unused)
{
	return is_main(n) && !is_element(n, "article");
}

/* A heading that can be the title: text that is not navigation ("Press
 * Releases" heads the board, not the release) nor the site's name (the
 * logo). */
static bool usable_headline(const char *text, const char *site)
{
	return *text && !chrome_is_nav_trail(text) && !(site && g_ascii_strcasecmp(text, site) == 0);
}

typedef struct {
	const char *const *names;
	size_t n;
	const char *site;
} headline_want;

static bool want_headline(html_walk *w, xmlNode *n, void *data)
{
	headline_want *h = data;
	if (!in_list((const char *)n->name, h->names, h->n))
		return false;
	char *t = collapsed_text(n);
	bool ok = usable_headline(t, h->site);
	g_free(t);
	return ok;
}

static xmlNode *find_headline(html_walk *w, xmlNode *in, const char *site)
{
	static const char *const h1[] = { "h1" }, *const h23[] = { "h2", "h3" };
	headline_want a = { h1, 1, site }, b = { h23, 2, site };
	xmlNode *h = html_find(w, in, want_headline, &a);
	return h ? h : html_find(w, in, want_headline, &b);
}

static bool want_article_with_headline(html_walk *w, xmlNode *n, void *site)
{
	return is_element(n, "article") && find_headline(w, n, site);
}

/* <title> split at its separators: "Press Releases | Ministry of Science
 * and ICT", "보도자료 < 알림·소식 < 과학기술정보통신부". parts[0] is the
 * page, the last part the site. */
static char **title_parts(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	xmlNode *t = NULL;
	/* <title> is unseen text: look for it in the whole tree. */
	for (xmlNode *n = root; n && !t; n = next_node(n, root, true, true, NULL))
		if (is_element(n, "title"))
			t = n;
	if (!t)
		return NULL;
	char *text = collapsed_text(t);
	char **parts = g_regex_split(re_title_split, text, 0);
	g_free(text);
	return parts;
}

/* The date in <meta name="date" content="2024-05-10"> and the like. */
static char *meta_date(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	char *found = NULL;
	for (xmlNode *n = root; n && !found; n = next_node(n, root, true, true, NULL)) {
		if (!is_element(n, "meta"))
			continue;
		char *key = attr(n, "name");
		if (!key)
			key = attr(n, "property");
		char *content = attr(n, "content");
		char iso[11];
		if (key && content && IN_LIST(key, html_date_metas) && release_find_date(content, iso))
			found = g_strdup(iso);
		g_free(key);
		g_free(content);
	}
	return found;
}

/* <meta property="og:title" content="… | 정책브리핑">: the page's title,
 * with the site's name after its separator cut off. */
static char *meta_og_title(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	char *found = NULL;
	for (xmlNode *n = root; n && !found; n = next_node(n, root, true, true, NULL)) {
		if (!is_element(n, "meta"))
			continue;
		char *key = attr(n, "property"), *content = attr(n, "content");
		if (key && content && g_ascii_strcasecmp(key, "og:title") == 0) {
			char **parts = g_regex_split(re_title_split, content, 0);
			char *t = parts && parts[0] ? text_trimmed(parts[0]) : NULL;
			g_strfreev(parts);
			if (t && *t)
				found = g_steal_pointer(&t);
			g_free(t);
		}
		g_free(key);
		g_free(content);
	}
	return found;
}

/* Does the element or one of its two parents say "logo" (class, id, src)? */
static bool is_logo(const xmlNode *n)
{
	for (int up = 0; n && n->type == XML_ELEMENT_NODE && up < 3; n = n->parent, up++) {
		static const char *const keys[] = { "class", "id", "src" };
		for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
			char *v = attr(n, keys[i]);
			char *lower = v ? g_ascii_strdown(v, -1) : NULL;
			bool yes = lower && strstr(lower, "logo");
			g_free(v);
			g_free(lower);
			if (yes)
				return true;
		}
	}
	return false;
}

/* The site's name as its logo's alt text gives it ("Ministry of Foreign
 * Affairs REPUBLIC OF KOREA"), or NULL. */
static char *logo_alt(xmlDoc *xd)
{
	xmlNode *root = xmlDocGetRootElement(xd);
	char *found = NULL;
	for (xmlNode *n = root; n && !found; n = next_node(n, root, true, true, NULL)) {
		if (!is_element(n, "img") || !is_logo(n))
			continue;
		char *alt = attr(n, "alt");
		char *t = alt ? text_trimmed(alt) : NULL;
		if (t && *t)
			found = g_steal_pointer(&t);
		g_free(t);
		g_free(alt);
	}
	return found;
}

void html_page_clear(html_page *p)
{
	g_free(p->text);
	g_free(p->page_text);
	g_free(p->meta_date);
	g_free(p->og_title);
	g_free(p->title);
	g_free(p->site);
}

bool html_extract(const char *utf8, const char *name, html_page *page, GPtrArray *links,
                  GError **err)
{
	bool ok = false;
	char **parts = NULL;
	GString *title_line = NULL;
	html_walk w = { .holds_main = g_hash_table_new(NULL, NULL), .drop_chrome = true,
	                .headline_at = -1 };
	memset(page, 0, sizeof *page);
	page->headline_line = -1;
	html_init();

	size_t len = strlen(utf8);
	/* The text is UTF-8 now, whatever the page declares. */
	xmlDoc *xd = htmlReadMemory(utf8, (int)MIN(len, (size_t)INT_MAX), name, "UTF-8",
	                            HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	                            HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
	xmlNode *root = xd ? xmlDocGetRootElement(xd) : NULL;
	if (!root) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty (no HTML document)", name);
		goto out;
	}

	/* Chrome never holds the content: mark what holds it. */
	for (xmlNode *n = root; n; n = next_node(n, root, true, true, NULL))
		if (is_main(n))
			for (xmlNode *a = n; a && !g_hash_table_contains(w.holds_main, a); a = a->parent)
				g_hash_table_add(w.holds_main, a);

	parts = title_parts(xd);
	const char *site = parts && parts[0] && parts[1] ? parts[g_strv_length(parts) - 1] : NULL;

	/* The content: the <article> with a headline, else <main>, else the
	 * first <article>, else the body. */
	xmlNode *body = html_find(&w, root, want_name, "body");
	xmlNode *container = html_find(&w, root, want_article_with_headline, (void *)site);
	if (!container)
		container = html_find(&w, root, want_main, NULL);
	if (!container)
		container = html_find(&w, root, want_name, "article");
	if (!container)
		container = body ? body : root;
	w.headline = find_headline(&w, container, site);

	/* A page with nothing to read outside its chrome is empty. */
	w.out = g_string_new(NULL);
	w.links = links;
	html_write(&w, body ? body : root);
	w.links = NULL;
	if (text_only_whitespace(w.out->str)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty (no text outside the page's navigation)",
		            name);
		goto out;
	}
	g_string_truncate(w.out, 0);

	w.in_headline = w.mark = false;
	w.pending = 0;
	w.space = false;
	w.headline_at = -1;
	html_write(&w, container);
	if (w.headline && w.headline_at >= 0) {
		int line = 0;
		for (gssize i = 0; i < w.headline_at; i++)
			line += w.out->str[i] == '\n';
		page->headline_line = line;
	} else if (!w.headline && parts && parts[0] && usable_headline(parts[0], NULL)) {
		/* No heading in the content: the page's <title>, site name cut. */
		title_line = g_string_new(parts[0]);
		g_string_append(title_line, "\n\n");
		g_string_prepend(w.out, title_line->str);
		page->headline_line = 0;
	}
	page->text = g_string_free(w.out, FALSE);
	w.out = NULL;

	/* The licence statement often stands in the site's footer. */
	html_walk all = { .holds_main = w.holds_main, .drop_chrome = false, .out = g_string_new(NULL) };
	html_write(&all, body ? body : root);
	page->page_text = g_string_free(all.out, FALSE);
	page->meta_date = meta_date(xd);
	page->og_title = meta_og_title(xd);
	if (parts && parts[0] && usable_headline(parts[0], NULL))
		page->title = text_trimmed(parts[0]);
	page->site = logo_alt(xd);
	if (!page->site && site)
		page->site = text_trimmed(site);
	ok = true;
out:
	if (title_line)
		g_string_free(title_line, TRUE);
	if (w.out)
		g_string_free(w.out, TRUE);
	g_strfreev(parts);
	g_hash_table_destroy(w.holds_main);
	xmlFreeDoc(xd);
	if (!ok)
		html_page_clear(page);
	return ok;
}

