/* Unit tests: src/doc/doc.c — what a file is (doc_sniff, doc_sniff_bytes),
 * the text sink the readers share (reader.h), doc_extract's dispatch and
 * failures — and src/doc/worker.c, doc_extract in the document worker. */
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "core/errors.h"
#include "doc/doc.h"
#include "doc/worker.h"
#include "../../src/doc/reader.h"

/* ---- generated documents ---- */

/* python3 TOP/scripts/<script> into a fresh directory, once a script. */
static const char *generated(const char *script, char **dir)
{
	if (*dir)
		return *dir;
	*dir = unit_tmpdir();
	const char *top = getenv("TOP");
	char *path = g_build_filename(top && *top ? top : ".", "scripts", script, NULL);
	const char *argv[] = { "python3", path, *dir, NULL };
	int status = 0;
	GError *err = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
	                  NULL, NULL, NULL, NULL, &status, &err) ||
	    !g_spawn_check_wait_status(status, NULL)) {
		fprintf(stderr, "%s failed: %s\n", script, err ? err->message : "exit status");
		exit(2);
	}
	g_free(path);
	return *dir;
}

static char *hwp_dir, *odf_dir;

static char *hwp_path(const char *name)
{
	return g_build_filename(generated("gen-hwp", &hwp_dir), name, NULL);
}

static char *odf_path(const char *name)
{
	return g_build_filename(generated("gen-odf", &odf_dir), name, NULL);
}

static char *slurp(const char *path)
{
	char *s = NULL;
	if (!g_file_get_contents(path, &s, NULL, NULL))
		return NULL;
	return s;
}

/* ---- doc_sniff_bytes ---- */

/* A zip's first local header and the entry's data, then a second local
 * header (what follows in a real package). */
static GByteArray *zip_head(const char *name, unsigned method, const void *data, size_t len,
                            size_t usize, uint32_t crc)
{
	GByteArray *b = g_byte_array_new();
	uint8_t h[30] = { 'P', 'K', 3, 4, 20, 0 };
	size_t nlen = strlen(name);
	h[8] = (uint8_t)method;
	for (int i = 0; i < 4; i++) {
		h[14 + i] = (uint8_t)(crc >> 8 * i);
		h[18 + i] = (uint8_t)(len >> 8 * i);
		h[22 + i] = (uint8_t)(usize >> 8 * i);
	}
	h[26] = (uint8_t)nlen;
	h[27] = (uint8_t)(nlen >> 8);
	g_byte_array_append(b, h, sizeof h);
	g_byte_array_append(b, (const guint8 *)name, (guint)nlen);
	g_byte_array_append(b, data, (guint)len);
	static const uint8_t next[30] = { 'P', 'K', 3, 4, 20, 0, 0, 0, 8 };
	g_byte_array_append(b, next, sizeof next);
	return b;
}

static GByteArray *stored(const char *name, const char *type)
{
	size_t n = strlen(type);
	return zip_head(name, 0, type, n, n, (uint32_t)crc32(0, (const Bytef *)type, (uInt)n));
}

/* The same, its data raw deflate (zip method 8) made here with zlib. */
static GByteArray *deflated(const char *name, const char *type)
{
	size_t n = strlen(type);
	uint8_t out[512];
	z_stream z = { 0 };
	if (deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)type;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = sizeof out;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	size_t clen = sizeof out - z.avail_out;
	deflateEnd(&z);
	return zip_head(name, 8, out, clen, n, (uint32_t)crc32(0, (const Bytef *)type, (uInt)n));
}

/* doc_sniff_bytes on a heap copy of exactly len bytes, so that ASan sees
 * any read beyond them. */
static doc_format sniff_exact(const uint8_t *d, size_t len)
{
	uint8_t *copy = g_malloc(len ? len : 1);
	if (len)
		memcpy(copy, d, len);
	doc_format f = doc_sniff_bytes(copy, len);
	g_free(copy);
	return f;
}

static doc_format sniff_zip(GByteArray *b)
{
	doc_format f = sniff_exact(b->data, b->len);
	g_byte_array_free(b, TRUE);
	return f;
}

#define HWPX_TYPE "application/hwp+zip"
#define ODT_TYPE "application/vnd.oasis.opendocument.text"

