/*
 * mkpdf — render a UTF-8 text file as an A4 PDF with cairo, to make the
 * fixture PDFs of the test suite (scripts/make-fixtures runs it).
 *
 *   mkpdf [-p PAGES] [-t TITLE] [-a AUTHOR] [-k KEYWORDS] [--outline-text]
 *         [--javascript | --embedded-file | --broken-xref] IN.txt OUT.pdf [DATE]
 *
 * The first line of IN.txt is the heading (larger, bold), the rest the body,
 * word-wrapped; an empty line separates paragraphs. With -p the body is
 * repeated until the PDF has exactly PAGES pages. -t, -a, -k set the
 * document information; without them the PDF has none (the stamping tests
 * need a PDF with an empty Title). DATE ("2024-05-10T09:00:00Z") becomes
 * CreationDate and ModDate; without it a constant is used, because the
 * output must be the same bytes on every run (the PDFs are committed).
 *
 * The other options make the unusual PDFs of the check fixtures
 * (fixtures/checks/):
 *   --outline-text   draw every glyph as a filled outline (cairo_text_path):
 *                    the page looks the same but has no extractable text,
 *                    like a scanned, image-only PDF;
 *   --javascript     add an /OpenAction JavaScript action to the catalog and
 *                    a link annotation with a JavaScript action to page 1;
 *   --embedded-file  add an embedded file (the /EmbeddedFiles name tree);
 *   --broken-xref    point startxref at the wrong offset, so that a reader
 *                    must rebuild the cross-reference table to open the file.
 * cairo cannot write actions or embedded files: the first two append an
 * incremental update (new objects, a new catalog and page 1, a new xref
 * section with /Prev) to the file cairo wrote, which is how any PDF editor
 * adds them.
 *
 * The font is NanumGothic through cairo's toy font API: Hangul syllables
 * are precomposed, so no shaping is needed, and the font has Latin glyphs.
 * cairo subsets it, which keeps each PDF at tens of kilobytes.
 */
#define _GNU_SOURCE /* getopt_long */

#include <cairo.h>
#include <cairo-pdf.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 64.0
#define FONT "NanumGothic"
#define TITLE_SIZE 17.0
#define BODY_SIZE 10.5
#define LEADING 1.55
#define DEFAULT_DATE "2024-01-01T00:00:00Z"

typedef struct {
	cairo_t *cr;
	double y;        /* baseline of the next line */
	int page;        /* 1-based number of the current page */
	int max_pages;   /* 0: as many as the text needs */
	int full;        /* max_pages reached: drop the rest */
	int outline;     /* --outline-text: glyphs as paths, no text */
} layout;

static void usage(void)
{
	fprintf(stderr, "usage: mkpdf [-p PAGES] [-t TITLE] [-a AUTHOR] [-k KEYWORDS] "
	                "[--outline-text]\n"
	                "             [--javascript | --embedded-file | --broken-xref] "
	                "[--photo KB] IN.txt OUT.pdf [DATE]\n");
	exit(2);
}

static char *read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mkpdf: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "mkpdf: %s: cannot read\n", path);
		exit(1);
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* Start a new page when the next line of height h does not fit. */
static void need_line(layout *l, double h)
{
	if (l->y + h <= PAGE_H - MARGIN)
		return;
	if (l->max_pages && l->page >= l->max_pages) {
		l->full = 1;
		return;
	}
	cairo_show_page(l->cr);
	l->page++;
	l->y = MARGIN + h;
}

static double text_width(cairo_t *cr, const char *s, size_t n)
{
	char buf[4096];
	cairo_text_extents_t ext;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	cairo_text_extents(cr, buf, &ext);
	return ext.x_advance;
}

static void show_line(layout *l, const char *s, size_t n, double size)
{
	char buf[4096];
	double h = size * LEADING;
	need_line(l, h);
	if (l->full)
		return;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	cairo_move_to(l->cr, MARGIN, l->y);
	if (l->outline) {
		cairo_text_path(l->cr, buf);
		cairo_fill(l->cr);
	} else {
		cairo_show_text(l->cr, buf);
	}
	l->y += h;
}

/* Length of the UTF-8 sequence starting with byte c. */
static size_t utf8_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * Lay out one paragraph (no newline inside): greedy word wrap at spaces;
 * a word wider than the line is broken between characters.
 */
