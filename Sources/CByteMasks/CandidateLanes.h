// What the per-detector candidate functions share: eight blocks' masks of one class as the
// lanes of one vector, the shifts across block seams, and word loads for key comparisons.
#ifndef ANONLOG_CANDIDATE_LANES_H
#define ANONLOG_CANDIDATE_LANES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

// The per-detector functions take and return `Lanes` by value, which would change their ABI
// between the SSE2, AVX2 and AVX-512 copies; they are always inlined, so no call has an ABI.
#pragma clang diagnostic ignored "-Wpsabi"

/// Eight blocks' masks of one class, one 64-bit lane per block; the compiler maps the
/// operators onto AVX-512, AVX2 or SSE2 registers, whichever the calling function's target has.
typedef uint64_t Lanes __attribute__((vector_size(64), aligned(8)));

/// Lanes k bytes ahead: bit i of lane b is bit i + k of block b, continued by block b + 1.
#define AHEAD(x, next, k) (((x) >> (k)) | ((next) << (64 - (k))))
/// Lanes k bytes behind, continued from block b - 1.
#define BEHIND(x, prev, k) (((x) << (k)) | ((prev) >> (64 - (k))))

/// One class of eight blocks with its neighbours: the block before each and the block after.
typedef struct {
    Lanes cur, prev, next;
} Class;

/// The lowest set bit's index.
static inline unsigned low_bit(uint64_t bits) { return (unsigned)__builtin_ctzll(bits); }

/// The first `length` (<= 8) bytes of `text` as a little-endian word: what an 8-byte load of
/// memory holding them gives in its low bytes.
static inline uint64_t text_word(const char *text, int length) {
    uint64_t word = 0;
    for (int k = length - 1; k >= 0; k--) word = (word << 8) | (uint8_t)text[k];
    return word;
}

/// The 8 bytes at `p`, unaligned, in memory order (little-endian).
static inline uint64_t load_word(const uint8_t *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

#endif
