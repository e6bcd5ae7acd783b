// Byte-class bit masks over 64-byte blocks: the one vectorised kernel of the scanner.
//
// Swift has SIMD types but no portable "movemask" (vector of comparisons -> bit mask), and a
// bit mask is what lets the scanner skip every byte that cannot start a match: with one bit
// per byte, candidates are found with shifts, ANDs and count-trailing-zeros. SSE2 is part of
// x86-64, so this needs no CPU dispatch; other architectures get the scalar loop.
#ifndef ANONLOG_BYTE_MASKS_H
#define ANONLOG_BYTE_MASKS_H

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit i of each mask describes byte i of the block.
typedef struct {
    uint64_t digit;   ///< '0'...'9'
    uint64_t dot;     ///< '.'
    uint64_t colon;   ///< ':'
    uint64_t at;      ///< '@'
    uint64_t percent; ///< '%'
} AnonLogByteMasks;

/// The masks of the 64 bytes at `p` (all 64 must be readable).
static inline AnonLogByteMasks anonlog_byte_masks(const uint8_t *p) {
    AnonLogByteMasks m = {0, 0, 0, 0, 0};
#if defined(__SSE2__)
    const __m128i zero = _mm_set1_epi8('0');
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i dot = _mm_set1_epi8('.');
    const __m128i colon = _mm_set1_epi8(':');
    const __m128i at = _mm_set1_epi8('@');
    const __m128i percent = _mm_set1_epi8('%');
    for (int lane = 0; lane < 4; lane++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * lane));
        __m128i offset = _mm_sub_epi8(v, zero);
        __m128i isDigit = _mm_cmpeq_epi8(_mm_min_epu8(offset, nine), offset);
        int shift = 16 * lane;
        m.digit |= (uint64_t)(uint16_t)_mm_movemask_epi8(isDigit) << shift;
        m.dot |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dot)) << shift;
        m.colon |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, colon)) << shift;
        m.at |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, at)) << shift;
        m.percent |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, percent)) << shift;
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t b = p[i];
        uint64_t bit = (uint64_t)1 << i;
        if ((uint8_t)(b - '0') <= 9) m.digit |= bit;
        if (b == '.') m.dot |= bit;
        if (b == ':') m.colon |= bit;
        if (b == '@') m.at |= bit;
        if (b == '%') m.percent |= bit;
    }
#endif
    return m;
}

/// The masks of the `count` (< 64) bytes at `p`; the missing tail reads as zero bytes.
static inline AnonLogByteMasks anonlog_byte_masks_partial(const uint8_t *p, int count) {
    uint8_t block[64];
    memset(block, 0, sizeof block);
    memcpy(block, p, (size_t)count);
    return anonlog_byte_masks(block);
}

#endif
