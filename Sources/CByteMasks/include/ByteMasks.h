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
    uint64_t letter;  ///< 'A'...'Z', 'a'...'z'
    uint64_t dot;     ///< '.'
    uint64_t colon;   ///< ':'
    uint64_t special; ///< rare trigger bytes: '@', '%', '=', '~'
    uint64_t newline; ///< '\n'
    uint64_t space;   ///< ' '
    uint64_t slash;   ///< '/'
    uint64_t r;       ///< 'r' (ends "for" and "user", which precede a username in auth logs)
} AnonLogByteMasks;

#if defined(__SSE2__)
static inline uint64_t anonlog_movemask(__m128i v, int lane) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * lane);
}
#endif

/// The masks of the 64 bytes at `p` (all 64 must be readable).
static inline AnonLogByteMasks anonlog_byte_masks(const uint8_t *p) {
    AnonLogByteMasks m;
    memset(&m, 0, sizeof m);
#if defined(__SSE2__)
    for (int lane = 0; lane < 4; lane++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * lane));
        __m128i digitOffset = _mm_sub_epi8(v, _mm_set1_epi8('0'));
        m.digit |= anonlog_movemask(_mm_cmpeq_epi8(_mm_min_epu8(digitOffset, _mm_set1_epi8(9)), digitOffset), lane);
        __m128i letterOffset = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
        m.letter |= anonlog_movemask(_mm_cmpeq_epi8(_mm_min_epu8(letterOffset, _mm_set1_epi8(25)), letterOffset), lane);
        m.dot |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), lane);
        m.colon |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), lane);
        __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')), _mm_cmpeq_epi8(v, _mm_set1_epi8('%'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')), _mm_cmpeq_epi8(v, _mm_set1_epi8('~'))));
        m.special |= anonlog_movemask(special, lane);
        m.newline |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), lane);
        m.space |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), lane);
        m.slash |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), lane);
        m.r |= anonlog_movemask(_mm_cmpeq_epi8(v, _mm_set1_epi8('r')), lane);
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t b = p[i];
        uint64_t bit = (uint64_t)1 << i;
        if ((uint8_t)(b - '0') <= 9) m.digit |= bit;
        if ((uint8_t)((b | 0x20) - 'a') <= 25) m.letter |= bit;
        if (b == '.') m.dot |= bit;
        if (b == ':') m.colon |= bit;
        if (b == '@' || b == '%' || b == '=' || b == '~') m.special |= bit;
        if (b == '\n') m.newline |= bit;
        if (b == ' ') m.space |= bit;
        if (b == '/') m.slash |= bit;
        if (b == 'r') m.r |= bit;
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
