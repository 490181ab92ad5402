/* Unit tests: RFC 6962 hashes and proofs against the transparency-dev
 * vectors, and every proof of every small tree against a naive reference. */
#include "unit.h"
#include "core/errors.h"
#include "log/merkle.h"

static void from_hex(const char *hex, merkle_hash out)
{
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(g_ascii_xdigit_value(hex[2 * i]) << 4 | g_ascii_xdigit_value(hex[2 * i + 1]));
}

static bool eq_hex(const merkle_hash h, const char *hex)
{
	merkle_hash want;
	from_hex(hex, want);
	return memcmp(h, want, 32) == 0;
}

/* A tree held as its leaf hashes; get() computes a subtree naively and
 * counts its calls. */
typedef struct {
	GArray *leaves; /* merkle_hash */
	unsigned calls;
} mem_tree;

/* MTH(D[lo:hi]) by the RFC's recursion, straight from the definition. */
static void naive_mth(const mem_tree *t, uint64_t lo, uint64_t hi, merkle_hash out)
{
	if (hi == lo) {
		merkle_empty_root(out);
		return;
	}
	if (hi - lo == 1) {
		memcpy(out, &g_array_index(t->leaves, merkle_hash, lo), 32);
		return;
	}
	uint64_t k = 1;
	while (k * 2 < hi - lo)
		k *= 2;
	merkle_hash l, r;
	naive_mth(t, lo, lo + k, l);
	naive_mth(t, lo + k, hi, r);
	merkle_node_hash(l, r, out);
}

static bool mem_get(void *ctx, int level, uint64_t index, merkle_hash out, GError **err)
{
	mem_tree *t = ctx;
	t->calls++;
	uint64_t lo = index << level, hi = (index + 1) << level;
	if (hi > t->leaves->len) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "subtree %d/%" G_GUINT64_FORMAT " out of range",
		            level, index);
		return false;
	}
	naive_mth(t, lo, hi, out);
	return true;
}

static uint64_t naive_split(uint64_t s)
{
	uint64_t k = 1;
	while (k * 2 < s)
		k *= 2;
	return k;
}

static void naive_path(const mem_tree *t, uint64_t m, uint64_t lo, uint64_t hi, GArray *out)
{
	if (hi - lo <= 1)
		return;
	uint64_t k = naive_split(hi - lo);
	merkle_hash h;
	if (m < lo + k) {
		naive_path(t, m, lo, lo + k, out);
		naive_mth(t, lo + k, hi, h);
	} else {
		naive_path(t, m, lo + k, hi, out);
		naive_mth(t, lo, lo + k, h);
	}
	g_array_append_vals(out, h, 1);
}

static void naive_subproof(const mem_tree *t, uint64_t m, uint64_t lo, uint64_t hi, bool b, GArray *out)
{
	merkle_hash h;
	if (m == hi - lo) {
		if (b)
			return;
		naive_mth(t, lo, hi, h);
	} else {
		uint64_t k = naive_split(hi - lo);
		if (m <= k) {
			naive_subproof(t, m, lo, lo + k, b, out);
			naive_mth(t, lo + k, hi, h);
		} else {
			naive_subproof(t, m - k, lo + k, hi, false, out);
			naive_mth(t, lo, lo + k, h);
		}
	}
	g_array_append_vals(out, h, 1);
}