TEST(sniff_signatures)
{
	static const uint8_t cfb[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00 };
	EXPECT_INT(sniff_exact(cfb, sizeof cfb), DOC_HWP);
	EXPECT_INT(sniff_exact(cfb, 8), DOC_HWP);
	EXPECT_INT(sniff_exact(cfb, 7), DOC_NONE); /* signature cut short */
	uint8_t notcfb[sizeof cfb];
	memcpy(notcfb, cfb, sizeof cfb);
	notcfb[7] = 0xE0;
	EXPECT_INT(sniff_exact(notcfb, sizeof notcfb), DOC_NONE);
	static const char hwp3[] = "HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05";
	EXPECT_INT(sniff_exact((const uint8_t *)hwp3, sizeof hwp3 - 1), DOC_HWP3);
	EXPECT_INT(sniff_exact((const uint8_t *)"HWP Document File V2.00", 23), DOC_NONE);
	EXPECT_STR(doc_format_name(DOC_HWP), "hwp");
	EXPECT_STR(doc_format_name(DOC_HWP3), "hwp3");
	EXPECT_STR(doc_format_name(DOC_HWPX), "hwpx");
	EXPECT_STR(doc_format_name(DOC_ODT), "odt");
	EXPECT(doc_format_name(DOC_NONE) == NULL);
}

TEST(sniff_zip_mimetype)
{
	EXPECT_INT(sniff_zip(stored("mimetype", HWPX_TYPE)), DOC_HWPX);
	EXPECT_INT(sniff_zip(stored("mimetype", ODT_TYPE)), DOC_ODT);
	/* Deflated, as Hancom's own blank.hwpx has it: the same answers. */
	EXPECT_INT(sniff_zip(deflated("mimetype", HWPX_TYPE)), DOC_HWPX);
	EXPECT_INT(sniff_zip(deflated("mimetype", ODT_TYPE)), DOC_ODT);
	/* Other OpenDocument types, also those the ODT type is a prefix of. */
	EXPECT_INT(sniff_zip(stored("mimetype", ODT_TYPE "-web")), DOC_NONE);
	EXPECT_INT(sniff_zip(deflated("mimetype", ODT_TYPE "-web")), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetype", ODT_TYPE "-master")), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetype", "application/vnd.oasis.opendocument.spreadsheet")),
	           DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetype", "application/hwp+zi")), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetype", "")), DOC_NONE);
	/* The first entry is another one. */
	EXPECT_INT(sniff_zip(stored("content.xml", HWPX_TYPE)), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetypes", HWPX_TYPE)), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("MIMETYPE", HWPX_TYPE)), DOC_NONE);
	EXPECT_INT(sniff_zip(deflated("Contents/header.xml", ODT_TYPE)), DOC_NONE);
	/* A method neither stored nor deflated. */
	GByteArray *b = stored("mimetype", HWPX_TYPE);
	b->data[8] = 12; /* bzip2 */
	EXPECT_INT(sniff_zip(b), DOC_NONE);
	/* A mimetype longer than the 64 bytes the sniffer holds, which starts
	 * as the right one. */
	char *longer = g_strnfill(80, ' ');
	memcpy(longer, ODT_TYPE, strlen(ODT_TYPE));
	EXPECT_INT(sniff_zip(stored("mimetype", longer)), DOC_NONE);
	EXPECT_INT(sniff_zip(deflated("mimetype", longer)), DOC_NONE);
	char *l64 = g_strnfill(64, 'a'), *l63 = g_strnfill(63, 'a');
	EXPECT_INT(sniff_zip(stored("mimetype", l64)), DOC_NONE);
	EXPECT_INT(sniff_zip(deflated("mimetype", l64)), DOC_NONE);
	EXPECT_INT(sniff_zip(stored("mimetype", l63)), DOC_NONE);
	g_free(longer);
	g_free(l64);
	g_free(l63);
	/* A stored size beyond the bytes there are. */
	b = stored("mimetype", HWPX_TYPE);
	b->data[18] = b->data[22] = 60;
	EXPECT_INT(sniff_exact(b->data, 30 + 8 + 19), DOC_NONE);
	g_byte_array_free(b, TRUE);
	/* An extra field between the name and the data is skipped. */
	b = stored("mimetype", HWPX_TYPE);
	static const uint8_t extra[8] = { 0x55, 0x54, 4, 0, 1, 2, 3, 4 };
	b->data[28] = sizeof extra;
	g_array_insert_vals((GArray *)b, 38, extra, sizeof extra);
	EXPECT_INT(sniff_zip(b), DOC_HWPX);
}

