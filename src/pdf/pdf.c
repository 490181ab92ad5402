/*
 * pdf.c — text, facts and licence stamp of a PDF, through poppler-glib.
 *
 * Everything here parses untrusted files and runs inside a worker child
 * (worker.h). Two facts poppler-glib does not expose are taken from the raw
 * bytes, the mapping poppler reads (scan_raw): whether the file has an /Encrypt
 * dictionary (a trailer or cross-reference stream dictionary is never
 * compressed, so the name is always visible), and JavaScript or launch
 * actions outside pages and form fields (document-level /Names JavaScript,
 * /OpenAction), which poppler-glib has no getter for. Actions inside object
 * streams are compressed and invisible to the scan; poppler's page, form
 * field and annotation walk sees those.
 */
#include "pdf/pdf.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poppler.h>

void pdf_info_clear(pdf_info *info)
{
	g_free(info->pdf_version);
	g_free(info->producer);
	g_free(info->creator);
	g_free(info->creation_date);
	g_free(info->title);
	g_free(info->author);
	g_free(info->keywords);
	g_free(info->pdfa);
	if (info->chars_per_page)
		g_array_unref(info->chars_per_page);
	memset(info, 0, sizeof *info);
}

/* ---- opening --------------------------------------------------------------- */

/* Poppler returns UTF-8; a hostile document must still not put invalid
 * UTF-8 into our JSON and key files. Empty strings count as absent. */
static char *clean_string(char *s)
{
	if (!s)
		return NULL;
	if (!*s) {
		g_free(s);
		return NULL;
	}
	if (!g_utf8_validate(s, -1, NULL)) {
		char *v = g_utf8_make_valid(s, -1);
		g_free(s);
		return v;
	}
	return s;
}

static bool is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s = g_utf8_next_char(s))
		if (!g_unichar_isspace(g_utf8_get_char(s)))
			return false;
	return true;
}

/*
 * Open path with poppler. The file is first opened here without following
 * a final symlink, so that a link or a missing file is reported by errno
 * rather than by poppler's vaguer "Failed to load document". When raw is
 * not NULL it gets a reference to the bytes poppler reads (the mapping),
 * for the byte scan and the prefix check, which then read no file again.
 */
static PopplerDocument *open_doc(const char *path, GBytes **raw, GError **err)
{
	PopplerDocument *doc = NULL;
	GMappedFile *map = NULL;
	GBytes *bytes = NULL;
	GError *perr = NULL;
	struct stat st;

	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_INPUT, errno, path);
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not a regular file", path);
		goto out;
	}
	/*
	 * Mapped, not opened by name: poppler reads a file through a 256-byte
	 * buffer, one pread each (a 3 MB PDF: 12,000 calls, and again when it
	 * copies the file into the stamped copy); from memory it does not.
	 * The pages are the page cache's, not copies. A file truncated while
	 * mapped raises SIGBUS in this worker only (see worker.h).
	 */
	if (!(map = g_mapped_file_new_from_fd(fd, FALSE, &perr))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", path, perr->message);
		goto out;
	}
	bytes = g_mapped_file_get_bytes(map);
	doc = poppler_document_new_from_bytes(bytes, NULL, &perr);
	if (!doc) {
		if (g_error_matches(perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: is password-protected: it does not open without the user password", path);
		else
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: damaged or truncated (poppler: %s)",
			            path, perr ? perr->message : "cannot open it");
	} else if (raw) {
		*raw = g_bytes_ref(bytes);
	}
out:
	if (perr)
		g_error_free(perr);
	if (bytes)
		g_bytes_unref(bytes);
	if (map)
		g_mapped_file_unref(map);
	if (fd >= 0)
		close(fd);
	return doc;
}

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
		info->pdf_version = clean_string(g_strdup(v));
	g_free(v);
	info->producer = clean_string(poppler_document_get_producer(doc));
	info->creator = clean_string(poppler_document_get_creator(doc));
	info->title = clean_string(poppler_document_get_title(doc));
	info->author = clean_string(poppler_document_get_author(doc));
	info->keywords = clean_string(poppler_document_get_keywords(doc));

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
static bool extract(const char *pdf_path, const char *text_path, pdf_info *info,
                    PopplerDocument **keep, GBytes **keep_bytes, GError **err)
{
	bool ok = false;
	FILE *out = NULL;
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	raw_facts raw = { false, false, false };

	memset(info, 0, sizeof *info);
	info->chars_per_page = g_array_new(FALSE, FALSE, sizeof(guint));
	doc = open_doc(pdf_path, &bytes, err);
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
	return extract(pdf_path, text_path, info, NULL, NULL, err);
}

