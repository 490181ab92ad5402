/*
 * ingest/decide.c — what ingest decides about a release once its files
 * are read and its PDFs extracted (ingest/decide.h).
 */
#include "ingest/decide.h"
#include "release/license.h"
#include "core/text.h"
#include "doc/doc.h"

#include <string.h>

/* Fewer non-blank characters per page than this: (almost) no text. */
#define PDF_TEXT_MIN_PER_PAGE 20

static void fold_append(GString *out, gunichar c)
{
	/* In ASCII the Unicode letters and digits are [A-Za-z0-9] exactly
	 * (test_ingest checks all 128): no table look-up, no encoding. */
	if (c < 0x80) {
		if (g_ascii_isalnum((char)c))
			g_string_append_c(out, (char)c);
		else if (out->len && out->str[out->len - 1] != ' ')
			g_string_append_c(out, ' ');
		return;
	}
	if (g_unichar_isalnum(c))
		g_string_append_unichar(out, c);
	else if (out->len && out->str[out->len - 1] != ' ')
		g_string_append_c(out, ' ');
}

/* Letters and digits only, case-folded and width-folded (NFKC), so that
 * "AI·Digital" in a PDF matches "AI and Digital"-less spacing variants.
 * text_normalize, not g_utf8_normalize: GLib's is quadratic in the length
 * of a whole Korean PDF text. */
static char *fold_for_match(const char *s, gssize len)
{
	GString *out = g_string_new(NULL);
	char *nfkc = text_normalize(s, len, G_NORMALIZE_NFKC);
	char *folded = g_utf8_casefold(nfkc ? nfkc : "", -1);
	for (const char *q = folded; *q; q = g_utf8_next_char(q))
		fold_append(out, g_utf8_get_char(q));
	g_free(nfkc);
	g_free(folded);
	return g_string_free(out, FALSE);
}

/* s without its spaces: what joining its words split at each space gives,
 * without a string per word of a whole PDF's text. */
static char *without_spaces(const char *s)
{
	char *out = g_malloc(strlen(s) + 1), *o = out;
	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	return out;
}

/* Is the title in the first len bytes of text: as a whole once spacing
 * and punctuation are folded away, or by at least 80% of its words (OCR
 * slips, line breaks inside words, a subtitle merged in)? */
static bool title_in(const char *title, const char *text, gssize len)
{
	char *t = fold_for_match(title, -1), *x = fold_for_match(text, len);
	char **words = g_strsplit(t, " ", -1);
	char *t_nospace = without_spaces(t);
	char *x_nospace = without_spaces(x);
	bool found = *t_nospace && strstr(x_nospace, t_nospace) != NULL;
	if (!found) {
		int n = 0, hit = 0;
		for (char **w = words; *w; w++) {
			if (g_utf8_strlen(*w, -1) < 2)
				continue;
			n++;
			if (strstr(x, *w))
				hit++;
		}
		found = n > 0 && hit * 10 >= n * 8;
	}
	g_strfreev(words);
	g_free(t_nospace);
	g_free(x_nospace);
	g_free(t);
	g_free(x);
	return found;
}

bool release_title_in_text(const char *title, const char *text)
{
	/* The title is nearly always on the first page, so that is looked at
	 * first. Both tests are monotone (more text only adds matches), so
	 * found there is found in the whole; only a miss reads on. */
	const char *ff = strchr(text, '\f');
	if (ff && title_in(title, text, ff - text))
		return true;
	return title_in(title, text, -1);
}

const kogl_license *release_early_license(const release_policy *pol, const release_record *r)
{
	if (pol->license_type)
		return kogl_get(pol->license_type);
	return r->doc && r->doc->license_type ? kogl_get(r->doc->license_type) : NULL;
}

/* The first attachment, PDF or document, that states a licence: its type
 * and its name. */
static int attachment_license(const release_record *r, const char **file, bool *is_pdf)
{
	for (guint i = 0; i < r->pdfs->len; i++) {
		const pdf_record *p = g_ptr_array_index(r->pdfs, i);
		if (p->license_type) {
			*file = p->rel;
			*is_pdf = true;
			return p->license_type;
		}
	}
	for (guint i = 0; i < r->docs->len; i++) {
		const doc_record *d = g_ptr_array_index(r->docs, i);
		if (d->license_type) {
			*file = d->rel;
			*is_pdf = false;
			return d->license_type;
		}
	}
	*file = NULL;
	return 0;
}

