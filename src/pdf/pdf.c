/*
 * pdf/pdf.c — opening a PDF through poppler-glib, the header check, and
 * poppler's set-up before workers fork (pdf/poppler.h says which file of
 * pdf/ does what). Everything in pdf/ but the header check parses
 * untrusted files and runs inside the PDF worker (pdf/worker.h).
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
char *pdf_clean_string(char *s)
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

bool pdf_is_blank(const char *s)
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
PopplerDocument *pdf_open_doc(const char *path, GBytes **raw, GError **err)
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
