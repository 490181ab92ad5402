/* fuzz_doc_hwpx.c — doc_extract() on a zip package, read as HWPX and then
 * as ODT: libarchive's zip, the inflation bounds, libxml2 without DTDs,
 * the spine, sub-lists, scripts, and ODT's paragraphs and page breaks. */
#include "fuzz.h"
#include "doc/doc.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = fuzz_write_file("doc.zip", data, size);
	char *path = g_strdup(in);
	char *text = g_strconcat(path, ".txt", NULL);
	static const doc_format formats[] = { DOC_HWPX, DOC_ODT };
	for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
		doc_info info;
		GError *err = NULL;
		doc_extract(path, formats[i], text, &info, &err);
		g_clear_error(&err);
		doc_info_clear(&info);
	}
	g_free(text);
	g_free(path);
	return 0;
}
