// The candidate stage (Candidates.h): one body, instantiated once per mask kernel so that each
// copy inlines its kernel under the matching target attribute.
#include "Candidates.h"
#include "MaskKernels.h"

/// The masks of the block at `offset`; bytes past `n` read as zero.
static inline __attribute__((always_inline)) void load_block(void (*kernel)(const uint8_t *, AnonLogByteMasks *),
                                                             const uint8_t *p, size_t n, size_t offset,
                                                             AnonLogByteMasks *m) {
    if (offset + 64 <= n) {
        kernel(p + offset, m);
    } else if (offset < n) {
        uint8_t block[64];
        memset(block, 0, sizeof block);
        memcpy(block, p + offset, n - offset);
        kernel(block, m);
    } else {
        memset(m, 0, sizeof *m);
    }
}

/// The 64 bits from bit `offset` of `low` on, continued by `high`: what lies ahead.
static inline uint64_t ahead(uint64_t low, uint64_t high, unsigned offset) {
    return offset == 0 ? low : (low >> offset) | (high << (64 - offset));
}

/// Bit i is bit i - `distance` of the 128-bit value `previous`, `mask`: what lies behind.
static inline uint64_t behind(uint64_t mask, uint64_t previous, unsigned distance) {
    return (mask << distance) | (previous >> (64 - distance));
}

/// Bits whose position plus 2, 3 or 4 is set in the 128-bit value `low`, `high`.
static inline uint64_t within2to4(uint64_t low, uint64_t high) {
    return (low >> 2) | (high << 62) | (low >> 3) | (high << 61) | (low >> 4) | (high << 60);
}

/// Dots with a digit right before and right after (the bits beyond the block come in).
static inline uint64_t dotted_digits(uint64_t dot, uint64_t digit, uint64_t digitBeforeFirst, uint64_t digitAfterLast) {
    return dot & ((digit << 1) | digitBeforeFirst) & ((digit >> 1) | (digitAfterLast << 63));
}

static inline unsigned low_bit(uint64_t bits) { return (unsigned)__builtin_ctzll(bits); }

static inline uint32_t load32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

#define WORD4(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/// Whether an ls/tar listing line may start with `b` (a file-type letter).
static inline int is_file_type(uint8_t b) {
    return b == '-' || b == 'd' || b == 'l' || b == 'c' || b == 'b' || b == 'p' || b == 's' || b == 'h';
}

/// Whether the line at `start` may name a user, so that `UsernameDetector.lineStart` must
/// look: it may be an `ls -l`/`tar -tv` listing (its first byte a file-type letter), or a CLF
/// line `host ident user [digit` (fields free of blanks and quotes) whose ident and user are
/// not both `-`. `stops` has a bit for every space, tab, newline or quote from `start` on;
/// when fewer than three lie in those 64 bytes, the answer is yes and the detector decides.
static inline int may_name_user(const uint8_t *p, size_t n, size_t start, uint64_t stops) {
    if (is_file_type(p[start])) return 1;
    size_t field[3];
    for (int k = 0; k < 3; k++) {
        if (stops == 0) return 1;
        field[k] = start + low_bit(stops);
        stops &= stops - 1;
        if (p[field[k]] != ' ') return 0;   // a field ended by a tab, quote or newline: not CLF
    }
    size_t host = field[0], ident = field[1], user = field[2];
    if (host == start || ident == host + 1 || user == ident + 1) return 0;
    if (user + 2 >= n || p[user + 1] != '[' || (uint8_t)(p[user + 2] - '0') > 9) return 0;
    // `host - - [`: an anonymous line.
    return !(ident == host + 2 && user == ident + 2 && p[host + 1] == '-' && p[ident + 1] == '-');
}

/// Whether an IPv6 address can have a colon in this block: it has a "::", or at least six
/// colons (seven, or six and a dotted quad), in this block and the next.
static inline int ipv6_possible(uint64_t colon, uint64_t nextColon) {
    if (colon == 0) return 0;
    if ((colon & (colon >> 1)) | (nextColon & (nextColon >> 1)) | ((colon >> 63) & nextColon & 1)) return 1;
    return __builtin_popcountll(colon) + __builtin_popcountll(nextColon) >= 6;
}

