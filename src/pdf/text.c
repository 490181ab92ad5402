/*
 * pdf/text.c — a PDF's text, page by page with a form feed between pages,
 * and its facts: pages, document information, encryption and active content.
 *
 * Active content is looked for three ways, since no one of them sees it all:
 *   - poppler's walk of the document: poppler_document_has_javascript (the
 *     Names tree's document JavaScript, document and page additional
 *     actions, form fields, link, screen and widget annotations), the
 *     actions of links, form fields, screen annotations and outline items
 *     (JavaScript and launch actions), attachments (the EmbeddedFiles tree,
 *     file attachment annotations). It decodes names (/Java#53cript) and
 *     reads objects wherever they are stored, also in object streams.
 *   - the raw bytes, the mapping poppler reads (scan_raw): whether the file
 *     has an /Encrypt dictionary (a trailer or cross-reference stream
 *     dictionary is never compressed, so the name is always visible), and
 *     JavaScript or launch actions where poppler-glib has no getter
 *     (/OpenAction, an action's /Next chain).
 *   - the object streams inflated (scan_object_streams): since PDF 1.5 most
 *     objects may sit compressed in /Type /ObjStm streams, where the raw
 *     scan sees none of their names; an /OpenAction there is seen by
 *     neither of the other two.
 * Both byte scans are bounded: each byte of the file is searched once, and
 * at most OBJSTM_INFLATE_MAX bytes go into and come out of zlib in all,
 * through a fixed buffer. What none of them sees: an /OpenAction (or other
 * action poppler-glib hides) in an object stream written with escaped
 * names, or in an object stream not /FlateDecode alone or encrypted, or
 * past the budget.
 */
#include "poppler.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poppler.h>
#include <zlib.h>

/* ---- raw byte scan --------------------------------------------------------- */

typedef struct {
	bool encrypt, javascript, launch;
} raw_facts;

static bool name_char(unsigned char c)
{
	return g_ascii_isalnum(c);
}

/* The longest name looked for, "/JavaScript", and the byte after it. */
#define SCAN_OVERLAP 12

/* Look for the names /Encrypt, /JavaScript, /JS and /Launch, each followed
 * by a non-name character or the end, in buf. final: buf ends where its
 * data end; else more follows (an inflated stream, chunk by chunk), and a
 * name at the very end is left for the next chunk, which repeats the last
 * SCAN_OVERLAP bytes, to tell. */
static void scan_names(const unsigned char *buf, size_t size, bool final, raw_facts *f)
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
	const unsigned char *p = buf, *end = buf + size;
	while (p < end && (p = memchr(p, '/', (size_t)(end - p)))) {
		for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
			size_t len = strlen(names[i].name);
			if ((size_t)(end - p) < len || memcmp(p, names[i].name, len) != 0)
				continue;
			if (p + len < end ? name_char(p[len]) : !final)
				continue;
			*(bool *)((char *)f + names[i].off) = true;
		}
		p++;
	}
}

/* raw: the bytes poppler opened, mapped (open_doc), so the file is not
 * read a second time. */
static void scan_raw(GBytes *raw, raw_facts *f)
{
	gsize size = 0;
	const unsigned char *buf = g_bytes_get_data(raw, &size);
	scan_names(buf, size, true, f);
}

/* ---- object streams -------------------------------------------------------- */

/* From "/ObjStm" to its stream's "stream" keyword: an object stream's
 * dictionary (/Type /N /First /Length /Filter /Extends) is a line. */
#define OBJSTM_DICT_MAX 4096
/* Inflated from all object streams together, input read plus output
 * made. Real ones hold a few hundred objects each, kilobytes to a few
 * megabytes; this much costs well under a second. Past it the rest is not
 * scanned (poppler's walk still is). */
#define OBJSTM_INFLATE_MAX (256u * 1024 * 1024)
/* An object stream holds dictionaries and arrays, which deflate 3 to 10
 * times; one that makes more than OBJSTM_RATIO times what it read, once
 * past OBJSTM_RATIO_FROM, is a bomb, not an object stream: its inflating
 * stops there, so that a few cheap bombs cannot spend the budget and hide
 * the real object streams behind them. */
#define OBJSTM_RATIO 100u
#define OBJSTM_RATIO_FROM (1024u * 1024)
#define OBJSTM_CHUNK (64 * 1024)

/* Inflate the zlib stream at in (up to end: its length unknown, so that a
 * wrong /Length cannot hide it) and scan its bytes as they come, in buf
 * (SCAN_OVERLAP + OBJSTM_CHUNK bytes), while *budget lasts and it does
 * not turn out a bomb. A stream of another filter, or an encrypted one,
 * fails at once: skipped. */
