/*
 * pdf/update.c — the incremental update of a PDF's document information,
 * written from the original's own cross-reference data (pdf/update.h).
 *
 * The bytes are hostile: every read is bounded by the buffer, nesting by
 * MAX_DEPTH, the /Prev chain by MAX_SECTIONS, a decoded cross-reference
 * stream by MAX_XREF_STREAM. Anything unusual gives NULL and the reason,
 * and the caller leaves the file to poppler: this is a fast path, never
 * the only one.
 */
#include "pdf/update.h"
#include "core/hash.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { MAX_DEPTH = 32, MAX_SECTIONS = 64, TAIL = 1024 };
#define MAX_XREF_STREAM ((gsize)64 << 20)
/* A cross-reference table's offsets have ten digits. */
#define MAX_OFFSET UINT64_C(9999999999)

typedef struct {
	const guint8 *b;
	gsize len;
} pdf_buf;

/* One entry of a dictionary: the key's bytes (with its slash) and the
 * value's, as they are in the file. */
typedef struct {
	gsize key, key_end, val, val_end;
} dict_entry;

/* ---- lexing ---------------------------------------------------------------- */

static bool is_ws(guint8 c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool is_delim(guint8 c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

static bool is_regular(guint8 c) { return !is_ws(c) && !is_delim(c); }

/* Past white space and comments from i (at most to the end). */
static gsize skip_ws(const pdf_buf *p, gsize i)
{
	while (i < p->len) {
		if (is_ws(p->b[i]))
			i++;
		else if (p->b[i] == '%')
			while (i < p->len && p->b[i] != '\n' && p->b[i] != '\r')
				i++;
		else
			break;
	}
	return i;
}

/* Where the object beginning at i ends; 0 when it is malformed, nests past
 * MAX_DEPTH or runs off the end (no object ends at 0). An indirect
 * reference is three objects here: "1", "0", "R". */
static gsize obj_end(const pdf_buf *p, gsize i, int depth)
{
	const guint8 *b = p->b;
	if (i >= p->len || depth > MAX_DEPTH)
		return 0;
	gsize j = i + 1;
	switch (b[i]) {
	case '(':
		for (int level = 1; j < p->len; j++) {
			if (b[j] == '\\')
				j++;
			else if (b[j] == '(')
				level++;
			else if (b[j] == ')' && --level == 0)
				return j + 1;
		}
		return 0;
	case '<':
		if (j < p->len && b[j] == '<') {
			for (j++;;) {
				j = skip_ws(p, j);
				if (j + 1 < p->len && b[j] == '>' && b[j + 1] == '>')
					return j + 2;
				if (!(j = obj_end(p, j, depth + 1)))
					return 0;
			}
		}
		for (; j < p->len && b[j] != '>'; j++)
			if (!g_ascii_isxdigit(b[j]) && !is_ws(b[j]))
				return 0;
		return j < p->len ? j + 1 : 0;
	case '[':
		for (;;) {
			j = skip_ws(p, j);
			if (j < p->len && b[j] == ']')
				return j + 1;
			if (!(j = obj_end(p, j, depth + 1)))
				return 0;
		}
	case '/':
		while (j < p->len && is_regular(b[j]))
			j++;
		return j;
	default:
		if (!is_regular(b[i]))
			return 0;
		while (j < p->len && is_regular(b[j]))
			j++;
		return j;
	}
}

/* Is [s, e) the keyword or name kw? */
static bool span_is(const pdf_buf *p, gsize s, gsize e, const char *kw)
{
	size_t n = strlen(kw);
	return e - s == n && memcmp(p->b + s, kw, n) == 0;
}

/* [s, e) as an unsigned integer of at most 19 digits. */
static bool span_uint(const pdf_buf *p, gsize s, gsize e, uint64_t *v)
{
	if (e <= s || e - s > 19)
		return false;
	*v = 0;
	for (gsize i = s; i < e; i++) {
		if (!g_ascii_isdigit(p->b[i]))
			return false;
		*v = *v * 10 + (uint64_t)(p->b[i] - '0');
	}
	return true;
}

/* The unsigned integer token at i (after white space); its end in *end. */
static bool read_uint(const pdf_buf *p, gsize i, uint64_t *v, gsize *end)
{
	i = skip_ws(p, i);
	gsize e = obj_end(p, i, 0);
	if (!e || !span_uint(p, i, e, v))
		return false;
	*end = e;
	return true;
}

/* The keyword kw at i (after white space): the position past it, or 0. */
static gsize keyword(const pdf_buf *p, gsize i, const char *kw)
{
	i = skip_ws(p, i);
	gsize e = obj_end(p, i, 0);
	return e && span_is(p, i, e, kw) ? e : 0;
}

/* Where "num gen R" beginning at s (its first number ending at e) ends, or 0
 * when it is not a reference. */
static gsize ref_end(const pdf_buf *p, gsize s, gsize e, uint64_t *num, uint64_t *gen)
{
	uint64_t n = 0, g = 0;
	gsize ge = 0, re = 0;
	if (!span_uint(p, s, e, &n) || !read_uint(p, e, &g, &ge) || !(re = keyword(p, ge, "R")))
		return 0;
	if (num)
		*num = n;
	if (gen)
		*gen = g;
	return re;
}

/* The entries of the dictionary at i (after white space) appended to out;
 * *end is past its ">>". */
static bool dict_entries(const pdf_buf *p, gsize i, GArray *out, gsize *end)
{
	i = skip_ws(p, i);
	if (i + 1 >= p->len || p->b[i] != '<' || p->b[i + 1] != '<')
		return false;
	for (gsize j = i + 2;;) {
		j = skip_ws(p, j);
		if (j + 1 < p->len && p->b[j] == '>' && p->b[j + 1] == '>') {
			*end = j + 2;
			return true;
		}
		if (j >= p->len || p->b[j] != '/')
			return false;
		dict_entry d = { .key = j, .key_end = obj_end(p, j, 1) };
		if (!d.key_end)
			return false;
		d.val = skip_ws(p, d.key_end);
		if (!(d.val_end = obj_end(p, d.val, 1)))
			return false;
		gsize r = ref_end(p, d.val, d.val_end, NULL, NULL);
		if (r)
			d.val_end = r;
		g_array_append_val(out, d);
		j = d.val_end;
	}
}

static const dict_entry *dict_get(const pdf_buf *p, const GArray *d, const char *key)
{
	for (guint i = 0; i < d->len; i++) {
		const dict_entry *e = &g_array_index(d, dict_entry, i);
		if (span_is(p, e->key, e->key_end, key))
			return e;
	}
	return NULL;
}

static bool dict_uint(const pdf_buf *p, const GArray *d, const char *key, uint64_t *v)
{
	const dict_entry *e = dict_get(p, d, key);
	return e && span_uint(p, e->val, e->val_end, v);
}

static bool dict_ref(const pdf_buf *p, const GArray *d, const char *key, uint64_t *num,
                     uint64_t *gen)
{
	const dict_entry *e = dict_get(p, d, key);
	if (!e)
		return false;
	gsize first = obj_end(p, e->val, 0);
	return first && ref_end(p, e->val, first, num, gen) == e->val_end;
}

/* The numbers of the array value of key (up to max of them); -1 when the
 * key is absent, -2 when it is not an array of unsigned integers. */
static int dict_uints(const pdf_buf *p, const GArray *d, const char *key, uint64_t *v, int max)
{
	const dict_entry *e = dict_get(p, d, key);
	if (!e)
		return -1;
	if (p->b[e->val] != '[')
		return -2;
	int n = 0;
	for (gsize j = e->val + 1;;) {
		j = skip_ws(p, j);
		if (j < e->val_end && p->b[j] == ']')
			return n;
		gsize t = obj_end(p, j, 1);
		if (!t || t > e->val_end || n == max || !span_uint(p, j, t, &v[n]))
			return -2;
		n++;
		j = t;
	}
}

/* ---- the cross-reference sections ------------------------------------------ */

/* What the newest section says of the Info object, once found. */
typedef struct {
	uint64_t num;   /* looked for */
	bool found;     /* a section listed it */
	bool in_use;    /* as an object at offset (not free, not in a stream) */
	uint64_t offset, gen;
} xref_hit;

/* The classic table at at ("xref"): looks up h->num in it unless found,
 * and appends its trailer's entries to trailer. */
static bool table_section(const pdf_buf *p, gsize at, xref_hit *h, GArray *trailer,
                          const char **why)
{
	gsize j = keyword(p, at, "xref");
	for (;;) {
		gsize t = keyword(p, j, "trailer");
		if (t) {
			gsize end = 0;
			if (!dict_entries(p, t, trailer, &end)) {
				*why = "the trailer is not a dictionary";
				return false;
			}
			return true;
		}
		uint64_t first = 0, count = 0;
		if (!read_uint(p, j, &first, &j) || !read_uint(p, j, &count, &j) ||
		    count > p->len / 18) {
			*why = "a cross-reference subsection is malformed";
			return false;
		}
		for (uint64_t k = 0; k < count; k++) {
			uint64_t off = 0, gen = 0;
			gsize s;
			if (!read_uint(p, j, &off, &j) || !read_uint(p, j, &gen, &j)) {
				*why = "a cross-reference entry is malformed";
				return false;
			}
			s = skip_ws(p, j);
			j = obj_end(p, s, 0);
			bool n = j && span_is(p, s, j, "n"), f = j && span_is(p, s, j, "f");
			if (!n && !f) {
				*why = "a cross-reference entry is malformed";
				return false;
			}
			if (!h->found && first + k == h->num) {
				h->found = true;
				h->in_use = n;
				h->offset = off;
				h->gen = gen;
			}
		}
	}
}

/* Undo the PNG predictors of rows of cols bytes (each after its tag
 * byte), in place; the output is the rows without their tags. */
static bool png_unpredict(GByteArray *a, uint64_t cols)
{
	gsize row = (gsize)cols + 1;
	if (cols == 0 || cols > 64 || a->len % row != 0)
		return false;
	gsize rows = a->len / row;
	guint8 prev[64] = { 0 };
	for (gsize r = 0; r < rows; r++) {
		guint8 *in = a->data + r * row, tag = in[0], *cur = in + 1;
		for (gsize c = 0; c < cols; c++) {
			guint8 left = c ? cur[c - 1] : 0, up = prev[c], ul = c ? prev[c - 1] : 0;
			switch (tag) {
			case 0: break;
			case 1: cur[c] = (guint8)(cur[c] + left); break;
			case 2: cur[c] = (guint8)(cur[c] + up); break;
			case 3: cur[c] = (guint8)(cur[c] + (left + up) / 2); break;
			case 4: {
				int pa = abs(up - ul), pb = abs(left - ul), pc = abs(left + up - 2 * ul);
				cur[c] = (guint8)(cur[c] + (pa <= pb && pa <= pc ? left : pb <= pc ? up : ul));
				break;
			}
			default: return false;
			}
		}
		memcpy(prev, cur, (size_t)cols);
		memmove(a->data + r * (gsize)cols, cur, (size_t)cols);
	}
	g_byte_array_set_size(a, (guint)(rows * (gsize)cols));
	return true;
}

/* The decoded data of the stream whose dictionary is d, ending at dict_end. */
static GByteArray *stream_data(const pdf_buf *p, const GArray *d, gsize dict_end,
                               const char **why)
{
	uint64_t length = 0;
	gsize s = keyword(p, dict_end, "stream");
	if (!s || !dict_uint(p, d, "/Length", &length)) {
		*why = "the cross-reference stream has no direct /Length";
		return NULL;
	}
	if (s < p->len && p->b[s] == '\r')
		s++;
	if (s < p->len && p->b[s] == '\n')
		s++;
	if (length > p->len - s || length > G_MAXUINT) {
		*why = "the cross-reference stream runs past the end of the file";
		return NULL;
	}
	const dict_entry *filter = dict_get(p, d, "/Filter");
	const dict_entry *parms = dict_get(p, d, "/DecodeParms");
	GByteArray *out = g_byte_array_new();
	if (!filter) {
		g_byte_array_append(out, p->b + s, (guint)length);
	} else {
		gsize fs = filter->val, fe = filter->val_end;
		if (p->b[fs] == '[') { /* [/FlateDecode] */
			fs = skip_ws(p, fs + 1);
			gsize n = obj_end(p, fs, 1);
			if (!n || skip_ws(p, n) != fe - 1)
				fs = fe = 0;
			else
				fe = n;
		}
		if (!fe || !span_is(p, fs, fe, "/FlateDecode")) {
			*why = "the cross-reference stream has a filter other than FlateDecode";
			g_byte_array_unref(out);
			return NULL;
		}
		z_stream z = { 0 };
		if (inflateInit(&z) != Z_OK) {
			*why = "zlib cannot start";
			g_byte_array_unref(out);
			return NULL;
		}
		z.next_in = (Bytef *)(p->b + s);
		z.avail_in = (uInt)length;
		guint8 chunk[16384];
		int rc = Z_OK;
		while (rc == Z_OK && out->len <= MAX_XREF_STREAM) {
			z.next_out = chunk;
			z.avail_out = sizeof chunk;
			rc = inflate(&z, Z_NO_FLUSH);
			g_byte_array_append(out, chunk, (guint)(sizeof chunk - z.avail_out));
			if (rc == Z_BUF_ERROR && z.avail_in == 0)
				break; /* no end marker: take what came, as readers do */
		}
		inflateEnd(&z);
		if ((rc != Z_STREAM_END && rc != Z_BUF_ERROR) || out->len > MAX_XREF_STREAM) {
			*why = "the cross-reference stream does not inflate";
			g_byte_array_unref(out);
			return NULL;
		}
	}
	if (parms) {
		GArray *pd = g_array_new(FALSE, FALSE, sizeof(dict_entry));
		gsize end = 0;
		uint64_t pred = 1, cols = 1, v = 0;
		bool ok = dict_entries(p, parms->val, pd, &end);
		if (ok && dict_get(p, pd, "/Predictor"))
			ok = dict_uint(p, pd, "/Predictor", &pred);
		if (ok && dict_get(p, pd, "/Columns"))
			ok = dict_uint(p, pd, "/Columns", &cols);
		if (ok && dict_get(p, pd, "/Colors"))
			ok = dict_uint(p, pd, "/Colors", &v) && v == 1;
		if (ok && dict_get(p, pd, "/BitsPerComponent"))
			ok = dict_uint(p, pd, "/BitsPerComponent", &v) && v == 8;
		g_array_unref(pd);
		if (!ok || (pred != 1 && (pred < 10 || !png_unpredict(out, cols)))) {
			*why = "the cross-reference stream's predictor is not one this writer undoes";
			g_byte_array_unref(out);
			return NULL;
		}
	}
	return out;
}

static uint64_t field(const guint8 *f, uint64_t w)
{
	uint64_t v = 0;
	for (uint64_t i = 0; i < w; i++)
		v = v << 8 | f[i];
	return v;
}

/* The cross-reference stream object at at: looks up h->num in it unless
 * found, and appends its dictionary's entries to trailer. */
static bool stream_section(const pdf_buf *p, gsize at, xref_hit *h, GArray *trailer,
                           const char **why)
{
	uint64_t num = 0, gen = 0, w[3] = { 0 }, index[2 * 64];
	gsize j = 0, end = 0;
	if (!read_uint(p, at, &num, &j) || !read_uint(p, j, &gen, &j) || !(j = keyword(p, j, "obj")) ||
	    !dict_entries(p, j, trailer, &end)) {
		*why = "startxref does not point at a cross-reference section";
		return false;
	}
	uint64_t size = 0;
	const dict_entry *kind = dict_get(p, trailer, "/Type");
	if (!kind || !span_is(p, kind->val, kind->val_end, "/XRef") ||
	    !dict_uint(p, trailer, "/Size", &size) || dict_uints(p, trailer, "/W", w, 3) != 3 ||
	    w[0] > 8 || w[1] > 8 || w[2] > 8 || w[1] == 0) {
		*why = "the cross-reference stream's dictionary is malformed";
		return false;
	}
	int ni = dict_uints(p, trailer, "/Index", index, G_N_ELEMENTS(index));
	if (ni == -1) {
		index[0] = 0;
		index[1] = size;
		ni = 2;
	}
	if (ni < 0 || ni % 2) {
		*why = "the cross-reference stream's /Index is malformed";
		return false;
	}
	if (h->found)
		return true;
	GByteArray *data = stream_data(p, trailer, end, why);
	if (!data)
		return false;
	uint64_t row = w[0] + w[1] + w[2], at_row = 0;
	bool ok = true;
	for (int k = 0; k < ni && ok; k += 2) {
		uint64_t first = index[k], count = index[k + 1];
		if (count > data->len / row + 1) {
			ok = false;
			break;
		}
		if (h->num >= first && h->num - first < count) {
			uint64_t r = at_row + (h->num - first);
			if ((r + 1) * row > data->len) {
				ok = false;
				break;
			}
			const guint8 *f = data->data + r * row;
			uint64_t type = w[0] ? field(f, w[0]) : 1;
			h->found = true;
			h->in_use = type == 1;
			h->offset = field(f + w[0], w[1]);
			h->gen = w[2] ? field(f + w[0] + w[1], w[2]) : 0;
			if (type == 2) {
				*why = "the document information is in an object stream";
				ok = false;
			}
			break;
		}
		at_row += count;
	}
	g_byte_array_unref(data);
	if (!ok && !*why)
		*why = "the cross-reference stream is shorter than its /Index";
	return ok;
}

/* The section at at, of either kind; *stream says which it was. */
static bool read_section(const pdf_buf *p, gsize at, xref_hit *h, GArray *trailer, bool *stream,
                         const char **why)
{
	if (skip_ws(p, at) != at) {
		*why = "startxref does not point at a cross-reference section";
		return false;
	}
	*stream = !keyword(p, at, "xref");
	return *stream ? stream_section(p, at, h, trailer, why) : table_section(p, at, h, trailer, why);
}

/* ---- writing --------------------------------------------------------------- */

/* A text string as UTF-16BE with its byte order mark, in hex. */
static bool put_text(GString *s, const char *utf8)
{
	glong n = 0;
	gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
	if (!u)
		return false;
	g_string_append(s, "<FEFF");
	for (glong i = 0; i < n; i++)
		g_string_append_printf(s, "%04X", (unsigned)u[i]);
	g_string_append_c(s, '>');
	g_free(u);
	return true;
}

static void put_span(GString *s, const pdf_buf *p, gsize a, gsize e)
{
	g_string_append_len(s, (const char *)p->b + a, (gssize)(e - a));
}

/* The first string of the /ID array (its bytes), or false. */
static bool first_id(const pdf_buf *p, const GArray *trailer, gsize *s, gsize *e)
{
	const dict_entry *id = dict_get(p, trailer, "/ID");
	if (!id || p->b[id->val] != '[')
		return false;
	*s = skip_ws(p, id->val + 1);
	*e = obj_end(p, *s, 1);
	return *e && *e < id->val_end && (p->b[*s] == '<' || p->b[*s] == '(');
}

GByteArray *pdf_info_update(const guint8 *pdf, gsize len, const pdf_info_fields *f,
                            const char **why)
{
	pdf_buf pb = { pdf, len }, *p = &pb;
	*why = NULL;
	/* The last startxref, in the last TAIL bytes. */
	gsize from = len > TAIL ? len - TAIL : 0, sx = 0;
	bool have_sx = false;
	for (gsize i = from; i + 9 <= len; i++)
		if (memcmp(pdf + i, "startxref", 9) == 0) {
			sx = i + 9;
			have_sx = true;
		}
	uint64_t xref = 0;
	gsize j = 0;
	if (!have_sx || !read_uint(p, sx, &xref, &j) || xref >= len) {
		*why = "no startxref at the end of the file";
		return NULL;
	}

	GArray *t0 = g_array_new(FALSE, FALSE, sizeof(dict_entry));
	GArray *tn = g_array_new(FALSE, FALSE, sizeof(dict_entry));
	GString *obj = g_string_new(NULL);
	GByteArray *out = NULL;
	xref_hit h = { .found = true }; /* the first read is for the trailer alone */
	bool stream = false, had_info = false;
	uint64_t size = 0, root = 0, root_gen = 0, info_gen = 0;
	if (!read_section(p, (gsize)xref, &h, t0, &stream, why))
		goto out;
	if (dict_get(p, t0, "/Encrypt")) {
		*why = "the PDF is encrypted";
		goto out;
	}
	if (dict_get(p, t0, "/XRefStm")) {
		*why = "the cross-reference is a hybrid of a table and a stream";
		goto out;
	}
	if (!dict_uint(p, t0, "/Size", &size) || !dict_ref(p, t0, "/Root", &root, &root_gen) ||
	    size == 0 || size > (UINT64_C(1) << 31)) {
		*why = "the trailer has no /Size or /Root";
		goto out;
	}
	had_info = dict_get(p, t0, "/Info") != NULL;
	h = (xref_hit){ 0 };
	if (had_info && !dict_ref(p, t0, "/Info", &h.num, &info_gen)) {
		*why = "the trailer's /Info is not a reference";
		goto out;
	}

	/* The Info dictionary: found from the newest section back. */
	GArray *info = g_array_new(FALSE, FALSE, sizeof(dict_entry));
	if (had_info) {
		/* The sections again, the newest first, now that the number
		 * to look for is known. */
		uint64_t at = xref;
		bool dummy = false;
		for (int n = 0; read_section(p, (gsize)at, &h, tn, &dummy, why) && !h.found; n++) {
			uint64_t prev = 0;
			if (!dict_get(p, tn, "/Prev"))
				break;
			if (!dict_uint(p, tn, "/Prev", &prev) || prev >= len || prev == at ||
			    n + 1 >= MAX_SECTIONS) {
				*why = "the cross-reference chain (/Prev) is malformed";
				break;
			}
			at = prev;
			g_array_set_size(tn, 0);
		}
		gsize e = 0, end = 0;
		uint64_t on = 0, og = 0;
		if (!*why && (!h.found || !h.in_use || h.gen != info_gen || h.offset >= len))
			*why = "the document information is not where the cross-reference says";
		else if (!*why && (!read_uint(p, (gsize)h.offset, &on, &e) || !read_uint(p, e, &og, &e) ||
		                   on != h.num || og != info_gen || !(e = keyword(p, e, "obj")) ||
		                   !dict_entries(p, e, info, &end) || !keyword(p, end, "endobj")))
			*why = "the document information is not a dictionary object";
	} else {
		h.num = size; /* a new object */
	}
	if (*why || info_gen > 65534) {
		if (!*why)
			*why = "the document information's generation is past 65534";
		g_array_unref(info);
		goto out;
	}

	/* The new Info: what it had, less what is replaced, then that. */
	g_string_append_printf(obj, "%" PRIu64 " %" PRIu64 " obj\n<<", h.num, info_gen);
	for (guint i = 0; i < info->len; i++) {
		const dict_entry *e = &g_array_index(info, dict_entry, i);
		if (span_is(p, e->key, e->key_end, "/Keywords") ||
		    (f->title && span_is(p, e->key, e->key_end, "/Title")) ||
		    (f->author && span_is(p, e->key, e->key_end, "/Author")))
			continue;
		g_string_append_c(obj, ' ');
		put_span(obj, p, e->key, e->key_end);
		g_string_append_c(obj, ' ');
		put_span(obj, p, e->val, e->val_end);
	}
	g_array_unref(info);
	bool text_ok = true;
	const char *keys[] = { "/Title", "/Author", "/Keywords" };
	const char *vals[] = { f->title, f->author, f->keywords };
	for (int i = 0; i < 3 && text_ok; i++)
		if (vals[i]) {
			g_string_append_printf(obj, " %s ", keys[i]);
			text_ok = put_text(obj, vals[i]);
		}
	if (!text_ok) {
		*why = "a field to write is not UTF-8";
		goto out;
	}
	g_string_append(obj, " >>\nendobj\n");

	out = g_byte_array_new();
	GString *s = g_string_new(NULL);
	if (len && pdf[len - 1] != '\n' && pdf[len - 1] != '\r')
		g_string_append_c(s, '\n');
	uint64_t info_at = len + s->len;
	g_string_append_len(s, obj->str, (gssize)obj->len);
	uint64_t xref_at = len + s->len;
	/* The /ID: the first string kept, the second made of this update. */
	GString *id = g_string_new(NULL);
	gsize is = 0, ie = 0;
	if (first_id(p, t0, &is, &ie)) {
		char hex[65];
		hash_sha256_hex(obj->str, obj->len, hex);
		g_string_append(id, " /ID [");
		put_span(id, p, is, ie);
		g_string_append_printf(id, " <%.32s>]", hex);
	}
	uint64_t new_size = MAX(size, h.num + 1);
	if (!stream) {
		g_string_append_printf(s,
		                       "xref\n%" PRIu64 " 1\n%010" PRIu64 " %05" PRIu64 " n \ntrailer\n"
		                       "<< /Size %" PRIu64 " /Root %" PRIu64 " %" PRIu64 " R /Info %" PRIu64
		                       " %" PRIu64 " R /Prev %" PRIu64 "%s >>\n",
		                       h.num, info_at, info_gen, new_size, root, root_gen, h.num, info_gen,
		                       xref, id->str);
	} else {
		/* The stream's own object comes last: /Index ascends. */
		uint64_t self = new_size++;
		guint8 rows[2][11];
		const uint64_t offs[2] = { info_at, xref_at }, gens[2] = { info_gen, 0 };
		for (int r = 0; r < 2; r++) {
			rows[r][0] = 1;
			for (int b = 0; b < 8; b++)
				rows[r][1 + b] = (guint8)(offs[r] >> (56 - 8 * b));
			rows[r][9] = (guint8)(gens[r] >> 8);
			rows[r][10] = (guint8)gens[r];
		}
		g_string_append_printf(s,
		                       "%" PRIu64 " 0 obj\n<< /Type /XRef /Size %" PRIu64
		                       " /W [1 8 2] /Index [%" PRIu64 " 1 %" PRIu64 " 1] /Root %" PRIu64
		                       " %" PRIu64 " R /Info %" PRIu64 " %" PRIu64 " R /Prev %" PRIu64
		                       "%s /Length %zu >>\nstream\n",
		                       self, new_size, h.num, self, root, root_gen, h.num, info_gen, xref,
		                       id->str, sizeof rows);
		g_string_append_len(s, (const char *)rows, sizeof rows);
		g_string_append(s, "\nendstream\nendobj\n");
	}
	g_string_append_printf(s, "startxref\n%" PRIu64 "\n%%%%EOF\n", xref_at);
	g_string_free(id, TRUE);
	if (xref_at > MAX_OFFSET) {
		*why = "the file is too large for a cross-reference table";
		g_clear_pointer(&out, g_byte_array_unref);
	} else {
		g_byte_array_append(out, (const guint8 *)s->str, (guint)s->len);
	}
	g_string_free(s, TRUE);
out:
	g_string_free(obj, TRUE);
	g_array_unref(tn);
	g_array_unref(t0);
	return out;
}
