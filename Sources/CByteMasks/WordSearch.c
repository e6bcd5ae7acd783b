#include "WordSearch.h"

#include <immintrin.h>
#include <string.h>

// Both searches compare 32 bytes at a time with AVX2 where the CPU has it (chosen once, like
// the candidate stage), else 16 with SSE2 (every x86-64 has that).

static size_t find_bytes_sse2(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t length);

__attribute__((target("avx2")))
static size_t find_bytes_avx2(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t length) {
    const size_t last = length - 1;
    const __m256i first = _mm256_set1_epi8((char)needle[0]), final = _mm256_set1_epi8((char)needle[last]);
    size_t i = 0;
    // Both loads stay inside the haystack: the second ends at i + last + 32 <= n.
    for (; i + last + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(haystack + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(haystack + i + last));
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, final)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            mask &= mask - 1;
            if (length <= 2 || memcmp(haystack + i + bit + 1, needle + 1, length - 2) == 0) return i + bit;
        }
    }
    if (i + length > n) return n;
    if (n < last + 32) return find_bytes_sse2(haystack, n, needle, length);
    // The rest in one more step, placed at the end and overlapping positions already looked
    // at (their bits cleared): a byte loop here cost a third of the search on 200-byte lines.
    size_t tail = n - last - 32;
    __m256i a = _mm256_loadu_si256((const __m256i *)(haystack + tail));
    __m256i b = _mm256_loadu_si256((const __m256i *)(haystack + tail + last));
    unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, final)));
    mask &= ~0u << (i - tail);
    while (mask) {
        unsigned bit = (unsigned)__builtin_ctz(mask);
        mask &= mask - 1;
        if (length <= 2 || memcmp(haystack + tail + bit + 1, needle + 1, length - 2) == 0) return tail + bit;
    }
    return n;
}

static size_t find_bytes_sse2(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t length) {
    const size_t last = length - 1;
    const __m128i first = _mm_set1_epi8((char)needle[0]), final = _mm_set1_epi8((char)needle[last]);
    size_t i = 0;
    for (; i + last + 16 <= n; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(haystack + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(haystack + i + last));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            mask &= mask - 1;
            if (length <= 2 || memcmp(haystack + i + bit + 1, needle + 1, length - 2) == 0) return i + bit;
        }
    }
    for (; i + length <= n; i++) {
        if (haystack[i] == needle[0] && haystack[i + last] == needle[last] && memcmp(haystack + i, needle, length) == 0) return i;
    }
    return n;
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

static int has_avx2(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return known;
}

size_t anonlog_find_bytes(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t length) {
    if (length == 0 || n < length) return n;
    return has_avx2() ? find_bytes_avx2(haystack, n, needle, length) : find_bytes_sse2(haystack, n, needle, length);
}

size_t anonlog_line_start(const uint8_t *p, size_t floor, size_t at) {
    return has_avx2() ? line_start_avx2(p, floor, at) : line_start_sse2(p, floor, at);
}