static const char *const leaf_hex[] = { "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	                                "606162636465666768696a6b6c6d6e6f" };
static const char *const root_hex[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
#define L0 "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
#define L1 "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
#define L4 "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
#define L6 "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"
#define N01 "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
#define N23 "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"
#define N45 "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"
#define N67 "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"
#define N03 "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"
#define N47 "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"

static mem_tree vector_tree(void)
{
	mem_tree t = { g_array_new(FALSE, FALSE, sizeof(merkle_hash)), 0 };
	for (size_t i = 0; i < G_N_ELEMENTS(leaf_hex); i++) {
		uint8_t buf[16];
		size_t n = strlen(leaf_hex[i]) / 2;
		for (size_t j = 0; j < n; j++)
			buf[j] = (uint8_t)(g_ascii_xdigit_value(leaf_hex[i][2 * j]) << 4 |
			                   g_ascii_xdigit_value(leaf_hex[i][2 * j + 1]));
		merkle_hash h;
		merkle_leaf_hash(buf, n, h);
		g_array_append_vals(t.leaves, h, 1);
	}
	return t;
}

TEST(vector_roots)
{
	mem_tree t = vector_tree();
	EXPECT(eq_hex(g_array_index(t.leaves, merkle_hash, 1), L1));
	EXPECT(eq_hex(g_array_index(t.leaves, merkle_hash, 6), L6));
	for (uint64_t n = 0; n <= 8; n++) {
		merkle_hash root;
		t.calls = 0;
		EXPECT(merkle_tree_hash(n, mem_get, &t, root, NULL));
		EXPECT(eq_hex(root, root_hex[n]));
		EXPECT_INT(t.calls, __builtin_popcountll(n));
	}
	g_array_unref(t.leaves);
}

typedef struct {
	uint64_t a, b; /* inclusion: index, size; consistency: m, n */
	const char *hex[3];
	size_t len;
} vector;

static const vector inclusions[] = {
	{ 0, 8, { L1, N23, N47 }, 3 }, { 5, 8, { L4, N67, N03 }, 3 }, { 2, 3, { N01 }, 1 },
	{ 1, 5, { L0, N23, L4 }, 3 },  { 0, 1, { NULL }, 0 },
};
static const vector consistencies[] = {
	{ 1, 8, { L1, N23, N47 }, 3 }, { 6, 8, { N45, N67, N03 }, 3 }, { 2, 5, { N23, L4 }, 2 },
	{ 6, 7, { N45, L6, N03 }, 3 }, { 1, 1, { NULL }, 0 },
};

static bool proof_is(GArray *p, const vector *v)
{
	if (p->len != v->len)
		return false;
	for (size_t i = 0; i < v->len; i++)
		if (!eq_hex(g_array_index(p, merkle_hash, i), v->hex[i]))
			return false;
	return true;
}

TEST(vector_inclusion_proofs)
{
	mem_tree t = vector_tree();
	for (size_t i = 0; i < G_N_ELEMENTS(inclusions); i++) {
		const vector *v = &inclusions[i];
		GArray *p = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
		EXPECT(merkle_inclusion_proof(v->b, v->a, mem_get, &t, p, NULL));
		EXPECT(proof_is(p, v));
		merkle_hash root, leaf;
		from_hex(root_hex[v->b], root);
		memcpy(leaf, &g_array_index(t.leaves, merkle_hash, v->a), 32);
		const merkle_hash *ph = (const merkle_hash *)(void *)p->data;
		EXPECT(merkle_verify_inclusion(v->a, v->b, leaf, ph, p->len, root));
		/* The wrong index, the wrong size, a changed hash. A size
		 * whose path has the same shape computes the same root (a
		 * verifier takes the size from the signed checkpoint), so the
		 * wrong size tried is one with a longer path. */
		EXPECT(!merkle_verify_inclusion(v->a + 1, v->b, leaf, ph, p->len, root));
		EXPECT(!merkle_verify_inclusion(v->a, 2 * v->b + 1, leaf, ph, p->len, root));
		leaf[7] ^= 1;
		EXPECT(!merkle_verify_inclusion(v->a, v->b, leaf, ph, p->len, root));
		leaf[7] ^= 1;
		root[31] ^= 0x80;
		EXPECT(!merkle_verify_inclusion(v->a, v->b, leaf, ph, p->len, root));
		root[31] ^= 0x80;
		if (p->len) {
			g_array_index(p, merkle_hash, p->len - 1)[0] ^= 1;
			EXPECT(!merkle_verify_inclusion(v->a, v->b, leaf, ph, p->len, root));
			EXPECT(!merkle_verify_inclusion(v->a, v->b, leaf, ph, p->len - 1, root));
		}
		g_array_unref(p);
	}
	GError *err = NULL;
	GArray *p = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	EXPECT(!merkle_inclusion_proof(8, 8, mem_get, &t, p, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	g_array_unref(p);
	g_array_unref(t.leaves);
}

TEST(vector_consistency_proofs)
{
	mem_tree t = vector_tree();
	for (size_t i = 0; i < G_N_ELEMENTS(consistencies); i++) {
		const vector *v = &consistencies[i];
		GArray *p = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
		EXPECT(merkle_consistency_proof(v->a, v->b, mem_get, &t, p, NULL));
		EXPECT(proof_is(p, v));
		merkle_hash old, new;
		from_hex(root_hex[v->a], old);
		from_hex(root_hex[v->b], new);
		const merkle_hash *ph = (const merkle_hash *)(void *)p->data;
		EXPECT(merkle_verify_consistency(v->a, v->b, old, new, ph, p->len));
		EXPECT(!merkle_verify_consistency(v->a, v->b, new, old, ph, p->len) || v->a == v->b);
		/* Wrong sizes: as for inclusion, one with a longer path. */
		EXPECT(!merkle_verify_consistency(v->a + 1, v->b, old, new, ph, p->len));
		EXPECT(!merkle_verify_consistency(v->a, 2 * v->b + 1, old, new, ph, p->len));
		old[0] ^= 1;
		EXPECT(!merkle_verify_consistency(v->a, v->b, old, new, ph, p->len));
		old[0] ^= 1;
		if (p->len) {
			g_array_index(p, merkle_hash, 0)[5] ^= 1;
			EXPECT(!merkle_verify_consistency(v->a, v->b, old, new, ph, p->len));
			EXPECT(!merkle_verify_consistency(v->a, v->b, old, new, ph, p->len - 1));
		}
		g_array_unref(p);
	}
	/* Nothing is proved from the empty tree, nor to a smaller one. */
	merkle_hash empty, r8;
	merkle_empty_root(empty);
	from_hex(root_hex[8], r8);
	EXPECT(!merkle_verify_consistency(0, 8, empty, r8, NULL, 0));
	GError *err = NULL;
	GArray *p = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	EXPECT(!merkle_consistency_proof(0, 8, mem_get, &t, p, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	EXPECT(!merkle_consistency_proof(5, 4, mem_get, &t, p, &err));
	EXPECT(err && err->code == ARC_ERROR_INPUT);
	g_clear_error(&err);
	g_array_unref(p);
	g_array_unref(t.leaves);
}

static bool same_proof(GArray *a, GArray *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, (size_t)a->len * 32) == 0);
}

static unsigned bitlen(uint64_t n)
{
	return n ? 64 - (unsigned)__builtin_clzll(n) : 0;
}

/* Every proof of every tree up to 70 leaves equals the reference's and
 * verifies, with O(log n) calls of get; one flipped bit is refused. */
TEST(every_proof_of_small_trees)
{
	enum { MAX = 70 };
	mem_tree t = { g_array_new(FALSE, FALSE, sizeof(merkle_hash)), 0 };
	guint32 x = 2463534242u;
	for (int i = 0; i < MAX; i++) {
		char buf[64];
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		int len = snprintf(buf, sizeof buf, "leaf %d %u", i, x) - (int)(x % 5);
		merkle_hash h;
		merkle_leaf_hash(buf, (size_t)len, h);
		g_array_append_vals(t.leaves, h, 1);
	}
	merkle_hash roots[MAX + 1];
	for (uint64_t n = 0; n <= MAX; n++) {
		naive_mth(&t, 0, n, roots[n]);
		merkle_hash got;
		EXPECT(merkle_tree_hash(n, mem_get, &t, got, NULL));
		EXPECT(memcmp(got, roots[n], 32) == 0);
	}
	GArray *p = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	GArray *want = g_array_new(FALSE, FALSE, sizeof(merkle_hash));
	for (uint64_t n = 1; n <= MAX; n++) {
		for (uint64_t i = 0; i < n; i++) {
			g_array_set_size(p, 0);
			g_array_set_size(want, 0);
			t.calls = 0;
			EXPECT(merkle_inclusion_proof(n, i, mem_get, &t, p, NULL));
			EXPECT(t.calls <= 2 * bitlen(n));
			naive_path(&t, i, 0, n, want);
			EXPECT(same_proof(p, want));
			const merkle_hash *ph = (const merkle_hash *)(void *)p->data;
			const uint8_t *leaf = g_array_index(t.leaves, merkle_hash, i);
			EXPECT(merkle_verify_inclusion(i, n, leaf, ph, p->len, roots[n]));
			if (p->len) {
				g_array_index(p, merkle_hash, (i * 7) % p->len)[i % 32] ^= 4;
				EXPECT(!merkle_verify_inclusion(i, n, leaf, ph, p->len, roots[n]));
			}
		}
		for (uint64_t m = 1; m <= n; m++) {
			g_array_set_size(p, 0);
			g_array_set_size(want, 0);
			t.calls = 0;
			EXPECT(merkle_consistency_proof(m, n, mem_get, &t, p, NULL));
			EXPECT(t.calls <= 2 * bitlen(n));
			if (m < n)
				naive_subproof(&t, m, 0, n, true, want);
			EXPECT(same_proof(p, want));
			const merkle_hash *ph = (const merkle_hash *)(void *)p->data;
			EXPECT(merkle_verify_consistency(m, n, roots[m], roots[n], ph, p->len));
			if (p->len) {
				g_array_index(p, merkle_hash, (m * 5) % p->len)[m % 32] ^= 2;
				EXPECT(!merkle_verify_consistency(m, n, roots[m], roots[n], ph, p->len));
			}
		}
	}
	g_array_unref(p);
	g_array_unref(want);
	g_array_unref(t.leaves);
}

UNIT_MAIN(vector_roots, vector_inclusion_proofs, vector_consistency_proofs, every_proof_of_small_trees)
