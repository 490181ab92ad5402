/*
 * log/merkle.c — RFC 6962 tree hashes and proofs from complete subtrees.
 *
 * Digests go through libcrypto directly rather than core/hash: that
 * module gives hex digests of one buffer, and a Merkle node is the raw
 * digest of a prefix byte and two raw digests.
 *
 * Every range the RFC's recursions ask the hash of starts at a multiple
 * of a power of two at least as large as the range (the left part of a
 * split is a power of two, and the right part is no larger). So the
 * range splits, by the binary decomposition of its length, into aligned
 * complete subtrees: one call of get per set bit.
 */
#include "log/merkle.h"
#include "core/errors.h"

#include <inttypes.h>
#include <string.h>
#include <openssl/evp.h>

/* SHA-256(prefix || a || b); out may be a or b. */
static void sha256_prefixed(uint8_t prefix, const void *a, size_t alen, const void *b, size_t blen,
                            merkle_hash out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	/* Allocation failure inside OpenSSL is as fatal as g_new's. */
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, &prefix, 1) ||
	    !EVP_DigestUpdate(c, a, alen) || !EVP_DigestUpdate(c, b, blen) ||
	    !EVP_DigestFinal_ex(c, out, NULL))
		g_error("merkle: sha256 failed");
	EVP_MD_CTX_free(c);
}

void merkle_leaf_hash(const void *entry, size_t len, merkle_hash out)
{
	sha256_prefixed(0x00, entry, len, NULL, 0, out);
}

void merkle_node_hash(const merkle_hash l, const merkle_hash r, merkle_hash out)
{
	sha256_prefixed(0x01, l, sizeof(merkle_hash), r, sizeof(merkle_hash), out);
}

void merkle_empty_root(merkle_hash out)
{
	if (!EVP_Digest("", 0, out, NULL, EVP_sha256(), NULL))
		g_error("merkle: sha256 failed");
}

/* The largest power of two strictly below s (s >= 2): where RFC 6962 splits. */
static uint64_t split_point(uint64_t s)
{
	return UINT64_C(1) << (63 - __builtin_clzll(s - 1));
}

/* MTH(D[lo:hi]), hi > lo, lo aligned as said at the top. The subtrees
 * are taken right to left, the order in which they are folded. */
static bool range_hash(uint64_t lo, uint64_t hi, merkle_hash_fn get, void *ctx, merkle_hash out,
                       GError **err)
{
	uint64_t end = hi;
	bool first = true;
	for (int level = 0; level < 64; level++) {
		uint64_t size = UINT64_C(1) << level;
		if (!((hi - lo) & size))
			continue;
		end -= size;
		merkle_hash sub;
		if (!get(ctx, level, end >> level, sub, err))
			return false;
		if (first)
			memcpy(out, sub, sizeof sub);
		else
			merkle_node_hash(sub, out, out);
		first = false;
	}
	return true;
}

bool merkle_tree_hash(uint64_t n, merkle_hash_fn get, void *ctx, merkle_hash root, GError **err)
{
	if (n == 0) {
		merkle_empty_root(root);
		return true;
	}
	return range_hash(0, n, get, ctx, root, err);
}

/* RFC 6962 PATH(index, D[lo:hi]). Only the sibling of the first step
 * that goes left can be an incomplete range; below it every range is a
 * complete subtree, so the whole path costs O(log n) calls of get. */
static bool path(uint64_t index, uint64_t lo, uint64_t hi, merkle_hash_fn get, void *ctx, GArray *proof,
                 GError **err)
{
	if (hi - lo == 1)
		return true;
	uint64_t mid = lo + split_point(hi - lo);
	merkle_hash h;
	bool ok = index < mid ? path(index, lo, mid, get, ctx, proof, err) && range_hash(mid, hi, get, ctx, h, err)
	                      : path(index, mid, hi, get, ctx, proof, err) && range_hash(lo, mid, get, ctx, h, err);
	if (ok)
		g_array_append_vals(proof, h, 1);
	return ok;
}

