/* Unit tests: linear normalisation agrees with GLib's; control characters
 * stripped and escaped. */
#include "unit.h"
#include "core/text.h"

/* Characters that compose, reorder or stay: ASCII, syllables, conjoining
 * jamo (L, V, T), combining marks of several classes, an Indic vowel sign
 * that composes as a starter, a compatibility ideograph, full-width. */
static const gunichar alphabet[] = { 'a', 'e', ' ', '.', 0xAC00, 0xAC01, 0xD7A3, 0x1100,
	                             0x1161, 0x11A8, 0x0301, 0x0323, 0x0308, 0x09C7, 0x09BE,
	                             0xF900, 0xFF21, 0x00C5, 0x212B, 0x1E0A, 0x3099, 0x304B };

static char *random_text(guint32 *x, size_t n)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		*x ^= *x << 13, *x ^= *x >> 17, *x ^= *x << 5;
		g_string_append_unichar(s, alphabet[*x % G_N_ELEMENTS(alphabet)]);
	}
	return g_string_free(s, FALSE);
}

TEST(normalize_agrees_with_glib)
{
	guint32 x = 2463534242u;
	const GNormalizeMode modes[] = { G_NORMALIZE_NFC, G_NORMALIZE_NFKC };
	for (int round = 0; round < 400; round++) {
		char *s = random_text(&x, 1 + round % 97);
		for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
			char *want = g_utf8_normalize(s, -1, modes[m]);
			char *got = text_normalize(s, -1, modes[m]);
			EXPECT_STR(got, want);
			g_free(want);
			g_free(got);
		}
		g_free(s);
	}
}

/* A run longer than a piece, with no plain character in it: cut at a
 * starter that composes with nothing before it, and still exact. */
TEST(normalize_long_runs_of_jamo_and_marks)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 3000; i++) {
		g_string_append_unichar(s, 0x1100 + i % 19); /* L */
		g_string_append_unichar(s, 0x1161 + i % 21); /* V */
		if (i % 3 == 0)
			g_string_append_unichar(s, 0x11A8); /* T */
		if (i % 5 == 0)
			g_string_append_unichar(s, 0x0301);
	}
	char *want = g_utf8_normalize(s->str, -1, G_NORMALIZE_NFC);
	char *got = text_normalize(s->str, -1, G_NORMALIZE_NFC);
	EXPECT_STR(got, want);
	g_free(want);
	g_free(got);
	g_string_free(s, TRUE);
}

TEST(normalize_refuses_invalid_utf8)
{
	EXPECT(text_normalize("a\xba\xd9", -1, G_NORMALIZE_NFC) == NULL);
	char *s = text_normalize("e\xcc\x81", 3, G_NORMALIZE_NFC);
	EXPECT_STR(s, "\xc3\xa9");
	g_free(s);
}

TEST(controls_stripped)
{
	char *s = text_strip_controls("a\x1b[31mb\x07\x01\tc\nd\x7f\xc2\x9b" "e", false);
	EXPECT_STR(s, "a[31mb\tc\nde");
	g_free(s);
	s = text_strip_controls("보도\n자료\r", true);
	EXPECT_STR(s, "보도자료");
	g_free(s);
}

TEST(escaped_for_a_terminal)
{
	char *s = text_escape("\xba\xd9.pdf", true);
	EXPECT_STR(s, "\\xba\\xd9.pdf");
	g_free(s);
	s = text_escape("t\x1b]0;x\x07 \xc2\x9b 한글\tok\n", true);
	EXPECT_STR(s, "t\\x1b]0;x\\x07 \\u009b 한글\tok\\x0a");
	g_free(s);
	s = text_escape("two\nlines", false);
	EXPECT_STR(s, "two\nlines");
	g_free(s);
}

TEST(utf8_locale_for_libarchive)
{
	locale_t old = text_utf8_locale_begin();
	EXPECT(MB_CUR_MAX > 1);
	text_utf8_locale_end(old);
}

UNIT_MAIN(normalize_agrees_with_glib, normalize_long_runs_of_jamo_and_marks,
          normalize_refuses_invalid_utf8, controls_stripped, escaped_for_a_terminal,
          utf8_locale_for_libarchive)
