/*
 * bag/tags.c — the tag files parsed: bagit.txt, bag-info.txt (or 0.93's
 * package-info.txt), the manifests and fetch.txt, in the encoding bagit.txt
 * names.
 */
#include "vctx.h"

#include <stdio.h>
#include <string.h>

#include "bag/path.h"

/* "manifest-<alg>.txt" or "tagmanifest-<alg>.txt" at the top of the bag. */
bool bag_manifest_name(const char *rel, bool *tag, char **alg)
{
	const char *p;
	if (g_str_has_prefix(rel, "manifest-"))
		*tag = false, p = rel + strlen("manifest-");
	else if (g_str_has_prefix(rel, "tagmanifest-"))
		*tag = true, p = rel + strlen("tagmanifest-");
	else
		return false;
	if (strchr(p, '/') || !g_str_has_suffix(p, ".txt") || strlen(p) <= 4)
		return false;
	*alg = g_strndup(p, strlen(p) - 4);
	return true;
}

bool bag_is_info_file(const char *rel)
{
	return strcmp(rel, "bagit.txt") == 0 || strcmp(rel, "bag-info.txt") == 0 ||
	       strcmp(rel, "package-info.txt") == 0 || strcmp(rel, "fetch.txt") == 0;
}

/* The text of a tag file as UTF-8 (caller frees), or NULL (problem noted).
 * A UTF-8 BOM is dropped; UTF-16 with a BOM and the encoding bagit.txt
 * names are converted. */
static char *tag_text(vctx *v, const char *name, const GString *raw, const char *encoding)
{
	const char *p = raw->str;
	gsize len = raw->len;
	char *out = NULL;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) {
		out = g_convert(p, (gssize)len, "UTF-8", "UTF-16", NULL, NULL, NULL);
		if (!out)
			PROBLEM(v, name, "cannot be decoded as UTF-16");
		return out;
	}
	if (encoding && g_ascii_strcasecmp(encoding, "UTF-8") != 0 &&
	    g_ascii_strcasecmp(encoding, "UTF8") != 0) {
		out = g_convert(p, (gssize)len, "UTF-8", encoding, NULL, NULL, NULL);
		if (!out)
			PROBLEM(v, name, "cannot be decoded as %s", encoding);
		return out;
	}
	if (memchr(p, '\0', len) || !g_utf8_validate(p, (gssize)len, NULL)) {
		PROBLEM(v, name, "not valid UTF-8");
		return g_utf8_make_valid(p, (gssize)len);
	}
	return g_strndup(p, len);
}

/* Lines without their CR/LF. */
static char **split_lines(const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		size_t n = strlen(*l);
		if (n > 0 && (*l)[n - 1] == '\r')
			(*l)[n - 1] = '\0';
	}
	return lines;
}

/* bagit.txt: exactly "BagIt-Version: M.N" and
 * "Tag-File-Character-Encoding: ENC"; returns the encoding (caller frees),
 * or NULL when it cannot be trusted. */
