// DottedQuad.h and IPv6Text.h: up to 64 bytes around the trigger become digit, hex, dot and
// colon masks (SSE2, baseline on x86-64); group and octet lengths come from counting trailing
// ones, and octet values are checked with arithmetic instead of branches.
#include "DottedQuad.h"
#include "IPv6Text.h"
#include <string.h>

/// Masks of 64 bytes at `q` (bit i is q[i]).
typedef struct {
    uint64_t digit, hex, dot, colon, alnum;
} TextMasks;

#if defined(__x86_64__) || defined(__i386__)
#include <emmintrin.h>

static inline uint64_t bits16(__m128i v, int lane) { return (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * lane); }

/// Whether each byte of `v` lies in [low, low + span].
static inline __m128i in_range(__m128i v, char low, char span) {
    __m128i offset = _mm_sub_epi8(v, _mm_set1_epi8(low));
    return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(span)), offset);
}

static inline void text_masks(const uint8_t *q, int lanes, int wantColons, TextMasks *m) {
    memset(m, 0, sizeof *m);
    for (int lane = 0; lane < lanes; lane++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(q + 16 * lane));
        __m128i digit = in_range(v, '0', 9);
        m->digit |= bits16(digit, lane);
        m->dot |= bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), lane);
        if (wantColons) {
            __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
            __m128i hexLetter = in_range(folded, 'a', 5);
            m->hex |= bits16(_mm_or_si128(digit, hexLetter), lane);
            m->alnum |= bits16(_mm_or_si128(digit, in_range(folded, 'a', 25)), lane);
            m->colon |= bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), lane);
        }
    }
}

#else

static inline void text_masks(const uint8_t *q, int lanes, int wantColons, TextMasks *m) {
    memset(m, 0, sizeof *m);
    for (int i = 0; i < 16 * lanes; i++) {
        uint8_t b = q[i], folded = b | 0x20;
        uint64_t bit = (uint64_t)1 << i;
        int digit = (uint8_t)(b - '0') <= 9;
        if (digit) m->digit |= bit;
        if (b == '.') m->dot |= bit;
        if (wantColons) {
            if (digit || (uint8_t)(folded - 'a') <= 5) m->hex |= bit;
            if (digit || (uint8_t)(folded - 'a') <= 25) m->alnum |= bit;
            if (b == ':') m->colon |= bit;
        }
    }
}

#endif

/// The number of consecutive set bits of `mask` from bit `pos` on.
static inline unsigned run_from(uint64_t mask, unsigned pos) {
    uint64_t rest = ~(mask >> pos);
    return rest ? (unsigned)__builtin_ctzll(rest) : 64 - pos;
}

/// Whether the `length` digits at `q` are an octet: 1-3 digits, no leading zero, <= 255.
static inline __attribute__((always_inline)) int octet_ok(const uint8_t *q, unsigned length) {
    unsigned d0 = q[0] - '0', d1 = q[1] - '0', d2 = q[2] - '0';
    return (length == 1) | ((length == 2) & (d0 != 0)) | ((length == 3) & (d0 != 0) & (d0 * 100 + d1 * 10 + d2 <= 255));
}

/// One past the dotted quad starting at bit `pos` of `q` (four octets joined by dots), or -1.
/// Needs 16 readable bytes from `pos` and masks covering them.
static inline __attribute__((always_inline)) int quad_end(const uint8_t *q, const TextMasks *m, unsigned pos) {
    for (int octet = 0; octet < 4; octet++) {
        unsigned length = run_from(m->digit, pos);
        if (!((length <= 3) & octet_ok(q + pos, length))) return -1;
        pos += length;
        if (octet < 3) {
            if (!((m->dot >> pos) & 1)) return -1;
            pos += 1;
        }
    }
    return (int)pos;
}

/// Whether the `length` digits at `q` are an octet, as `octet_ok`, without branches.
static inline __attribute__((always_inline)) unsigned octet_valid(const uint8_t *q, unsigned length) {
    unsigned d0 = q[0] - '0', d1 = q[1] - '0', d2 = q[2] - '0';
    unsigned one = length == 1, two = length == 2, three = length == 3;
    return one | ((two | (three & (d0 * 100 + d1 * 10 + d2 <= 255))) & (d0 != 0));
}