/* The licence: --license, else the release's statement, else a PDF's, else
 * an HWP, HWPX or ODT attachment's, else archive.conf's default; with none,
 * license.detected is an error. license.consistent compares every
 * statement (not with --license). */
static void decide_license(const release_policy *pol, release_record *r)
{
	const release_doc *d = r->doc;
	int doc_type = d ? d->license_type : 0;
	const char *att_file;
	bool att_pdf = false;
	int att_type = attachment_license(r, &att_file, &att_pdf);
	if (pol->license_type) {
		/* --license decides, but whether the release or an attachment
		 * states a licence is still told: it fails when the option had
		 * to be used, as the store default does (SPEC). */
		r->license = kogl_get(pol->license_type);
		r->license_source = "option";
		if (doc_type || att_type)
			check_add(r->checks, "license.detected", CHECK_LEVEL_WARNING, true, NULL,
			          "%s states %s; %s given with --license is used",
			          doc_type ? "the release" : att_file,
			          kogl_get(doc_type ? doc_type : att_type)->id, r->license->id);
		else
			check_add(r->checks, "license.detected", CHECK_LEVEL_WARNING, false, NULL,
			          "no KOGL statement in the release or its attachments; %s given with "
			          "--license is used",
			          r->license->id);
		return;
	}
	if (doc_type || att_type) {
		r->license = kogl_get(doc_type ? doc_type : att_type);
		r->license_source = doc_type ? "release" : att_pdf ? "pdf" : "document";
		check_add(r->checks, "license.detected", CHECK_LEVEL_WARNING, true, NULL,
		          "%s states %s", doc_type ? "the release" : att_file, r->license->id);
	} else if (pol->default_license) {
		r->license = kogl_get(pol->default_license);
		r->license_source = "config";
		check_add(r->checks, "license.detected", CHECK_LEVEL_WARNING, false, NULL,
		          "no KOGL statement in the release or its attachments; the store default "
		          "%s is used",
		          r->license->id);
	} else {
		check_add(r->checks, "license.detected", CHECK_LEVEL_ERROR, false, NULL,
		          "no KOGL statement in the release or its attachments, and no --license or "
		          "store default (archive.conf [defaults] license) to fall back on");
	}

	/* Consistency: every stated type must be the same. */
	unsigned stated = d ? d->license_types_stated : 0;
	const char *other = NULL;
	int other_type = 0;
	GPtrArray *files = g_ptr_array_new();
	GArray *types = g_array_new(FALSE, FALSE, sizeof(int));
	for (guint i = 0; i < r->pdfs->len; i++) {
		const pdf_record *p = g_ptr_array_index(r->pdfs, i);
		g_ptr_array_add(files, p->rel);
		g_array_append_val(types, p->license_type);
	}
	for (guint i = 0; i < r->docs->len; i++) {
		const doc_record *a = g_ptr_array_index(r->docs, i);
		g_ptr_array_add(files, a->rel);
		g_array_append_val(types, a->license_type);
	}
	for (guint i = 0; i < files->len; i++) {
		int t = g_array_index(types, int, i);
		if (!t)
			continue;
		stated |= 1u << t;
		if (doc_type && t != doc_type && !other) {
			other = g_ptr_array_index(files, i);
			other_type = t;
		}
	}
	if (other)
		check_add(r->checks, "license.consistent", CHECK_LEVEL_ERROR, false, other,
		          "the release states %s but %s states %s", kogl_get(doc_type)->id, other,
		          kogl_get(other_type)->id);
	else if (stated & (stated - 1))
		check_add(r->checks, "license.consistent", CHECK_LEVEL_ERROR, false, NULL,
		          "the release and its attachments state more than one KOGL type");
	else if (stated) {
		/* Who stated it, so that a licence found in an attachment shows. */
		GString *who = g_string_new(doc_type ? "the release" : NULL);
		for (guint i = 0; i < files->len; i++)
			if (g_array_index(types, int, i))
				g_string_append_printf(who, "%s%s", who->len ? ", " : "",
				                       (const char *)g_ptr_array_index(files, i));
		check_add(r->checks, "license.consistent", CHECK_LEVEL_ERROR, true, NULL,
		          "every KOGL statement agrees: %s (%s)", kogl_get(g_bit_nth_lsf(stated, -1))->id,
		          who->str);
		g_string_free(who, TRUE);
	} else {
		check_add(r->checks, "license.consistent", CHECK_LEVEL_ERROR, true, NULL,
		          "no KOGL statement to compare");
	}
	g_ptr_array_unref(files);
	g_array_unref(types);
}