/* Every prefix of a valid header, each in a buffer of exactly its length:
 * DOC_NONE, and (under ASan) no byte read beyond it. */
TEST(sniff_truncated_headers)
{
	GByteArray *full[] = { stored("mimetype", HWPX_TYPE), deflated("mimetype", ODT_TYPE) };
	for (size_t k = 0; k < G_N_ELEMENTS(full); k++) {
		/* 30 header bytes + 8 of the name + the data: shorter is not it */
		size_t whole = full[k]->len - 30; /* without the next header */
		size_t data_len = whole - 38;
		for (size_t len = 0; len < whole; len++) {
			doc_format f = sniff_exact(full[k]->data, len);
			/* A deflated one cut inside its stream inflates short. */
			if (f != DOC_NONE) {
				fprintf(stderr, "prefix %zu of %zu (data %zu): %d\n", len, whole, data_len,
				        (int)f);
				unit_failed_now = 1;
			}
		}
		EXPECT(sniff_exact(full[k]->data, whole) != DOC_NONE);
		g_byte_array_free(full[k], TRUE);
	}
}

TEST(sniff_noise)
{
	EXPECT_INT(doc_sniff_bytes((const uint8_t *)"", 0), DOC_NONE);
	EXPECT_INT(sniff_exact(NULL, 0), DOC_NONE);
	uint8_t buf[DOC_SNIFF_BYTES];
	GRand *r = g_rand_new_with_seed(17);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)g_rand_int_range(r, 0, 256);
		EXPECT_INT(sniff_exact(buf, sizeof buf), DOC_NONE);
		/* a zip's signature followed by noise */
		memcpy(buf, "PK\3\4", 4);
		EXPECT_INT(sniff_exact(buf, sizeof buf), DOC_NONE);
	}
	g_rand_free(r);
	memset(buf, 0, sizeof buf);
	EXPECT_INT(sniff_exact(buf, sizeof buf), DOC_NONE);
	EXPECT_INT(sniff_exact((const uint8_t *)"%PDF-1.7\n", 9), DOC_NONE);
}

TEST(sniff_files)
{
	char *dir = unit_tmpdir(), *real = odf_path("release.hwpx"), *odt = odf_path("release.odt");
	char *press = hwp_path("press.hwp");
	EXPECT_INT(doc_sniff(real), DOC_HWPX);
	EXPECT_INT(doc_sniff(odt), DOC_ODT);
	EXPECT_INT(doc_sniff(press), DOC_HWP);
	/* A link to a document is not followed (O_NOFOLLOW). */
	char *link = g_build_filename(dir, "link.hwpx", NULL);
	EXPECT(symlink(real, link) == 0);
	EXPECT_INT(doc_sniff(link), DOC_NONE);
	/* Empty, missing, a directory. */
	char *empty = g_build_filename(dir, "empty.hwpx", NULL);
	EXPECT(g_file_set_contents(empty, "", 0, NULL));
	EXPECT_INT(doc_sniff(empty), DOC_NONE);
	char *missing = g_build_filename(dir, "missing.hwp", NULL);
	EXPECT_INT(doc_sniff(missing), DOC_NONE);
	EXPECT_INT(doc_sniff(dir), DOC_NONE);
	/* A FIFO with no writer: answered at once, not waited on. */
	char *fifo = g_build_filename(dir, "fifo.hwp", NULL);
	EXPECT(mkfifo(fifo, 0600) == 0);
	EXPECT_INT(doc_sniff(fifo), DOC_NONE);
	g_free(fifo);
	g_free(missing);
	g_free(empty);
	g_free(link);
	g_free(press);
	g_free(odt);
	g_free(real);
	g_free(dir);
}

/* ---- the text sink ---- */

typedef struct {
	char *dir, *path;
	doc_text *t;
} sink;

