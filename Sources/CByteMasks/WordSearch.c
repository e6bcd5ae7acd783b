#include "WordSearch.h"

#include <immintrin.h>
#include <string.h>

// Both searches compare 64 bytes at a time with AVX-512BW where the CPU has it (masked loads,
// so no byte loop at the ends), else 32 with AVX2, else 16 with SSE2 (every x86-64 has that);
// chosen once, like the candidate stage.

/// The first candidate in `mask` (positions `base + bit`) whose middle bytes match too.
static inline int first_match(const uint8_t *p, size_t base, unsigned mask, const uint8_t *needle, size_t length, size_t *at) {
    while (mask) {
        unsigned bit = (unsigned)__builtin_ctz(mask);
        mask &= mask - 1;
        if (length <= 2 || memcmp(p + base + bit + 1, needle + 1, length - 2) == 0) {
            *at = base + bit;
            return 1;
        }
    }
    return 0;
}

/// The byte-at-a-time rest of a search from `i`.
static size_t find_in_line_bytes(const uint8_t *p, size_t i, size_t n, const uint8_t *needle, size_t length, int *found) {
    for (; i < n; i++) {
        if (p[i] == '\n') break;
        if (i + length <= n && p[i] == needle[0] && p[i + length - 1] == needle[length - 1]
            && memcmp(p + i, needle, length) == 0) {
            *found = 1;
            return i;
        }
    }
    *found = 0;
    return i;
}

__attribute__((target("avx2")))
static size_t find_in_line_avx2(const uint8_t *p, size_t i, size_t n, const uint8_t *needle, size_t length, int *found) {
    const size_t last = length - 1;
    const __m256i first = _mm256_set1_epi8((char)needle[0]), final = _mm256_set1_epi8((char)needle[last]);
    const __m256i newline = _mm256_set1_epi8('\n');
    // Both loads stay inside the window: the second ends at i + last + 32 <= n.
    for (; i + last + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(p + i + last));
        unsigned ends = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, newline));
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, final)));
        // Only names that start before the line's end (the needle has no newline, so none
        // that starts before it can run past it).
        if (ends) mask &= (1u << __builtin_ctz(ends)) - 1;
        size_t at;
        if (first_match(p, i, mask, needle, length, &at)) {
            *found = 1;
            return at;
        }
        if (ends) {
            *found = 0;
            return i + (unsigned)__builtin_ctz(ends);
        }
    }
    return find_in_line_bytes(p, i, n, needle, length, found);
}

static size_t find_in_line_sse2(const uint8_t *p, size_t i, size_t n, const uint8_t *needle, size_t length, int *found) {
    const size_t last = length - 1;
    const __m128i first = _mm_set1_epi8((char)needle[0]), final = _mm_set1_epi8((char)needle[last]);
    const __m128i newline = _mm_set1_epi8('\n');
    for (; i + last + 16 <= n; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(p + i + last));
        unsigned ends = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, newline));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final)));
        if (ends) mask &= (1u << __builtin_ctz(ends)) - 1;
        size_t at;
        if (first_match(p, i, mask, needle, length, &at)) {
            *found = 1;
            return at;
        }
        if (ends) {
            *found = 0;
            return i + (unsigned)__builtin_ctz(ends);
        }
    }
    return find_in_line_bytes(p, i, n, needle, length, found);
}

__attribute__((target("avx2")))
static size_t line_start_avx2(const uint8_t *p, size_t floor, size_t at) {
    if (at <= floor) return at;
    const __m256i newline = _mm256_set1_epi8('\n');
    while (at - floor >= 32) {
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + at - 32)), newline));
        if (mask) return at - 32 + (31 - (unsigned)__builtin_clz(mask)) + 1;
        at -= 32;
    }
    if (at == floor) return floor;
    if (at >= 32) {
        // The rest in one step reaching back before `floor` (still inside the window), the
        // bits of bytes before `floor` cleared.
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + at - 32)), newline));
        mask &= ~0u << (32 - (at - floor));
        return mask ? at - 32 + (31 - (unsigned)__builtin_clz(mask)) + 1 : floor;
    }
    while (at > floor && p[at - 1] != '\n') at--;
    return at;
}

