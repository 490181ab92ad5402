/*
 * log/merkle.h — RFC 6962 (RFC 9162 §2.1) Merkle tree hashing: leaf and
 * node hashes, the tree hash of n leaves, inclusion and consistency proofs
 * and their verification.
 *
 * Pure: the module holds no tree. Whoever stores one hands it a
 * merkle_hash_fn that gives the hash of a complete subtree (a full, aligned
 * block of 2^level leaves); every function here needs only those, and
 * O(log n) of them. A proof is appended to a caller's GArray of
 * merkle_hash, leaf side first and root side last (RFC 6962 order).
 */
#ifndef ARC_MERKLE_H
#define ARC_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef uint8_t merkle_hash[32];

void merkle_leaf_hash(const void *entry, size_t len, merkle_hash out); /* SHA-256(0x00||entry) */
void merkle_node_hash(const merkle_hash l, const merkle_hash r, merkle_hash out); /* SHA-256(0x01||l||r) */
void merkle_empty_root(merkle_hash out); /* SHA-256(""), the root of no leaves */

/* The hash of the complete subtree at level (0: a leaf hash) and index,
 * covering leaves [index*2^level, (index+1)*2^level). */
typedef bool (*merkle_hash_fn)(void *ctx, int level, uint64_t index, merkle_hash out, GError **err);

/* The root of the tree of the first n leaves (n = 0: merkle_empty_root). */
bool merkle_tree_hash(uint64_t n, merkle_hash_fn get, void *ctx, merkle_hash root, GError **err);

/* The inclusion proof of leaf index in the tree of size n, appended to
 * proof. index >= n is ARC_ERROR_INPUT. */
bool merkle_inclusion_proof(uint64_t n, uint64_t index, merkle_hash_fn get, void *ctx, GArray *proof,
                            GError **err);

/* The proof that the tree of size m is a prefix of the tree of size n,
 * appended to proof (nothing when m == n). m == 0 or m > n is
 * ARC_ERROR_INPUT: there is nothing to prove from the empty tree. */
bool merkle_consistency_proof(uint64_t m, uint64_t n, merkle_hash_fn get, void *ctx, GArray *proof,
                              GError **err);

/* Whether proof (len hashes) shows leaf at index in the tree of size n
 * whose root is root. A proof of the wrong length is refused. */
bool merkle_verify_inclusion(uint64_t index, uint64_t n, const merkle_hash leaf, const merkle_hash *proof,
                             size_t len, const merkle_hash root);

/* Whether proof shows the tree of size m and root old_root to be a prefix
 * of the tree of size n and root new_root. m == 0 is refused. */
bool merkle_verify_consistency(uint64_t m, uint64_t n, const merkle_hash old_root, const merkle_hash new_root,
                               const merkle_hash *proof, size_t len);

#endif
