/*
 * doc/hwp.c — the text and facts of an HWP 5 document (Hancom's
 * "한글 문서 파일 형식 5.0", revision 1.3, and its supplement on
 * distribution documents, revision 1.2).
 *
 * The file is a compound file (cfb.c). FileHeader gives the version and
 * the properties: compressed, password, distribution (배포용 문서), DRM,
 * KOGL. The text is in BodyText/Section0..N (a distribution document's in
 * ViewText/Section0..N), each a run of records, raw deflate when the file
 * is compressed, AES-128-ECB under a key hidden in the stream's first
 * record when it is a distribution document. A paragraph's characters
 * are its PARA_TEXT record; the paragraphs of tables, text boxes, headers
 * and footers are records of the same stream, nested by level, so reading
 * every PARA_TEXT in stream order keeps their text too, after the
 * paragraph that anchors them.
 *
 * Everything is streamed: a stream is read whole (cfb.c bounds it by
 * DOC_STREAM_MAX), decrypted in place, inflated a chunk at a time into
 * the record parser, which keeps no record in memory beyond a short
 * prefix: PARA_TEXT goes to the text sink as it comes. So a record's
 * declared size never causes an allocation, and inflation is bounded by
 * DOC_INFLATED_MAX for the file and DOC_INFLATE_RATIO for each stream.
 *
 * Active content: scripts are in the Scripts storage. Every file Hancom
 * writes carries Scripts/JScriptVersion and a DefaultJScript holding
 * only a skeleton: the header "var Documents = XHwpDocuments; var
 * Document = Documents.Active_XHwpDocument;" and empty event handlers
 * ("function OnDocument_New() { }"). What is left after taking those away
 * (with comments and white space) is a script; so is anything we cannot
 * read, or a quote, or any other stream in Scripts. Embedded objects:
 * a BIN_DATA record of type STORAGE (OLE) or of type EMBEDDING with the
 * extension "ole", a BinData entry named *.OLE, or a SHAPE_COMPONENT_OLE
 * record in a section.
 */
#include "reader.h"
#include "cfb.h"
#include "core/errors.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <zlib.h>

/* Record tags (spec 4.1, 4.2, 4.3). */
#define HWPTAG_BEGIN 0x010
#define TAG_BIN_DATA (HWPTAG_BEGIN + 2)
#define TAG_DISTRIBUTE_DOC_DATA (HWPTAG_BEGIN + 12)
#define TAG_PARA_TEXT (HWPTAG_BEGIN + 51)
#define TAG_SHAPE_COMPONENT (HWPTAG_BEGIN + 60)
#define TAG_SHAPE_COMPONENT_OLE (HWPTAG_BEGIN + 68)

/* FileHeader properties (spec table 3). */
#define FH_COMPRESSED (1u << 0)
#define FH_PASSWORD (1u << 1)
#define FH_DISTRIBUTION (1u << 2)
#define FH_DRM (1u << 4)
#define FH_CERT_ENCRYPTED (1u << 8)
#define FH_CERT_DRM (1u << 10)
#define FH_KOGL (1u << 15)

#define CHID(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#define PREFIX_MAX 64               /* bytes of a record kept for its handler */
#define SCRIPT_MAX ((size_t)1 << 20) /* DefaultJScript inflated; beyond: not the default */
#define INFLATE_CHUNK 65536

typedef struct {
	cfb *c;
	doc_text *t;
	doc_info *info;
	uint64_t inflated; /* all streams together */
	uint32_t records;  /* all streams together */
} hwp;

/* Where a stream's decoded bytes go: the record parser or a buffer. */
typedef bool (*sink_fn)(void *ctx, const uint8_t *p, size_t n, GError **err);

/* ---- records ---- */

typedef struct recs recs;
struct recs {
	hwp *h;
	const char *what;       /* "section 3", "DocInfo" */
	uint8_t head[8];
	unsigned head_len, head_need;
	bool in_body;
	uint32_t tag;
	uint64_t left;          /* bytes of the record's body still to come */
	uint8_t prefix[PREFIX_MAX];
	unsigned prefix_len;
	void (*on_record)(recs *r); /* at each record's end, with its prefix */
	/* PARA_TEXT, decoded as it comes */
	uint8_t odd;
	bool has_odd;
	unsigned skip;          /* units of an inline or extended control still to skip */
	uint8_t units[4096];    /* UTF-16LE not yet given to the sink */
	size_t n_bytes;
	bool para_open;         /* the paragraph has text */
};