static void sink_open(sink *s)
{
	s->dir = unit_tmpdir();
	s->path = g_build_filename(s->dir, "text.txt", NULL);
	GError *err = NULL;
	s->t = doc_text_open(s->path, &err);
	EXPECT(s->t != NULL);
	EXPECT(err == NULL);
	g_clear_error(&err);
}

static void add(sink *s, const char *utf8)
{
	GError *err = NULL;
	EXPECT(doc_text_add(s->t, utf8, strlen(utf8), &err));
	EXPECT(err == NULL);
	g_clear_error(&err);
}

static void para(sink *s, const char *utf8)
{
	GError *err = NULL;
	add(s, utf8);
	EXPECT(doc_text_end_paragraph(s->t, &err));
	EXPECT(err == NULL);
	g_clear_error(&err);
}

/* Close the sink; its file's contents. */
static char *sink_close(sink *s)
{
	GError *err = NULL;
	EXPECT(doc_text_close(s->t, &err));
	EXPECT(err == NULL);
	g_clear_error(&err);
	char *text = slurp(s->path);
	unlink(s->path);
	rmdir(s->dir);
	g_free(s->path);
	g_free(s->dir);
	return text;
}

TEST(text_nfc_and_controls)
{
	sink s;
	sink_open(&s);
	/* 한글 as conjoining jamo, in two calls split inside a syllable */
	add(&s, "\xE1\x84\x92\xE1\x85\xA1");          /* ᄒ ᅡ */
	para(&s, "\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xB3\xE1\x86\xAF"); /* ᆫ ᄀ ᅳ ᆯ */
	para(&s, "e\xCC\x81");                                       /* e + combining acute */
	para(&s, "a\x01" "b\tc\x7F" "d\xC2\x85" "e\xC2\x9F" "f\x1B" "g\xEF\xBB\xBF" "h");
	para(&s, "one\rtwo\nthree\ffour\vfive\r\nsix");
	char *text = sink_close(&s);
	EXPECT_STR(text, "한글\n"
	                 "\xC3\xA9\n"
	                 "ab\tcdefgh\n"
	                 "one two three four five  six\n");
	g_free(text);
}

TEST(text_breaks)
{
	sink s;
	sink_open(&s);
	doc_text_break(s.t); /* none at the start */
	doc_text_break(s.t);
	para(&s, "first");
	para(&s, "second");
	doc_text_break(s.t); /* one for several in a row */
	doc_text_break(s.t);
	doc_text_break(s.t);
	para(&s, "third");
	doc_text_break(s.t);
	para(&s, ""); /* an empty paragraph is a line, and takes the break */
	para(&s, "fourth");
	doc_text_break(s.t); /* none at the end */
	char *text = sink_close(&s);
	EXPECT_STR(text, "first\nsecond\n\fthird\n\f\nfourth\n");
	g_free(text);
	/* Only breaks: an empty file. */
	sink_open(&s);
	doc_text_break(s.t);
	doc_text_break(s.t);
	text = sink_close(&s);
	EXPECT_STR(text, "");
	g_free(text);
}

TEST(text_utf16)
{
	static const uint8_t u[] = {
		'A', 0,                    /* A */
		0x3D, 0xD8, 0x00, 0xDE,    /* U+1F600, a surrogate pair */
		0x00, 0xD8, 'B', 0,        /* a lone high surrogate, B */
		0x00, 0xDC,                /* a lone low surrogate */
		0x5C, 0xD5, 0x00, 0xAE,    /* 한 글 (U+D55C U+AE00) */
		0x00, 0xDC, 0x3D, 0xD8,    /* low then high: two lone ones */
		0x00, 0xD8,                /* a high surrogate, the last unit */
	};
	sink s;
	sink_open(&s);
	GError *err = NULL;
	EXPECT(doc_text_add_utf16le(s.t, u, sizeof u / 2, &err));
	EXPECT(doc_text_end_paragraph(s.t, &err));
	/* A pair split across two calls is two lone surrogates. */
	EXPECT(doc_text_add_utf16le(s.t, u + 2, 1, &err));
	EXPECT(doc_text_add_utf16le(s.t, u + 4, 1, &err));
	EXPECT(doc_text_end_paragraph(s.t, &err));
	/* More than the decoder's 4 KiB buffer in one call. */
	GByteArray *many = g_byte_array_new();
	for (int i = 0; i < 3000; i++)
		g_byte_array_append(many, u + 12, 4); /* 한글: 6 bytes of UTF-8 */
	EXPECT(doc_text_add_utf16le(s.t, many->data, many->len / 2, &err));
	EXPECT(doc_text_end_paragraph(s.t, &err));
	EXPECT(doc_text_add_utf16le(s.t, u, 0, &err));
	EXPECT(err == NULL);
	g_clear_error(&err);
	char *text = sink_close(&s);
	GString *want = g_string_new("A\xF0\x9F\x98\x80\xEF\xBF\xBD" "B\xEF\xBF\xBD한글"
	                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\n"
	                             "\xEF\xBF\xBD\xEF\xBF\xBD\n");
	for (int i = 0; i < 3000; i++)
		g_string_append(want, "한글");
	g_string_append_c(want, '\n');
	EXPECT_STR(text, want->str);
	g_string_free(want, TRUE);
	g_byte_array_free(many, TRUE);
	g_free(text);
}

