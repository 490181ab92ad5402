/* fuzz_release_text.c — release_parse() on a plain-text release document:
 * decoding (UTF-8, UTF-16, EUC-KR guessing), navigation, fields. */
#include "fuzz.h"
#include "release/release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	release_doc *doc = release_parse((const char *)data, size, "release.txt", &err);
	release_doc_free(doc);
	g_clear_error(&err);
	return 0;
}
