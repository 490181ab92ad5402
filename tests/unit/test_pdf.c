/* Unit tests: PDF extraction, facts, stamping, the %PDF- header test. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poppler.h>
#include <zlib.h>
#include "unit.h"
#include "core/errors.h"
#include "release/license.h"
#include "pdf/pdf.h"
#include "pdf/update.h"
#include "pdf/worker.h"
#include "core/worker.h"

#define MSIT "msit-2024-05-10-ai-digital-diplomacy"
#define EN "en-2024-06-03-quantum-strategy"
#define KO "ko-2024-07-15-ai-semiconductor"
#define MSIT_TITLE "No Barriers Between Ministries in AI and Digital Diplomacy"
#define KO_TITLE "인공지능 반도체 산업 도약을 위한 민관 협력 강화"

static char *fixture_pdf(const char *release)
{
	char *name = g_strconcat(release, ".pdf", NULL);
	char *p = g_build_filename(unit_fixtures(), "releases", release, name, NULL);
	g_free(name);
	return p;
}

static char *read_all(const char *path, gsize *len)
{
	char *data = NULL;
	if (!g_file_get_contents(path, &data, len, NULL))
		return NULL;
	return data;
}

static void write_file(const char *path, const void *data, gsize len)
{
	if (!g_file_set_contents(path, data, (gssize)len, NULL)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static int count_char(const char *s, gsize len, char c)
{
	int n = 0;
	for (gsize i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* Remove a scratch directory and what the tests left in it. */
static void rm_dir(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;
	while (d && (e = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, e, NULL);
		unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	rmdir(dir);
	g_free(dir);
}

static int dir_entries(const char *dir)
{
	int n = 0;
	GDir *d = g_dir_open(dir, 0, NULL);
	while (d && g_dir_read_name(d))
		n++;
	if (d)
		g_dir_close(d);
	return n;
}

/* ---- a minimal PDF writer, for the cases cairo cannot make ------------------ */

typedef struct {
	GString *s;
	GArray *offsets; /* of objects 1..n */
} mini_pdf;

static mini_pdf mini_new(void)
{
	mini_pdf m = { g_string_new("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
	               g_array_new(FALSE, FALSE, sizeof(gsize)) };
	return m;
}

static void mini_obj(mini_pdf *m, const char *body)
{
	gsize off = m->s->len;
	g_array_append_val(m->offsets, off);
	g_string_append_printf(m->s, "%u 0 obj\n%s\nendobj\n", m->offsets->len, body);
}

static void mini_stream(mini_pdf *m, const char *dict_extra, const void *data, gsize len)
{
	gsize off = m->s->len;
	g_array_append_val(m->offsets, off);
	g_string_append_printf(m->s, "%u 0 obj\n<< /Length %zu %s >>\nstream\n", m->offsets->len,
	                       len, dict_extra);
	g_string_append_len(m->s, data, (gssize)len);
	g_string_append(m->s, "\nendstream\nendobj\n");
}

/* Append the xref table and trailer, write to path, free m. */
static void mini_finish(mini_pdf *m, const char *trailer_extra, const char *path)
{
	gsize xref = m->s->len;
	g_string_append_printf(m->s, "xref\n0 %u\n0000000000 65535 f \n", m->offsets->len + 1);
	for (guint i = 0; i < m->offsets->len; i++)
		g_string_append_printf(m->s, "%010zu 00000 n \n", g_array_index(m->offsets, gsize, i));
	g_string_append_printf(m->s, "trailer\n<< /Size %u /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
	                       m->offsets->len + 1, trailer_extra ? trailer_extra : "", xref);
	write_file(path, m->s->str, m->s->len);
	g_string_free(m->s, TRUE);
	g_array_free(m->offsets, TRUE);
}

#define PAGE_TEXT "BT /F1 18 Tf 72 700 Td (Hello from a tiny PDF) Tj ET"

/* One page with Helvetica text; annots and catalog_extra go into the page
 * and the catalog. */
static void mini_simple(const char *path, const char *catalog_extra, const char *annots)
{
	mini_pdf m = mini_new();
	char *cat = g_strdup_printf("<< /Type /Catalog /Pages 2 0 R %s >>",
	                            catalog_extra ? catalog_extra : "");
	char *page = g_strdup_printf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	                             "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R %s >>",
	                             annots ? annots : "");
	mini_obj(&m, cat);
	mini_obj(&m, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	mini_obj(&m, page);
	mini_obj(&m, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
	mini_stream(&m, "", PAGE_TEXT, strlen(PAGE_TEXT));
	mini_finish(&m, NULL, path);
	g_free(cat);
	g_free(page);
}

/* RC4 and the standard security handler, revision 2 (40-bit): enough to
 * make a PDF that opens with an empty user password. */
static void rc4(const guint8 *key, gsize klen, guint8 *data, gsize len)
{
	guint8 s[256], t;
	unsigned i, j = 0;
	for (i = 0; i < 256; i++)
		s[i] = (guint8)i;
	for (i = 0; i < 256; i++) {
		j = (j + s[i] + key[i % klen]) & 255;
		t = s[i], s[i] = s[j], s[j] = t;
	}
	i = j = 0;
	for (gsize k = 0; k < len; k++) {
		i = (i + 1) & 255;
		j = (j + s[i]) & 255;
		t = s[i], s[i] = s[j], s[j] = t;
		data[k] ^= s[(s[i] + s[j]) & 255];
	}
}

static const guint8 pad[32] = { 0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E,
	                         0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68,
	                         0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A };

static void md5(const guint8 *data, gsize len, guint8 out[16])
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_MD5);
	gsize n = 16;
	g_checksum_update(c, data, (gssize)len);
	g_checksum_get_digest(c, out, &n);
	g_checksum_free(c);
}

static char *hex(const guint8 *b, gsize n)
{
	GString *s = g_string_new("<");
	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "%02X", b[i]);
	g_string_append_c(s, '>');
	return g_string_free(s, FALSE);
}

/*
 * An RC4-40 encrypted PDF. With good_user the empty user password is the
 * right one (an owner-password-only PDF, which opens); otherwise the /U
 * entry matches no empty password and poppler needs one.
 */
