#include "WordSearch.h"

#include "VectorLevel.h"

#include <immintrin.h>
#include <stdint.h>
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

/// One forward step of 64 bytes from `i` (of `n`): the newlines there, and where a needle
/// of `last + 1` bytes with first byte `first` and last byte `final` may start before the
/// first of them. Masked loads: bytes past the window are neither read nor faulted on, so
/// the last step needs no byte loop.
__attribute__((target("avx512f,avx512bw")))
static inline uint64_t step_avx512(const uint8_t *p, size_t i, size_t n, size_t last, __m512i first, __m512i final,
                                   uint64_t *newlines) {
    size_t avail = n - i;
    __mmask64 present = avail >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << avail) - 1);
    // Where a needle can start: its last byte must lie in the window too.
    __mmask64 starts = avail > last ? (avail - last >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (avail - last)) - 1)) : 0;
    __m512i a = _mm512_maskz_loadu_epi8(present, p + i);
    __m512i b = _mm512_maskz_loadu_epi8(starts, p + i + last);
    uint64_t ends = _mm512_mask_cmpeq_epi8_mask(present, a, _mm512_set1_epi8('\n'));
    uint64_t mask = _mm512_mask_cmpeq_epi8_mask(starts, a, first) & _mm512_mask_cmpeq_epi8_mask(starts, b, final);
    *newlines = ends;
    // Only names that start before the line's end.
    return ends ? mask & ((ends & (0 - ends)) - 1) : mask;
}

__attribute__((target("avx512f,avx512bw")))
static size_t find_in_line_avx512(const uint8_t *p, size_t i, size_t n, const uint8_t *needle, size_t length, int *found) {
    const size_t last = length - 1;
    const __m512i first = _mm512_set1_epi8((char)needle[0]), final = _mm512_set1_epi8((char)needle[last]);
    while (i < n) {
        uint64_t ends;
        uint64_t mask = step_avx512(p, i, n, last, first, final, &ends);
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
        if (n - i <= 64) break;
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

/// Whether `b` can be part of a username (SPEC.md: letters, digits, `.`, `_`, `-`).
static inline int name_byte(uint8_t b) {
    return (uint8_t)(b - '0') <= 9 || (uint8_t)((b | 0x20) - 'a') <= 25 || b == '.' || b == '_' || b == '-';
}

/// Whether the `length` bytes at `a` and `b` are equal (names are short: a byte loop beats a call).
static inline int same_bytes(const uint8_t *a, const uint8_t *b, size_t length) {
    for (size_t k = 0; k < length; k++) {
        if (a[k] != b[k]) return 0;
    }
    return 1;
}

/// Whether an occurrence at `at` (`length` bytes) is a whole word. Nothing before `floor` is
/// looked at (it may lie outside the window); a newline before a line start is no name byte.
static inline int whole_word(const uint8_t *p, size_t n, size_t floor, size_t at, size_t length) {
    if (at > floor && name_byte(p[at - 1])) return 0;
    size_t end = at + length;
    return !(end < n && (name_byte(p[end]) || p[end] == '$'));
}

/// Records `at`; past `capacity` only counts (the caller then reports SIZE_MAX).
static inline void record(size_t at, size_t *found, size_t capacity, size_t *count) {
    if (*count < capacity) found[*count] = at;
    *count += 1;
}

/// The portable form: the line's start, then `find_in_line` from there, skipping the name itself.
static size_t name_repeats_search(int level, const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                  size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity) {
    size_t length = end - start, count = 0;
    size_t line = anonlog_line_start_level(level, p, floor, start);
    *lineStart = line;
    size_t from = line;
    for (;;) {
        int hit = 0;
        size_t at = anonlog_find_in_line_level(level, p, from, n, p + start, length, &hit);
        if (!hit) {
            *lineEnd = at;
            return count > capacity ? SIZE_MAX : count;
        }
        from = at + 1;
        if (at != start && whole_word(p, n, floor, at, length)) record(at, found, capacity, &count);
    }
}

__attribute__((target("avx512f,avx512bw")))
static size_t name_repeats_avx512(const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                  size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity) {
    const size_t length = end - start, last = length - 1;
    size_t count = 0;
    const __m512i newline = _mm512_set1_epi8('\n');
    const __m512i first = _mm512_set1_epi8((char)p[start]), final = _mm512_set1_epi8((char)p[end - 1]);
    // Backwards from the name, 64 bytes at a time, to the line's start: newlines and, in
    // the same loads, earlier occurrences (which must end before the name starts).
    size_t at = start, line = floor;
    while (at > floor) {
        size_t take = at - floor >= 64 ? 64 : at - floor, base = at - take;
        __mmask64 present = take == 64 ? ~(__mmask64)0 : (((__mmask64)1 << take) - 1);
        __m512i a = _mm512_maskz_loadu_epi8(present, p + base);
        uint64_t ends = _mm512_mask_cmpeq_epi8_mask(present, a, newline);
        uint64_t inLine = present;
        if (ends) {
            unsigned lastNewline = 63 - (unsigned)__builtin_clzll(ends);
            line = base + lastNewline + 1;
            inLine &= lastNewline == 63 ? 0 : ~(uint64_t)0 << (lastNewline + 1);
        }
        // Starts whose occurrence ends at or before `start`.
        long room = (long)start - (long)length - (long)base;
        uint64_t fits = room < 0 ? 0 : room >= 63 ? ~(uint64_t)0 : ((uint64_t)2 << room) - 1;
        uint64_t starts = inLine & fits;
        __m512i b = _mm512_maskz_loadu_epi8(starts, p + base + last);
        uint64_t candidates = _mm512_mask_cmpeq_epi8_mask(starts, a, first) & _mm512_mask_cmpeq_epi8_mask(starts, b, final);
        while (candidates) {
            size_t q = base + (unsigned)__builtin_ctzll(candidates);
            candidates &= candidates - 1;
            if (length > 2 && !same_bytes(p + q + 1, p + start + 1, length - 2)) continue;
            if (whole_word(p, n, floor, q, length)) record(q, found, capacity, &count);
        }
        if (ends) break;
        at = base;
    }
    *lineStart = line;
    // Forwards from the name's end to the newline.
    size_t i = end;
    while (i < n) {
        uint64_t ends;
        uint64_t candidates = step_avx512(p, i, n, last, first, final, &ends);
        while (candidates) {
            size_t q = i + (unsigned)__builtin_ctzll(candidates);
            candidates &= candidates - 1;
            if (length > 2 && !same_bytes(p + q + 1, p + start + 1, length - 2)) continue;
            if (whole_word(p, n, floor, q, length)) record(q, found, capacity, &count);
        }
        if (ends) {
            *lineEnd = i + (unsigned)__builtin_ctzll(ends);
            return count > capacity ? SIZE_MAX : count;
        }
        if (n - i <= 64) break;
        i += 64;
    }
    *lineEnd = n;
    return count > capacity ? SIZE_MAX : count;
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

/// The portable form at this CPU's vector level.
static size_t name_repeats_portable(const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                    size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity) {
    return name_repeats_search(vector_level(), p, n, floor, start, end, lineStart, lineEnd, found, capacity);
}

AnonLogNameRepeatsFunction anonlog_name_repeats_function(void) {
    return vector_level() == 2 ? name_repeats_avx512 : name_repeats_portable;
}

size_t anonlog_name_repeats_level(int level, const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                  size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity) {
    if (level == 2 && vector_level() == 2) return name_repeats_avx512(p, n, floor, start, end, lineStart, lineEnd, found, capacity);
    return name_repeats_search(level, p, n, floor, start, end, lineStart, lineEnd, found, capacity);
}
