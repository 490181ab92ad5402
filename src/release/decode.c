/*
 * release/decode.c — a release document's bytes as UTF-8: UTF-8 with or without BOM,
 * UTF-16 with BOM, the charset an HTML page declares, or EUC-KR/CP949 (which
 * libmagic reports as ISO-8859, so detection is ours).
 */
#include "parse.h"

#include <string.h>

#include "core/errors.h"

static GRegex *re_charset;

void decode_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	re_charset = text_regex("<meta\\b[^>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_.:-]+)",
	                        G_REGEX_CASELESS | G_REGEX_RAW);
	g_once_init_leave(&done, 1);
}

/* Text files hold next to no control characters; more than one in twenty
 * means the bytes were never text. */
static bool mostly_control_bytes(const char *b, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += text_is_control((unsigned char)b[i]) && (unsigned char)b[i] < 0x80;
	return len > 0 && n * 20 > len;
}

static bool mostly_control_text(const char *s)
{
	size_t n = 0, total = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		n += text_is_control(g_utf8_get_char(p));
		total++;
	}
	return total > 0 && n * 20 > total;
}

/*
 * CP949 (a superset of EUC-KR) decodes most byte strings to something, so
 * a trial conversion proves little by itself: accept it only when Hangul
 * syllables make up at least half of the non-ASCII characters, as in any
 * Korean text and in no random data.
 */
static char *try_cp949(const char *bytes, size_t len)
{
	gsize written = 0;
	char *s = g_convert(bytes, len, "UTF-8", "CP949", NULL, &written, NULL);
	if (!s)
		return NULL;
	size_t nonascii = 0, hangul = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0x80)
			nonascii++;
		if (text_is_hangul_syllable(c))
			hangul++;
	}
	if (strlen(s) != written || nonascii == 0 || hangul * 2 < nonascii) {
		g_free(s);
		return NULL;
	}
	return s;
}

/*
 * The charset an HTML page declares: <meta charset="euc-kr"> or <meta
 * http-equiv="Content-Type" content="text/html; charset=euc-kr">. Browsers
 * look only at the first bytes; 64 KiB is generous and keeps the scan
 * short. Lower-cased; NULL when none.
 */
static char *declared_charset(const char *bytes, size_t len)
{
	GMatchInfo *mi = NULL;
	char *cs = NULL;
	if (g_regex_match_full(re_charset, bytes, (gssize)MIN(len, 65536), 0, 0, &mi, NULL)) {
		char *raw = g_match_info_fetch(mi, 1);
		cs = g_ascii_strdown(raw, -1);
		g_free(raw);
	}
	g_match_info_free(mi);
	return cs;
}

/* The bytes in the charset the page declares, as UTF-8, or NULL (none
 * declared, unknown to iconv, or the bytes are not in it). The names of
 * Korean charsets all mean CP949, their superset. */
static char *decode_declared(const char *bytes, size_t len, const char **encoding)
{
	static const char *const korean[] = {
		"euc-kr", "euckr", "cp949", "windows-949", "x-windows-949", "ks_c_5601-1987",
		"ks_c_5601", "ksc5601", "ksc_5601", "uhc", "korean",
	};
	char *cs = declared_charset(bytes, len), *utf8 = NULL;
	gsize written = 0;
	if (!cs || strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0)
		goto out;
	for (size_t i = 0; i < G_N_ELEMENTS(korean); i++) {
		if (strcmp(cs, korean[i]) == 0) {
			utf8 = g_convert(bytes, len, "UTF-8", "CP949", NULL, &written, NULL);
			*encoding = "EUC-KR";
			goto out;
		}
	}
	utf8 = g_convert(bytes, len, "UTF-8", cs, NULL, &written, NULL);
	if (utf8) {
		char *up = g_ascii_strup(cs, -1);
		*encoding = g_intern_string(up); /* lives as long as the process */
		g_free(up);
	}
out:
	if (utf8 && strlen(utf8) != written)
		g_clear_pointer(&utf8, g_free);
	g_free(cs);
	return utf8;
}

/* The bytes as UTF-8; *encoding receives the static name of what they were.
 * For HTML a declared charset is honoured when the bytes are not UTF-8. */
char *decode_release(const char *bytes, size_t len, const char *name, bool html,
                     const char **encoding, GError **err)
{
	decode_init();
	const unsigned char *b = (const unsigned char *)bytes;
	char *utf8 = NULL;
	gsize written = 0;

	if (len == 0)
		goto empty;
	if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		bool le = b[0] == 0xFF;
		*encoding = le ? "UTF-16LE with BOM" : "UTF-16BE with BOM";
		utf8 = g_convert(bytes + 2, len - 2, "UTF-8", le ? "UTF-16LE" : "UTF-16BE",
		                 NULL, &written, NULL);
		if (!utf8) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: undecodable: invalid %s", name, *encoding);
			goto out;
		}
	} else if (memchr(bytes, '\0', len)) {
		goto binary;
	} else if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		*encoding = "UTF-8 with BOM";
		if (!g_utf8_validate_len(bytes + 3, len - 3, NULL)) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "%s: undecodable: invalid UTF-8 after a UTF-8 BOM", name);
			goto out;
		}
		written = len - 3;
		utf8 = g_strndup(bytes + 3, written);
	} else if (g_utf8_validate_len(bytes, len, NULL)) {
		*encoding = "UTF-8";
		written = len;
		utf8 = g_strndup(bytes, len);
	} else if (html && (utf8 = decode_declared(bytes, len, encoding))) {
		written = strlen(utf8);
	} else if ((utf8 = try_cp949(bytes, len))) {
		*encoding = "EUC-KR";
		written = strlen(utf8);
	} else if (mostly_control_bytes(bytes, len)) {
		goto binary;
	} else {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "%s: undecodable: neither UTF-8, UTF-16 with BOM nor EUC-KR", name);
		goto out;
	}
	/* UTF-16 of binary data decodes, NULs and all. */
	if (strlen(utf8) != written || mostly_control_text(utf8))
		goto binary;
	if (text_only_whitespace(utf8))
		goto empty;
	return utf8;

binary:
	g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: not text (binary data)", name);
	goto out;
empty:
	g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s: empty", name);
out:
	g_free(utf8);
	return NULL;
}