static void mini_encrypted(const char *path, bool good_user)
{
	guint8 O[32], id[16], key[16], U[32];
	const gint32 P = -4;
	for (int i = 0; i < 32; i++)
		O[i] = (guint8)(i * 7 + 1);
	for (int i = 0; i < 16; i++)
		id[i] = (guint8)(0xA0 + i);
	guint8 in[32 + 32 + 4 + 16];
	memcpy(in, pad, 32);
	memcpy(in + 32, O, 32);
	for (int i = 0; i < 4; i++)
		in[64 + i] = (guint8)(((guint32)P >> (8 * i)) & 0xff);
	memcpy(in + 68, id, 16);
	md5(in, sizeof in, key);
	memcpy(U, pad, 32);
	rc4(key, 5, U, 32);
	if (!good_user)
		U[0] ^= 0x55;

	/* Object 5's key: MD5(key40 | 5 0 0 | 0 0), first 10 bytes. */
	guint8 okin[10] = { key[0], key[1], key[2], key[3], key[4], 5, 0, 0, 0, 0 }, okey[16];
	md5(okin, sizeof okin, okey);
	gsize clen = strlen(PAGE_TEXT);
	guint8 *content = g_memdup2(PAGE_TEXT, clen);
	rc4(okey, 10, content, clen);

	mini_pdf m = mini_new();
	mini_obj(&m, "<< /Type /Catalog /Pages 2 0 R >>");
	mini_obj(&m, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	mini_obj(&m, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	             "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
	mini_obj(&m, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
	mini_stream(&m, "", content, clen);
	char *o = hex(O, 32), *u = hex(U, 32), *i = hex(id, 16);
	char *enc = g_strdup_printf("<< /Filter /Standard /V 1 /R 2 /O %s /U %s /P %d >>", o, u, P);
	mini_obj(&m, enc);
	char *trailer = g_strdup_printf("/Encrypt 6 0 R /ID [%s %s]", i, i);
	mini_finish(&m, trailer, path);
	g_free(o);
	g_free(u);
	g_free(i);
	g_free(enc);
	g_free(trailer);
	g_free(content);
}

/* ---- extraction -------------------------------------------------------------- */

TEST(extract_msit_fixture)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(MSIT);
	char *txt = g_build_filename(dir, "x.pdf.txt", NULL);
	pdf_info info;
	GError *err = NULL;
	EXPECT(pdf_extract(pdf, txt, &info, &err));
	if (err) {
		fprintf(stderr, "%s\n", err->message);
		g_clear_error(&err);
	}
	EXPECT_INT(info.pages, 2);
	EXPECT_STR(info.pdf_version, "1.5");
	EXPECT(info.producer && g_str_has_prefix(info.producer, "cairo"));
	EXPECT_STR(info.creator, "archive mkpdf");
	EXPECT_STR(info.title, MSIT_TITLE);
	EXPECT_STR(info.author, "Ministry of Science and ICT");
	EXPECT_STR(info.keywords, "AI; digital diplomacy");
	EXPECT_STR(info.creation_date, "2024-05-10T09:00:00Z");
	EXPECT(info.pdfa == NULL);
	EXPECT(!info.encrypted && !info.javascript && !info.launch_action && !info.embedded_files);

	gsize len = 0;
	char *text = read_all(txt, &len);
	EXPECT(text != NULL);
	if (text) {
		EXPECT(strstr(text, MSIT_TITLE) != NULL);
		EXPECT(strstr(text, "KOGL Type 1") != NULL);
		EXPECT_INT(count_char(text, len, '\f'), 1); /* between the two pages only */
		EXPECT(len > 0 && text[len - 1] != '\f');
		EXPECT(g_utf8_validate(text, (gssize)len, NULL));
		/* The text after the form feed is page 2's: its count matches. */
		const char *ff = memchr(text, '\f', len);
		if (ff && info.chars_per_page && info.chars_per_page->len == 2) {
			guint n = 0;
			for (const char *p = ff + 1; *p; p = g_utf8_next_char(p))
				n += !g_unichar_isspace(g_utf8_get_char(p));
			EXPECT_INT(g_array_index(info.chars_per_page, guint, 1), n);
		}
	}
	EXPECT(info.chars_per_page && info.chars_per_page->len == 2);
	if (info.chars_per_page && info.chars_per_page->len == 2) {
		guint a = g_array_index(info.chars_per_page, guint, 0);
		guint b = g_array_index(info.chars_per_page, guint, 1);
		EXPECT(a > 1000 && b > 100);
		EXPECT_INT(info.text_chars, (guint64)a + b);
	}
	g_free(text);
	pdf_info_clear(&info);
	EXPECT(info.title == NULL && info.chars_per_page == NULL && info.pages == 0);
	g_free(pdf);
	g_free(txt);
	rm_dir(dir);
}

TEST(extract_korean_fixture)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(KO);
	char *txt = g_build_filename(dir, "ko.pdf.txt", NULL);
	pdf_info info;
	GError *err = NULL;
	EXPECT(pdf_extract(pdf, txt, &info, &err));
	g_clear_error(&err);
	EXPECT_INT(info.pages, 1);
	EXPECT_STR(info.title, KO_TITLE);
	EXPECT(info.author == NULL && info.keywords == NULL);
	gsize len = 0;
	char *text = read_all(txt, &len);
	EXPECT(text && strstr(text, KO_TITLE));
	EXPECT(text && strstr(text, "공공누리 제1유형"));
	EXPECT(text && strstr(text, "2024년 7월 15일"));
	EXPECT(text && count_char(text, len, '\f') == 0);
	/* Hangul syllables count one each. */
	EXPECT(info.text_chars > 300 && info.text_chars < len);
	/* The same count as g_unichar_isspace over every character (the
	 * count skips it for ASCII). */
	guint64 visible = 0;
	for (const char *p = text ? text : ""; *p; p = g_utf8_next_char(p))
		visible += !g_unichar_isspace(g_utf8_get_char(p));
	EXPECT_INT(info.text_chars, visible);
	g_free(text);
	pdf_info_clear(&info);
	g_free(pdf);
	g_free(txt);
	rm_dir(dir);
}

/* The visible-character count's ASCII fast path (count_visible in pdf.c)
 * takes space, tab, LF, CR and FF as GLib's white space below 0x80. */
TEST(ascii_white_space_is_glibs)
{
	for (gunichar c = 0; c < 0x80; c++)
		EXPECT(!g_unichar_isspace(c) ==
		       !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'));
}

/* Open failures: poppler's reason is kept, nothing is left half-filled. */
static void expect_open_failure(const char *path, const char *dir, const char *want)
{
	char *txt = g_build_filename(dir, "bad.txt", NULL);
	pdf_info info;
	GError *err = NULL;
	EXPECT(!pdf_extract(path, txt, &info, &err));
	EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT);
	EXPECT(err && g_str_has_prefix(err->message, path));
	EXPECT(err && strstr(err->message, want));
	if (err && !strstr(err->message, want))
		fprintf(stderr, "message: %s\n", err->message);
	EXPECT(info.pages == 0 && info.chars_per_page == NULL && info.title == NULL);
	g_clear_error(&err);
	unlink(txt);
	g_free(txt);
}

TEST(extract_truncated_garbage_empty)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(MSIT);
	gsize len = 0;
	char *data = read_all(pdf, &len);
	EXPECT(data != NULL);

	char *half = g_build_filename(dir, "half.pdf", NULL);
	write_file(half, data, len / 2);
	expect_open_failure(half, dir, "damaged or truncated (poppler: ");

	char *junk = g_build_filename(dir, "junk.pdf", NULL);
	char bytes[4096];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (char)(i * 131 + 7);
	write_file(junk, bytes, sizeof bytes);
	expect_open_failure(junk, dir, "damaged or truncated (poppler: ");

	/* A header and nothing else. */
	char *hdr = g_build_filename(dir, "hdr.pdf", NULL);
	write_file(hdr, "%PDF-1.7\n", 9);
	expect_open_failure(hdr, dir, "damaged or truncated (poppler: ");

	char *empty = g_build_filename(dir, "empty.pdf", NULL);
	write_file(empty, "", 0);
	expect_open_failure(empty, dir, "damaged or truncated (poppler: ");

	char *missing = g_build_filename(dir, "missing.pdf", NULL);
	expect_open_failure(missing, dir, "No such file");

	char *link = g_build_filename(dir, "link.pdf", NULL);
	EXPECT(symlink(pdf, link) == 0);
	expect_open_failure(link, dir, "Too many levels of symbolic links");

	g_free(data);
	g_free(half);
	g_free(junk);
	g_free(hdr);
	g_free(empty);
	g_free(missing);
	g_free(link);
	g_free(pdf);
	rm_dir(dir);
}