static bool flush_units(recs *r, bool all, GError **err)
{
	size_t n = r->n_bytes;
	/* A high surrogate waits for its low half in the next chunk. */
	if (!all && n >= 2 && (doc_le16(r->units + n - 2) & 0xFC00) == 0xD800)
		n -= 2;
	if (n && !doc_text_add_utf16le(r->h->t, r->units, n / 2, err))
		return false;
	memmove(r->units, r->units + n, r->n_bytes - n);
	r->n_bytes -= n;
	return true;
}

static bool put_unit(recs *r, uint16_t u, GError **err)
{
	if (r->n_bytes + 2 > sizeof r->units && !flush_units(r, false, err))
		return false;
	r->units[r->n_bytes++] = (uint8_t)(u & 0xFF);
	r->units[r->n_bytes++] = (uint8_t)(u >> 8);
	r->para_open = true;
	return true;
}

/* A paragraph without text (one holding only a table's anchor, or
 * empty) writes no line. */
static bool end_line(recs *r, GError **err)
{
	if (!flush_units(r, true, err))
		return false;
	if (!r->para_open)
		return true;
	r->para_open = false;
	return doc_text_end_paragraph(r->h->t, err);
}

/*
 * One UTF-16 unit of PARA_TEXT. Codes 0-31 are controls (spec table 6):
 * a char control is one unit; inline and extended controls are eight,
 * the code, six units of data or a pointer, the code again.
 */
static bool text_unit(recs *r, uint16_t u, GError **err)
{
	if (r->skip) {
		r->skip--;
		return true;
	}
	if (u >= 32)
		return put_unit(r, u, err);
	switch (u) {
	case 9: /* tab: inline */
		r->skip = 7;
		return put_unit(r, '\t', err);
	case 10: /* line break */
	case 13: /* paragraph end */
		return end_line(r, err);
	case 24: /* hyphen */
		return put_unit(r, '-', err);
	case 30: /* non-breaking space */
	case 31: /* fixed-width space */
		return put_unit(r, ' ', err);
	case 0:
	case 25: case 26: case 27: case 28: case 29: /* reserved char controls */
		return true;
	default: /* inline 4-8, 19-20; extended 1-3, 11-12, 14-18, 21-23 */
		r->skip = 7;
		return true;
	}
}

static bool text_bytes(recs *r, const uint8_t *p, size_t n, GError **err)
{
	size_t i = 0;
	if (r->has_odd && n) {
		uint8_t pair[2] = { r->odd, p[0] };
		r->has_odd = false;
		i = 1;
		if (!text_unit(r, doc_le16(pair), err))
			return false;
	}
	for (; i + 1 < n; i += 2)
		if (!text_unit(r, doc_le16(p + i), err))
			return false;
	if (i < n) {
		r->odd = p[i];
		r->has_odd = true;
	}
	return true;
}

static bool record_start(recs *r, GError **err)
{
	uint32_t v = doc_le32(r->head);
	r->tag = v & 0x3FF;
	r->left = v >> 20;
	if (r->left == 0xFFF)
		r->left = doc_le32(r->head + 4);
	if (++r->h->records > DOC_RECORDS_MAX) {
		doc_fail(err, "limit: more than %u records", DOC_RECORDS_MAX);
		return false;
	}
	r->in_body = true;
	r->prefix_len = 0;
	r->skip = 0;
	r->has_odd = false;
	return true;
}

static void record_end(recs *r)
{
	if (r->on_record)
		r->on_record(r);
	r->in_body = false;
	r->head_len = 0;
	r->head_need = 4;
}

/* The record parser as a sink: bytes in any chunks. */
static bool recs_feed(void *ctx, const uint8_t *p, size_t n, GError **err)
{
	recs *r = ctx;
	while (n) {
		if (!r->in_body) {
			r->head[r->head_len++] = *p++;
			n--;
			if (r->head_len == 4 && doc_le32(r->head) >> 20 == 0xFFF)
				r->head_need = 8; /* the size follows as a DWORD */
			if (r->head_len < r->head_need)
				continue;
			if (!record_start(r, err))
				return false;
			if (r->left == 0)
				record_end(r);
			continue;
		}
		size_t k = n < r->left ? n : (size_t)r->left;
		if (r->prefix_len < PREFIX_MAX) {
			size_t c = MIN(k, (size_t)(PREFIX_MAX - r->prefix_len));
			memcpy(r->prefix + r->prefix_len, p, c);
			r->prefix_len += (unsigned)c;
		}
		if (r->tag == TAG_PARA_TEXT && !text_bytes(r, p, k, err))
			return false;
		p += k;
		n -= k;
		r->left -= k;
		if (r->left == 0)
			record_end(r);
	}
	return true;
}

