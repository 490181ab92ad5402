/* Unit tests: the compound-file reader (src/doc/cfb.c) on tiny files built
 * here byte by byte, each broken in one way. */
#include <unistd.h>
#include "unit.h"
#include "core/errors.h"
#include "../../src/doc/cfb.h"

#define SS 512
#define N_SECT 14 /* after the header */
#define FREE 0xFFFFFFFFu
#define END 0xFFFFFFFEu
#define FATSECT 0xFFFFFFFDu

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *sector(uint8_t *f, uint32_t sid) { return f + (sid + 1) * SS; }

static void dirent(uint8_t *e, const char *name, uint8_t type, uint32_t left, uint32_t right,
                   uint32_t child, uint32_t start, uint32_t size)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++)
		put16(e + 2 * i, (uint8_t)name[i]);
	put16(e + 64, (uint16_t)(2 * n + 2));
	e[66] = type;
	put32(e + 68, left);
	put32(e + 72, right);
	put32(e + 76, child);
	put32(e + 116, start);
	put32(e + 120, size);
}

/*
 * Sector 0 the FAT, 1 the directory, 2-11 stream "A" (5000 bytes, byte i
 * = i % 251), 12 the mini stream (128 bytes), 13 the mini FAT; "b" is 100
 * bytes in mini sectors 0-1 (byte i = 'b' + i % 7).
 */
static uint8_t *tiny(void)
{
	uint8_t *f = g_malloc0((N_SECT + 1) * SS);
	static const uint8_t sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	memcpy(f, sig, 8);
	put16(f + 0x18, 0x3E);
	put16(f + 0x1A, 3);
	put16(f + 0x1C, 0xFFFE);
	put16(f + 0x1E, 9);
	put16(f + 0x20, 6);
	put32(f + 0x2C, 1);
	put32(f + 0x30, 1);
	put32(f + 0x38, 4096);
	put32(f + 0x3C, 13);
	put32(f + 0x40, 1);
	put32(f + 0x44, END);
	for (int i = 0; i < 109; i++)
		put32(f + 0x4C + 4 * i, i ? FREE : 0);
	uint8_t *fat = sector(f, 0);
	for (uint32_t i = 0; i < SS / 4; i++)
		put32(fat + 4 * i, FREE);
	put32(fat, FATSECT);
	put32(fat + 4, END);
	for (uint32_t i = 2; i < 11; i++)
		put32(fat + 4 * i, i + 1);
	put32(fat + 4 * 11, END);
	put32(fat + 4 * 12, END);
	put32(fat + 4 * 13, END);
	uint8_t *d = sector(f, 1);
	for (int i = 0; i < 4; i++)
		put32(d + 128 * i + 68, FREE), put32(d + 128 * i + 72, FREE), put32(d + 128 * i + 76, FREE);
	dirent(d, "Root Entry", 5, FREE, FREE, 1, 12, 128);
	dirent(d + 128, "A", 2, FREE, 2, FREE, 2, 5000);
	dirent(d + 256, "b", 2, FREE, FREE, FREE, 0, 100);
	for (int i = 0; i < 5000; i++)
		sector(f, 2)[i] = (uint8_t)(i % 251);
	for (int i = 0; i < 100; i++)
		sector(f, 12)[i] = (uint8_t)('b' + i % 7);
	uint8_t *mf = sector(f, 13);
	for (uint32_t i = 0; i < SS / 4; i++)
		put32(mf + 4 * i, FREE);
	put32(mf, 1);
	put32(mf + 4, END);
	return f;
}

static char *dir;

static char *write_tmp(const uint8_t *f, size_t len)
{
	if (!dir)
		dir = unit_tmpdir();
	char *p = g_build_filename(dir, "t.cfb", NULL);
	if (!g_file_set_contents(p, (const char *)f, (gssize)len, NULL))
		exit(2);
	return p;
}

/* Open the (broken) file; expect failure naming want, or success if NULL. */
static cfb *open_expect(uint8_t *f, size_t len, const char *want)
{
	char *p = write_tmp(f, len);
	GError *err = NULL;
	cfb *c = cfb_open(p, &err);
	if (want) {
		EXPECT(c == NULL);
		EXPECT(err && err->domain == ARC_ERROR && err->code == ARC_ERROR_INPUT);
		if (err && !strstr(err->message, want)) {
			fprintf(stderr, "message \"%s\", want \"%s\"\n", err->message, want);
			unit_failed_now = 1;
		}
	} else if (!c) {
		fprintf(stderr, "cfb_open: %s\n", err ? err->message : "?");
		unit_failed_now = 1;
	}
	g_clear_error(&err);
	g_free(p);
	return c;
}

static void read_expect(cfb *c, const char *path, const char *want)
{
	GError *err = NULL;
	uint8_t *d = NULL;
	size_t n = 0;
	bool ok = cfb_read(c, cfb_lookup(c, path), path, &d, &n, &err);
	EXPECT(!ok);
	EXPECT(d == NULL);
	if (!err || !strstr(err->message, want)) {
		fprintf(stderr, "message \"%s\", want \"%s\"\n", err ? err->message : "(none)", want);
		unit_failed_now = 1;
	}
	g_clear_error(&err);
}