TEST(text_chars)
{
	sink s;
	sink_open(&s);
	EXPECT_INT(doc_text_chars(s.t), 0);
	para(&s, " a b\tc \xE3\x80\x80 "); /* U+3000 ideographic space */
	EXPECT_INT(doc_text_chars(s.t), 3);
	add(&s, "한 글");
	EXPECT_INT(doc_text_chars(s.t), 3); /* counted when the paragraph is written */
	GError *err = NULL;
	EXPECT(doc_text_end_paragraph(s.t, &err));
	EXPECT_INT(doc_text_chars(s.t), 5);
	para(&s, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"); /* three jamo, one syllable */
	EXPECT_INT(doc_text_chars(s.t), 6);
	para(&s, "x\x01\x02y\r\nz"); /* controls not counted, CR LF are spaces */
	EXPECT_INT(doc_text_chars(s.t), 9);
	g_clear_error(&err);
	g_free(sink_close(&s));
}

/*
 * DOC_TEXT_MAX (64 MiB) cannot be lowered for a test, so the sink is
 * filled to exactly the limit once: a short paragraph written, then one
 * paragraph of the rest, accepted; one byte more is refused ("limit:"),
 * and so is every call after it. The big paragraph is never ended (that
 * would normalise 64 MiB), so this costs a copy of 64 MiB, well under a
 * second under ASan.
 */
TEST(text_limit)
{
	gint64 t0 = g_get_monotonic_time();
	sink s;
	sink_open(&s);
	para(&s, "a"); /* 2 bytes written */
	size_t rest = (size_t)DOC_TEXT_MAX - 2;
	char *big = g_malloc(rest);
	memset(big, 'x', rest);
	GError *err = NULL;
	EXPECT(doc_text_add(s.t, big, rest, &err));
	EXPECT(err == NULL);
	EXPECT(!doc_text_add(s.t, "y", 1, &err));
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT &&
	       g_str_has_prefix(err->message, "limit: "));
	if (err)
		EXPECT_STR(err->message, "limit: more than 64 MiB of text");
	g_clear_error(&err);
	EXPECT(!doc_text_add(s.t, "z", 1, &err));
	EXPECT(err && g_str_has_prefix(err->message, "limit: "));
	g_clear_error(&err);
	EXPECT(!doc_text_end_paragraph(s.t, &err));
	EXPECT(err && g_str_has_prefix(err->message, "limit: "));
	g_clear_error(&err);
	static const uint8_t u[] = { 'A', 0 };
	EXPECT(!doc_text_add_utf16le(s.t, u, 1, &err));
	EXPECT(err && g_str_has_prefix(err->message, "limit: "));
	g_clear_error(&err);
	g_free(big);
	char *text = sink_close(&s); /* closing is no failure: the file is fine */
	EXPECT_STR(text, "a\n");
	g_free(text);
	/* The same through UTF-16: the limit counts UTF-8 bytes. */
	sink_open(&s);
	size_t units = (size_t)(DOC_TEXT_MAX / 3) + 1; /* 한: 3 bytes each */
	uint8_t *u16 = g_malloc(units * 2);
	for (size_t i = 0; i < units; i++) {
		u16[2 * i] = 0x5C;
		u16[2 * i + 1] = 0xD5;
	}
	EXPECT(!doc_text_add_utf16le(s.t, u16, units, &err));
	EXPECT(err && g_str_has_prefix(err->message, "limit: "));
	g_clear_error(&err);
	g_free(u16);
	text = sink_close(&s);
	EXPECT_STR(text, "");
	g_free(text);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	if (ms > 2000)
		fprintf(stderr, "text_limit: %" G_GINT64_FORMAT " ms\n", ms);
}

