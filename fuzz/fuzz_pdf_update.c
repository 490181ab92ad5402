/* fuzz_pdf_update.c — pdf_info_update() on a hostile PDF: the startxref,
 * cross-reference tables and streams (inflated, PNG predictors undone),
 * the /Prev chain, the trailer and the Info dictionary's lexing. */
#include "fuzz.h"
#include "pdf/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const pdf_info_fields f = { "KOGL-Type-1; 공공누리 제1유형", "제목 (a title)", "기관" };
	const char *why = NULL;
	GByteArray *u = pdf_info_update(data, size, &f, &why);
	if (u)
		g_byte_array_unref(u);
	return 0;
}
