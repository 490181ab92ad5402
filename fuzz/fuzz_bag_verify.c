/*
 * fuzz_bag_verify.c — bag_verify() on a mutated serialised bag. The input
 * is the whole file (a .tar.gz, .tar or .zip: libarchive detects which), so
 * this reaches the decompressors, entry-name checks, and every tag-file
 * parser behind them. Both the full and the --fast verification run.
 */
#include "fuzz.h"
#include "bag/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file("bag.tar.gz", data, size);
	bag_verify_opts fast = { .fast = true };
	bag_report_free(bag_verify(path, NULL));
	bag_report_free(bag_verify(path, &fast));
	return 0;
}