TEST(text_open_fails)
{
	char *dir = unit_tmpdir();
	char *nodir = g_build_filename(dir, "no", "such", "text.txt", NULL);
	GError *err = NULL;
	EXPECT(doc_text_open(nodir, &err) == NULL);
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	/* A link in place of the text file is not written through. */
	char *target = g_build_filename(dir, "target", NULL), *link = g_build_filename(dir, "t.txt", NULL);
	EXPECT(g_file_set_contents(target, "keep", -1, NULL));
	EXPECT(symlink(target, link) == 0);
	EXPECT(doc_text_open(link, &err) == NULL);
	EXPECT(err && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	char *kept = slurp(target);
	EXPECT_STR(kept, "keep");
	g_free(kept);
	g_free(target);
	g_free(link);
	g_free(nodir);
	g_free(dir);
}

/* ---- doc_extract ---- */

TEST(extract_not_a_document)
{
	char *dir = unit_tmpdir();
	char *in = g_build_filename(dir, "notes.hwp", NULL), *out = g_build_filename(dir, "t.txt", NULL);
	EXPECT(g_file_set_contents(in, "just some text, not a document\n", -1, NULL));
	doc_info info;
	GError *err = NULL;
	EXPECT(!doc_extract(in, DOC_NONE, out, &info, &err));
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT);
	EXPECT_STR(err ? err->message : NULL, "not an HWP, HWPX or ODT document");
	EXPECT_INT(info.format, DOC_NONE);
	EXPECT(!g_file_test(out, G_FILE_TEST_EXISTS)); /* nothing written */
	g_clear_error(&err);
	doc_info_clear(&info);
	/* HWP 3: recognised, not read. */
	EXPECT(g_file_set_contents(in, "HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05", -1, NULL));
	EXPECT(!doc_extract(in, DOC_NONE, out, &info, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT && g_str_has_prefix(err->message, "HWP 3"));
	EXPECT_INT(info.format, DOC_HWP3);
	g_clear_error(&err);
	doc_info_clear(&info);
	/* Told HWP 3 of an HWP 5 file: the caller's word is taken. */
	char *press = hwp_path("press.hwp");
	EXPECT(!doc_extract(press, DOC_HWP3, out, &info, &err));
	EXPECT(err && g_str_has_prefix(err->message, "HWP 3"));
	g_clear_error(&err);
	doc_info_clear(&info);
	g_free(press);
	g_free(in);
	g_free(out);
	g_free(dir);
}

TEST(extract_sniffs_and_dispatches)
{
	struct {
		char *path;
		doc_format f;
	} cases[] = {
		{ hwp_path("press.hwp"), DOC_HWP },
		{ odf_path("release.hwpx"), DOC_HWPX },
		{ odf_path("release.odt"), DOC_ODT },
	};
	char *dir = unit_tmpdir(), *out = g_build_filename(dir, "t.txt", NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		doc_info a, b;
		GError *err = NULL;
		EXPECT(doc_extract(cases[i].path, DOC_NONE, out, &a, &err));
		EXPECT(err == NULL);
		EXPECT_INT(a.format, cases[i].f);
		char *ta = slurp(out);
		EXPECT(doc_extract(cases[i].path, cases[i].f, out, &b, &err));
		char *tb = slurp(out);
		EXPECT(ta && tb && *ta && strcmp(ta, tb) == 0);
		EXPECT(a.text_chars > 100 && a.text_chars == b.text_chars);
		g_clear_error(&err);
		g_free(ta);
		g_free(tb);
		doc_info_clear(&a);
		doc_info_clear(&b);
		g_free(cases[i].path);
	}
	g_free(out);
	g_free(dir);
}

TEST(extract_unwritable_text)
{
	char *dir = unit_tmpdir(), *press = hwp_path("press.hwp");
	char *nodir = g_build_filename(dir, "no", "t.txt", NULL);
	doc_info info;
	GError *err = NULL;
	EXPECT(!doc_extract(press, DOC_HWP, nodir, &info, &err));
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_STORE);
	EXPECT_INT(info.format, DOC_HWP);
	g_clear_error(&err);
	doc_info_clear(&info);
	char *odt = odf_path("release.odt");
	EXPECT(!doc_extract(odt, DOC_NONE, nodir, &info, &err));
	EXPECT(err && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	doc_info_clear(&info);
	/* A full disk: the text is written, its close fails. */
	if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
		EXPECT(!doc_extract(press, DOC_HWP, "/dev/full", &info, &err));
		EXPECT(err && err->code == ARC_ERROR_STORE);
		g_clear_error(&err);
		doc_info_clear(&info);
	}
	g_free(odt);
	g_free(nodir);
	g_free(press);
	g_free(dir);
}