/*
 * A date from the first page of the first PDF that has one. Scraped
 * releases often lose the year ("May 10") while the published PDF keeps
 * it; the ingest date would be wrong by years and shift the disposal date
 * with it. (A departure from SPEC, which names only the ingest date.)
 */
static char *date_from_pdfs(release_record *r)
{
	for (guint i = 0; i < r->pdfs->len; i++) {
		pdf_record *p = g_ptr_array_index(r->pdfs, i);
		if (p->text_date) {
			r->date_pdf = p->rel;
			return g_strdup(p->text_date);
		}
	}
	return NULL;
}

char *release_decided_title(const release_record *r)
{
	const release_doc *d = r->doc;
	return g_strdup(d && d->title ? d->title : "");
}

char *release_decided_organisation(const release_policy *pol, const release_record *r,
                                   const char **source)
{
	const release_doc *d = r->doc;
	/* --org and archive.conf enter here; the text's was cleaned as it
	 * was read. */
	if (pol->organisation) {
		*source = "option";
		return text_strip_controls(pol->organisation, true);
	} else if (pol->conf_organisation) {
		*source = "config";
		return text_strip_controls(pol->conf_organisation, true);
	} else if (d && d->organisation) {
		*source = "text";
		return g_strdup(d->organisation);
	}
	*source = "none"; /* never a placeholder written as if it were a name */
	return NULL;
}

/* The fields of the record from the document and the options. */
void release_decide_fields(const release_policy *pol, release_record *r)
{
	const release_doc *d = r->doc;
	r->title = release_decided_title(r);
	if (pol->date) {
		char iso[11];
		release_parse_date(pol->date, iso);
		r->date = g_strdup(iso);
		r->date_source = "option";
	} else if (d && d->date) {
		r->date = g_strdup(d->date);
		r->date_source = d->date_source && strcmp(d->date_source, "html-meta") == 0
		                         ? "html-meta"
		                         : "text";
	} else if ((r->date = date_from_pdfs(r))) {
		r->date_source = "pdf";
	} else {
		r->date = g_strdup(pol->today);
		r->date_source = "ingest-date";
	}
	r->organisation = release_decided_organisation(pol, r, &r->organisation_source);
	r->retention = g_strdup(pol->retention);
	r->retention_statutory = pol->period->statutory;
	/* r->date is a valid date by now (the parser's, --date's or today),
	 * so neither can fail. */
	retention_start(r->date, pol->start_rule, r->retention_start);
	retention_disposal_date(r->retention_start, pol->period, r->disposal_date);
	g_strlcpy(r->bagging_date, pol->today, sizeof r->bagging_date);
	GDateTime *now = g_date_time_new_from_unix_utc(pol->now);
	r->ingested_at = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(now);
}