static bool recs_finish(recs *r, GError **err)
{
	if (r->in_body || r->head_len) {
		doc_fail(err, "damaged: %s: a record runs %" G_GUINT64_FORMAT " bytes past the end of the stream",
		         r->what, r->in_body ? r->left : (uint64_t)(r->head_need - r->head_len));
		return false;
	}
	return end_line(r, err);
}

static void recs_init(recs *r, hwp *h, const char *what, void (*on_record)(recs *))
{
	memset(r, 0, sizeof *r);
	r->h = h;
	r->what = what;
	r->head_need = 4;
	r->on_record = on_record;
}

/* ---- a stream's bytes: decrypted, inflated ---- */

/* MSVC's rand(), which the supplement's key derivation is defined by. */
static uint32_t msvc_rand(uint32_t *state)
{
	*state = *state * 214013u + 2531011u;
	return (*state >> 16) & 0x7FFF;
}

/*
 * The AES key of a distribution document's stream (supplement, 2.1-2.4):
 * seed the generator with the data's first 4 bytes; fill 256 bytes with
 * values (odd calls, & 0xFF) each repeated (even calls, & 0x0F, + 1)
 * times; XOR them over the data; the hash code starts (seed & 0x0F) + 4
 * bytes in, and its first 16 bytes are the key.
 */
static void distribution_key(const uint8_t data[256], uint8_t key[16])
{
	uint8_t arr[256];
	uint32_t seed = doc_le32(data), state = seed;
	for (size_t i = 0; i < sizeof arr;) {
		uint8_t a = (uint8_t)(msvc_rand(&state) & 0xFF);
		unsigned b = (msvc_rand(&state) & 0x0F) + 1;
		for (unsigned k = 0; k < b && i < sizeof arr; k++)
			arr[i++] = a;
	}
	size_t off = (seed & 0x0F) + 4;
	for (size_t i = 0; i < 16; i++)
		key[i] = data[off + i] ^ arr[off + i];
}

/* Decrypt in place what follows the DISTRIBUTE_DOC_DATA record; *p and
 * *n become the plain text (whole blocks: a partial last block, which no
 * encrypter writes, is left out). */
static bool decrypt(const char *what, uint8_t **p, size_t *n, GError **err)
{
	uint8_t *d = *p;
	if (*n < 4 + 256 || (doc_le32(d) & 0x3FF) != TAG_DISTRIBUTE_DOC_DATA || doc_le32(d) >> 20 != 256) {
		doc_fail(err, "damaged: %s does not begin with the distribution document's key record", what);
		return false;
	}
	uint8_t key[16];
	distribution_key(d + 4, key);
	uint8_t *body = d + 260;
	size_t len = (*n - 260) / 16 * 16;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, fin = 0;
	bool ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) == 1 &&
	          EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 && len <= INT_MAX &&
	          EVP_DecryptUpdate(ctx, body, &outl, body, (int)len) == 1 &&
	          EVP_DecryptFinal_ex(ctx, body + outl, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		doc_fail(err, "damaged: %s cannot be decrypted", what);
		return false;
	}
	*p = body;
	*n = len;
	return true;
}

static bool inflate_into(hwp *h, const char *what, const uint8_t *in, size_t n, sink_fn sink,
                         void *ctx, GError **err)
{
	z_stream z = { 0 };
	if (inflateInit2(&z, -15) != Z_OK) {
		doc_fail(err, "%s: zlib cannot start", what);
		return false;
	}
	uint8_t *out = g_malloc(INFLATE_CHUNK);
	uint64_t produced = 0;
	bool ok = false;
	z.next_in = (Bytef *)in;
	z.avail_in = 0;
	size_t fed = 0;
	for (;;) {
		if (z.avail_in == 0 && fed < n) {
			size_t k = MIN(n - fed, (size_t)1 << 30);
			z.next_in = (Bytef *)in + fed;
			z.avail_in = (uInt)k;
			fed += k;
		}
		z.next_out = out;
		z.avail_out = INFLATE_CHUNK;
		int rc = inflate(&z, Z_NO_FLUSH);
		size_t got = INFLATE_CHUNK - z.avail_out;
		produced += got;
		h->inflated += got;
		if (h->inflated > DOC_INFLATED_MAX) {
			doc_fail(err, "limit: %s inflates beyond %" G_GUINT64_FORMAT " MiB", what,
			         DOC_INFLATED_MAX >> 20);
			goto out;
		}
		if (produced > ((uint64_t)1 << 20) && produced > (uint64_t)DOC_INFLATE_RATIO * n) {
			doc_fail(err, "limit: %s inflates more than %d times its size", what,
			         DOC_INFLATE_RATIO);
			goto out;
		}
		if (got && !sink(ctx, out, got, err))
			goto out;
		if (rc == Z_STREAM_END)
			break; /* what follows (a cipher's last block) is not data */
		if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == n)
			break; /* the data end without a final block: what came is kept */
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			doc_fail(err, "damaged: %s: bad deflate data (%s)", what, z.msg ? z.msg : "zlib");
			goto out;
		}
	}
	ok = true;
