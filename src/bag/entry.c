/*
 * bag/entry.c — an entry of a bag as it streams by: hashed with the algorithms
 * the manifests seen so far ask for, tag files kept for tags.c, access copies
 * checked against their original's first bytes, all within the limits that
 * stop a decompression bomb.
 */
#include "vctx.h"

#include <inttypes.h>
#include <string.h>

void bag_file_rec_free(gpointer p)
{
	file_rec *f = p;
	for (int i = 0; i < HASH_N; i++)
		g_free(f->hex[i]);
	g_free(f);
}

void bag_manifest_free(gpointer p)
{
	manifest *m = p;
	g_free(m->name);
	if (m->text)
		g_string_free(m->text, TRUE);
	g_ptr_array_unref(m->paths);
	g_hash_table_unref(m->hex);
	g_free(m);
}

void bag_gstring_free(gpointer p) { g_string_free(p, TRUE); }

void bag_entry_begin(vctx *v, const char *rel)
{
	bool payload = g_str_has_prefix(rel, "data/");
	unsigned mask = 0;
	bool tag = false;
	char *alg_name = NULL;

	v->cur = g_strdup(rel);
	v->cur_rec = g_new0(file_rec, 1);
	if (!v->fast) {
		if (payload)
			mask = v->payload_manifest_seen ? v->payload_algs : ALL_ALGS;
		else /* a pre-0.97 payload manifest may list a tag file too (tags.c) */
			mask = (v->tag_manifest_seen ? v->tag_algs : ALL_ALGS) | v->payload_algs;
		/* An original's sha256 is what its access copy must start with. */
		if (g_str_has_prefix(rel, "data/attachments/"))
			mask |= HASH_MASK(HASH_SHA256);
	}
	v->cur_rec->mask = mask;
	if (mask)
		v->cur_h = hash_new(mask);

	if (g_str_has_prefix(rel, "data/access/")) {
		char *orig = g_strconcat("data/attachments/", rel + strlen("data/access/"), NULL);
		file_rec *o = g_hash_table_lookup(v->files, orig);
		v->cur_rec->access = ACCESS_UNCHECKED;
		if (o) {
			v->prefix_len = o->size;
			v->prefix_want = o->hex[HASH_SHA256];
			/* When the entry's own digests include sha256, the
			 * prefix's is theirs copied where the prefix ends
			 * (bag_entry_data): no second pass over those bytes. */
			v->prefix_from_h = v->prefix_want && (mask & HASH_MASK(HASH_SHA256));
			if (v->prefix_from_h && v->prefix_len == 0)
				v->cur_prefix = hash_dup(v->cur_h);
			else if (v->prefix_want && !v->prefix_from_h)
				v->cur_prefix = hash_new(HASH_MASK(HASH_SHA256));
		}
		g_free(orig);
	}

	if (bag_manifest_name(rel, &tag, &alg_name)) {
		hash_alg alg;
		if (!hash_alg_from_name(alg_name, &alg)) {
			WARNING(v, rel, "unsupported algorithm '%s': not checked", alg_name);
		} else {
			manifest *m = g_new0(manifest, 1);
			m->name = g_strdup(rel);
			m->alg = alg;
			m->tag = tag;
			m->paths = g_ptr_array_new_with_free_func(g_free);
			m->hex = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
			m->text = g_string_new(NULL);
			g_ptr_array_add(v->manifests, m);
			v->cur_text = m->text;
			/* From now on files of this kind need this algorithm. */
			if (tag) {
				v->tag_algs |= HASH_MASK(alg);
				v->tag_manifest_seen = true;
			} else {
				v->payload_algs |= HASH_MASK(alg);
				v->payload_manifest_seen = true;
			}
		}
	} else if (bag_is_info_file(rel)) {
		v->cur_text = g_string_new(NULL);
		g_hash_table_replace(v->tag_texts, g_strdup(rel), v->cur_text);
	}
	g_free(alg_name);
}

/* Whether `more` further entry bytes pass the decompression limits (see
 * BOMB_SLACK); when they do, the entry is named and reading stops. claim:
 * the bytes are only announced by a header, not yet read, so the ratio
 * (which is known only as the data flows) cannot be judged. */
bool bag_over_budget(vctx *v, const char *file, uint64_t more, bool claim)
{
	if (v->fd < 0)
		return false; /* a directory: nothing is decompressed */
	uint64_t total = v->unpacked + more;
	if (total < v->unpacked)
		total = UINT64_MAX;
	/* The compressed bytes consumed so far: for gzip, what zlib has
	 * taken (not what it holds unread); else what libarchive read. */
	uint64_t in = v->gz ? v->raw_in - v->zs.avail_in : v->raw_in;
	if (!claim && total <= in)
		return false; /* no more out than in: not compressed at all */
	if (v->oxum_known) {
		uint64_t cap = v->oxum_bytes > (UINT64_MAX - BOMB_SLACK) / 2
		                       ? UINT64_MAX : 2 * v->oxum_bytes + BOMB_SLACK;
		if (total <= cap)
			return false;
		PROBLEM(v, file,
		        "decompresses to more than Payload-Oxum allows (%" PRIu64 " bytes of payload said, "
		        "more than %" PRIu64 " bytes unpacked): a decompression bomb or a wrong "
		        "Payload-Oxum; not read further",
		        v->oxum_bytes, cap);
	} else {
		if (claim || total <= BOMB_SLACK || total / BOMB_RATIO <= in)
			return false;
		PROBLEM(v, file,
		        "decompresses beyond %llu times its size (%" PRIu64 " bytes from %" PRIu64
		        "): a decompression bomb; not read further",
		        BOMB_RATIO, total, in);
	}
	v->stop = true;
	return true;
}