TEST(extract_password)
{
	char *dir = unit_tmpdir();
	char *locked = g_build_filename(dir, "locked.pdf", NULL);
	mini_encrypted(locked, false);
	expect_open_failure(locked, dir, "is password-protected");

	/* Only an owner password: opens, is extracted, is marked encrypted
	 * (its permissions are full, so only the /Encrypt scan tells). */
	char *owner = g_build_filename(dir, "owner.pdf", NULL);
	char *txt = g_build_filename(dir, "owner.txt", NULL);
	mini_encrypted(owner, true);
	pdf_info info;
	GError *err = NULL;
	EXPECT(pdf_extract(owner, txt, &info, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	EXPECT(info.encrypted);
	EXPECT_INT(info.pages, 1);
	char *text = read_all(txt, NULL);
	EXPECT(text && strstr(text, "Hello from a tiny PDF"));
	g_free(text);
	pdf_info_clear(&info);

	/* The same PDF unencrypted is not marked. */
	char *plain = g_build_filename(dir, "plain.pdf", NULL);
	mini_simple(plain, NULL, NULL);
	EXPECT(pdf_extract(plain, txt, &info, &err));
	g_clear_error(&err);
	EXPECT(!info.encrypted);
	text = read_all(txt, NULL);
	EXPECT(text && strstr(text, "Hello from a tiny PDF"));
	g_free(text);
	pdf_info_clear(&info);

	g_free(locked);
	g_free(owner);
	g_free(plain);
	g_free(txt);
	rm_dir(dir);
}

static pdf_info extract_mini(const char *dir, const char *catalog_extra, const char *annots)
{
	char *pdf = g_build_filename(dir, "active.pdf", NULL);
	char *txt = g_build_filename(dir, "active.txt", NULL);
	pdf_info info;
	GError *err = NULL;
	mini_simple(pdf, catalog_extra, annots);
	EXPECT(pdf_extract(pdf, txt, &info, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	g_free(pdf);
	g_free(txt);
	return info;
}

/* The byte scan (scan_raw) on a fixture with words appended after its
 * %%EOF, which poppler ignores: a name counts when a non-name byte or the
 * end of the file follows it, not when more letters do. */
static pdf_info extract_with_tail(const char *dir, const char *tail)
{
	char *src = fixture_pdf(MSIT);
	char *pdf = g_build_filename(dir, "tail.pdf", NULL);
	char *txt = g_build_filename(dir, "tail.pdf.txt", NULL);
	gsize len = 0;
	char *bytes = read_all(src, &len);
	GString *all = g_string_new_len(bytes, (gssize)len);
	g_string_append(all, tail);
	EXPECT(g_file_set_contents(pdf, all->str, (gssize)all->len, NULL));
	pdf_info info;
	GError *err = NULL;
	EXPECT(pdf_extract(pdf, txt, &info, &err));
	g_clear_error(&err);
	g_string_free(all, TRUE);
	g_free(bytes);
	g_free(src);
	g_free(pdf);
	g_free(txt);
	return info;
}

TEST(raw_scan_names_at_the_end)
{
	char *dir = unit_tmpdir();
	static const struct {
		const char *tail;
		bool js, launch, encrypt;
	} cases[] = {
		{ "\n", false, false, false },
		{ "\n/JS", true, false, false },
		{ "\n/JSX", false, false, false },
		{ "\n/JavaScript/Launch", true, true, false },
		{ "\n/Launch1 /JavaScripts", false, false, false },
		{ "\n/Encrypt", false, false, true },
		{ "\n/Encrypt#", false, false, true },
		{ "\n/Encryp", false, false, false },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		pdf_info info = extract_with_tail(dir, cases[i].tail);
		EXPECT(info.javascript == cases[i].js);
		EXPECT(info.launch_action == cases[i].launch);
		EXPECT(info.encrypted == cases[i].encrypt);
		pdf_info_clear(&info);
	}
	rm_dir(dir);
}

TEST(extract_active_content)
{
	char *dir = unit_tmpdir();
	pdf_info info = extract_mini(dir, NULL, NULL);
	EXPECT(!info.javascript && !info.launch_action && !info.embedded_files);
	pdf_info_clear(&info);

	/* A link whose action name is escaped (#53 is 'S'): a byte scan misses
	 * it, poppler's link walk does not. */
	info = extract_mini(dir, NULL,
	                    "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
	                    "/A << /S /Java#53cript /J#53 (app.alert(1)) >> >>]");
	EXPECT(info.javascript);
	EXPECT(!info.launch_action);
	pdf_info_clear(&info);

	info = extract_mini(dir, NULL,
	                    "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
	                    "/A << /S /Launc#68 /F (calc.exe) >> >>]");
	EXPECT(info.launch_action);
	EXPECT(!info.javascript);
	pdf_info_clear(&info);

	/* Document-level JavaScript, which poppler-glib does not expose: the
	 * byte scan finds it. */
	info = extract_mini(dir, "/OpenAction << /S /JavaScript /JS (app.alert(2)) >>", NULL);
	EXPECT(info.javascript);
	pdf_info_clear(&info);

	info = extract_mini(dir,
	                    "/Names << /EmbeddedFiles << /Names [(a.txt) << /Type /Filespec "
	                    "/F (a.txt) /EF << /F 5 0 R >> >>] >> >>",
	                    NULL);
	EXPECT(info.embedded_files);
	pdf_info_clear(&info);
	rm_dir(dir);
}

/* ---- object streams ------------------------------------------------------------ */

static GByteArray *deflated(const void *data, gsize len)
{
	uLongf clen = compressBound((uLong)len);
	GByteArray *z = g_byte_array_sized_new((guint)clen);
	g_byte_array_set_size(z, (guint)clen);
	EXPECT(compress2(z->data, &clen, data, (uLong)len, 9) == Z_OK);
	g_byte_array_set_size(z, (guint)clen);
	return z;
}

/* zeros bytes of zeros, deflated (zlib format) chunk by chunk. */
static GByteArray *deflated_zeros(gsize zeros)
{
	static const unsigned char nothing[64 * 1024];
	unsigned char out[64 * 1024];
	GByteArray *z = g_byte_array_new();
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	EXPECT(deflateInit(&zs, 9) == Z_OK);
	for (int flush = Z_NO_FLUSH; flush != Z_FINISH;) {
		gsize n = MIN(zeros, sizeof nothing);
		zeros -= n;
		flush = zeros ? Z_NO_FLUSH : Z_FINISH;
		zs.next_in = (Bytef *)nothing;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof out;
			EXPECT(deflate(&zs, flush) != Z_STREAM_ERROR);
			g_byte_array_append(z, out, (guint)(sizeof out - zs.avail_out));
		} while (zs.avail_out == 0);
	}
	deflateEnd(&zs);
	return z;
}

/*
 * A PDF 1.5 as qpdf --object-streams=generate writes one: every object
 * but the page's content stream compressed in one object stream (/Type
 * /ObjStm, /FlateDecode), the cross-reference a compressed stream too
 * (/Type /XRef), so that no name of those objects is in the file's bytes.
 * Objects 1 to 4 are the catalog (catalog_extra added), the page tree, the
 * page (its /Contents 5 0 R, annots added) and the font; 5 the content
 * stream; extra[0..] are 6, 7, ...; then the object stream and the xref
 * stream. bomb_zeros > 0: before the object stream, a stream object named
 * /Type /ObjStm that is none (no xref entry points to it, so poppler never
 * reads it), holding that many zeros deflated. inflated, when not NULL,
 * gets the object stream's bytes as they are before deflating.
 */
static void objstm_pdf(const char *path, const char *catalog_extra, const char *annots,
                       const char *const *extra, guint n_extra, gsize bomb_zeros,
                       GString *inflated)
{
	GPtrArray *objs = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(objs, g_strdup_printf("<< /Type /Catalog /Pages 2 0 R %s >>",
	                                      catalog_extra ? catalog_extra : ""));
	g_ptr_array_add(objs, g_strdup("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
	g_ptr_array_add(objs, g_strdup_printf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	                                      "/Resources << /Font << /F1 4 0 R >> >> "
	                                      "/Contents 5 0 R %s >>",
	                                      annots ? annots : ""));
	g_ptr_array_add(objs, g_strdup("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
	g_ptr_array_add(objs, NULL); /* 5: the content stream, outside */
	for (guint i = 0; i < n_extra; i++)
		g_ptr_array_add(objs, g_strdup(extra[i]));
	guint n = objs->len, stm = n + 1, xref_no = n + 2, size = n + 3;

	/* The object stream: "num offset ..." pairs, then the objects. */
	GString *head = g_string_new(NULL), *body = g_string_new(NULL);
	guint packed = 0;
	for (guint i = 0; i < n; i++) {
		const char *o = g_ptr_array_index(objs, i);
		if (!o)
			continue;
		g_string_append_printf(head, "%u %zu ", i + 1, body->len);
		g_string_append_printf(body, "%s\n", o);
		packed++;
	}
	g_string_append(head, body->str);
	gsize first = head->len - body->len;
	if (inflated)
		g_string_assign(inflated, head->str);

	GString *pdf = g_string_new("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n");
	gsize *off = g_new0(gsize, size);
	off[4] = pdf->len;
	g_string_append_printf(pdf, "5 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
	                       strlen(PAGE_TEXT), PAGE_TEXT);
	if (bomb_zeros) {
		GByteArray *b = deflated_zeros(bomb_zeros);
		g_string_append_printf(pdf, "%u 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "
		                       "/Length %u >>\nstream\n", size + 1, b->len);
		g_string_append_len(pdf, (const char *)b->data, b->len);
		g_string_append(pdf, "\nendstream\nendobj\n");
		g_byte_array_unref(b);
	}
	GByteArray *z = deflated(head->str, head->len);
	off[stm - 1] = pdf->len;
	g_string_append_printf(pdf, "%u 0 obj\n<< /Type /ObjStm /N %u /First %zu /Filter /FlateDecode "
	                       "/Length %u >>\nstream\n", stm, packed, first, z->len);
	g_string_append_len(pdf, (const char *)z->data, z->len);
	g_string_append(pdf, "\nendstream\nendobj\n");
	g_byte_array_unref(z);

	/* The xref stream: /W [1 4 2], one row per object 0..size-1. */
	off[xref_no - 1] = pdf->len;
	GByteArray *rows = g_byte_array_new();
	for (guint i = 0; i < size; i++) {
		guint8 r[7] = { 0 };
		guint packed_index = 0;
		for (guint k = 0; k + 1 < i; k++)
			packed_index += g_ptr_array_index(objs, k) != NULL;
		if (i == 0) {
			r[5] = r[6] = 0xff; /* free, generation 65535 */
		} else if (i <= n && g_ptr_array_index(objs, i - 1)) {
			r[0] = 2; /* in the object stream stm, at packed_index */
			r[1] = (guint8)(stm >> 24), r[2] = (guint8)(stm >> 16);
			r[3] = (guint8)(stm >> 8), r[4] = (guint8)stm;
			r[5] = (guint8)(packed_index >> 8), r[6] = (guint8)packed_index;
		} else {
			gsize o = off[i - 1];
			r[0] = 1;
			r[1] = (guint8)(o >> 24), r[2] = (guint8)(o >> 16);
			r[3] = (guint8)(o >> 8), r[4] = (guint8)o;
		}
		g_byte_array_append(rows, r, sizeof r);
	}
	z = deflated(rows->data, rows->len);
	g_string_append_printf(pdf, "%u 0 obj\n<< /Type /XRef /Size %u /W [1 4 2] /Root 1 0 R "
	                       "/Filter /FlateDecode /Length %u >>\nstream\n", xref_no, size, z->len);
	g_string_append_len(pdf, (const char *)z->data, z->len);
	g_string_append_printf(pdf, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", off[xref_no - 1]);
	write_file(path, pdf->str, pdf->len);

	/* What a byte scan looks for is nowhere in the file. */
	static const char *const hidden[] = { "/JavaScript", "/JS", "/Java", "/Launch", "/OpenAction",
		                              "/Names", "/Outlines", "app.alert", "calc.exe" };
	for (size_t i = 0; i < G_N_ELEMENTS(hidden); i++)
		EXPECT(!memmem(pdf->str, pdf->len, hidden[i], strlen(hidden[i])));
	g_byte_array_unref(z);
	g_byte_array_unref(rows);
	g_free(off);
	g_string_free(pdf, TRUE);
	g_string_free(head, TRUE);
	g_string_free(body, TRUE);
	g_ptr_array_unref(objs);
}

static pdf_info extract_objstm(const char *dir, const char *catalog_extra, const char *annots,
                               const char *const *extra, guint n_extra, gsize bomb_zeros)
{
	char *pdf = g_build_filename(dir, "objstm.pdf", NULL);
	char *txt = g_build_filename(dir, "objstm.txt", NULL);
	pdf_info info;
	GError *err = NULL;
	objstm_pdf(pdf, catalog_extra, annots, extra, n_extra, bomb_zeros, NULL);
	EXPECT(pdf_extract(pdf, txt, &info, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	/* poppler read the objects from the object stream: the page is there. */
	EXPECT(info.pages == 1);
	char *text = read_all(txt, NULL);
	EXPECT(text && strstr(text, "Hello from a tiny PDF"));
	g_free(text);
	g_free(pdf);
	g_free(txt);
	return info;
}

/*
 * Active content that sits only in a compressed object stream (issue 14):
 * the byte scan of the file sees none of it (objstm_pdf asserts that).
 * The Names tree's JavaScript, also with escaped names, is found by
 * poppler's document walk; an /OpenAction, which poppler-glib does not
 * show, by the scan of the inflated object stream; an outline item's
 * action with escaped names by the outline walk.
 */
TEST(extract_active_content_in_object_streams)
{
	char *dir = unit_tmpdir();
	pdf_info info = extract_objstm(dir, NULL, NULL, NULL, 0, 0);
	EXPECT(!info.javascript && !info.launch_action && !info.embedded_files);
	pdf_info_clear(&info);

	static const char *const names_js[] = {
		"<< /Names [(init) 7 0 R] >>", "<< /S /JavaScript /JS (app.alert(1)) >>"
	};
	info = extract_objstm(dir, "/Names << /JavaScript 6 0 R >>", NULL, names_js, 2, 0);
	EXPECT(info.javascript && !info.launch_action);
	pdf_info_clear(&info);

	static const char *const names_js_escaped[] = {
		"<< /Names [(init) 7 0 R] >>", "<< /S /Java#53cript /J#53 (app.alert(1)) >>"
	};
	info = extract_objstm(dir, "/Names << /Java#53cript 6 0 R >>", NULL, names_js_escaped, 2, 0);
	EXPECT(info.javascript);
	pdf_info_clear(&info);

	static const char *const open_js[] = { "<< /S /JavaScript /JS (app.alert(2)) >>" };
	info = extract_objstm(dir, "/OpenAction 6 0 R", NULL, open_js, 1, 0);
	EXPECT(info.javascript && !info.launch_action);
	pdf_info_clear(&info);

	static const char *const open_launch[] = { "<< /S /Launch /F (calc.exe) >>" };
	info = extract_objstm(dir, "/OpenAction 6 0 R", NULL, open_launch, 1, 0);
	EXPECT(info.launch_action && !info.javascript);
	pdf_info_clear(&info);

	static const char *const outline_js[] = {
		"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
		"<< /Title (Run) /Parent 6 0 R /A << /S /Java#53cript /J#53 (app.alert(3)) >> >>"
	};
	info = extract_objstm(dir, "/Outlines 6 0 R", NULL, outline_js, 2, 0);
	EXPECT(info.javascript);
	pdf_info_clear(&info);

	static const char *const outline_launch[] = {
		"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
		"<< /Title (Run) /Parent 6 0 R /A << /S /Launc#68 /F (calc.exe) >> >>"
	};
	info = extract_objstm(dir, "/Outlines 6 0 R", NULL, outline_launch, 2, 0);
	EXPECT(info.launch_action && !info.javascript);
	pdf_info_clear(&info);

	/* A link annotation in the object stream: poppler's page walk. */
	static const char *const link[] = {
		"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
		"/A << /S /Java#53cript /J#53 (app.alert(4)) >> >>"
	};
	info = extract_objstm(dir, NULL, "/Annots [6 0 R]", link, 1, 0);
	EXPECT(info.javascript);
	pdf_info_clear(&info);
	rm_dir(dir);
}

/* The object stream is inflated and scanned in chunks of 64 KiB: a name
 * cut by a chunk's end is still seen, wherever the cut falls in it, and
 * the byte after it, in the next chunk, still decides (/Launchy is no
 * /Launch). A launch action, since only this scan sees an /OpenAction
 * (and "/JavaScript" comes with a "/JS" after it, which would hide a
 * miss). */
TEST(object_stream_names_across_chunks)
{
	enum { CHUNK = 64 * 1024 };
	char *dir = unit_tmpdir();
	char *pdf = g_build_filename(dir, "cut.pdf", NULL);
	char *txt = g_build_filename(dir, "cut.txt", NULL);
	GString *plain = g_string_new(NULL);
	static const char *const names[] = { "/Launch ", "/Launchy " };
	for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
		char *action = g_strdup_printf("<< /S %s/F (calc.exe) >>", names[k]);
		for (int cut = 1; cut <= 8; cut++) {
			/* Padding (object 6, before the action, object 7) until
			 * the first chunk ends `cut` bytes into the name (7:
			 * right after "/Launch", the byte that decides being
			 * the next chunk's first). The offsets table grows with
			 * the padding: a few rounds. */
			gsize fill = CHUNK - 200;
			gssize off = -1, want = CHUNK - cut;
			for (int round = 0; round < 8 && off != want; round++) {
				fill += off < 0 ? 0 : (gsize)(want - off);
				char *filler = g_strnfill(fill, 'x');
				char *padding = g_strdup_printf("(%s)", filler);
				const char *extra[] = { padding, action };
				objstm_pdf(pdf, "/OpenAction 7 0 R", NULL, extra, 2, 0, plain);
				off = strstr(plain->str, "/Launch") - plain->str;
				g_free(filler);
				g_free(padding);
			}
			EXPECT(off == want);
			pdf_info info;
			GError *err = NULL;
			EXPECT(pdf_extract(pdf, txt, &info, &err));
			g_clear_error(&err);
			if (info.launch_action != (k == 0))
				fprintf(stderr, "  %s cut after %d bytes: launch_action %d\n", names[k], cut,
				        info.launch_action);
			EXPECT(info.launch_action == (k == 0));
			pdf_info_clear(&info);
		}
		g_free(action);
	}
	g_string_free(plain, TRUE);
	g_free(pdf);
	g_free(txt);
	rm_dir(dir);
}

/* The scan of object streams is bounded (it runs on hostile input): a
 * stream named /ObjStm that inflates to 320 MiB of zeros, more than the
 * whole budget, is left after its first few megabytes, quickly, and the
 * real object stream behind it is still scanned. */
TEST(object_stream_bomb_bounded)
{
	char *dir = unit_tmpdir();
	static const char *const open_js[] = { "<< /S /JavaScript /JS (app.alert(5)) >>" };
	gint64 t0 = g_get_monotonic_time();
	pdf_info info = extract_objstm(dir, "/OpenAction 6 0 R", NULL, open_js, 1, 320u << 20);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	EXPECT(info.javascript);
	if (ms > 20000)
		fprintf(stderr, "  extraction took %" G_GINT64_FORMAT " ms\n", ms);
	EXPECT(ms <= 20000);
	pdf_info_clear(&info);
	rm_dir(dir);
}

/* ---- stamping ------------------------------------------------------------------ */

/* The access copy as ingest packs it: pdf's bytes, then pdf_stamp's
 * update (poppler's save, when it takes one, goes beside out). */
static bool stamp_to(const char *pdf, const char *out, const pdf_stamp_meta *meta, GError **err)
{
	char *dir = g_path_get_dirname(out);
	GBytes *update = pdf_stamp(pdf, dir, meta, err);
	g_free(dir);
	if (!update)
		return false;
	gsize la = 0, lb = 0;
	char *a = read_all(pdf, &la);
	const void *b = g_bytes_get_data(update, &lb);
	char *both = g_malloc(la + lb + 1);
	memcpy(both, a, la);
	memcpy(both + la, b, lb);
	write_file(out, both, la + lb);
	g_free(both);
	g_free(a);
	g_bytes_unref(update);
	return true;
}

static bool file_is_prefix(const char *orig, const char *copy)
{
	gsize la = 0, lb = 0;
	char *a = read_all(orig, &la), *b = read_all(copy, &lb);
	bool ok = a && b && lb > la && memcmp(a, b, la) == 0;
	g_free(a);
	g_free(b);
	return ok;
}

static PopplerDocument *reopen(const char *path)
{
	char *abs = g_canonicalize_filename(path, NULL);
	char *uri = g_filename_to_uri(abs, NULL, NULL);
	PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
	g_free(uri);
	g_free(abs);
	return doc;
}

TEST(stamp_fills_empty_fields)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(EN);
	char *out = g_build_filename(dir, "access.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(1), "Korea Unveils National Quantum Strategy for 2035",
	                        "Ministry of Science and ICT" };
	GError *err = NULL;
	EXPECT(stamp_to(pdf, out, &meta, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	EXPECT(file_is_prefix(pdf, out));
	EXPECT_INT(dir_entries(dir), 1); /* no temporary file left */
	PopplerDocument *doc = reopen(out);
	EXPECT(doc != NULL);
	if (doc) {
		char *k = poppler_document_get_keywords(doc);
		char *t = poppler_document_get_title(doc);
		char *a = poppler_document_get_author(doc);
		EXPECT_STR(k, "KOGL-Type-1; Korea Open Government License Type 1: Source Indication; "
		              "공공누리 제1유형: 출처표시; https://www.kogl.or.kr/info/licenseType1.do");
		EXPECT_STR(t, "Korea Unveils National Quantum Strategy for 2035");
		EXPECT_STR(a, "Ministry of Science and ICT");
		EXPECT_INT(poppler_document_get_n_pages(doc), 1);
		g_free(k);
		g_free(t);
		g_free(a);
		g_object_unref(doc);
	}
	/* The access copy extracts like the original. */
	char *txt = g_build_filename(dir, "access.txt", NULL);
	pdf_info info;
	EXPECT(pdf_extract(out, txt, &info, &err));
	g_clear_error(&err);
	EXPECT_STR(info.creation_date, "2024-06-03T10:00:00Z");
	pdf_info_clear(&info);
	unlink(txt);
	g_free(txt);
	g_free(pdf);
	g_free(out);
	rm_dir(dir);
}

TEST(stamp_keeps_existing_fields)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(MSIT);
	char *out = g_build_filename(dir, "access.pdf", NULL);
	char *out2 = g_build_filename(dir, "access2.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(4), "Another title", "Another organisation" };
	GError *err = NULL;
	EXPECT(stamp_to(pdf, out, &meta, &err));
	g_clear_error(&err);
	EXPECT(file_is_prefix(pdf, out));
	PopplerDocument *doc = reopen(out);
	EXPECT(doc != NULL);
	if (doc) {
		char *k = poppler_document_get_keywords(doc);
		char *t = poppler_document_get_title(doc);
		char *a = poppler_document_get_author(doc);
		EXPECT_STR(k, "AI; digital diplomacy; KOGL-Type-4; Korea Open Government License Type 4: "
		              "Source Indication + Commercial Use Prohibition + Change Prohibition; "
		              "공공누리 제4유형: 출처표시+상업적 이용금지+변경금지; "
		              "https://www.kogl.or.kr/info/licenseType4.do");
		EXPECT_STR(t, MSIT_TITLE);
		EXPECT_STR(a, "Ministry of Science and ICT");
		g_free(k);
		g_free(t);
		g_free(a);
		g_object_unref(doc);
	}
	/* Same input, same access copy: poppler's appended trailer carries no
	 * time here (cairo writes no /ID, so poppler makes none). */
	EXPECT(stamp_to(pdf, out2, &meta, &err));
	g_clear_error(&err);
	gsize l1 = 0, l2 = 0;
	char *b1 = read_all(out, &l1), *b2 = read_all(out2, &l2);
	EXPECT(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0);
	g_free(b1);
	g_free(b2);

	/* Stamping a stamped copy again adds no second licence. */
	char *out3 = g_build_filename(dir, "access3.pdf", NULL);
	EXPECT(stamp_to(out, out3, &meta, &err));
	g_clear_error(&err);
	doc = reopen(out3);
	if (doc) {
		char *k = poppler_document_get_keywords(doc);
		EXPECT_STR(k, "AI; digital diplomacy; KOGL-Type-4; Korea Open Government License Type 4: "
		              "Source Indication + Commercial Use Prohibition + Change Prohibition; "
		              "공공누리 제4유형: 출처표시+상업적 이용금지+변경금지; "
		              "https://www.kogl.or.kr/info/licenseType4.do");
		g_free(k);
		g_object_unref(doc);
	}
	g_free(out3);
	g_free(pdf);
	g_free(out);
	g_free(out2);
	rm_dir(dir);
}

TEST(stamp_korean_title_kept)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(KO);
	char *out = g_build_filename(dir, "access.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(1), "무시되는 제목", NULL };
	GError *err = NULL;
	EXPECT(stamp_to(pdf, out, &meta, &err));
	g_clear_error(&err);
	EXPECT(file_is_prefix(pdf, out));
	PopplerDocument *doc = reopen(out);
	if (doc) {
		char *t = poppler_document_get_title(doc);
		char *a = poppler_document_get_author(doc);
		EXPECT_STR(t, KO_TITLE);
		EXPECT(a == NULL || *a == '\0'); /* no organisation given */
		g_free(t);
		g_free(a);
		g_object_unref(doc);
	}
	g_free(pdf);
	g_free(out);
	rm_dir(dir);
}

/* A PDF whose cross-reference table points nowhere: poppler repairs it to
 * open it, and its save does not append to the original bytes. */
TEST(stamp_refuses_repaired_pdf)
{
	char *dir = unit_tmpdir();
	char *src = fixture_pdf(MSIT);
	gsize len = 0;
	char *data = read_all(src, &len);
	char *sx = NULL; /* the last "startxref" (the data holds NULs) */
	for (char *q = data; q && (q = memmem(q, len - (gsize)(q - data), "startxref\n", 10)); q++)
		sx = q;
	EXPECT(sx != NULL);
	if (sx)
		memcpy(sx + 10, "99", 2); /* a wrong offset of the same length */
	char *pdf = g_build_filename(dir, "broken.pdf", NULL);
	write_file(pdf, data, len);
	char *out = g_build_filename(dir, "access.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(1), MSIT_TITLE, NULL };
	GError *err = NULL;
	bool ok = stamp_to(pdf, out, &meta, &err);
	if (ok) {
		/* Should poppler ever append after a repair, the copy must still
		 * hold the original as its prefix. */
		EXPECT(file_is_prefix(pdf, out));
	} else {
		EXPECT(err && strstr(err->message, "cross-reference table had to be rebuilt"));
		EXPECT(access(out, F_OK) != 0);
		EXPECT_INT(dir_entries(dir), 1); /* only broken.pdf */
	}
	if (err)
		fprintf(stderr, "repaired PDF: %s\n", err->message);
	g_clear_error(&err);

	/* Damaged beyond repair: the open error, no copy. */
	unlink(out);
	write_file(pdf, data, len / 2);
	EXPECT(!stamp_to(pdf, out, &meta, &err));
	EXPECT(err && strstr(err->message, "damaged or truncated"));
	EXPECT(access(out, F_OK) != 0);
	g_clear_error(&err);

	g_free(data);
	g_free(src);
	g_free(pdf);
	g_free(out);
	rm_dir(dir);
}

/* ---- the update written by hand (pdf/update.c) ------------------------------ */

/* qpdf with these arguments exits 0 (qpdf --check: 3 is "warnings"). */
static bool qpdf_ok(const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *argv[] = { "qpdf", a1, a2, a3, a4, NULL };
	int status = 0;
	GError *e = NULL;
	gchar *out = NULL, *errout = NULL;
	bool ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
	                       &errout, &status, &e) &&
	          g_spawn_check_wait_status(status, NULL);
	if (!ok)
		fprintf(stderr, "qpdf %s %s: %s%s%s\n", a1, a2 ? a2 : "", e ? e->message : "",
		        out ? out : "", errout ? errout : "");
	g_clear_error(&e);
	g_free(out);
	g_free(errout);
	return ok;
}

static const pdf_info_fields HAND = { "KOGL-Type-1; 공공누리 제1유형: 출처표시; "
	                              "https://www.kogl.or.kr/info/licenseType1.do",
	                              "손으로 쓴 제목 (a title)", NULL };

/*
 * pdf_info_update of src must give an update that qpdf checks clean and
 * poppler reads: HAND's fields, the rest of the document information as
 * it was, the same pages. Returns the update (NULL after EXPECT failed).
 */
static GByteArray *check_update(const char *src, const char *out)
{
	gsize len = 0;
	char *orig = read_all(src, &len);
	const char *why = NULL;
	GByteArray *u = pdf_info_update((const guint8 *)orig, len, &HAND, &why);
	EXPECT(u != NULL);
	if (!u) {
		fprintf(stderr, "%s: %s\n", src, why);
		g_free(orig);
		return NULL;
	}
	GString *all = g_string_new_len(orig, (gssize)len);
	g_string_append_len(all, (const char *)u->data, u->len);
	write_file(out, all->str, all->len);
	g_string_free(all, TRUE);
	EXPECT(qpdf_ok("--check", out, NULL, NULL));
	PopplerDocument *a = reopen(src), *b = reopen(out);
	EXPECT(a && b);
	if (a && b) {
		char *k = poppler_document_get_keywords(b), *t = poppler_document_get_title(b);
		EXPECT_STR(k, HAND.keywords);
		EXPECT_STR(t, HAND.title);
		g_free(k);
		g_free(t);
		char *(*same[])(PopplerDocument *) = { poppler_document_get_author,
			                               poppler_document_get_creator,
			                               poppler_document_get_producer,
			                               poppler_document_get_subject };
		for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
			char *x = same[i](a), *y = same[i](b);
			EXPECT(g_strcmp0(x, y) == 0);
			g_free(x);
			g_free(y);
		}
		EXPECT(poppler_document_get_creation_date(a) == poppler_document_get_creation_date(b));
		EXPECT_INT(poppler_document_get_n_pages(a), poppler_document_get_n_pages(b));
	}
	if (a)
		g_object_unref(a);
	if (b)
		g_object_unref(b);
	g_free(orig);
	return u;
}

/* Classic cross-reference tables: cairo's, with and without an Info
 * dictionary, a Korean one, and qpdf's linearized rewrite (the last
 * startxref pointing at the first page's section, /Prev at the main). */
TEST(update_by_hand_tables)
{
	char *dir = unit_tmpdir();
	const char *names[] = { EN, MSIT, KO };
	char *out = g_build_filename(dir, "out.pdf", NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *src = fixture_pdf(names[i]);
		GByteArray *u = check_update(src, out);
		/* A table section after a table, as the original's trailer. */
		EXPECT(u && g_strstr_len((const char *)u->data, u->len, "\ntrailer\n<< /Size "));
		if (u)
			g_byte_array_unref(u);
		/* The same input, the same bytes. */
		GByteArray *u2 = check_update(src, out);
		GByteArray *u3 = check_update(src, out);
		EXPECT(u2 && u3 && u2->len == u3->len && memcmp(u2->data, u3->data, u2->len) == 0);
		if (u2)
			g_byte_array_unref(u2);
		if (u3)
			g_byte_array_unref(u3);
		g_free(src);
	}
	char *bare = g_build_filename(dir, "bare.pdf", NULL);
	mini_simple(bare, NULL, NULL); /* no /Info at all: a new object 6 */
	GByteArray *u = check_update(bare, out);
	EXPECT(u && u->len > 8 && memcmp(u->data, "6 0 obj\n", 8) == 0);
	if (u)
		g_byte_array_unref(u);
	char *src = fixture_pdf(EN), *lin = g_build_filename(dir, "lin.pdf", NULL);
	EXPECT(qpdf_ok("--static-id", "--linearize", src, lin));
	u = check_update(lin, out);
	if (u)
		g_byte_array_unref(u);
	g_free(lin);
	g_free(src);
	g_free(bare);
	g_free(out);
	rm_dir(dir);
}

/* PNG "Up" rows of w bytes each, deflated. */
static GByteArray *png_up_deflated(const guint8 *rows, gsize n, gsize w)
{
	GByteArray *raw = g_byte_array_new();
	for (gsize r = 0; r < n; r++) {
		guint8 tag = 2;
		g_byte_array_append(raw, &tag, 1);
		for (gsize c = 0; c < w; c++) {
			guint8 v = (guint8)(rows[r * w + c] - (r ? rows[(r - 1) * w + c] : 0));
			g_byte_array_append(raw, &v, 1);
		}
	}
	uLongf zlen = compressBound(raw->len);
	GByteArray *z = g_byte_array_sized_new((guint)zlen);
	g_byte_array_set_size(z, (guint)zlen);
	EXPECT(compress(z->data, &zlen, raw->data, raw->len) == Z_OK);
	g_byte_array_set_size(z, (guint)zlen);
	g_byte_array_unref(raw);
	return z;
}

/* Cross-reference streams: one deflated with a PNG predictor, as Word and
 * most writers since PDF 1.5 make them, appended to a mini PDF; qpdf's
 * rewrite with object streams, whose Info is in one (left to poppler),
 * then poppler's own update of it (a stream section with Info at an
 * offset), stamped again by hand. */
TEST(update_by_hand_streams)
{
	char *dir = unit_tmpdir();
	char *base = g_build_filename(dir, "base.pdf", NULL);
	char *xs = g_build_filename(dir, "xs.pdf", NULL);
	char *out = g_build_filename(dir, "out.pdf", NULL);
	mini_simple(base, NULL, NULL);
	gsize len = 0;
	char *orig = read_all(base, &len);
	const char *tail = g_strrstr(orig, "startxref\n");
	EXPECT(tail != NULL);
	unsigned long prev = tail ? strtoul(tail + 10, NULL, 10) : 0;
	GString *s = g_string_new_len(orig, (gssize)len);
	gsize info_at = s->len;
	g_string_append(s, "7 0 obj\n<< /Producer (hand \\(made\\)) /Creator <48616E64> >>\nendobj\n");
	gsize xs_at = s->len;
	/* W [1 2 1]: objects 7 and 8 (this stream), type 1. */
	guint8 rows[8] = { 1, (guint8)(info_at >> 8), (guint8)info_at, 0,
		           1, (guint8)(xs_at >> 8),   (guint8)xs_at,   0 };
	EXPECT(xs_at < 65536);
	GByteArray *z = png_up_deflated(rows, 2, 4);
	g_string_append_printf(s,
	                       "8 0 obj\n<< /Type /XRef /Size 9 /W [1 2 1] /Index [7 2] /Root 1 0 R "
	                       "/Info 7 0 R /Prev %lu /Filter /FlateDecode /DecodeParms << "
	                       "/Predictor 12 /Columns 4 >> /Length %u >>\nstream\n",
	                       prev, z->len);
	g_string_append_len(s, (const char *)z->data, z->len);
	g_string_append_printf(s, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xs_at);
	write_file(xs, s->str, s->len);
	EXPECT(qpdf_ok("--check", xs, NULL, NULL));
	GByteArray *u = check_update(xs, out);
	EXPECT(u && g_strstr_len((const char *)u->data, u->len, "/Type /XRef"));
	PopplerDocument *d = reopen(out);
	char *producer = d ? poppler_document_get_producer(d) : NULL;
	EXPECT_STR(producer, "hand (made)");
	g_free(producer);
	if (d)
		g_object_unref(d);
	if (u)
		g_byte_array_unref(u);

	/* qpdf puts Info in an object stream: not for this writer. */
	char *src = fixture_pdf(EN), *objstm = g_build_filename(dir, "objstm.pdf", NULL);
	EXPECT(qpdf_ok("--static-id", "--object-streams=generate", src, objstm));
	gsize olen = 0;
	char *ob = read_all(objstm, &olen);
	const char *why = NULL;
	EXPECT(pdf_info_update((const guint8 *)ob, olen, &HAND, &why) == NULL);
	EXPECT(why && strstr(why, "object stream"));
	/* pdf_stamp then saves with poppler, which appends a stream section. */
	char *stamped = g_build_filename(dir, "stamped.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(1), "Title", "Org" };
	GError *err = NULL;
	EXPECT(stamp_to(objstm, stamped, &meta, &err));
	g_clear_error(&err);
	EXPECT(file_is_prefix(objstm, stamped));
	u = check_update(stamped, out);
	if (u)
		g_byte_array_unref(u);

	g_free(stamped);
	g_free(ob);
	g_free(objstm);
	g_free(src);
	g_byte_array_unref(z);
	g_string_free(s, TRUE);
	g_free(orig);
	g_free(base);
	g_free(xs);
	g_free(out);
	rm_dir(dir);
}

/* What this writer leaves to poppler: NULL and a reason, never a crash
 * (the tail of a real PDF mangled byte by byte, under ASan in CI). */
TEST(update_by_hand_refuses)
{
	char *dir = unit_tmpdir();
	char *enc = g_build_filename(dir, "enc.pdf", NULL);
	mini_encrypted(enc, true);
	gsize len = 0;
	char *b = read_all(enc, &len);
	const char *why = NULL;
	EXPECT(pdf_info_update((const guint8 *)b, len, &HAND, &why) == NULL);
	EXPECT(why && strstr(why, "encrypted"));
	g_free(b);

	char *src = fixture_pdf(MSIT);
	b = read_all(src, &len);
	EXPECT(pdf_info_update((const guint8 *)b, len / 2, &HAND, &why) == NULL);
	EXPECT(why && strstr(why, "startxref"));
	EXPECT(pdf_info_update((const guint8 *)b, 0, &HAND, &why) == NULL);
	/* A trailer whose /Prev is itself: refused, not followed for ever. */
	GString *loop = g_string_new_len(b, (gssize)len);
	gsize at = loop->len;
	g_string_append_printf(loop, "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 30 /Root 1 0 R "
	                             "/Info 999 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", at, at);
	EXPECT(pdf_info_update((const guint8 *)loop->str, loop->len, &HAND, &why) == NULL);
	EXPECT(why && strstr(why, "/Prev"));
	g_string_free(loop, TRUE);
	/* Not UTF-8: refused. */
	pdf_info_fields bad = { "\xff\xfe", NULL, NULL };
	EXPECT(pdf_info_update((const guint8 *)b, len, &bad, &why) == NULL);

	/* Every byte of the last 600 changed, one at a time, to each of a few
	 * values that matter to the lexer. */
	const guint8 vals[] = { 0, '(', ')', '<', '>', '[', ']', '/', '%', '\\', '9', 'R', ' ' };
	guint8 *m = g_memdup2(b, len);
	unsigned made = 0;
	for (gsize i = len > 600 ? len - 600 : 0; i < len; i++)
		for (size_t v = 0; v < sizeof vals; v++) {
			guint8 keep = m[i];
			m[i] = vals[v];
			GByteArray *u = pdf_info_update(m, len, &HAND, &why);
			made += u != NULL;
			if (u)
				g_byte_array_unref(u);
			m[i] = keep;
		}
	EXPECT(made > 0); /* most changes fall in strings or leave a valid file */
	g_free(m);
	g_free(b);
	g_free(src);
	g_free(enc);
	rm_dir(dir);
}

/* pdf_stamp takes the hand-written update where it can: exactly
 * pdf_info_update's bytes follow the original. */
TEST(stamp_writes_the_update_itself)
{
	char *dir = unit_tmpdir();
	char *src = fixture_pdf(EN), *out = g_build_filename(dir, "access.pdf", NULL);
	pdf_stamp_meta meta = { kogl_get(1), "Korea Unveils National Quantum Strategy for 2035",
	                        "Ministry of Science and ICT" };
	GError *err = NULL;
	EXPECT(stamp_to(src, out, &meta, &err));
	g_clear_error(&err);
	gsize l1 = 0, l2 = 0;
	char *a = read_all(src, &l1), *b = read_all(out, &l2);
	pdf_info_fields f = { "KOGL-Type-1; Korea Open Government License Type 1: Source Indication; "
		              "공공누리 제1유형: 출처표시; https://www.kogl.or.kr/info/licenseType1.do",
		              meta.title, meta.organisation };
	const char *why = NULL;
	GByteArray *u = pdf_info_update((const guint8 *)a, l1, &f, &why);
	EXPECT(u && l2 == l1 + u->len && memcmp(b, a, l1) == 0 && memcmp(b + l1, u->data, u->len) == 0);
	EXPECT(qpdf_ok("--check", out, NULL, NULL));
	if (u)
		g_byte_array_unref(u);
	g_free(a);
	g_free(b);
	g_free(src);
	g_free(out);
	rm_dir(dir);
}

/* The way ingest runs it: in a worker, the facts back through the wire. */
typedef struct {
	const char *pdf, *txt;
} extract_job;

static bool run_extract(void *arg, GVariantDict *result, GError **err)
{
	const extract_job *job = arg;
	pdf_info info;
	if (!pdf_extract(job->pdf, job->txt, &info, err))
		return false;
	pdf_info_to_dict(&info, result);
	pdf_info_clear(&info);
	return true;
}

TEST(extract_in_worker)
{
	char *dir = unit_tmpdir();
	char *pdf = fixture_pdf(KO);
	char *txt = g_build_filename(dir, "w.txt", NULL);
	extract_job job = { pdf, txt };
	worker_limits lim;
	worker_limits_default(&lim);
	lim.timeout_seconds = 60;
	GVariantDict *kf = NULL;
	GError *err = NULL;
	EXPECT(worker_run(&lim, run_extract, &job, &kf, &err));
	if (err)
		fprintf(stderr, "%s\n", err->message);
	g_clear_error(&err);
	pdf_info info = { 0 };
	EXPECT(kf && pdf_info_from_dict(&info, kf));
	EXPECT_STR(info.title, KO_TITLE);
	EXPECT_INT(info.pages, 1);
	EXPECT(info.chars_per_page && info.chars_per_page->len == 1 &&
	       g_array_index(info.chars_per_page, guint, 0) == info.text_chars);
	pdf_info_clear(&info);
	if (kf)
		g_variant_dict_unref(kf);

	/* A damaged PDF: the reason crosses the process boundary intact. */
	char *half = g_build_filename(dir, "half.pdf", NULL);
	gsize len = 0;
	char *data = read_all(pdf, &len);
	write_file(half, data, len / 2);
	job.pdf = half;
	kf = NULL;
	EXPECT(!worker_run(&lim, run_extract, &job, &kf, &err));
	EXPECT(err && g_str_has_prefix(err->message, half) &&
	       strstr(err->message, ": damaged or truncated (poppler: "));
	g_clear_error(&err);
	g_free(data);
	g_free(half);
	g_free(pdf);
	g_free(txt);
	rm_dir(dir);
}

/* ---- the wire and the header ---------------------------------------------------- */

TEST(info_wire_round_trip)
{
	pdf_info a = { 0 }, b = { 0 };
	a.pages = 3;
	a.pdf_version = g_strdup("1.7");
	a.producer = g_strdup("Hancom PDF 1.3.0.542");
	a.creator = g_strdup("Hwp 2022 12.0.0.1\n[x] = ;#");
	a.creation_date = g_strdup("2024-05-10T09:00:00Z");
	a.title = g_strdup("공공누리 제목");
	a.author = NULL;
	a.keywords = g_strdup("a; b");
	a.pdfa = g_strdup("PDF/A-1b");
	a.encrypted = true;
	a.text_chars = 5000000000ull;
	a.chars_per_page = g_array_new(FALSE, FALSE, sizeof(guint));
	guint v[3] = { 10, 0, 4000 };
	g_array_append_vals(a.chars_per_page, v, 3);
	a.javascript = true;
	a.launch_action = false;
	a.embedded_files = true;

	GVariantDict *kf = g_variant_dict_new(NULL);
	pdf_info_to_dict(&a, kf);
	/* Through bytes, as between worker and parent. */
	GBytes *data = worker_dict_pack(kf);
	GVariantDict *kf2 = worker_dict_unpack(data, NULL);
	EXPECT(kf2 != NULL);
	EXPECT(kf2 && pdf_info_from_dict(&b, kf2));
	EXPECT_INT(b.pages, 3);
	EXPECT_STR(b.pdf_version, "1.7");
	EXPECT_STR(b.producer, a.producer);
	EXPECT_STR(b.creator, a.creator);
	EXPECT_STR(b.creation_date, a.creation_date);
	EXPECT_STR(b.title, a.title);
	EXPECT_STR(b.author, NULL);
	EXPECT_STR(b.keywords, "a; b");
	EXPECT_STR(b.pdfa, "PDF/A-1b");
	EXPECT(b.encrypted && b.javascript && !b.launch_action && b.embedded_files);
	EXPECT(b.text_chars == 5000000000ull);
	EXPECT(b.chars_per_page && b.chars_per_page->len == 3);
	if (b.chars_per_page && b.chars_per_page->len == 3) {
		EXPECT_INT(g_array_index(b.chars_per_page, guint, 0), 10);
		EXPECT_INT(g_array_index(b.chars_per_page, guint, 1), 0);
		EXPECT_INT(g_array_index(b.chars_per_page, guint, 2), 4000);
	}
	/* A dictionary without a page count is not a PDF's facts. */
	pdf_info e = { 0 };
	GVariantDict *other = g_variant_dict_new(NULL);
	worker_dict_put(other, "title", "x");
	EXPECT(!pdf_info_from_dict(&e, other));
	pdf_info_clear(&e);
	g_variant_dict_unref(other);
	/* Half a result is none. */
	GBytes *half = g_bytes_new_from_bytes(data, 0, g_bytes_get_size(data) / 2);
	GError *err = NULL;
	EXPECT(worker_dict_unpack(half, &err) == NULL && err);
	g_clear_error(&err);
	g_bytes_unref(half);

	/* No pages: an empty list survives too. */
	pdf_info c = { 0 }, d = { 0 };
	GVariantDict *kf3 = g_variant_dict_new(NULL);
	pdf_info_to_dict(&c, kf3);
	EXPECT(pdf_info_from_dict(&d, kf3));
	EXPECT(d.pages == 0 && d.chars_per_page && d.chars_per_page->len == 0);
	EXPECT(d.title == NULL && !d.encrypted);

	pdf_info_clear(&a);
	pdf_info_clear(&b);
	pdf_info_clear(&d);
	g_variant_dict_unref(kf);
	if (kf2)
		g_variant_dict_unref(kf2);
	g_variant_dict_unref(kf3);
	g_bytes_unref(data);
}

TEST(header_detection)
{
	char *dir = unit_tmpdir();
	char *p = g_build_filename(dir, "f.pdf", NULL);

	write_file(p, "junk\n%PDF-1.4\n%...", 18);
	EXPECT(pdf_has_header(p));
	write_file(p, "%PDF-1.7\n", 9);
	EXPECT(pdf_has_header(p));
	write_file(p, "<html>not a pdf</html>\n", 23);
	EXPECT(!pdf_has_header(p));
	write_file(p, "", 0);
	EXPECT(!pdf_has_header(p));
	write_file(p, "%PDF", 4);
	EXPECT(!pdf_has_header(p));

	/* Within the first 1024 bytes only. */
	char big[2048];
	memset(big, 'x', sizeof big);
	memcpy(big + 1019, "%PDF-", 5); /* ends at byte 1024: counts */
	write_file(p, big, sizeof big);
	EXPECT(pdf_has_header(p));
	memset(big, 'x', sizeof big);
	memcpy(big + 1020, "%PDF-", 5); /* straddles byte 1024: does not */
	write_file(p, big, sizeof big);
	EXPECT(!pdf_has_header(p));

	char *pdf = fixture_pdf(MSIT);
	EXPECT(pdf_has_header(pdf));
	/* Links, directories and missing files are never read. */
	char *link = g_build_filename(dir, "link.pdf", NULL);
	EXPECT(symlink(pdf, link) == 0);
	EXPECT(!pdf_has_header(link));
	EXPECT(!pdf_has_header(dir));
	char *missing = g_build_filename(dir, "missing.pdf", NULL);
	EXPECT(!pdf_has_header(missing));
	char *fifo = g_build_filename(dir, "fifo.pdf", NULL);
	EXPECT(mkfifo(fifo, 0600) == 0);
	EXPECT(!pdf_has_header(fifo)); /* and does not hang */

	g_free(pdf);
	g_free(link);
	g_free(missing);
	g_free(fifo);
	g_free(p);
	rm_dir(dir);
}

UNIT_MAIN(ascii_white_space_is_glibs, raw_scan_names_at_the_end, extract_msit_fixture, extract_korean_fixture, extract_truncated_garbage_empty,
          extract_password, extract_active_content, extract_active_content_in_object_streams,
          object_stream_names_across_chunks, object_stream_bomb_bounded, stamp_fills_empty_fields,
          stamp_keeps_existing_fields, stamp_korean_title_kept, stamp_refuses_repaired_pdf,
          update_by_hand_tables, update_by_hand_streams, update_by_hand_refuses,
          stamp_writes_the_update_itself, extract_in_worker, info_wire_round_trip, header_detection)