static void paragraph(layout *l, const char *p, size_t len, double size)
{
	const double width = PAGE_W - 2 * MARGIN;
	size_t start = 0;
	while (start < len && !l->full) {
		while (start < len && p[start] == ' ')
			start++;
		if (start == len)
			break;
		size_t end = start, last_fit = start;
		while (end < len) {
			size_t next = end;
			while (next < len && p[next] == ' ')
				next++;
			while (next < len && p[next] != ' ')
				next++;
			if (text_width(l->cr, p + start, next - start) > width)
				break;
			last_fit = end = next;
		}
		if (last_fit == start) {
			/* One word wider than the line: take characters while they fit. */
			size_t k = start;
			while (k < len) {
				size_t step = utf8_len((unsigned char)p[k]);
				if (k > start && text_width(l->cr, p + start, k + step - start) > width)
					break;
				k += step;
			}
			last_fit = k;
		}
		show_line(l, p + start, last_fit - start, size);
		start = last_fit;
	}
}

static void body(layout *l, const char *text)
{
	const char *p = text;
	while (*p && !l->full) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			l->y += BODY_SIZE * LEADING * 0.6; /* paragraph gap */
		else
			paragraph(l, p, n, BODY_SIZE);
		p = nl ? nl + 1 : p + n;
	}
}

/* ---- after cairo: incremental updates and a broken xref ------------------- */

static void die(const char *path, const char *why)
{
	fprintf(stderr, "mkpdf: %s: %s\n", path, why);
	unlink(path);
	exit(1);
}

/* Where the last occurrence of s starts in pdf, or NULL. */
static const char *find_last(const char *pdf, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (memcmp(pdf + i, s, n) == 0)
			return pdf + i;
	return NULL;
}

/* The number after key in the last trailer ("/Root 19 0 R" gives 19). */
static long trailer_number(const char *path, const char *pdf, size_t len, const char *key)
{
	const char *t = find_last(pdf, len, "trailer");
	const char *k = t ? memmem(t, len - (size_t)(t - pdf), key, strlen(key)) : NULL;
	if (!k)
		die(path, "no trailer written by cairo");
	return strtol(k + strlen(key), NULL, 10);
}

static long startxref_of(const char *path, const char *pdf, size_t len, const char **where)
{
	const char *x = find_last(pdf, len, "startxref");
	if (!x)
		die(path, "no startxref written by cairo");
	if (where)
		*where = x;
	return strtol(x + strlen("startxref"), NULL, 10);
}

/*
 * The dictionary of object num as cairo wrote it, without its closing
 * ">>" (so that entries can be added), malloc'd. cairo writes every
 * object uncompressed as "N 0 obj\n<< ... >>\nendobj".
 */