/* ---- the worker ---- */

static worker_limits limits(void)
{
	worker_limits lim;
	worker_limits_default(&lim);
	lim.timeout_seconds = 60;
	return lim;
}

static void expect_same_info(const doc_info *a, const doc_info *b)
{
	EXPECT_INT(a->format, b->format);
	EXPECT_STR(a->version, b->version);
	EXPECT_INT(a->sections, b->sections);
	EXPECT_INT(a->compressed, b->compressed);
	EXPECT_INT(a->password, b->password);
	EXPECT_INT(a->distribution, b->distribution);
	EXPECT_INT(a->drm, b->drm);
	EXPECT_INT(a->kogl_flag, b->kogl_flag);
	EXPECT_INT(a->kogl_type, b->kogl_type);
	EXPECT_INT(a->scripts, b->scripts);
	EXPECT_INT(a->macros, b->macros);
	EXPECT_INT(a->embedded, b->embedded);
	EXPECT_INT(a->text_chars, b->text_chars);
}

TEST(worker_as_in_process)
{
	char *dir = unit_tmpdir();
	char *here = g_build_filename(dir, "here.txt", NULL), *there = g_build_filename(dir, "there.txt", NULL);
	struct {
		char *path;
		doc_format f;
	} cases[] = {
		{ hwp_path("press.hwp"), DOC_HWP },
		{ odf_path("release.hwpx"), DOC_HWPX },
		{ hwp_path("press.hwp"), DOC_NONE }, /* sniffed in the child */
	};
	worker_limits lim = limits();
	doc_worker *w = doc_worker_new(&lim);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		doc_info info;
		doc_result res;
		GError *err = NULL;
		EXPECT(doc_extract(cases[i].path, cases[i].f, here, &info, &err));
		EXPECT(err == NULL);
		EXPECT(doc_worker_run(w, cases[i].path, cases[i].f, there, &res, &err));
		EXPECT(err == NULL);
		EXPECT(res.text_error == NULL);
		if (res.text_error)
			fprintf(stderr, "%s: %s\n", cases[i].path, res.text_error);
		/* What the file is, the parent said; the rest as in process. */
		EXPECT_INT(res.info.format, cases[i].f);
		res.info.format = info.format;
		expect_same_info(&res.info, &info);
		EXPECT(info.version && info.sections > 0 && info.text_chars > 100);
		char *a = slurp(here), *b = slurp(there);
		EXPECT(a && b && *a && strcmp(a, b) == 0);
		g_free(a);
		g_free(b);
		g_clear_error(&err);
		doc_info_clear(&info);
		doc_result_clear(&res);
		EXPECT(res.text_error == NULL && res.info.version == NULL);
		g_free(cases[i].path);
	}
	doc_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	g_free(here);
	g_free(there);
	g_free(dir);
}

