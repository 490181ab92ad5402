/*
 * replay.c — main() for a fuzz target built without libFuzzer: feeds it
 * each FILE given, and each file of each DIRECTORY given, once, and prints
 * "PASS <target>: N inputs" (tests/e2e/fuzz_corpus.sh). A crash, a leak
 * or a sanitizer report fails the run as it would in the fuzzer.
 */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>
#include <glib.h>

static unsigned replay_file(const char *path)
{
	char *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(path, &data, &len, &err)) {
		fprintf(stderr, "replay: %s\n", err->message);
		g_error_free(err);
		return 0;
	}
	/* A copy of exactly len bytes, so that ASan sees a read past the
	 * end (g_file_get_contents adds a NUL the fuzzer would not). */
	uint8_t *exact = g_memdup2(data, len ? len : 1);
	LLVMFuzzerTestOneInput(exact, len);
	g_free(exact);
	g_free(data);
	return 1;
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	for (int i = 1; i < argc; i++) {
		if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			n += replay_file(argv[i]);
			continue;
		}
		GDir *d = g_dir_open(argv[i], 0, NULL);
		const char *name;
		GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
		while (d && (name = g_dir_read_name(d)))
			g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
		if (d)
			g_dir_close(d);
		for (guint k = 0; k < names->len; k++)
			n += replay_file(g_ptr_array_index(names, k));
		g_ptr_array_unref(names);
	}
	printf("replayed %u input%s\n", n, n == 1 ? "" : "s");
	return n ? 0 : 1;
}