static void inflate_scan(z_stream *zs, const unsigned char *in, const unsigned char *end,
                         uint64_t *budget, unsigned char *buf, raw_facts *f)
{
	size_t keep = 0;
	uint64_t made = 0, read = 0;
	inflateReset(zs);
	zs->next_in = (Bytef *)in;
	zs->avail_in = (uInt)MIN((size_t)(end - in), (size_t)UINT_MAX);
	for (;;) {
		size_t room = (size_t)MIN((uint64_t)OBJSTM_CHUNK, *budget);
		uInt before = zs->avail_in;
		zs->next_out = buf + keep;
		zs->avail_out = (uInt)room;
		int rc = inflate(zs, Z_NO_FLUSH);
		size_t got = room - zs->avail_out, used = before - zs->avail_in;
		*budget -= MIN(*budget, (uint64_t)got + used);
		made += got;
		read += used;
		/* Anything but Z_OK ends it (its end, an error, no progress
		 * possible), as does Z_OK with nothing made (input gone). */
		bool last = rc != Z_OK || got == 0 || *budget == 0 ||
		            (made > OBJSTM_RATIO_FROM && made / OBJSTM_RATIO > read);
		scan_names(buf, keep + got, last, f);
		if (last)
			break;
		size_t have = keep + got, tail = MIN(have, (size_t)SCAN_OVERLAP);
		memmove(buf, buf + have - tail, tail);
		keep = tail;
	}
}

/*
 * Every "/ObjStm" followed within OBJSTM_DICT_MAX bytes by a "stream"
 * keyword (not "endstream") starts a candidate, inflated from after the
 * keyword's end of line. The search goes on from there, not from where
 * the inflating stopped: a fake candidate whose stored deflate blocks
 * enclosed the real object stream would otherwise hide it. Each byte is
 * searched once (the next keyword is found once for all candidates before
 * it); the inflating is bounded by the budget.
 */
static void scan_object_streams(GBytes *raw, raw_facts *f)
{
	gsize size = 0;
	const unsigned char *buf = g_bytes_get_data(raw, &size);
	const unsigned char *p = buf, *end = buf + size, *kw = NULL;
	uint64_t budget = OBJSTM_INFLATE_MAX;
	unsigned char *out = NULL;
	z_stream zs;

	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK)
		return;
	out = g_malloc(SCAN_OVERLAP + OBJSTM_CHUNK);
	while (budget > 0 && p < end && (p = memmem(p, (size_t)(end - p), "/ObjStm", 7))) {
		p += 7;
		if (p < end && name_char(*p))
			continue;
		if (!kw || kw < p)
			kw = memmem(p, (size_t)(end - p), "stream", 6);
		if (!kw)
			break;
		if (kw - p > OBJSTM_DICT_MAX || (kw - buf >= 3 && memcmp(kw - 3, "end", 3) == 0))
			continue;
		p = kw + 6;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		inflate_scan(&zs, p, end, &budget, out, f);
	}
	inflateEnd(&zs);
	g_free(out);
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

/* Outline items whose action is JavaScript or a launch. poppler stops a
 * list that loops back, but an item may be reached again from another
 * branch: the walk stops after OUTLINE_MAX items or OUTLINE_DEPTH levels. */
#define OUTLINE_MAX 10000u
#define OUTLINE_DEPTH 64

static void check_outline(PopplerIndexIter *it, int depth, unsigned *left, pdf_info *info)
{
	do {
		if (*left == 0)
			return;
		(*left)--;
		PopplerAction *a = poppler_index_iter_get_action(it);
		check_action(a, info);
		poppler_action_free(a);
		PopplerIndexIter *child = depth < OUTLINE_DEPTH ? poppler_index_iter_get_child(it) : NULL;
		if (child) {
			check_outline(child, depth + 1, left, info);
			poppler_index_iter_free(child);
		}
	} while (poppler_index_iter_next(it));
}

/* What poppler shows of the document as a whole (the pages are walked one
 * by one as their text is read: check_page_actions). */
static void check_document_actions(PopplerDocument *doc, pdf_info *info)
{
	if (poppler_document_has_javascript(doc))
		info->javascript = true;
	PopplerIndexIter *it = poppler_index_iter_new(doc);
	if (it) {
		unsigned left = OUTLINE_MAX;
		check_outline(it, 0, &left, info);
		poppler_index_iter_free(it);
	}
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
	raw_facts raw = { false, false, false }, packed = { false, false, false };

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

	check_document_actions(doc, info);
	/* Poppler opened it without a password, so any /Encrypt is one with an
	 * empty user password; restricted permissions tell the same. */
	scan_raw(bytes, &raw);
	/* Of the object streams only the actions count: an /Encrypt is
	 * named in the trailer, never in a compressed object. */
	scan_object_streams(bytes, &packed);
	info->encrypted = raw.encrypt ||
	                  poppler_document_get_permissions(doc) != POPPLER_PERMISSIONS_FULL;
	info->javascript |= raw.javascript | packed.javascript;
	info->launch_action |= raw.launch | packed.launch;
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