out:
	inflateEnd(&z);
	g_free(out);
	return ok;
}

/* Stream id, decrypted and inflated as the header says, into sink. */
static bool decode(hwp *h, uint32_t id, const char *path, const char *what, bool encrypted,
                   sink_fn sink, void *ctx, GError **err)
{
	uint8_t *data, *p;
	size_t n;
	if (!cfb_read(h->c, id, path, &data, &n, err))
		return false;
	p = data;
	bool ok = (!encrypted || decrypt(what, &p, &n, err)) &&
	          (h->info->compressed ? inflate_into(h, what, p, n, sink, ctx, err)
	                               : sink(ctx, p, n, err));
	g_free(data);
	return ok;
}

/* ---- FileHeader ---- */

static bool read_file_header(hwp *h, GError **err)
{
	uint32_t id = cfb_lookup(h->c, "FileHeader");
	if (id == CFB_NONE || cfb_entry_type(h->c, id) != CFB_STREAM) {
		doc_fail(err, "damaged: a compound file without an HWP FileHeader");
		return false;
	}
	uint8_t *d;
	size_t n;
	if (!cfb_read(h->c, id, "FileHeader", &d, &n, err))
		return false;
	static const char sig[] = "HWP Document File";
	bool ok = n >= 40 && memcmp(d, sig, sizeof sig - 1) == 0;
	if (!ok) {
		doc_fail(err, "damaged: FileHeader is not an HWP 5 signature");
		goto out;
	}
	uint32_t v = doc_le32(d + 32), f = doc_le32(d + 36);
	h->info->version = g_strdup_printf("%u.%u.%u.%u", v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF,
	                                   v & 0xFF);
	h->info->compressed = f & FH_COMPRESSED;
	h->info->password = f & (FH_PASSWORD | FH_CERT_ENCRYPTED);
	h->info->distribution = f & FH_DISTRIBUTION;
	h->info->drm = f & (FH_DRM | FH_CERT_DRM);
	/* Bit 15 says the document carries a KOGL (공공누리) licence; the
	 * header has no field for which of the four types (only a country
	 * byte at 48: 6 KOR, 15 US), so kogl_type stays 0. */
	h->info->kogl_flag = f & FH_KOGL;
	if (v >> 24 != 5) {
		doc_fail(err, "HWP %u.%u: a version this reader does not read", v >> 24, v >> 16 & 0xFF);
		ok = false;
	} else if (h->info->password) {
		doc_fail(err, "password-protected");
		ok = false;
	} else if (h->info->drm) {
		doc_fail(err, "DRM-protected");
		ok = false;
	}
out:
	g_free(d);
	return ok;
}

/* ---- active content ---- */

static void docinfo_record(recs *r)
{
	if (r->tag != TAG_BIN_DATA || r->prefix_len < 2)
		return;
	unsigned type = doc_le16(r->prefix) & 0x0F;
	if (type == 2) { /* STORAGE: an OLE object */
		r->h->info->embedded = true;
	} else if (type == 1 && r->prefix_len >= 6) { /* EMBEDDING: id, extension */
		unsigned len = doc_le16(r->prefix + 4);
		if (len == 3 && r->prefix_len >= 12 && g_ascii_tolower(r->prefix[6]) == 'o' &&
		    g_ascii_tolower(r->prefix[8]) == 'l' && g_ascii_tolower(r->prefix[10]) == 'e' &&
		    !r->prefix[7] && !r->prefix[9] && !r->prefix[11])
			r->h->info->embedded = true;
	}
}

