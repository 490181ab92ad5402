/*
 * pdf/text.c — a PDF's text, page by page with a form feed between pages,
 * and its facts: pages, document information, encryption and active content.
 *
 * Two facts poppler-glib does not expose are taken from the raw bytes, the
 * mapping poppler reads (scan_raw): whether the file has an /Encrypt
 * dictionary (a trailer or cross-reference stream dictionary is never
 * compressed, so the name is always visible), and JavaScript or launch
 * actions outside pages and form fields (document-level /Names JavaScript,
 * /OpenAction), which poppler-glib has no getter for. Actions inside object
 * streams are compressed and invisible to the scan; poppler's page, form
 * field and annotation walk sees those.
 */
#include "poppler.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poppler.h>

/* ---- raw byte scan --------------------------------------------------------- */

typedef struct {
	bool encrypt, javascript, launch;
} raw_facts;

static bool name_char(unsigned char c)
{
	return g_ascii_isalnum(c);
}

/* Look for the names /Encrypt, /JavaScript, /JS and /Launch, each followed
 * by a non-name character or the end, in raw: the bytes poppler opened,
 * mapped (open_doc), so the file is not read a second time. */
static void scan_raw(GBytes *raw, raw_facts *f)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "/Encrypt", offsetof(raw_facts, encrypt) },
		{ "/JavaScript", offsetof(raw_facts, javascript) },
		{ "/JS", offsetof(raw_facts, javascript) },
		{ "/Launch", offsetof(raw_facts, launch) },
	};
	gsize size = 0;
	const unsigned char *buf = g_bytes_get_data(raw, &size);
	const unsigned char *p = buf, *end = buf + size;
	while (p < end && (p = memchr(p, '/', (size_t)(end - p)))) {
		for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
			size_t len = strlen(names[i].name);
			if ((size_t)(end - p) < len || memcmp(p, names[i].name, len) != 0)
				continue;
			if (p + len < end && name_char(p[len]))
				continue;
			*(bool *)((char *)f + names[i].off) = true;
		}
		p++;
	}
}

/* ---- extraction ------------------------------------------------------------ */

static void check_action(const PopplerAction *a, pdf_info *info)
{
	if (!a)
		return;
	if (a->type == POPPLER_ACTION_JAVASCRIPT)
		info->javascript = true;
	else if (a->type == POPPLER_ACTION_LAUNCH)
		info->launch_action = true;
}

/* Walk what poppler shows of a page: links, form fields (their activation
 * and additional actions), and annotations (screen actions, attachments). */
static void check_page_actions(PopplerPage *page, pdf_info *info)
{
	GList *links = poppler_page_get_link_mapping(page);
	for (GList *l = links; l; l = l->next)
		check_action(((PopplerLinkMapping *)l->data)->action, info);
	poppler_page_free_link_mapping(links);

	static const PopplerAdditionalActionType extra[] = {
		POPPLER_ADDITIONAL_ACTION_FIELD_MODIFIED, POPPLER_ADDITIONAL_ACTION_FORMAT_FIELD,
		POPPLER_ADDITIONAL_ACTION_VALIDATE_FIELD, POPPLER_ADDITIONAL_ACTION_CALCULATE_FIELD,
	};
	GList *fields = poppler_page_get_form_field_mapping(page);
	for (GList *l = fields; l; l = l->next) {
		PopplerFormField *field = ((PopplerFormFieldMapping *)l->data)->field;
		check_action(poppler_form_field_get_action(field), info);
		for (size_t i = 0; i < G_N_ELEMENTS(extra); i++)
			check_action(poppler_form_field_get_additional_action(field, extra[i]), info);
	}
	poppler_page_free_form_field_mapping(fields);

	GList *annots = poppler_page_get_annot_mapping(page);
	for (GList *l = annots; l; l = l->next) {
		PopplerAnnot *annot = ((PopplerAnnotMapping *)l->data)->annot;
		PopplerAnnotType t = poppler_annot_get_annot_type(annot);
		if (t == POPPLER_ANNOT_SCREEN)
			check_action(poppler_annot_screen_get_action(POPPLER_ANNOT_SCREEN(annot)), info);
		else if (t == POPPLER_ANNOT_FILE_ATTACHMENT)
			info->embedded_files = true;
	}
	poppler_page_free_annot_mapping(annots);
}