static char *object_dict_open(const char *path, const char *pdf, size_t len, long num)
{
	char head[32];
	snprintf(head, sizeof head, "\n%ld 0 obj\n", num);
	/* memmem, not strstr: the streams before it hold NUL bytes. */
	const char *o = memmem(pdf, len, head, strlen(head));
	const char *end = o ? memmem(o, len - (size_t)(o - pdf), "endobj", 6) : NULL;
	if (!end)
		die(path, "an object cairo wrote is missing");
	o += strlen(head);
	while (end > o && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (end - o < 4 || memcmp(end - 2, ">>", 2) != 0 || memcmp(o, "<<", 2) != 0)
		die(path, "an object cairo wrote is not a dictionary");
	end -= 2;
	size_t n = (size_t)(end - o);
	char *d = malloc(n + 1);
	if (!d)
		die(path, "out of memory");
	memcpy(d, o, n);
	d[n] = '\0';
	return d;
}

typedef struct {
	FILE *f;
	long next;       /* number of the next new object */
	long num[8];     /* objects written, and where */
	long off[8];
	int n;
} update;

static void update_obj(update *u, const char *path, long num, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Write object num (fmt: its body) into the update. */
static void update_obj(update *u, const char *path, long num, const char *fmt, ...)
{
	if (u->n == (int)(sizeof u->num / sizeof u->num[0]))
		die(path, "too many objects in one update");
	u->num[u->n] = num;
	u->off[u->n++] = ftell(u->f);
	fprintf(u->f, "%ld 0 obj\n", num);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(u->f, fmt, ap);
	va_end(ap);
	fprintf(u->f, "\nendobj\n");
}

/*
 * Append an incremental update to the PDF cairo wrote: the new objects,
 * the catalog and page 1 with entries added, one xref subsection per
 * object, and a trailer whose /Prev is the original xref. The original
 * bytes stay its exact prefix, as in a PDF edited by any tool.
 */
static void add_active_content(const char *path, int javascript, int embedded)
{
	size_t len;
	char *pdf = read_file(path, &len);
	long size = trailer_number(path, pdf, len, "/Size");
	long root = trailer_number(path, pdf, len, "/Root");
	long info = trailer_number(path, pdf, len, "/Info");
	long prev = startxref_of(path, pdf, len, NULL);
	char *catalog = object_dict_open(path, pdf, len, root);
	const char *kids = strstr(catalog, "/Pages");
	char *pages = object_dict_open(path, pdf, len, kids ? strtol(kids + 6, NULL, 10) : -1);
	kids = strstr(pages, "/Kids");
	kids = kids ? strchr(kids, '[') : NULL;
	long page1 = kids ? strtol(kids + 1, NULL, 10) : -1;
	char *page = object_dict_open(path, pdf, len, page1);

	char cat_extra[256] = "";
	update u = { .f = fopen(path, "ab"), .next = size };
	if (!u.f)
		die(path, strerror(errno));
	/* In append mode the position is the end only after a write. */
	fseek(u.f, 0, SEEK_END);
	fputc('\n', u.f);
	if (javascript) {
		long open = u.next++, link = u.next++;
		update_obj(&u, path, open,
		           "<< /Type /Action /S /JavaScript /JS (app.alert\\('opened'\\);) >>");
		update_obj(&u, path, link,
		           "<< /Type /Annot /Subtype /Link /Rect [ 64 760 530 800 ] "
		           "/Border [ 0 0 0 ]\n   /A << /Type /Action /S /JavaScript "
		           "/JS (app.alert\\('clicked'\\);) >> >>");
		snprintf(cat_extra, sizeof cat_extra, "   /OpenAction %ld 0 R\n", open);
		update_obj(&u, path, page1, "%s   /Annots [ %ld 0 R ]\n>>", page, link);
	}
	if (embedded) {
		static const char data[] = "Notes of the briefing, attached to the PDF.\n";
		long file = u.next++, spec = u.next++;
		update_obj(&u, path, file,
		           "<< /Type /EmbeddedFile /Subtype /text#2Fplain /Length %zu >>\n"
		           "stream\n%sendstream",
		           strlen(data), data);
		update_obj(&u, path, spec,
		           "<< /Type /Filespec /F (notes.txt) /UF (notes.txt) /EF << /F %ld 0 R >> >>",
		           file);
		size_t n = strlen(cat_extra);
		snprintf(cat_extra + n, sizeof cat_extra - n,
		         "   /Names << /EmbeddedFiles << /Names [ (notes.txt) %ld 0 R ] >> >>\n", spec);
	}
	update_obj(&u, path, root, "%s%s>>", catalog, cat_extra);
	long xref = ftell(u.f);
	fprintf(u.f, "xref\n");
	for (int i = 0; i < u.n; i++)
		fprintf(u.f, "%ld 1\n%010ld 00000 n \n", u.num[i], u.off[i]);
	fprintf(u.f, "trailer\n<< /Size %ld /Root %ld 0 R /Info %ld 0 R /Prev %ld >>\n"
	             "startxref\n%ld\n%%%%EOF\n",
	        u.next, root, info, prev, xref);
	if (ferror(u.f) | (fclose(u.f) != 0))
		die(path, "cannot append the update");
	free(page);
	free(pages);
	free(catalog);
	free(pdf);
}

/*
 * Point startxref 40 bytes before the real xref, into the last object:
 * no xref table is there, so a reader must rebuild it by scanning the
 * file for objects (poppler does, and opens it).
 */
static void break_xref(const char *path)
{
	size_t len;
	char *pdf = read_file(path, &len);
	const char *where;
	long xref = startxref_of(path, pdf, len, &where);
	FILE *f = fopen(path, "wb");
	if (!f)
		die(path, strerror(errno));
	fwrite(pdf, 1, (size_t)(where - pdf), f);
	fprintf(f, "startxref\n%ld\n%%%%EOF\n", xref - 40);
	if (ferror(f) | (fclose(f) != 0))
		die(path, "cannot rewrite it");
	free(pdf);
}

/*
 * --photo KB: a noise "photograph" of about KB kilobytes on the first page.
 * Published releases carry photos, which make their PDFs several MB and
 * nearly incompressible; benchmarks need that. The noise comes from a
 * xorshift generator seeded by the text, so the same input gives the same
 * bytes.
 */
static void draw_photo(cairo_t *cr, int kb, const char *seed_text)
{
	uint32_t x = 2463534242u;
	for (const char *p = seed_text; *p; p++)
		x = (x ^ (uint8_t)*p) * 16777619u;
	if (!x)
		x = 1;
	int w = 1024, h = kb * 1024 / (3 * w) + 1;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	cairo_surface_flush(img);
	for (int r = 0; r < h; r++)
		for (int c = 0; c < w; c++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			memcpy(data + r * stride + 4 * c, &x, 4);
		}
	cairo_surface_mark_dirty(img);
	cairo_save(cr);
	cairo_translate(cr, MARGIN, PAGE_H - MARGIN - 200);
	cairo_scale(cr, (PAGE_W - 2 * MARGIN) / w, 200.0 / h);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(img);
}

int main(int argc, char **argv)
{
	const char *title = NULL, *author = NULL, *keywords = NULL;
	int pages = 0, c, outline = 0, javascript = 0, embedded = 0, broken_xref = 0, photo_kb = 0;
	static const struct option longopts[] = {
		{ "outline-text", no_argument, NULL, 'O' },
		{ "javascript", no_argument, NULL, 'J' },
		{ "embedded-file", no_argument, NULL, 'E' },
		{ "broken-xref", no_argument, NULL, 'X' },
		{ "photo", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	while ((c = getopt_long(argc, argv, "p:t:a:k:", longopts, NULL)) != -1) {
		switch (c) {
		case 'O': outline = 1; break;
		case 'J': javascript = 1; break;
		case 'E': embedded = 1; break;
		case 'X': broken_xref = 1; break;
		case 'P':
			photo_kb = atoi(optarg);
			if (photo_kb < 1)
				usage();
			break;
		case 'p':
			pages = atoi(optarg);
			if (pages < 1)
				usage();
			break;
		case 't': title = optarg; break;
		case 'a': author = optarg; break;
		case 'k': keywords = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3 || (broken_xref && (javascript || embedded)))
		usage();
	const char *in = argv[optind], *out = argv[optind + 1];
	const char *date = argc - optind == 3 ? argv[optind + 2] : DEFAULT_DATE;

	char *text = read_file(in, NULL);
	char *rest = text;
	if (strncmp(rest, "\xef\xbb\xbf", 3) == 0)
		rest += 3;
	char *heading = rest;
	char *nl = strchr(rest, '\n');
	if (nl) {
		*nl = '\0';
		if (nl > heading && nl[-1] == '\r')
			nl[-1] = '\0';
		rest = nl + 1;
	} else {
		rest = heading + strlen(heading);
	}

	cairo_surface_t *surf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkpdf: %s: %s\n", out,
		        cairo_status_to_string(cairo_surface_status(surf)));
		return 1;
	}
	/* Without these cairo stamps the current time: the bytes would differ
	 * on every run. */
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, date);
	if (title)
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
	if (author)
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR, author);
	if (keywords)
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_KEYWORDS, keywords);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "archive mkpdf");

	cairo_t *cr = cairo_create(surf);
	if (photo_kb)
		draw_photo(cr, photo_kb, heading);
	cairo_set_source_rgb(cr, 0, 0, 0);
	layout l = { .cr = cr, .y = MARGIN, .page = 1, .max_pages = pages, .outline = outline };

	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, TITLE_SIZE);
	l.y = MARGIN + TITLE_SIZE;
	paragraph(&l, heading, strlen(heading), TITLE_SIZE);
	l.y += BODY_SIZE;

	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, BODY_SIZE);
	body(&l, rest);
	/* -p: repeat the body until the last page is full. */
	while (pages && !l.full && *rest)
		body(&l, rest);
	cairo_show_page(cr);

	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	free(text);
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkpdf: %s: %s\n", out, cairo_status_to_string(st));
		unlink(out);
		return 1;
	}
	if (javascript || embedded)
		add_active_content(out, javascript, embedded);
	if (broken_xref)
		break_xref(out);
	return 0;
}