char *bag_tags_bagit_txt(vctx *v)
{
	GString *raw = g_hash_table_lookup(v->tag_texts, "bagit.txt");
	char *enc = NULL;
	if (!raw) {
		/* After a break it may lie beyond it: the break is the problem. */
		if (!v->broken)
			PROBLEM(v, "bagit.txt", "missing");
		return NULL;
	}
	/* RFC 8493 §2.1.1: bagit.txt is UTF-8 and must not start with a BOM. */
	if (raw->len >= 3 && memcmp(raw->str, "\xEF\xBB\xBF", 3) == 0) {
		PROBLEM(v, "bagit.txt", "starts with a byte order mark");
		return NULL;
	}
	if (memchr(raw->str, '\0', raw->len) || !g_utf8_validate(raw->str, (gssize)raw->len, NULL)) {
		PROBLEM(v, "bagit.txt", "not valid UTF-8");
		return NULL;
	}
	char **lines = split_lines(raw->str);
	bool version_seen = false;
	for (char **l = lines; *l; l++) {
		const char *s = *l;
		if (g_str_has_prefix(s, "BagIt-Version: ")) {
			const char *val = s + strlen("BagIt-Version: ");
			unsigned major, minor;
			if (!g_regex_match_simple("^[0-9]+\\.[0-9]+$", val, 0, 0))
				PROBLEM(v, "bagit.txt", "malformed BagIt-Version '%s'", val);
			else if (sscanf(val, "%u.%u", &major, &minor) == 2 && major < 1000 && minor < 1000)
				v->version = (int)(major * 1000 + minor);
			version_seen = true;
		} else if (g_str_has_prefix(s, "Tag-File-Character-Encoding: ")) {
			const char *val = s + strlen("Tag-File-Character-Encoding: ");
			if (!*val || strpbrk(val, " \t"))
				PROBLEM(v, "bagit.txt", "malformed Tag-File-Character-Encoding '%s'", val);
			else
				enc = g_strdup(val);
		} else if (*s) {
			PROBLEM(v, "bagit.txt", "malformed line '%s'", s);
		}
	}
	if (!version_seen)
		PROBLEM(v, "bagit.txt", "no BagIt-Version line");
	if (!enc) {
		bool had = false;
		for (char **l = lines; *l; l++)
			had |= g_str_has_prefix(*l, "Tag-File-Character-Encoding:");
		if (!had)
			PROBLEM(v, "bagit.txt", "no Tag-File-Character-Encoding line");
	}
	g_strfreev(lines);
	return enc;
}

/* bag-info.txt: "Label: value" with continuation lines. Returns the
 * fields as label → value (the first of repeated labels), or NULL when
 * there is no bag-info. */
GHashTable *bag_tags_bag_info(vctx *v, const char *encoding, const char **name_out)
{
	const char *name = "bag-info.txt";
	GString *raw = g_hash_table_lookup(v->tag_texts, name);
	if (!raw) {
		name = "package-info.txt"; /* BagIt 0.93 to 0.95 */
		raw = g_hash_table_lookup(v->tag_texts, name);
	}
	*name_out = name;
	if (!raw)
		return NULL;
	char *text = tag_text(v, name, raw, encoding);
	if (!text)
		return NULL;
	GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **lines = split_lines(text);
	GString *label = NULL, *value = NULL;
	int lineno = 0;
	for (char **l = lines;; l++) {
		const char *s = *l;
		lineno++;
		if (s && (*s == ' ' || *s == '\t')) {
			if (!label) {
				PROBLEM(v, name, "line %d: continuation without a label", lineno);
				continue;
			}
			g_string_append_c(value, ' ');
			g_string_append(value, s + strspn(s, " \t"));
			continue;
		}
		/* A new label (or the end): store the previous one. */
		if (label) {
			g_strstrip(value->str);
			value->len = strlen(value->str);
			if (!g_hash_table_contains(fields, label->str))
				g_hash_table_insert(fields, g_strdup(label->str), g_strdup(value->str));
			g_string_free(label, TRUE);
			g_string_free(value, TRUE);
			label = value = NULL;
		}
		if (!s)
			break;
		if (!*s)
			continue;
		const char *colon = strchr(s, ':');
		if (!colon || colon == s) {
			PROBLEM(v, name, "line %d: not 'Label: value'", lineno);
			continue;
		}
		label = g_string_new_len(s, colon - s);
		g_strstrip(label->str);
		label->len = strlen(label->str);
		value = g_string_new(colon + 1);
	}
	g_strfreev(lines);
	g_free(text);
	return fields;
}

bool bag_hex_ok(const char *s, size_t want)
{
	if (strlen(s) != want)
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isxdigit(*p))
			return false;
	return true;
}