bool merkle_inclusion_proof(uint64_t n, uint64_t index, merkle_hash_fn get, void *ctx, GArray *proof,
                            GError **err)
{
	if (index >= n) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "inclusion proof: leaf %" PRIu64 " is not in a tree of %" PRIu64 " leaves", index, n);
		return false;
	}
	return path(index, 0, n, get, ctx, proof, err);
}

/* RFC 6962 SUBPROOF(m, D[lo:hi], whole), lo < m <= hi. */
static bool subproof(uint64_t m, uint64_t lo, uint64_t hi, bool whole, merkle_hash_fn get, void *ctx,
                     GArray *proof, GError **err)
{
	merkle_hash h;
	bool ok;
	if (m == hi) {
		/* The old tree's own root is left out at the top: the verifier
		 * has it. */
		if (whole)
			return true;
		ok = range_hash(lo, hi, get, ctx, h, err);
	} else {
		uint64_t mid = lo + split_point(hi - lo);
		ok = m <= mid ? subproof(m, lo, mid, whole, get, ctx, proof, err) &&
		                        range_hash(mid, hi, get, ctx, h, err)
		              : subproof(m, mid, hi, false, get, ctx, proof, err) &&
		                        range_hash(lo, mid, get, ctx, h, err);
	}
	if (ok)
		g_array_append_vals(proof, h, 1);
	return ok;
}

bool merkle_consistency_proof(uint64_t m, uint64_t n, merkle_hash_fn get, void *ctx, GArray *proof,
                              GError **err)
{
	if (m == 0 || m > n) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
		            "consistency proof: no proof from a tree of %" PRIu64 " leaves to one of %" PRIu64,
		            m, n);
		return false;
	}
	return subproof(m, 0, n, true, get, ctx, proof, err);
}

/* RFC 9162 §2.1.3.2. The walk from (index, n) to the root takes a number
 * of steps fixed by index and n alone; the checks of sn refuse a proof
 * with one hash too many (sn reaches 0 early) or too few (it does not). */
bool merkle_verify_inclusion(uint64_t index, uint64_t n, const merkle_hash leaf, const merkle_hash *proof,
                             size_t len, const merkle_hash root)
{
	if (index >= n)
		return false;
	uint64_t fn = index, sn = n - 1;
	merkle_hash r;
	memcpy(r, leaf, sizeof r);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], r, r);
			/* A right edge: climb past the levels where this node
			 * has no right sibling. */
			if (!(fn & 1))
				do {
					fn >>= 1;
					sn >>= 1;
				} while (!(fn & 1) && fn != 0);
		} else {
			merkle_node_hash(r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, sizeof r) == 0;
}

/* RFC 9162 §2.1.4.2. */
bool merkle_verify_consistency(uint64_t m, uint64_t n, const merkle_hash old_root, const merkle_hash new_root,
                               const merkle_hash *proof, size_t len)
{
	if (m == n)
		return len == 0 && memcmp(old_root, new_root, sizeof(merkle_hash)) == 0;
	if (m == 0 || m > n || len == 0)
		return false;
	/* When the old tree is a complete subtree its root is the first
	 * node of the path, and the proof leaves it out. */
	bool complete = (m & (m - 1)) == 0;
	const uint8_t *seed = complete ? old_root : proof[0];
	size_t next = complete ? 0 : 1;
	uint64_t fn = m - 1, sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	merkle_hash fr, sr;
	memcpy(fr, seed, sizeof fr);
	memcpy(sr, seed, sizeof sr);
	for (size_t i = next; i < len; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], fr, fr);
			merkle_node_hash(proof[i], sr, sr);
			if (!(fn & 1))
				do {
					fn >>= 1;
					sn >>= 1;
				} while (!(fn & 1) && fn != 0);
		} else {
			merkle_node_hash(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, old_root, sizeof fr) == 0 && memcmp(sr, new_root, sizeof sr) == 0;
}
