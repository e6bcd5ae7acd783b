// DottedQuad.h: 32 bytes from four before the dot become a digit mask and a dot mask (SSE2,
// baseline on x86-64), octet lengths come from counting trailing ones, and octet values are
// checked with arithmetic instead of branches.
#include "DottedQuad.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <emmintrin.h>

static inline uint64_t class_masks(const uint8_t *q, uint64_t *dots) {
    __m128i a = _mm_loadu_si128((const __m128i *)q), b = _mm_loadu_si128((const __m128i *)(q + 16));
    __m128i da = _mm_sub_epi8(a, _mm_set1_epi8('0')), db = _mm_sub_epi8(b, _mm_set1_epi8('0'));
    __m128i nine = _mm_set1_epi8(9);
    uint64_t digit = (uint32_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(da, nine), da))
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(db, nine), db)) << 16;
    *dots = (uint32_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_set1_epi8('.')))
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('.'))) << 16;
    return digit;
}

#else

static inline uint64_t class_masks(const uint8_t *q, uint64_t *dots) {
    uint64_t digit = 0;
    *dots = 0;
    for (int i = 0; i < 32; i++) {
        if ((uint8_t)(q[i] - '0') <= 9) digit |= (uint64_t)1 << i;
        if (q[i] == '.') *dots |= (uint64_t)1 << i;
    }
    return digit;
}

#endif

/// Whether the `length` digits at `q` are an octet: 1-3 digits, no leading zero, <= 255.
static inline int octet_ok(const uint8_t *q, unsigned length) {
    unsigned d0 = q[0] - '0', d1 = q[1] - '0', d2 = q[2] - '0';
    return (length == 1) | ((length == 2) & (d0 != 0)) | ((length == 3) & (d0 != 0) & (d0 * 100 + d1 * 10 + d2 <= 255));
}

int64_t anonlog_dotted_quad(const uint8_t *p, size_t n, size_t dot, size_t *start) {
    (void)n;
    const uint8_t *q = p + dot - 4;   // the dot is bit 4
    uint64_t dots;
    uint64_t digit = class_masks(q, &dots);
    // Digits right before the dot: 1-3 (a fourth would make the first octet too long).
    unsigned before = (unsigned)__builtin_clzll(~(digit << 60));
    if (before == 0 || before > 3) return -1;
    unsigned pos = 4 - before;
    *start = dot - before;
    int ok = 1;
    for (int octet = 0; octet < 4; octet++) {
        unsigned length = (unsigned)__builtin_ctzll(~(digit >> pos));
        ok &= (length <= 3) & octet_ok(q + pos, length);
        if (!ok) return -1;
        pos += length;
        if (octet < 3) {
            if (!((dots >> pos) & 1)) return -1;
            pos += 1;
        }
    }
    return (int64_t)(dot - 4 + pos);
}
