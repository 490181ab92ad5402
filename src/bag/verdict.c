/*
 * bag/verdict.c — once the stream has ended, everything compared: manifests
 * against the files, every payload file in every payload manifest,
 * Payload-Oxum, this tool's profile (licence fields, access copies), and a
 * bundle's .sha256 sidecar.
 */
#include "vctx.h"

#include <inttypes.h>
#include <string.h>

/* Names a file's path may take on other disks: case folded (macOS and
 * Windows disks are case-insensitive) and NFC (macOS stores NFD). */
static char *path_fold(const char *p)
{
	char *nfc = g_utf8_normalize(p, -1, G_NORMALIZE_NFC);
	char *fold = nfc ? g_utf8_casefold(nfc, -1) : g_strdup(p);
	g_free(nfc);
	return fold;
}

static const char *const system_files[] = { ".DS_Store", "Thumbs.db", "desktop.ini" };

/* A missing file that loses nothing (see README, "Decisions"): another
 * name of a file that is there, listed with the same digest (the bag was
 * made on a case-insensitive or normalising disk, where both names are
 * one file), or an empty system file that copying tools leave behind.
 * Returns the warning's reason, or NULL when the absence is a problem. */
static char *missing_tolerated(vctx *v, manifest *m, const char *p)
{
	const char *hex = g_hash_table_lookup(m->hex, p);
	char *want = path_fold(p), *why = NULL;
	for (guint i = 0; !why && i < m->paths->len; i++) {
		const char *q = g_ptr_array_index(m->paths, i);
		if (strcmp(q, p) == 0 || !g_hash_table_contains(v->files, q))
			continue;
		char *fold = path_fold(q);
		if (strcmp(fold, want) == 0 && strcmp(g_hash_table_lookup(m->hex, q), hex) == 0) {
			why = g_strdup_printf("listed in %s but missing; the same digest is listed for %s, "
			                      "the same name on a case-insensitive or Unicode-normalising "
			                      "disk", m->name, q);
			g_hash_table_replace(v->tolerated, g_strdup(p), "alias");
		}
		g_free(fold);
	}
	g_free(want);
	if (why)
		return why;
	char *base = g_path_get_basename(p);
	for (size_t i = 0; i < G_N_ELEMENTS(system_files); i++) {
		char empty[HASH_HEX_MAX];
		hash_ctx *h;
		if (strcmp(base, system_files[i]) != 0)
			continue;
		h = hash_new(HASH_MASK(m->alg));
		hash_final_hex(h, m->alg, empty);
		hash_free(h);
		if (strcmp(empty, hex) == 0) {
			why = g_strdup_printf("listed in %s but missing: an empty system file, which "
			                      "copying tools drop; nothing is lost", m->name);
			g_hash_table_replace(v->tolerated, g_strdup(p), "empty");
		}
	}
	g_free(base);
	return why;
}

static void check_manifest_entries(vctx *v, manifest *m)
{
	for (guint i = 0; i < m->paths->len; i++) {
		const char *p = g_ptr_array_index(m->paths, i);
		file_rec *f = g_hash_table_lookup(v->files, p);
		if (!f) {
			char *why;
			/* After a break the file may simply lie beyond it. */
			if (v->broken)
				continue;
			if ((why = missing_tolerated(v, m, p))) {
				WARNING(v, p, "%s", why);
				g_free(why);
			} else {
				PROBLEM(v, p, "listed in %s but missing", m->name);
			}
			continue;
		}
		if (v->fast)
			continue;
		if (!(f->mask & HASH_MASK(m->alg))) {
			WARNING(v, p, "not checked against %s: the manifest follows the file", m->name);
			continue;
		}
		if (strcmp(f->hex[m->alg], g_hash_table_lookup(m->hex, p)) != 0)
			PROBLEM(v, p, "%s mismatch", hash_alg_name(m->alg));
	}
}

static void check_oxum(vctx *v, const char *info_name, const char *oxum, uint64_t bytes,
                       uint64_t count)
{
	guint64 ob, oc;
	/* An empty system file left behind was counted by the bag's maker. */
	GHashTableIter it;
	gpointer kind;
	uint64_t empties = 0;
	g_hash_table_iter_init(&it, v->tolerated);
	while (g_hash_table_iter_next(&it, NULL, &kind))
		empties += strcmp(kind, "empty") == 0;
	char **parts = g_strsplit(oxum, ".", -1);
	if (g_strv_length(parts) != 2 || !g_ascii_string_to_unsigned(parts[0], 10, 0, G_MAXUINT64, &ob, NULL) ||
	    !g_ascii_string_to_unsigned(parts[1], 10, 0, G_MAXUINT64, &oc, NULL))
		PROBLEM(v, info_name, "Payload-Oxum '%s' is not octets.count", oxum);
	else if ((ob != bytes || (oc != count && oc != count + empties)) && !v->broken)
		PROBLEM(v, info_name, "Payload-Oxum says %s, found %" PRIu64 ".%" PRIu64, oxum, bytes,
		        count);
	g_strfreev(parts);
}