int64_t anonlog_dotted_quad(const uint8_t *p, size_t n, size_t dot, size_t *start) {
    (void)n;
    const uint8_t *q = p + dot - 4;   // the dot is bit 4
    TextMasks m;
    text_masks(q, 2, 0, &m);
    // All four octets are measured and checked at once, and only the verdict branches: almost
    // every candidate is an address, but its octet lengths are random, and a branch per
    // octet would mispredict. Each length is clamped with `& 3` so that the positions stay
    // inside the 32 bytes read even when the verdict is no.
    unsigned before = (unsigned)__builtin_clzll(~(m.digit << 60));   // digits before the dot
    unsigned l1 = run_from(m.digit, 5);
    unsigned p2 = 5 + (l1 & 3) + 1;
    unsigned l2 = run_from(m.digit, p2);
    unsigned p3 = p2 + (l2 & 3) + 1;
    unsigned l3 = run_from(m.digit, p3);
    unsigned ok = (before - 1 <= 2) & (l1 - 1 <= 2) & (l2 - 1 <= 2) & (l3 - 1 <= 2)
        & (unsigned)(m.dot >> (p2 - 1)) & (unsigned)(m.dot >> (p3 - 1))
        & octet_valid(q + 4 - (before & 3), before) & octet_valid(q + 5, l1) & octet_valid(q + p2, l2)
        & octet_valid(q + p3, l3);
    if (!(ok & 1)) return -1;
    *start = dot - before;
    return (int64_t)(dot - 4 + p3 + l3);
}

int64_t anonlog_ipv6_address(const uint8_t *p, size_t n, size_t colon, size_t *start) {
    (void)n;
    const uint8_t *q = p + colon - 5;   // the colon is bit 5
    TextMasks m;
    text_masks(q, 4, 1, &m);
    // Hex digits right before the colon: at most four, after a byte that cannot precede an
    // address (or the window's start, which the caller's bounds rule out here).
    unsigned before = (unsigned)__builtin_clzll(~(m.hex << 59));
    if (before > 4) return -1;
    unsigned s = 5 - before;
    uint64_t previous = (uint64_t)1 << (s - 1);
    if ((m.alnum | m.dot | m.colon) & previous) return -1;
    // Every address has a "::" from its first colon on, or is uncompressed and has at least six
    // colons (eight groups, or six and a dotted quad). Most candidates that fail do so here,
    // before the group loop and its mispredicted branches: a CLF time stamp's `2026:11:37:17`
    // follows a slash, and an access log has one on every line.
    uint64_t colons = m.colon >> 5;
    if (__builtin_popcountll(colons) < 6 && !(colons & (colons >> 1))) return -1;
    unsigned i = s, end = s;
    int groups = 0, compressed = 0;
    for (;;) {
        if (((m.colon >> i) & 3) == 3) {   // "::"
            if (compressed) break;         // a second one ends the address before it
            compressed = 1;
            i += 2;
            end = i;
            continue;
        }
        unsigned length = run_from(m.hex, i);
        if (length == 0 || length > 4) break;
        if ((m.dot >> (i + length)) & 1) {
            // A trailing dotted quad counts as two groups.
            int quad = groups <= 6 ? quad_end(q, &m, i) : -1;
            if (quad >= 0) {
                groups += 2;
                end = (unsigned)quad;
            }
            break;
        }
        i += length;
        groups += 1;
        end = i;
        if (groups == 8) break;
        if (!((m.colon >> i) & 1)) break;
        if (!((m.colon >> (i + 1)) & 1)) {
            // A single colon must be followed by another group.
            if (!((m.hex >> (i + 1)) & 1)) break;
            i += 1;
        }
        if (i > 46) break;   // past any address: the masks end at 64
    }
    if (compressed ? (groups < 1 || groups > 7) : groups != 8) return -1;
    // Not extended by a letter or digit, a dotted run, or (uncompressed) another group.
    if ((m.alnum >> end) & 1) return -1;
    if (((m.dot >> end) & 1) && ((m.alnum >> (end + 1)) & 1)) return -1;
    if (!compressed && ((m.colon >> end) & 1) && ((m.hex >> (end + 1)) & 1)) return -1;
    *start = colon - before;
    return (int64_t)(colon - 5 + end);
}