static void fill_facts(PopplerDocument *doc, pdf_info *info)
{
	char *v = poppler_document_get_pdf_version_string(doc);
	if (v && g_str_has_prefix(v, "PDF-"))
		info->pdf_version = g_strdup(v + 4);
	else
		info->pdf_version = pdf_clean_string(g_strdup(v));
	g_free(v);
	info->producer = pdf_clean_string(poppler_document_get_producer(doc));
	info->creator = pdf_clean_string(poppler_document_get_creator(doc));
	info->title = pdf_clean_string(poppler_document_get_title(doc));
	info->author = pdf_clean_string(poppler_document_get_author(doc));
	info->keywords = pdf_clean_string(poppler_document_get_keywords(doc));

	GDateTime *created = poppler_document_get_creation_date_time(doc);
	if (created) {
		GDateTime *utc = g_date_time_to_utc(created);
		if (utc) {
			info->creation_date = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
			g_date_time_unref(utc);
		}
		g_date_time_unref(created);
	}

	if (poppler_document_get_pdf_subtype(doc) == POPPLER_PDF_SUBTYPE_PDF_A) {
		PopplerPDFPart part = poppler_document_get_pdf_part(doc);
		const char *level = "";
		switch (poppler_document_get_pdf_conformance(doc)) {
		case POPPLER_PDF_SUBTYPE_CONF_A: level = "a"; break;
		case POPPLER_PDF_SUBTYPE_CONF_B: level = "b"; break;
		case POPPLER_PDF_SUBTYPE_CONF_U: level = "u"; break;
		default: break;
		}
		if (part >= POPPLER_PDF_SUBTYPE_PART_1 && part <= POPPLER_PDF_SUBTYPE_PART_8)
			info->pdfa = g_strdup_printf("PDF/A-%d%s",
			                             (int)(part - POPPLER_PDF_SUBTYPE_PART_1) + 1, level);
		else
			info->pdfa = g_strdup("PDF/A");
	}

	info->embedded_files = poppler_document_has_attachments(doc);
}

/* Characters of s that are not white space (g_unichar_isspace). Below
 * 0x80 those are exactly space, tab, LF, CR and FF (test_pdf checks all
 * 128), so ASCII, most of any PDF's text, skips the decoding and the
 * Unicode table. */
static guint count_visible(const char *s)
{
	guint n = 0;
	while (*s) {
		unsigned char b = (unsigned char)*s;
		if (b < 0x80) {
			n += !(b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f');
			s++;
			continue;
		}
		if (!g_unichar_isspace(g_utf8_get_char(s)))
			n++;
		s = g_utf8_next_char(s);
	}
	return n;
}

/* pdf_extract; when keep is not NULL, the open document and its bytes are
 * handed to the caller on success instead of closed. */
bool pdf_extract_keep(const char *pdf_path, const char *text_path, pdf_info *info,
                      PopplerDocument **keep, GBytes **keep_bytes, GError **err)
{
	bool ok = false;
	FILE *out = NULL;
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	raw_facts raw = { false, false, false };

	memset(info, 0, sizeof *info);
	info->chars_per_page = g_array_new(FALSE, FALSE, sizeof(guint));
	doc = pdf_open_doc(pdf_path, &bytes, err);
	if (!doc)
		goto out;

	int fd = open(text_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || !(out = fdopen(fd, "wb"))) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, text_path);
		if (fd >= 0)
			close(fd);
		goto out;
	}

	fill_facts(doc, info);
	info->pages = poppler_document_get_n_pages(doc);
	for (int i = 0; i < info->pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *text = page ? poppler_page_get_text(page) : NULL;
		if (text && !g_utf8_validate(text, -1, NULL)) {
			char *v = g_utf8_make_valid(text, -1);
			g_free(text);
			text = v;
		}
		/* The form feed is the page separator of the text file: one
		 * inside a page's text would split the page in two. */
		for (char *p = text; p && (p = strchr(p, '\f')); p++)
			*p = ' ';
		guint chars = text ? count_visible(text) : 0;
		g_array_append_val(info->chars_per_page, chars);
		info->text_chars += chars;
		if (i > 0)
			fputc('\f', out);
		if (text)
			fputs(text, out);
		g_free(text);
		if (page) {
			check_page_actions(page, info);
			g_object_unref(page);
		}
		if (ferror(out))
			break;
	}
	if (ferror(out) | (fclose(out) != 0)) {
		out = NULL;
		arc_set_errno(err, ARC_ERROR_STORE, errno, text_path);
		goto out;
	}
	out = NULL;

	/* Poppler opened it without a password, so any /Encrypt is one with an
	 * empty user password; restricted permissions tell the same. */
	scan_raw(bytes, &raw);
	info->encrypted = raw.encrypt ||
	                  poppler_document_get_permissions(doc) != POPPLER_PERMISSIONS_FULL;
	info->javascript |= raw.javascript;
	info->launch_action |= raw.launch;
	ok = true;
out:
	if (out)
		fclose(out);
	if (ok && keep) {
		*keep = g_steal_pointer(&doc);
		*keep_bytes = g_steal_pointer(&bytes);
	}
	if (doc)
		g_object_unref(doc);
	if (bytes)
		g_bytes_unref(bytes);
	if (!ok)
		pdf_info_clear(info);
	return ok;
}

bool pdf_extract(const char *pdf_path, const char *text_path, pdf_info *info, GError **err)
{
	return pdf_extract_keep(pdf_path, text_path, info, NULL, NULL, err);
}