/* ---- stamping -------------------------------------------------------------- */

/*
 * Is the whole of orig (the bytes poppler opened) the prefix of copy, with
 * copy longer? The copy is read in one streaming pass. False with *why set
 * when not; false with err set on an I/O error.
 */
static bool is_prefix(GBytes *orig, const char *copy, const char **why, GError **err)
{
	bool ok = false;
	FILE *b = NULL;
	enum { CHUNK = 65536 };
	char *bb = g_malloc(CHUNK);
	gsize size = 0;
	const char *a = g_bytes_get_data(orig, &size);
	*why = NULL;
	if (!(b = fopen(copy, "rbe"))) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, copy);
		goto out;
	}
	for (gsize at = 0; at < size;) {
		size_t na = size - at < CHUNK ? size - at : CHUNK;
		size_t nb = fread(bb, 1, na, b);
		if (ferror(b)) {
			arc_set_errno(err, ARC_ERROR_STORE, errno, copy);
			goto out;
		}
		if (nb < na || memcmp(a + at, bb, na) != 0) {
			*why = "the PDF is damaged (its cross-reference table had to be rebuilt to "
			       "open it), so poppler rewrote it instead of appending the licence";
			goto out;
		}
		at += na;
	}
	if (fgetc(b) == EOF) {
		*why = "the PDF is damaged (its cross-reference table had to be rebuilt to "
		       "open it), so the licence could not be appended to it";
		goto out;
	}
	ok = true;
out:
	if (b)
		fclose(b);
	g_free(bb);
	return ok;
}

/* pdf_stamp of the document given open with its bytes (which it takes and
 * releases), or, when given is NULL, of pdf_path opened here. */
static bool stamp(PopplerDocument *given, GBytes *given_bytes, const char *pdf_path,
                  const char *out_path, const pdf_stamp_meta *meta, GError **err)
{
	bool ok = false;
	PopplerDocument *doc = given, *check = NULL;
	GBytes *bytes = given_bytes;
	char *tmp = NULL, *abs = NULL, *uri = NULL, *keywords = NULL, *cur = NULL;
	GError *perr = NULL;
	const char *why = NULL;

	if (!meta || !meta->license) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: no licence to stamp", pdf_path);
		goto out;
	}
	if (!doc)
		doc = open_doc(pdf_path, &bytes, err);
	if (!doc)
		goto out;

	/* Keywords carry the licence id, its English and Korean names and its
	 * URL: the document information has no field for rights, and Keywords
	 * is the one every PDF reader shows. */
	const kogl_license *lic = meta->license;
	char *stamp = g_strdup_printf("%s; Korea Open Government License %s; 공공누리 %s; %s", lic->id,
	                              lic->name_en, lic->name_ko, lic->url);
	cur = poppler_document_get_keywords(doc);
	if (is_blank(cur))
		keywords = g_strdup(stamp);
	else if (strstr(cur, stamp))
		keywords = g_strdup(cur); /* stamped before: no second copy */
	else
		keywords = g_strdup_printf("%s; %s", cur, stamp);
	g_free(stamp);
	poppler_document_set_keywords(doc, keywords);
	g_free(cur);
	cur = poppler_document_get_title(doc);
	if (is_blank(cur) && meta->title && *meta->title)
		poppler_document_set_title(doc, meta->title);
	g_free(cur);
	cur = poppler_document_get_author(doc);
	if (is_blank(cur) && meta->organisation && *meta->organisation)
		poppler_document_set_author(doc, meta->organisation);
	/* ModDate stays as it was: the same input must give the same copy. */

	/* A unique name beside out_path, so the final rename stays on one file
	 * system and a failed save never leaves a half-written out_path. */
	tmp = g_strdup_printf("%s.tmp-XXXXXX", out_path);
	int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		g_clear_pointer(&tmp, g_free);
		goto out;
	}
	close(fd);
	abs = g_canonicalize_filename(tmp, NULL);
	uri = g_filename_to_uri(abs, NULL, &perr);
	if (!uri || !poppler_document_save(doc, uri, &perr)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: poppler cannot save the stamped copy: %s",
		            pdf_path, perr ? perr->message : "unknown error");
		goto out;
	}
	if (!is_prefix(bytes, tmp, &why, err)) {
		if (why)
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: %s", pdf_path, why);
		goto out;
	}
	/* The appended update must itself be readable and carry the licence. */
	check = open_doc(tmp, NULL, NULL);
	char *got = check ? poppler_document_get_keywords(check) : NULL;
	bool stamped = got && strstr(got, lic->id);
	g_free(got);
	if (!stamped) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: the stamped copy does not open with the licence in its keywords",
		            pdf_path);
		goto out;
	}
	if (rename(tmp, out_path) < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, out_path);
		goto out;
	}
	g_clear_pointer(&tmp, g_free);
	ok = true;