static bool collect(void *ctx, const uint8_t *p, size_t n, GError **err)
{
	GByteArray *b = ctx;
	if (b->len + n > SCRIPT_MAX) {
		doc_fail(err, "script larger than the default's bound");
		return false;
	}
	g_byte_array_append(b, p, (guint)n);
	return true;
}

/* The four strings of a DefaultJScript (spec table 9) as one UTF-8
 * string, or NULL when they are not four well-formed strings. */
static char *script_text(const uint8_t *d, size_t n)
{
	GString *s = g_string_new(NULL);
	size_t off = 0;
	for (int i = 0; i < 4; i++) {
		if (n - off < 4)
			goto bad;
		uint32_t units = doc_le32(d + off);
		off += 4;
		if (units > (n - off) / 2)
			goto bad;
		for (uint32_t k = 0; k < units; k++) {
			gunichar u = doc_le16(d + off + 2 * k);
			if (u >= 0xD800 && u <= 0xDFFF)
				goto bad; /* nothing in a skeleton is beyond the BMP */
			g_string_append_unichar(s, u);
		}
		off += 2 * (size_t)units;
	}
	return g_string_free(s, FALSE);
bad:
	g_string_free(s, TRUE);
	return NULL;
}

static void remove_all(GString *s, const char *what)
{
	size_t len = strlen(what);
	char *at;
	while ((at = strstr(s->str, what)))
		g_string_erase(s, at - s->str, (gssize)len);
}

/* Whether src is Hancom's skeleton and nothing else (see the top). */
static bool script_is_default(const char *src)
{
	if (strpbrk(src, "'\"`"))
		return false; /* a string could hide a statement from the comment strip */
	for (const char *p = src; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return false; /* Hancom's is ASCII; U+2028 and U+2029 end a JScript comment */
	GString *s = g_string_new(NULL);
	for (const char *p = src; *p;) {
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n' && *p != '\r')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else {
			if (!g_ascii_isspace(*p))
				g_string_append_c(s, *p);
			p++;
		}
	}
	remove_all(s, "varDocuments=XHwpDocuments;");
	remove_all(s, "varDocument=Documents.Active_XHwpDocument;");
	/* Empty handlers: "function" NAME "(){}" */
	char *f;
	while ((f = strstr(s->str, "function"))) {
		const char *q = f + 8;
		while (g_ascii_isalnum(*q) || *q == '_')
			q++;
		if (q == f + 8 || strncmp(q, "(){}", 4) != 0)
			break;
		g_string_erase(s, f - s->str, (q + 4) - f);
	}
	bool empty = s->len == 0;
	g_string_free(s, TRUE);
	return empty;
}

static bool default_script(hwp *h, uint32_t id)
{
	GByteArray *b = g_byte_array_new();
	GError *e = NULL;
	bool ok = decode(h, id, "Scripts/DefaultJScript", "Scripts/DefaultJScript",
	                 h->info->distribution, collect, b, &e);
	char *src = ok ? script_text(b->data, b->len) : NULL;
	bool dflt = src && script_is_default(src);
	g_free(src);
	g_clear_error(&e);
	g_byte_array_free(b, TRUE);
	return dflt;
}

static void find_scripts(hwp *h)
{
	uint32_t s = cfb_lookup(h->c, "Scripts");
	if (s == CFB_NONE)
		return;
	GArray *kids = cfb_children(h->c, s);
	for (guint i = 0; i < kids->len && !h->info->scripts; i++) {
		uint32_t id = g_array_index(kids, uint32_t, i);
		const char *name = cfb_name(h->c, id);
		bool stream = cfb_entry_type(h->c, id) == CFB_STREAM;
		if (stream && g_ascii_strcasecmp(name, "JScriptVersion") == 0)
			continue;
		if (stream && g_ascii_strcasecmp(name, "DefaultJScript") == 0 && default_script(h, id))
			continue;
		h->info->scripts = true;
	}
	g_array_free(kids, TRUE);
}

static bool find_embedded(hwp *h, GError **err)
{
	uint32_t b = cfb_lookup(h->c, "BinData");
	if (b != CFB_NONE) {
		GArray *kids = cfb_children(h->c, b);
		for (guint i = 0; i < kids->len; i++) {
			const char *name = cfb_name(h->c, g_array_index(kids, uint32_t, i));
			size_t len = strlen(name);
			if (len >= 4 && g_ascii_strcasecmp(name + len - 4, ".ole") == 0)
				h->info->embedded = true;
		}
		g_array_free(kids, TRUE);
	}
	uint32_t id = cfb_lookup(h->c, "DocInfo");
	if (id == CFB_NONE || cfb_entry_type(h->c, id) != CFB_STREAM) {
		doc_fail(err, "damaged: no DocInfo stream");
		return false;
	}
	recs r;
	recs_init(&r, h, "DocInfo", docinfo_record);
	return decode(h, id, "DocInfo", "DocInfo", false, recs_feed, &r, err) && recs_finish(&r, err);
}