static void document_checks(const release_policy *pol, release_record *r,
                            const release_input *in)
{
	const release_doc *d = r->doc;
	const char *doc = in->doc ? in->doc->rel : NULL;
	if (!d)
		return;
	if (d->title)
		check_add(r->checks, "release.title", CHECK_LEVEL_ERROR, true, doc, "title: %s", d->title);
	else
		check_add(r->checks, "release.title", CHECK_LEVEL_ERROR, false, doc,
		          "%s: no headline: %s", doc,
		          d->title_problem ? d->title_problem : "none found");
	if (pol->date)
		check_add(r->checks, "release.date", CHECK_LEVEL_WARNING, true, doc, "date %s given with --date",
		          r->date);
	else if (d->date)
		check_add(r->checks, "release.date", CHECK_LEVEL_WARNING, true, doc, "date %s found %s",
		          d->date, strcmp(r->date_source, "html-meta") == 0 ? "in the page's <meta> date"
		                                                         : "in the text");
	else if (r->date_pdf)
		check_add(r->checks, "release.date", CHECK_LEVEL_WARNING, false, doc,
		          "%s: no full date with a year in the text; the date %s on the first page of "
		          "%s is used",
		          doc, r->date, r->date_pdf);
	else
		check_add(r->checks, "release.date", CHECK_LEVEL_WARNING, false, doc,
		          "%s: no full date with a year in the text; the ingest date %s is used", doc,
		          r->date);
	if (!d->contact)
		check_add(r->checks, "release.contact", CHECK_LEVEL_WARNING, false, doc,
		          "%s: no contact line found", doc);
	else if (!d->contact_phone || !d->contact_email)
		check_add(r->checks, "release.contact", CHECK_LEVEL_WARNING, false, doc,
		          "%s: the contact line has no %s: \"%s\"", doc,
		          !d->contact_phone && !d->contact_email ? "phone number and no e-mail address"
		          : !d->contact_phone                    ? "phone number"
		                                                 : "e-mail address",
		          d->contact);
	else
		check_add(r->checks, "release.contact", CHECK_LEVEL_WARNING, true, doc,
		          "contact: phone %s, e-mail %s", d->contact_phone, d->contact_email);
	if (d->mentions_attachment && in->attachments->len == 0)
		check_add(r->checks, "attachment.present", CHECK_LEVEL_ERROR, false, doc,
		          "%s refers to an attached file, but the release has no attachment", doc);
	else
		check_add(r->checks, "attachment.present", CHECK_LEVEL_ERROR, true, doc,
		          d->mentions_attachment ? "the attachment it refers to is there (%u file%s)"
		                                 : "refers to no attachment (%u file%s)",
		          in->attachments->len, in->attachments->len == 1 ? "" : "s");
}

static void pdf_checks(release_record *r)
{
	bool any_text = false, matched = false;
	for (guint i = 0; i < r->pdfs->len; i++) {
		pdf_record *p = g_ptr_array_index(r->pdfs, i);
		if (!p->opened) {
			check_add(r->checks, "pdf.open", CHECK_LEVEL_ERROR, false, p->rel,
			          "%s: cannot be opened: %s", p->rel, p->open_error);
			continue;
		}
		check_add(r->checks, "pdf.open", CHECK_LEVEL_ERROR, true, p->rel, "%s: opened, %d page%s",
		          p->rel, p->info.pages, p->info.pages == 1 ? "" : "s");
		uint64_t min = (uint64_t)PDF_TEXT_MIN_PER_PAGE * (uint64_t)MAX(p->info.pages, 1);
		bool has_text = p->info.text_chars >= min;
		if (p->text_size > p->text_read)
			check_add(r->checks, "pdf.text", CHECK_LEVEL_WARNING, false, p->rel,
			          "%s: its text is %" G_GUINT64_FORMAT " bytes, more than the %"
			          G_GUINT64_FORMAT " read: the title, licence and date were looked "
			          "for in that first part only (the whole text is kept)",
			          p->rel, p->text_size, p->text_read);
		else
			check_add(r->checks, "pdf.text", CHECK_LEVEL_WARNING, has_text, p->rel,
			          has_text ? "%s: %" G_GUINT64_FORMAT " characters of text"
			                   : "%s: (almost) no extractable text (%" G_GUINT64_FORMAT
			                     " characters): image-only, needs OCR",
			          p->rel, p->info.text_chars);
		/* Named one by one, comma-separated: a PDF may hold all three. */
		GString *what = g_string_new(NULL);
		if (p->info.javascript)
			g_string_append(what, ", JavaScript");
		if (p->info.launch_action)
			g_string_append(what, ", launch actions (that start other programs)");
		if (p->info.embedded_files)
			g_string_append(what, ", embedded files");
		if (what->len)
			check_add(r->checks, "pdf.active_content", CHECK_LEVEL_WARNING, false, p->rel,
			          "%s: holds active content: %s; it is archived as it is, but a PDF "
			          "reader may run or open it",
			          p->rel, what->str + 2);
		else
			check_add(r->checks, "pdf.active_content", CHECK_LEVEL_WARNING, true, p->rel,
			          "%s: no JavaScript, launch actions or embedded files", p->rel);
		g_string_free(what, TRUE);
		if (p->info.text_chars > 0) {
			any_text = true;
			matched = matched || p->title_found;
		}
	}
	if (any_text && r->title[0])
		check_add(r->checks, "pdf.matches_release", CHECK_LEVEL_WARNING, matched, NULL,
		          matched ? "the release title is found in the PDF text"
		                  : "the release title \"%s\" is found in the text of none of its PDFs",
		          r->title);
}