out:
	if (tmp)
		unlink(tmp);
	if (perr)
		g_error_free(perr);
	if (check)
		g_object_unref(check);
	if (doc)
		g_object_unref(doc);
	if (bytes)
		g_bytes_unref(bytes);
	g_free(cur);
	g_free(keywords);
	g_free(uri);
	g_free(abs);
	g_free(tmp);
	return ok;
}

bool pdf_stamp(const char *pdf_path, const char *out_path, const pdf_stamp_meta *meta,
               GError **err)
{
	return stamp(NULL, NULL, pdf_path, out_path, meta, err);
}

bool pdf_extract_and_stamp(const char *pdf_path, const char *text_path, pdf_info *info,
                           const char *access_out, const pdf_stamp_meta *meta, bool *stamped,
                           GError **err)
{
	PopplerDocument *doc = NULL;
	GBytes *bytes = NULL;
	*stamped = false;
	if (!extract(pdf_path, text_path, info, &doc, &bytes, err))
		return false;
	*stamped = stamp(doc, bytes, pdf_path, access_out, meta, NULL);
	return true;
}

/* ---- header ---------------------------------------------------------------- */

bool pdf_has_header(const char *path)
{
	char buf[1024];
	size_t have = 0;
	struct stat st;
	/* O_NONBLOCK: opening a FIFO must not hang; it is refused below. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return false;
	}
	while (have < sizeof buf) {
		ssize_t n = read(fd, buf + have, sizeof buf - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	return memmem(buf, have, "%PDF-", 5) != NULL;
}

/*
 * poppler builds its global parameters (encodings, CMaps and font
 * directories scanned) when the first document of a process opens, and
 * drops them when the last one closes: in every PDF worker anew, 8% of
 * all ingest time. A one-page PDF of our own bytes, kept open by the
 * parent for the whole run, makes them once, before any worker forks;
 * the workers inherit them. Nothing from the input is parsed here.
 *
 * Likewise glibc's UTF-16 converter: poppler-glib converts every
 * document-information string it sets or gets through g_convert to or
 * from UTF-16BE, and glibc loads that converter (a dlopen of its gconv
 * module, with its relocations) on the first use in a process and may
 * unload it once no converter uses it: in every stamping worker anew,
 * 1.4% of all ingest time. Two converters kept open here keep the module
 * loaded in the parent, and the workers inherit it loaded.
 */
struct pdf_warm {
	PopplerDocument *doc;
	GIConv to_utf16, from_utf16;
};

pdf_warm *pdf_warm_up(void)
{
	static const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
	};
	GString *pdf = g_string_new("%PDF-1.4\n");
	size_t off[G_N_ELEMENTS(objs)];
	for (size_t i = 0; i < G_N_ELEMENTS(objs); i++) {
		off[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS(objs) + 1);
	for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", off[i]);
	g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	                       G_N_ELEMENTS(objs) + 1, xref);
	GBytes *bytes = g_string_free_to_bytes(pdf);
	pdf_warm *w = g_new0(pdf_warm, 1);
	/* NULL only if poppler changed: then the workers just start colder. */
	w->doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
	g_bytes_unref(bytes);
	/* (GIConv)-1 when the converter is missing: poppler-glib would then
	 * fail on its own, as it does without this. */
	w->to_utf16 = g_iconv_open("UTF-16BE", "UTF-8");
	w->from_utf16 = g_iconv_open("UTF-8", "UTF-16BE");
	return w;
}

void pdf_warm_free(pdf_warm *w)
{
	if (!w)
		return;
	if (w->doc)
		g_object_unref(w->doc);
	if (w->to_utf16 != (GIConv)-1)
		g_iconv_close(w->to_utf16);
	if (w->from_utf16 != (GIConv)-1)
		g_iconv_close(w->from_utf16);
	g_free(w);
}
