#include "EmailShape.h"
#include "ByteTable.h"

#include "VectorLevel.h"

#include <immintrin.h>

/// Whether `b` may be in a local part.
static inline int is_local(uint8_t b) { return (anonlog_byte_class(b) & ANONLOG_BYTE_EMAIL_LOCAL) != 0; }

/// Whether `b` may be in a domain label.
static inline int is_domain(uint8_t b) { return (anonlog_byte_class(b) & ANONLOG_BYTE_DOMAIN) != 0; }

/// Whether `b` is an ASCII letter or digit.
static inline int is_alnum(uint8_t b) { return (anonlog_byte_class(b) & (ANONLOG_BYTE_DIGIT | ANONLOG_BYTE_LETTER)) != 0; }

/// The domain's labels from `i` (the byte after the `@`), given a function that finds where
/// the run of label bytes from a position ends. Shared by both forms, so they cannot differ
/// in anything but how a run's end is found.
#define WALK_LABELS(RUN_END)                                                                            \
    size_t i = at + atLength, labels = 0, lastLabelStart = i, firstLabelEnd = i, end = i;              \
    while (i < n && i - at < 256) {                                                                     \
        size_t labelStart = i;                                                                          \
        i = RUN_END(i);                                                                                 \
        if (!(i > labelStart && p[labelStart] != '-' && p[i - 1] != '-')) break;                        \
        labels += 1;                                                                                    \
        if (labels == 1) firstLabelEnd = i;                                                             \
        lastLabelStart = labelStart;                                                                    \
        end = i;                                                                                        \
        if (!(i + 1 < n && p[i] == '.' && is_alnum(p[i + 1]))) break;                                  \
        i += 1;                                                                                         \
    }                                                                                                   \
    if (labels < 2) return 0;                                                                           \
    shape->end = end;                                                                                   \
    shape->lastLabelStart = lastLabelStart;                                                             \
    shape->firstLabelEnd = firstLabelEnd;                                                               \
    shape->labels = labels;                                                                             \
    return 1;

/// The byte-at-a-time form.
static int email_shape_bytes(const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape) {
    size_t start = at;
    while (start > 0 && at - start < 64 && is_local(p[start - 1])) start--;
    while (start < at && p[start] == '.') start++;
    if (start >= at || p[at - 1] == '.') return 0;
    if (start > 0 && at - start >= 64 && is_local(p[start - 1])) return 0;
    shape->start = start;
#define BYTE_RUN_END(from) ({ size_t k = (from); while (k < n && is_domain(p[k])) k++; k; })
    WALK_LABELS(BYTE_RUN_END)
#undef BYTE_RUN_END
}

/// Letters (either case) and digits among 64 bytes.
__attribute__((target("avx512f,avx512bw")))
static inline __mmask64 alnum_mask(__m512i v) {
    __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    __mmask64 letters = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(folded, _mm512_set1_epi8('a')), _mm512_set1_epi8(26));
    __mmask64 digits = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    return letters | digits;
}

/// The window of 64 bytes from `from` (none at or past `n`) as a mask of bytes that are not
/// label bytes; those past `n` count as not, so a run stops there.
__attribute__((target("avx512f,avx512bw")))
static inline uint64_t non_domain_mask(const uint8_t *p, size_t n, size_t from) {
    size_t avail = n - from;
    __mmask64 present = avail >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << avail) - 1);
    __m512i v = _mm512_maskz_loadu_epi8(present, p + from);
    __mmask64 domain = alnum_mask(v) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
    return ~(uint64_t)(domain & present);
}

__attribute__((target("avx512f,avx512bw")))
static int email_shape_avx512(const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape) {
    // Most `@` that start no address (`"@timestamp"`) have no local byte before them.
    if (at == 0 || !is_local(p[at - 1])) return 0;
    // The local part: the (at most 64) bytes before the `@` in one load.
    size_t take = at < 64 ? at : 64, base = at - take;
    __mmask64 present = take == 64 ? ~(__mmask64)0 : (((__mmask64)1 << take) - 1);
    __m512i v = _mm512_maskz_loadu_epi8(present, p + base);
    __mmask64 dots = _mm512_mask_cmpeq_epi8_mask(present, v, _mm512_set1_epi8('.'));
    __mmask64 local = alnum_mask(v) | dots | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'))
                    | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('%')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('+'))
                    | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
    uint64_t other = (uint64_t)(~local & present);
    // After the last byte that is not a local byte; else the whole load.
    size_t skip = other ? 64 - (size_t)__builtin_clzll(other) : 0;
    // Leading dots are not part of it.
    uint64_t leading = skip < 64 ? (uint64_t)dots >> skip : 0;
    skip += ~leading ? (size_t)__builtin_ctzll(~leading) : 64;
    size_t start = base + (skip < take ? skip : take);
    if (start >= at || p[at - 1] == '.') return 0;
    // A run of 64 with a local byte before it: too long to be a local part.
    if (start == base && take == 64 && base > 0 && is_local(p[base - 1])) return 0;
    shape->start = start;
    // The domain: one window of 64 bytes serves every label that ends inside it.
    size_t window = at + atLength;
    uint64_t stops = window < n ? non_domain_mask(p, n, window) : ~(uint64_t)0;
#define WINDOW_RUN_END(from) ({                                                          \
        size_t k = (from), found;                                                         \
        for (;;) {                                                                        \
            if (k - window >= 64) { window = k; stops = k < n ? non_domain_mask(p, n, k) : ~(uint64_t)0; } \
            uint64_t rest = stops >> (k - window);                                        \
            if (rest) { found = k + (size_t)__builtin_ctzll(rest); break; }               \
            k = window + 64;                                                              \
        }                                                                                 \
        found; })
    WALK_LABELS(WINDOW_RUN_END)
#undef WINDOW_RUN_END
}


int anonlog_email_shape(const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape) {
    return vector_level() == 2 ? email_shape_avx512(p, n, at, atLength, shape) : email_shape_bytes(p, n, at, atLength, shape);
}

int anonlog_email_shape_level(int level, const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape) {
    if (level == 2 && vector_level() == 2) return email_shape_avx512(p, n, at, atLength, shape);
    return email_shape_bytes(p, n, at, atLength, shape);
}