static const char *format_label(doc_format f)
{
	switch (f) {
	case DOC_HWP: return "HWP";
	case DOC_HWP3: return "HWP 3";
	case DOC_HWPX: return "HWPX";
	case DOC_ODT: return "ODT";
	case DOC_NONE: break;
	}
	return "document";
}

/* document.text, document.active_content for each HWP, HWPX and ODT
 * attachment; document.matches_release when no PDF has text. */
static void attachment_doc_checks(release_record *r)
{
	bool pdf_text = false, any_text = false, matched = false;
	for (guint i = 0; i < r->pdfs->len; i++) {
		const pdf_record *p = g_ptr_array_index(r->pdfs, i);
		pdf_text = pdf_text || (p->opened && p->info.text_chars > 0);
	}
	for (guint i = 0; i < r->docs->len; i++) {
		const doc_record *d = g_ptr_array_index(r->docs, i);
		const doc_info *n = &d->info;
		const char *kind = format_label(n->format);
		if (d->text_error) {
			check_add(r->checks, "document.text", CHECK_LEVEL_WARNING, false, d->rel,
			          "%s: the text of this %s file cannot be extracted: %s", d->rel, kind,
			          d->text_error);
			continue; /* what it holds is not known either */
		}
		const char *unit = n->format == DOC_ODT ? "page" : "section";
		if (d->text_size > d->text_read)
			check_add(r->checks, "document.text", CHECK_LEVEL_WARNING, false, d->rel,
			          "%s: its text is %" G_GUINT64_FORMAT " bytes, more than the %"
			          G_GUINT64_FORMAT " read: the title and licence were looked for in "
			          "that first part only (the whole text is kept)",
			          d->rel, d->text_size, d->text_read);
		else if (n->text_chars == 0)
			check_add(r->checks, "document.text", CHECK_LEVEL_WARNING, false, d->rel,
			          "%s: %s %s, %d %s%s, no text in it", d->rel, kind,
			          n->version ? n->version : "", n->sections, unit,
			          n->sections == 1 ? "" : "s");
		else
			check_add(r->checks, "document.text", CHECK_LEVEL_WARNING, true, d->rel,
			          "%s: %s %s, %d %s%s, %" G_GUINT64_FORMAT " characters of text%s",
			          d->rel, kind, n->version ? n->version : "", n->sections, unit,
			          n->sections == 1 ? "" : "s", n->text_chars,
			          n->distribution ? " (a distribution document, decrypted)" : "");
		GString *what = g_string_new(NULL);
		if (n->scripts)
			g_string_append(what, ", scripts (other than Hancom's empty default script)");
		if (n->macros)
			g_string_append(what, ", macros");
		if (n->embedded)
			g_string_append(what, ", embedded OLE objects or packages");
		if (what->len)
			check_add(r->checks, "document.active_content", CHECK_LEVEL_WARNING, false,
			          d->rel,
			          "%s: holds active content: %s; it is archived as it is, but an "
			          "office program may run or open it",
			          d->rel, what->str + 2);
		else
			check_add(r->checks, "document.active_content", CHECK_LEVEL_WARNING, true, d->rel,
			          "%s: no scripts, macros or embedded objects", d->rel);
		g_string_free(what, TRUE);
		if (n->text_chars > 0) {
			any_text = true;
			matched = matched || d->title_found;
		}
	}
	if (!pdf_text && any_text && r->title[0])
		check_add(r->checks, "document.matches_release", CHECK_LEVEL_WARNING, matched, NULL,
		          matched ? "the release title is found in the text of its documents"
		                  : "the release title \"%s\" is found in the text of none of its "
		                    "HWP, HWPX or ODT attachments (and no PDF has text)",
		          r->title);
}

void release_decide(const release_policy *pol, release_record *r, const release_input *in)
{
	release_decide_fields(pol, r);
	document_checks(pol, r, in);
	pdf_checks(r);
	attachment_doc_checks(r);
	decide_license(pol, r);
}
