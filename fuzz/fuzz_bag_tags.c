/*
 * fuzz_bag_tags.c — the tag-file parsers of bag_verify() reached directly.
 *
 * Mutating a .tar.gz mostly breaks the gzip stream; here the input is
 * split at its first NUL byte into bag-info.txt and manifest-sha256.txt
 * (the rest of the bag, bagit.txt and one payload file, is fixed) and the
 * bag is built as a plain tar in memory with libarchive, so every
 * execution reaches bag-info and manifest parsing, Payload-Oxum and the
 * manifest-entry checks.
 */
#include "fuzz.h"
#include "bag/verify.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

static void add(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_write_header(a, e);
	if (len)
		archive_write_data(a, data, len);
	archive_entry_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	static const char payload[] = "hello\n";
	const uint8_t *nul = memchr(data, 0, size);
	size_t info_len = nul ? (size_t)(nul - data) : size;
	const uint8_t *manifest = nul ? nul + 1 : data + size;
	size_t manifest_len = nul ? size - info_len - 1 : 0;

	size_t cap = size + 64 * 1024;
	char *buf = malloc(cap);
	size_t used = 0;
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open_memory(a, buf, cap, &used) == ARCHIVE_OK) {
		add(a, "bag/bagit.txt", bagit, strlen(bagit));
		add(a, "bag/bag-info.txt", data, info_len);
		add(a, "bag/manifest-sha256.txt", manifest, manifest_len);
		add(a, "bag/data/hello.txt", payload, strlen(payload));
		archive_write_close(a);
	}
	archive_write_free(a);

	const char *path = fuzz_write_file("bag.tar", (const uint8_t *)buf, used);
	bag_verify_opts fast = { .fast = true };
	bag_report_free(bag_verify(path, NULL));
	bag_report_free(bag_verify(path, &fast));
	free(buf);
	return 0;
}