static inline __attribute__((always_inline)) void candidates_body(
    void (*kernel)(const uint8_t *, AnonLogByteMasks *), const uint8_t *p, size_t n, size_t first, size_t count,
    unsigned want, int startsLine, AnonLogCandidates *out) {
    // What the block before `first` hands on: its last byte's classes, and for IPv6 its
    // hex and boundary bits (the window's start counts as a boundary).
    uint64_t pDigit = 0, pNewline = startsLine ? 1 : 0, pR = 0, pAlnum = 0, pEsl = 0, pJsonEnd = 0;
    uint64_t pHex = 0, pBoundary = ~(uint64_t)0;
    AnonLogByteMasks cur, next;
    if (first > 0) {
        load_block(kernel, p, n, (first - 1) * 64, &cur);
        pDigit = cur.digit >> 63;
        pNewline = cur.newline >> 63;
        pR = cur.r >> 63;
        pAlnum = (cur.digit | cur.letter) >> 63;
        pEsl = cur.esl >> 63;
        pJsonEnd = (cur.quoteTab | cur.space) >> 63;
        pHex = cur.digit | cur.hexLetter;
        pBoundary = ~(cur.digit | cur.letter | cur.dot | cur.colon);
    }
    load_block(kernel, p, n, first * 64, &cur);
    for (size_t i = 0; i < count; i++) {
        size_t base = (first + i) * 64;
        load_block(kernel, p, n, base + 64, &next);
        AnonLogCandidates c = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        uint64_t alnum = cur.digit | cur.letter;
        uint64_t valid = n - base >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n - base)) - 1;

        if (want & ANONLOG_WANT_IPV4) {
            uint64_t here = dotted_digits(cur.dot, cur.digit, pDigit, next.digit & 1);
            uint64_t there = dotted_digits(next.dot, next.digit, cur.digit >> 63, 1);
            uint64_t secondHere = here & within2to4(here, there);
            uint64_t secondThere = there & within2to4(there, 0);
            c.ipv4 = here & within2to4(secondHere, secondThere);
        }
        if ((want & ANONLOG_WANT_IPV6) && ipv6_possible(cur.colon, next.colon)) {
            uint64_t hex = cur.digit | cur.hexLetter;
            uint64_t boundary = ~(alnum | cur.dot | cur.colon);
            uint64_t hex1 = behind(hex, pHex, 1);
            uint64_t hex2 = hex1 & behind(hex, pHex, 2);
            uint64_t hex3 = hex2 & behind(hex, pHex, 3);
            uint64_t hex4 = hex3 & behind(hex, pHex, 4);
            uint64_t start = behind(boundary, pBoundary, 1) | (hex1 & behind(boundary, pBoundary, 2))
                | (hex2 & behind(boundary, pBoundary, 3)) | (hex3 & behind(boundary, pBoundary, 4))
                | (hex4 & behind(boundary, pBoundary, 5));
            c.ipv6 = cur.colon & start;
        }
        if (want & ANONLOG_WANT_SPECIAL) c.special = cur.special;
        if (want & ANONLOG_WANT_PERSONNUMMER) {
            uint64_t d = cur.digit;
            uint64_t runStart = d & ~((d << 1) | pDigit);
            uint64_t six = d & (d >> 1) & (d >> 2) & (d >> 3) & (d >> 4) & (d >> 5);
            uint64_t bits = runStart & (six | (d & 0xF800000000000000ull));
            while (bits) {
                unsigned b = low_bit(bits);
                bits &= bits - 1;
                uint64_t rest = ~ahead(d, next.digit, b);
                unsigned run = rest ? low_bit(rest) : 64;
                size_t end = base + b + run;
                if (run == 10 || run == 12
                    || ((run == 6 || run == 8) && end < n && (p[end] == '-' || p[end] == '+'))) {
                    c.personnummer |= (uint64_t)1 << b;
                }
            }
        }
        if (want & ANONLOG_WANT_USERS) {
            uint64_t bits = ((cur.newline << 1) | pNewline) & valid;
            uint64_t stops = cur.space | cur.newline | cur.quoteTab, nextStops = next.space | next.newline | next.quoteTab;
            while (bits) {
                unsigned b = low_bit(bits);
                bits &= bits - 1;
                if (may_name_user(p, n, base + b, ahead(stops, nextStops, b))) c.lineStart |= (uint64_t)1 << b;
            }
            c.jsonColon = cur.colon & (((cur.quoteTab | cur.space) << 1) | pJsonEnd);
            c.afterR = cur.space & ((cur.r << 1) | pR);
            bits = cur.slash & ((cur.esl << 1) | pEsl);
            while (bits) {
                unsigned b = low_bit(bits);
                bits &= bits - 1;
                size_t slash = base + b;
                if (slash < 4) continue;
                uint32_t last4 = load32(p + slash - 4);
                if (last4 == WORD4('h', 'o', 'm', 'e') || last4 == WORD4('s', 'e', 'r', 's') || last4 == WORD4('m', 'a', 'i', 'l')) {
                    c.homeSlash |= (uint64_t)1 << b;
                }
            }
        }
        if (want & ANONLOG_WANT_WORDS) c.word = alnum & ~((alnum << 1) | pAlnum);
        out[i] = c;

        pDigit = cur.digit >> 63;
        pNewline = cur.newline >> 63;
        pR = cur.r >> 63;
        pAlnum = alnum >> 63;
        pEsl = cur.esl >> 63;
        pJsonEnd = (cur.quoteTab | cur.space) >> 63;
        pHex = cur.digit | cur.hexLetter;
        pBoundary = ~(alnum | cur.dot | cur.colon);
        cur = next;
    }
}

#ifdef ANONLOG_X86

__attribute__((target("avx512f,avx512bw,popcnt,bmi,bmi2")))
static void candidates_avx512(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                              AnonLogCandidates *out) {
    candidates_body(masks_avx512, p, n, first, count, want, startsLine, out);
}

__attribute__((target("avx2,popcnt,bmi,bmi2")))
static void candidates_avx2(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                            AnonLogCandidates *out) {
    candidates_body(masks_avx2, p, n, first, count, want, startsLine, out);
}

static void candidates_sse2(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                            AnonLogCandidates *out) {
    candidates_body(masks_sse2, p, n, first, count, want, startsLine, out);
}

AnonLogCandidatesFunction anonlog_candidates_function(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi2")) return candidates_avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) return candidates_avx2;
    return candidates_sse2;
}

AnonLogCandidatesFunction anonlog_candidates_function_named(const char *name) {
    __builtin_cpu_init();
    if (strcmp(name, "avx512") == 0) return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi2") ? candidates_avx512 : 0;
    if (strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") ? candidates_avx2 : 0;
    if (strcmp(name, "sse2") == 0) return candidates_sse2;
    return 0;
}

#else

static void candidates_scalar(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                              AnonLogCandidates *out) {
    candidates_body(masks_scalar, p, n, first, count, want, startsLine, out);
}

AnonLogCandidatesFunction anonlog_candidates_function(void) { return candidates_scalar; }

AnonLogCandidatesFunction anonlog_candidates_function_named(const char *name) {
    return strcmp(name, "scalar") == 0 ? candidates_scalar : 0;
}

#endif
