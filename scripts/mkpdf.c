/*
 * mkpdf — render a UTF-8 text file as an A4 PDF with cairo, to make the
 * fixture PDFs of the test suite (scripts/make-fixtures runs it).
 *
 *   mkpdf [-p PAGES] [-t TITLE] [-a AUTHOR] [-k KEYWORDS] IN.txt OUT.pdf [DATE]
 *
 * The first line of IN.txt is the heading (larger, bold), the rest the body,
 * word-wrapped; an empty line separates paragraphs. With -p the body is
 * repeated until the PDF has exactly PAGES pages. -t, -a, -k set the
 * document information; without them the PDF has none (the stamping tests
 * need a PDF with an empty Title). DATE ("2024-05-10T09:00:00Z") becomes
 * CreationDate and ModDate; without it a constant is used, because the
 * output must be the same bytes on every run (the PDFs are committed).
 *
 * The font is NanumGothic through cairo's toy font API: Hangul syllables
 * are precomposed, so no shaping is needed, and the font has Latin glyphs.
 * cairo subsets it, which keeps each PDF at tens of kilobytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <cairo.h>
#include <cairo-pdf.h>
#include <errno.h>
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
} layout;

static void usage(void)
{
	fprintf(stderr, "usage: mkpdf [-p PAGES] [-t TITLE] [-a AUTHOR] [-k KEYWORDS] "
	                "IN.txt OUT.pdf [DATE]\n");
	exit(2);
}

static char *read_file(const char *path)
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
	cairo_show_text(l->cr, buf);
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

int main(int argc, char **argv)
{
	const char *title = NULL, *author = NULL, *keywords = NULL;
	int pages = 0, c;
	while ((c = getopt(argc, argv, "p:t:a:k:")) != -1) {
		switch (c) {
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
	if (argc - optind < 2 || argc - optind > 3)
		usage();
	const char *in = argv[optind], *out = argv[optind + 1];
	const char *date = argc - optind == 3 ? argv[optind + 2] : DEFAULT_DATE;

	char *text = read_file(in);
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
	cairo_set_source_rgb(cr, 0, 0, 0);
	layout l = { .cr = cr, .y = MARGIN, .page = 1, .max_pages = pages };

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
	return 0;
}
