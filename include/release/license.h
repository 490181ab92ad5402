/*
 * release/license.h — the Korea Open Government License (KOGL, 공공누리) types 1–4:
 * their names and URLs (SPEC, "KOGL"), and detection of a licence statement
 * in English or Korean text.
 *
 * Everything returned points into static tables, except the statement
 * returned by kogl_detect (caller frees with g_free).
 */
#ifndef ARC_LICENSE_H
#define ARC_LICENSE_H

typedef struct {
	int type;             /* 1..4 */
	const char *id;       /* "KOGL-Type-1" (bag-info License) */
	const char *name_en;  /* "Type 1: Source Indication" */
	const char *name_ko;  /* "제1유형: 출처표시" */
	const char *url;      /* "https://www.kogl.or.kr/info/licenseType1.do" */
} kogl_license;

/* The licence of type 1..4, or NULL for any other number. */
const kogl_license *kogl_get(int type);

/* "kogl-1" … "kogl-4" (as --license and archive.conf take it, any case),
 * also "KOGL-Type-1" … : the type, or 0 when the name is none of these. */
int kogl_parse_name(const char *name);

/*
 * Find a KOGL statement in UTF-8 text: English ("KOGL Korea Open Government
 * License, BY Type 1 : Source Indication", "KOGL Type 4") or Korean
 * ("공공누리 제1유형", "공공누리 \"출처표시\" 조건", "제4유형 : 출처표시+상업적이용금지+변경금지").
 * Also recognises a statement by its conditions alone ("Source Indication +
 * Commercial Use Prohibition", "출처표시+변경금지"). Returns the type 1..4, or
 * 0 when the text holds none. When statement is not NULL and a type is found,
 * *statement receives the matched line, trimmed (caller frees).
 * When the text states two different types, the first statement wins;
 * kogl_detect_all tells whether they disagree.
 */
int kogl_detect(const char *text, char **statement);

/* Bit mask of every KOGL type stated anywhere in text (bit N for type N). */
unsigned kogl_detect_all(const char *text);

/* Compile the detection patterns now (they are compiled once per process,
 * on first use otherwise): called before forking, so that children share
 * them instead of each compiling its own. */
void kogl_init(void);

#endif