void bag_entry_data(vctx *v, const void *data, size_t len)
{
	if (bag_over_budget(v, v->cur, len, false))
		return;
	v->unpacked += len;
	if (v->cur_h && v->prefix_from_h && !v->cur_prefix &&
	    v->cur_rec->size + len >= v->prefix_len) {
		size_t head = (size_t)(v->prefix_len - v->cur_rec->size);
		hash_update(v->cur_h, data, head);
		v->cur_prefix = hash_dup(v->cur_h);
		hash_update(v->cur_h, (const unsigned char *)data + head, len - head);
	} else if (v->cur_h) {
		hash_update(v->cur_h, data, len);
	}
	if (v->cur_prefix && !v->prefix_from_h && v->cur_rec->size < v->prefix_len) {
		uint64_t room = v->prefix_len - v->cur_rec->size;
		hash_update(v->cur_prefix, data, len < room ? len : (size_t)room);
	}
	if (v->cur_text && !v->cur_text_too_big) {
		if (v->cur_text->len + len > TAG_TEXT_MAX) {
			v->cur_text_too_big = true;
			PROBLEM(v, v->cur, "too large to be a tag file");
			g_string_truncate(v->cur_text, 0);
		} else {
			g_string_append_len(v->cur_text, data, (gssize)len);
		}
	}
	v->cur_rec->size += len;
}

void bag_entry_reset(vctx *v)
{
	g_clear_pointer(&v->cur, g_free);
	hash_free(v->cur_h);
	hash_free(v->cur_prefix);
	v->cur_h = v->cur_prefix = NULL;
	v->cur_text = NULL;
	v->cur_text_too_big = false;
	v->prefix_len = 0;
	v->prefix_want = NULL;
	v->prefix_from_h = false;
}

/* Payload-Oxum as soon as bag-info.txt has streamed by, for the
 * decompression limit; bag_verdict() judges the field itself. */
static void early_oxum(vctx *v, const GString *text)
{
	if (!text)
		return;
	const char *p = text->str;
	while (p) {
		guint64 bytes;
		if (g_ascii_strncasecmp(p, "Payload-Oxum:", 13) == 0) {
			const char *q = p + 13 + strspn(p + 13, " \t");
			char *end;
			bytes = g_ascii_strtoull(q, &end, 10);
			if (end != q && *end == '.') {
				v->oxum_bytes = bytes;
				v->oxum_known = true;
			}
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/* complete: all bytes arrived. A file cut short by a broken stream is not
 * recorded: its digests would prove nothing. */
void bag_entry_end(vctx *v, bool complete)
{
	file_rec *f = v->cur_rec;
	v->cur_rec = NULL;
	if (!complete) {
		bag_file_rec_free(f);
		bag_entry_reset(v);
		return;
	}
	for (int i = 0; i < HASH_N; i++)
		if (f->mask & HASH_MASK(i)) {
			char hex[HASH_HEX_MAX];
			hash_final_hex(v->cur_h, (hash_alg)i, hex);
			f->hex[i] = g_strdup(hex);
		}
	if (f->access == ACCESS_UNCHECKED) {
		char *orig = g_strconcat("data/attachments/", v->cur + strlen("data/access/"), NULL);
		file_rec *o = g_hash_table_lookup(v->files, orig);
		if (o && (v->cur_prefix || v->prefix_from_h)) {
			/* No copy of the running digest: it never reached the
			 * original's length. */
			char hex[HASH_HEX_MAX] = "";
			if (v->cur_prefix)
				hash_final_hex(v->cur_prefix, HASH_SHA256, hex);
			f->access = f->size > o->size && strcmp(hex, v->prefix_want) == 0
			                    ? ACCESS_OK : ACCESS_BAD;
		} else if (o && v->fast) {
			/* --fast reads no checksums: the sizes are all we can say. */
			f->access = f->size > o->size ? ACCESS_OK : ACCESS_BAD;
		}
		g_free(orig);
	}
	if (!v->oxum_known && (strcmp(v->cur, "bag-info.txt") == 0 ||
	                       strcmp(v->cur, "package-info.txt") == 0))
		early_oxum(v, g_hash_table_lookup(v->tag_texts, v->cur));
	g_hash_table_insert(v->files, v->cur, f);
	g_ptr_array_add(v->order, v->cur);
	v->cur = NULL; /* now owned by files */
	bag_entry_reset(v);
}

/* Whether the bytes of the entry matter; in --fast mode payload files are
 * only counted, so a directory walk need not even open them. */
bool bag_entry_needs_data(vctx *v)
{
	return v->cur_h || v->cur_text || v->cur_prefix;
}