TEST(reads_regular_and_mini_streams)
{
	uint8_t *f = tiny();
	cfb *c = open_expect(f, (N_SECT + 1) * SS, NULL);
	if (!c)
		return;
	EXPECT(cfb_lookup(c, "A") != CFB_NONE);
	EXPECT(cfb_lookup(c, "a") == cfb_lookup(c, "A")); /* CFB compares without case */
	EXPECT(cfb_lookup(c, "c") == CFB_NONE);
	EXPECT(cfb_lookup(c, "A/b") == CFB_NONE); /* b is beside A, not in it */
	EXPECT_INT(cfb_lookup(c, ""), 0);
	GArray *kids = cfb_children(c, 0);
	EXPECT_INT(kids->len, 2);
	g_array_free(kids, TRUE);
	uint8_t *d;
	size_t n;
	GError *err = NULL;
	EXPECT(cfb_read(c, cfb_lookup(c, "A"), "A", &d, &n, &err));
	EXPECT_INT(n, 5000);
	bool same = n == 5000;
	for (size_t i = 0; same && i < n; i++)
		same = d[i] == (uint8_t)(i % 251);
	EXPECT(same);
	g_free(d);
	EXPECT(cfb_read(c, cfb_lookup(c, "b"), "b", &d, &n, &err));
	EXPECT_INT(n, 100);
	EXPECT(n == 100 && d[0] == 'b' && d[99] == 'b' + 99 % 7 && d[64] == 'b' + 64 % 7);
	g_free(d);
	EXPECT(!cfb_read(c, 0, "root", &d, &n, &err)); /* the root is no stream */
	g_clear_error(&err);
	cfb_close(c);
	g_free(f);
}

TEST(refuses_bad_headers)
{
	uint8_t *f = tiny();
	size_t len = (N_SECT + 1) * SS;
	f[0] = 0;
	open_expect(f, len, "not a compound file");
	f[0] = 0xD0;
	put16(f + 0x1C, 0xFEFF);
	open_expect(f, len, "byte order");
	put16(f + 0x1C, 0xFFFE);
	put16(f + 0x1E, 12); /* version 3 with 4096-byte sectors */
	open_expect(f, len, "version 3 with sector shift 12");
	put16(f + 0x1E, 9);
	put32(f + 0x38, 8192);
	open_expect(f, len, "mini stream cutoff 8192");
	put32(f + 0x38, 4096);
	put32(f + 0x2C, 1000);
	open_expect(f, len, "1000 FAT sectors");
	put32(f + 0x2C, 1);
	open_expect(f, 300, "shorter than a compound file header");
	g_free(f);
}

TEST(refuses_loops_and_strays_at_open)
{
	uint8_t *f = tiny();
	size_t len = (N_SECT + 1) * SS;
	put32(sector(f, 0) + 4, 1); /* the directory's sector names itself next */
	open_expect(f, len, "FAT chain loops at sector 1");
	put32(sector(f, 0) + 4, 500);
	open_expect(f, len, "sector 500 beyond the end of the file");
	put32(sector(f, 0) + 4, END);
	put32(sector(f, 1) + 128 + 72, 1); /* A's right sibling is A */
	open_expect(f, len, "directory tree loops at entry 1");
	put32(sector(f, 1) + 128 + 72, 77);
	open_expect(f, len, "directory entry 77 beyond");
	put32(sector(f, 1) + 128 + 72, 3); /* an empty entry in the tree */
	open_expect(f, len, "entry 3 of type 0");
	put32(sector(f, 1) + 128 + 72, 2);
	sector(f, 1)[66] = 1; /* entry 0 no root */
	open_expect(f, len, "no root entry");
	g_free(f);
}

TEST(refuses_broken_streams_at_read)
{
	uint8_t *f = tiny();
	size_t len = (N_SECT + 1) * SS;
	put32(sector(f, 0) + 4 * 6, 3); /* A: 2 3 4 5 6 -> 3 */
	cfb *c = open_expect(f, len, NULL);
	if (c) {
		read_expect(c, "A", "FAT chain loops at sector 3");
		cfb_close(c);
	}
	put32(sector(f, 0) + 4 * 6, END); /* A ends after 5 of 10 sectors */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "A", "ends after 5 of 10 sectors");
		cfb_close(c);
	}
	put32(sector(f, 0) + 4 * 6, 7);
	put32(sector(f, 1) + 128 + 120, 70u << 20); /* A declares 70 MiB */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "A", "larger than 64 MiB");
		cfb_close(c);
	}
	put32(sector(f, 1) + 128 + 120, 40000); /* more than the file has */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "A", "more than the file has");
		cfb_close(c);
	}
	put32(sector(f, 1) + 128 + 120, 5000);
	put32(sector(f, 13), 9); /* b's second mini sector is past the 2 there are */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "b", "mini sector 9 beyond the mini stream");
		cfb_close(c);
	}
	put32(sector(f, 13) + 4 * 9, END);
	put32(sector(f, 13), 0); /* mini chain 0 -> 0 */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "b", "mini FAT chain loops at sector 0");
		cfb_close(c);
	}
	put32(sector(f, 13), 1);
	put32(sector(f, 1) + 116, 400); /* the mini stream starts past the end */
	if ((c = open_expect(f, len, NULL))) {
		read_expect(c, "b", "sector 400 beyond the end of the file");
		cfb_close(c);
	}
	put32(sector(f, 1) + 116, 12);
	open_expect(f, len - 600, "sector 13 beyond the end of the file"); /* the mini FAT cut off */
	g_free(f);
}

UNIT_MAIN(reads_regular_and_mini_streams, refuses_bad_headers, refuses_loops_and_strays_at_open,
          refuses_broken_streams_at_read)