TEST(worker_failures_are_the_files)
{
	char *dir = unit_tmpdir(), *out = g_build_filename(dir, "t.txt", NULL);
	char *bomb = hwp_path("hostile-bomb.hwp"), *missing = g_build_filename(dir, "gone.hwp", NULL);
	char *press = hwp_path("press.hwp");
	worker_limits lim = limits();
	doc_worker *w = doc_worker_new(&lim);
	doc_result res;
	GError *err = NULL;
	EXPECT(doc_worker_run(w, bomb, DOC_HWP, out, &res, &err));
	EXPECT(err == NULL);
	EXPECT(res.text_error && g_str_has_prefix(res.text_error, "limit: "));
	EXPECT_INT(res.info.format, DOC_HWP);
	EXPECT_STR(res.info.version, "5.1.0.1"); /* what it learnt before failing */
	doc_result_clear(&res);
	EXPECT(doc_worker_run(w, missing, DOC_HWP, out, &res, &err));
	EXPECT(err == NULL);
	EXPECT(res.text_error != NULL);
	EXPECT_INT(res.info.format, DOC_HWP);
	doc_result_clear(&res);
	EXPECT(doc_worker_run(w, missing, DOC_NONE, out, &res, &err));
	EXPECT_STR(res.text_error, "not an HWP, HWPX or ODT document");
	doc_result_clear(&res);
	/* Our disk: no document's failure, the run's. */
	char *nodir = g_build_filename(dir, "no", "t.txt", NULL);
	EXPECT(!doc_worker_run(w, press, DOC_HWP, nodir, &res, &err));
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_STORE);
	g_clear_error(&err);
	doc_result_clear(&res);
	/* And the worker goes on. */
	EXPECT(doc_worker_run(w, press, DOC_HWP, out, &res, &err) && res.text_error == NULL);
	doc_result_clear(&res);
	g_clear_error(&err);
	doc_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	g_free(nodir);
	g_free(press);
	g_free(missing);
	g_free(bomb);
	g_free(out);
	g_free(dir);
}

TEST(worker_crash_costs_only_its_job)
{
#ifdef ARCHIVE_TEST_HOOKS
	char *dir = unit_tmpdir(), *out = g_build_filename(dir, "t.txt", NULL);
	char *press = hwp_path("press.hwp"), *crash = g_build_filename(dir, "crash.hwp", NULL);
	char *bytes = NULL;
	gsize len = 0;
	EXPECT(g_file_get_contents(press, &bytes, &len, NULL));
	EXPECT(g_file_set_contents(crash, bytes, (gssize)len, NULL));
	g_free(bytes);
	g_setenv("ARCHIVE_TEST_WORKER", "crash:crash.hwp", TRUE);
	worker_limits lim = limits();
	doc_worker *w = doc_worker_new(&lim);
	doc_result res;
	GError *err = NULL;
	/* A job before, so that the crash is in a child already running. */
	EXPECT(doc_worker_run(w, press, DOC_HWP, out, &res, &err) && res.text_error == NULL);
	doc_result_clear(&res);
	EXPECT(doc_worker_run(w, crash, DOC_HWP, out, &res, &err));
	EXPECT(err == NULL);
	EXPECT(res.text_error && strstr(res.text_error, "signal 11"));
	EXPECT_INT(res.info.format, DOC_HWP);
	doc_result_clear(&res);
	g_clear_error(&err);
	for (int i = 0; i < DOC_WORKER_JOBS + 2; i++) { /* past one child's share */
		EXPECT(doc_worker_run(w, press, DOC_HWP, out, &res, &err));
		EXPECT(res.text_error == NULL && res.info.text_chars > 100);
		doc_result_clear(&res);
		g_clear_error(&err);
	}
	EXPECT(doc_worker_run(w, crash, DOC_HWP, out, &res, &err));
	EXPECT(res.text_error && strstr(res.text_error, "signal 11"));
	doc_result_clear(&res);
	g_unsetenv("ARCHIVE_TEST_WORKER");
	doc_worker_free(w);
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
	g_free(crash);
	g_free(press);
	g_free(out);
	g_free(dir);
#endif
}

UNIT_MAIN(sniff_signatures, sniff_zip_mimetype, sniff_noise, sniff_files, text_nfc_and_controls,
          text_breaks, text_utf16, text_chars, text_limit, text_open_fails, extract_not_a_document,
          extract_sniffs_and_dispatches, extract_unwritable_text, worker_as_in_process,
          worker_failures_are_the_files, worker_crash_costs_only_its_job,
          sniff_truncated_headers)