static size_t line_start_sse2(const uint8_t *p, size_t floor, size_t at) {
    const __m128i newline = _mm_set1_epi8('\n');
    while (at - floor >= 16) {
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + at - 16)), newline));
        if (mask) return at - 16 + (31 - (unsigned)__builtin_clz(mask)) + 1;
        at -= 16;
    }
    while (at > floor && p[at - 1] != '\n') at--;
    return at;
}

__attribute__((target("avx512f,avx512bw")))
static size_t find_in_line_avx512(const uint8_t *p, size_t i, size_t n, const uint8_t *needle, size_t length, int *found) {
    const size_t last = length - 1;
    const __m512i first = _mm512_set1_epi8((char)needle[0]), final = _mm512_set1_epi8((char)needle[last]);
    const __m512i newline = _mm512_set1_epi8('\n');
    while (i < n) {
        // Masked loads: bytes past the window are neither read nor faulted on, so the last
        // step needs no byte loop.
        size_t avail = n - i;
        __mmask64 present = avail >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << avail) - 1);
        // Where a needle can start: its last byte must lie in the window too.
        __mmask64 starts = avail > last ? (avail - last >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (avail - last)) - 1)) : 0;
        __m512i a = _mm512_maskz_loadu_epi8(present, p + i);
        __m512i b = _mm512_maskz_loadu_epi8(starts, p + i + last);
        uint64_t ends = _mm512_mask_cmpeq_epi8_mask(present, a, newline);
        uint64_t mask = _mm512_mask_cmpeq_epi8_mask(starts, a, first) & _mm512_mask_cmpeq_epi8_mask(starts, b, final);
        // Only names that start before the line's end.
        if (ends) mask &= (ends & (0 - ends)) - 1;
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctzll(mask);
            mask &= mask - 1;
            if (length <= 2 || memcmp(p + i + bit + 1, needle + 1, length - 2) == 0) {
                *found = 1;
                return i + bit;
            }
        }
        if (ends) {
            *found = 0;
            return i + (unsigned)__builtin_ctzll(ends);
        }
        if (avail <= 64) break;
        i += 64;
    }
    *found = 0;
    return n;
}

__attribute__((target("avx512f,avx512bw")))
static size_t line_start_avx512(const uint8_t *p, size_t floor, size_t at) {
    const __m512i newline = _mm512_set1_epi8('\n');
    while (at > floor) {
        size_t take = at - floor >= 64 ? 64 : at - floor;
        __mmask64 present = take == 64 ? ~(__mmask64)0 : (((__mmask64)1 << take) - 1);
        uint64_t ends = _mm512_mask_cmpeq_epi8_mask(present, _mm512_maskz_loadu_epi8(present, p + at - take), newline);
        if (ends) return at - take + (63 - (unsigned)__builtin_clzll(ends)) + 1;
        at -= take;
    }
    return floor;
}

/// 2: AVX-512BW, 1: AVX2, 0: SSE2; asked once.
static int vector_level(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return known;
}

size_t anonlog_find_in_line(const uint8_t *p, size_t from, size_t n, const uint8_t *needle, size_t length, int *found) {
    if (length == 0) {
        *found = 0;
        return from;
    }
    switch (vector_level()) {
    case 2: return find_in_line_avx512(p, from, n, needle, length, found);
    case 1: return find_in_line_avx2(p, from, n, needle, length, found);
    default: return find_in_line_sse2(p, from, n, needle, length, found);
    }
}

size_t anonlog_line_start(const uint8_t *p, size_t floor, size_t at) {
    switch (vector_level()) {
    case 2: return line_start_avx512(p, floor, at);
    case 1: return line_start_avx2(p, floor, at);
    default: return line_start_sse2(p, floor, at);
    }
}

size_t anonlog_find_in_line_level(int level, const uint8_t *p, size_t from, size_t n, const uint8_t *needle, size_t length, int *found) {
    if (length == 0) {
        *found = 0;
        return from;
    }
    if (level == 2 && vector_level() == 2) return find_in_line_avx512(p, from, n, needle, length, found);
    if (level >= 1 && vector_level() >= 1) return find_in_line_avx2(p, from, n, needle, length, found);
    return find_in_line_sse2(p, from, n, needle, length, found);
}

size_t anonlog_line_start_level(int level, const uint8_t *p, size_t floor, size_t at) {
    if (level == 2 && vector_level() == 2) return line_start_avx512(p, floor, at);
    if (level >= 1 && vector_level() >= 1) return line_start_avx2(p, floor, at);
    return line_start_sse2(p, floor, at);
}
