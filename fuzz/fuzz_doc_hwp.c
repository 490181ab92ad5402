/* fuzz_doc_hwp.c — doc_extract() on an HWP 5 file: the compound-file
 * reader (header, DIFAT, FAT, mini FAT, directory tree, chains), the
 * FileHeader, DocInfo, scripts, sections inflated and decrypted, records
 * and PARA_TEXT controls. */
#include "fuzz.h"
#include "doc/doc.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file("input.hwp", data, size);
	char text[4096];
	snprintf(text, sizeof text, "%s.txt", path);
	doc_info info;
	GError *err = NULL;
	doc_extract(path, DOC_HWP, text, &info, &err);
	doc_info_clear(&info);
	g_clear_error(&err);
	return 0;
}