/* ---- sections ---- */

typedef struct {
	uint32_t n, id;
} section;

static int section_cmp(const void *a, const void *b)
{
	const section *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id; /* of duplicates, the first entry */
}

/* "Section<n>", n decimal without leading zeros, below 10^9. */
static bool section_number(const char *name, uint32_t *n)
{
	if (g_ascii_strncasecmp(name, "Section", 7) != 0)
		return false;
	const char *d = name + 7;
	size_t len = strlen(d);
	if (len == 0 || len > 9 || (d[0] == '0' && len > 1) || strspn(d, "0123456789") != len)
		return false;
	*n = (uint32_t)strtoul(d, NULL, 10);
	return true;
}

/* The storage's sections in numeric order (Section10 after Section9),
 * one of each number. */
static GArray *list_sections(hwp *h, const char *storage, GError **err)
{
	uint32_t s = cfb_lookup(h->c, storage);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(section));
	GArray *kids = s == CFB_NONE ? g_array_new(FALSE, FALSE, sizeof(uint32_t))
	                             : cfb_children(h->c, s);
	for (guint i = 0; i < kids->len; i++) {
		section x = { 0, g_array_index(kids, uint32_t, i) };
		if (cfb_entry_type(h->c, x.id) == CFB_STREAM && section_number(cfb_name(h->c, x.id), &x.n))
			g_array_append_val(out, x);
	}
	g_array_free(kids, TRUE);
	g_array_sort(out, section_cmp);
	/* One of each number, in one pass: a directory may hold many. */
	guint kept = out->len ? 1 : 0;
	for (guint i = 1; i < out->len; i++)
		if (g_array_index(out, section, i).n != g_array_index(out, section, kept - 1).n)
			g_array_index(out, section, kept++) = g_array_index(out, section, i);
	g_array_set_size(out, kept);
	if (out->len == 0 || out->len > DOC_SECTIONS_MAX) {
		if (out->len)
			doc_fail(err, "limit: %u sections, more than %d", out->len, DOC_SECTIONS_MAX);
		else
			doc_fail(err, "damaged: no %s/Section0", storage);
		g_array_free(out, TRUE);
		return NULL;
	}
	return out;
}

static void section_record(recs *r)
{
	if (r->tag == TAG_SHAPE_COMPONENT_OLE)
		r->h->info->embedded = true;
	/* A shape component names its kind by control id, once or (for an
	 * object at the top of a gso) twice. */
	if (r->tag == TAG_SHAPE_COMPONENT && r->prefix_len >= 8 &&
	    (doc_le32(r->prefix) == CHID('$', 'o', 'l', 'e') || doc_le32(r->prefix + 4) == CHID('$', 'o', 'l', 'e')))
		r->h->info->embedded = true;
}

static bool read_sections(hwp *h, GError **err)
{
	const char *storage = h->info->distribution ? "ViewText" : "BodyText";
	GArray *secs = list_sections(h, storage, err);
	if (!secs)
		return false;
	h->info->sections = (int)secs->len;
	bool ok = true;
	for (guint i = 0; ok && i < secs->len; i++) {
		section *s = &g_array_index(secs, section, i);
		char *path = g_strdup_printf("%s/%s", storage, cfb_name(h->c, s->id));
		char *what = g_strdup_printf("section %u", s->n);
		if (i)
			doc_text_break(h->t);
		recs r;
		recs_init(&r, h, what, section_record);
		ok = decode(h, s->id, path, what, h->info->distribution, recs_feed, &r, err) &&
		     recs_finish(&r, err);
		g_free(path);
		g_free(what);
	}
	g_array_free(secs, TRUE);
	return ok;
}

bool hwp_extract(const char *path, doc_text *t, doc_info *info, GError **err)
{
	hwp h = { .t = t, .info = info };
	h.c = cfb_open(path, err);
	if (!h.c)
		return false;
	bool ok = read_file_header(&h, err) && find_embedded(&h, err);
	if (ok)
		find_scripts(&h);
	ok = ok && read_sections(&h, err);
	cfb_close(h.c);
	return ok;
}