void bag_tags_manifest(vctx *v, manifest *m, const char *encoding)
{
	char *text = tag_text(v, m->name, m->text, encoding);
	if (!text)
		return;
	char **lines = split_lines(text);
	int lineno = 0;
	for (char **l = lines; *l; l++) {
		const char *s = *l;
		lineno++;
		if (!*s)
			continue;
		size_t hl = strcspn(s, " \t");
		const char *rest = s + hl + strspn(s + hl, " \t");
		char *hex = g_ascii_strdown(s, (gssize)hl);
		char *path = NULL;
		if (!bag_hex_ok(hex, hash_alg_hexlen(m->alg)) || !*rest) {
			PROBLEM(v, m->name, "line %d: not '<%s> <path>'", lineno, hash_alg_name(m->alg));
			goto next;
		}
		/* md5sum's binary-mode marker and a leading "./" are common in
		 * bags made by hand; both mean the same file. */
		if (*rest == '*') {
			WARNING(v, m->name, "line %d: '*' before the path (md5sum binary mode)", lineno);
			rest++;
		}
		path = bag_decode_path(rest);
		char *p = path;
		while (g_str_has_prefix(p, "./"))
			p += 2;
		if (p != path)
			WARNING(v, m->name, "line %d: '%s' starts with './'", lineno, path);
		const char *why = bag_path_problem(p);
		if (why) {
			PROBLEM(v, m->name, "line %d: '%s' %s", lineno, p, why);
			goto next;
		}
		/*
		 * BagIt 0.97 and RFC 8493 (§2.1.3) say a payload manifest MUST
		 * NOT reference files outside the payload directory. 0.96 and
		 * before had no such rule, and bags of their day list tag files
		 * there (bagit-java's test bag bag-with-tagfiles-in-payload-
		 * manifest lists bag-info.txt); bagit-java and bagit-python
		 * accept those and check the line like any other. So for such
		 * a bag the line is kept, and checked, with a warning; the tag
		 * file does not become payload (verdict.c counts data/ alone).
		 */
		if (!m->tag && !g_str_has_prefix(p, "data/")) {
			if (v->version == 0 || v->version >= 97) {
				PROBLEM(v, m->name, "line %d: '%s' is not in data/", lineno, p);
				goto next;
			}
			WARNING(v, m->name,
			        "line %d: '%s' is not in data/: a tag file in the payload manifest, which "
			        "BagIt 0.96 and before allowed (0.97 and RFC 8493 forbid it); its "
			        "checksum is checked",
			        lineno, p);
		}
		const char *seen = g_hash_table_lookup(m->hex, p);
		if (seen) {
			/* Before 1.0 a repeated line with the same digest was only
			 * sloppy; RFC 8493 §2.1.3 makes every path appear once. */
			if (strcmp(seen, hex) == 0 && v->version > 0 && v->version < 1000)
				WARNING(v, m->name, "'%s' listed twice", p);
			else
				PROBLEM(v, m->name, "'%s' listed twice", p);
			goto next;
		}
		char *key = g_strdup(p);
		g_ptr_array_add(m->paths, key);
		g_hash_table_insert(m->hex, key, hex);
		hex = NULL;
	next:
		g_free(hex);
		g_free(path);
	}
	g_strfreev(lines);
	g_free(text);
}

/* fetch.txt: "<url> <length> <path>". Nothing is fetched; the paths must
 * still stay inside the payload, as a tool that fetches would write them. */
void bag_tags_fetch(vctx *v, const char *encoding)
{
	GString *raw = g_hash_table_lookup(v->tag_texts, "fetch.txt");
	if (!raw)
		return;
	char *text = tag_text(v, "fetch.txt", raw, encoding);
	if (!text)
		return;
	char **lines = split_lines(text);
	int lineno = 0;
	for (char **l = lines; *l; l++) {
		lineno++;
		const char *s = *l;
		if (!*s)
			continue;
		size_t n1 = strcspn(s, " \t");
		const char *len = s + n1 + strspn(s + n1, " \t");
		size_t n2 = strcspn(len, " \t");
		const char *rest = len + n2 + strspn(len + n2, " \t");
		if (!n1 || !n2 || !*rest) {
			PROBLEM(v, "fetch.txt", "line %d: not '<url> <length> <path>'", lineno);
			continue;
		}
		char *path = bag_decode_path(rest);
		const char *why = bag_path_problem(path);
		if (why)
			PROBLEM(v, "fetch.txt", "line %d: '%s' %s", lineno, path, why);
		else if (!g_str_has_prefix(path, "data/"))
			PROBLEM(v, "fetch.txt", "line %d: '%s' is not a path in data/", lineno, path);
		g_free(path);
	}
	g_strfreev(lines);
	g_free(text);
}

