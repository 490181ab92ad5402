/* fuzz_release_html.c — release_parse() on an HTML release page: libxml2,
 * the charset it declares, chrome removal, meta dates, attachment links. */
#include "fuzz.h"
#include "release/release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	release_doc *doc = release_parse((const char *)data, size, "release.html", &err);
	release_doc_free(doc);
	g_clear_error(&err);
	return 0;
}
