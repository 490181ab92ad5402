/*
 * fuzz.h — what the fuzz targets share.
 *
 * Each fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput(), libFuzzer's
 * entry. `make fuzz` links it with libFuzzer (clang); `make san` links the
 * same file with fuzz/replay.c instead, a main() that feeds it every file
 * of fuzz/corpus/<name>/, so that CI replays the corpus (and every crash
 * once found) under ASan and UBSan with the ordinary compiler.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Write data to a fresh file named "<dir>/<name>" in a private scratch
 * directory (made once per process under $TMPDIR) and return its path
 * (static storage, overwritten by the next call). Aborts when the disk
 * says no: a fuzz run that cannot write its input is not testing anything.
 */
const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size);

#endif