void bag_verdict(vctx *v)
{
	bag_report *r = v->r;
	const char *info_name;
	char *enc = bag_tags_bagit_txt(v);
	GHashTable *info = bag_tags_bag_info(v, enc, &info_name);
	bag_tags_fetch(v, enc);
	int n_payload_manifests = 0;

	for (guint i = 0; i < v->manifests->len; i++) {
		manifest *m = g_ptr_array_index(v->manifests, i);
		bag_tags_manifest(v, m, enc);
		if (!m->tag)
			n_payload_manifests++;
	}

	/* What the stream held. */
	for (guint i = 0; i < v->order->len; i++) {
		const char *p = g_ptr_array_index(v->order, i);
		if (!g_str_has_prefix(p, "data/"))
			continue;
		file_rec *f = g_hash_table_lookup(v->files, p);
		r->payload_files++;
		r->payload_bytes += f->size;
	}

	if (n_payload_manifests == 0 && !v->broken)
		PROBLEM(v, "manifest-*.txt", "no payload manifest");
	for (guint i = 0; i < v->manifests->len; i++)
		check_manifest_entries(v, g_ptr_array_index(v->manifests, i));
	/* Every payload file in every payload manifest (RFC 8493 §3). */
	for (guint i = 0; i < v->order->len; i++) {
		const char *p = g_ptr_array_index(v->order, i);
		if (!g_str_has_prefix(p, "data/"))
			continue;
		for (guint k = 0; k < v->manifests->len; k++) {
			manifest *m = g_ptr_array_index(v->manifests, k);
			if (!m->tag && !g_hash_table_contains(m->hex, p))
				PROBLEM(v, p, "not in %s", m->name);
		}
	}

	if (info) {
		const char *oxum = g_hash_table_lookup(info, "Payload-Oxum");
		const char *agent = g_hash_table_lookup(info, "Bag-Software-Agent");
		if (oxum)
			check_oxum(v, info_name, oxum, r->payload_bytes, r->payload_files);
		r->ours = agent && g_str_has_prefix(agent, "archive/");
		if (r->ours) {
			static const char *const required[] = { "License", "License-Name", "License-URL",
			                                        "Payload-Oxum", "External-Identifier" };
			for (size_t i = 0; i < G_N_ELEMENTS(required); i++) {
				const char *val = g_hash_table_lookup(info, required[i]);
				if (!val || !*val)
					PROBLEM(v, info_name, "missing %s", required[i]);
			}
			const char *ext = g_hash_table_lookup(info, "External-Identifier");
			if (ext && *ext && r->id && strcmp(ext, r->id) != 0)
				PROBLEM(v, info_name, "External-Identifier '%s' is not the bag's name '%s'",
				        ext, r->id);
		}
	}

	/* Our access copies: the original's exact bytes plus an update. */
	if (r->ours) {
		for (guint i = 0; i < v->order->len; i++) {
			const char *p = g_ptr_array_index(v->order, i);
			file_rec *f = g_hash_table_lookup(v->files, p);
			if (f->access == ACCESS_NONE || f->access == ACCESS_OK)
				continue;
			char *orig = g_strconcat("data/attachments/", p + strlen("data/access/"), NULL);
			if (f->access == ACCESS_BAD)
				PROBLEM(v, p, "not the original plus an appended update");
			else if (!g_hash_table_contains(v->files, orig))
				PROBLEM(v, p, "no original %s", orig);
			else
				PROBLEM(v, p, "cannot be checked: it comes before %s", orig);
			g_free(orig);
		}
	}
	if (info)
		g_hash_table_unref(info);
	g_free(enc);
}

/* "<hex>  <name>" of FILE.sha256 against the raw bytes' sha256. */
void bag_verdict_sidecar(vctx *v, const char *sidecar)
{
	char *text = NULL, *hex = NULL;
	gsize len;
	char *name = g_path_get_basename(sidecar);
	char raw[HASH_HEX_MAX];
	if (!g_file_get_contents(sidecar, &text, &len, NULL)) {
		PROBLEM(v, name, "cannot be read");
		goto out;
	}
	size_t hl = strcspn(text, " \t\r\n");
	hex = g_ascii_strdown(text, (gssize)hl);
	if (!bag_hex_ok(hex, 64)) {
		PROBLEM(v, name, "not in sha256sum format");
		goto out;
	}
	hash_final_hex(v->raw_h, HASH_SHA256, raw);
	if (strcmp(raw, hex) != 0) {
		PROBLEM(v, name, "sha256 of the bundle differs");
		goto out;
	}
	const char *fn = text + hl + strspn(text + hl, " \t*");
	size_t fl = strcspn(fn, "\r\n");
	char *base = g_path_get_basename(v->path);
	if (fl != strlen(base) || strncmp(fn, base, fl) != 0)
		WARNING(v, name, "names '%.*s', not '%s'", (int)fl, fn, base);
	g_free(base);
out:
	g_free(hex);
	g_free(text);
	g_free(name);
}

