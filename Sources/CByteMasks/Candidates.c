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
    unsigned want, int startsLine, AnonLogCandidates *restrict out) {
    // Three mask slots used in turn (the previous, this and the next block): the kernel writes
    // each block's masks once, in place, and the seams read the neighbours' masks directly.
    AnonLogByteMasks ring[3];
    AnonLogByteMasks *prev = &ring[0], *cur = &ring[1], *next = &ring[2];
    if (first > 0) {
        load_block(kernel, p, n, (first - 1) * 64, prev);
    } else {
        // Before the window: nothing, except a newline when the window starts a line. (Its
        // boundary bits, all ones, make the window's start count as a boundary for IPv6.)
        memset(prev, 0, sizeof *prev);
        prev->newline = startsLine ? (uint64_t)1 << 63 : 0;
    }
    load_block(kernel, p, n, first * 64, cur);
    for (size_t i = 0; i < count; i++) {
        size_t base = (first + i) * 64;
        load_block(kernel, p, n, base + 64, next);
        __builtin_prefetch(p + base + 1024);
        AnonLogCandidates *c = &out[i];
        memset(c, 0, sizeof *c);
        uint64_t alnum = cur->digit | cur->letter;

        if (want & ANONLOG_WANT_IPV4) {
            uint64_t here = dotted_digits(cur->dot, cur->digit, prev->digit >> 63, next->digit & 1);
            uint64_t there = dotted_digits(next->dot, next->digit, cur->digit >> 63, 1);
            uint64_t secondHere = here & within2to4(here, there);
            uint64_t secondThere = there & within2to4(there, 0);
            c->ipv4 = here & within2to4(secondHere, secondThere);
        }
        if ((want & ANONLOG_WANT_IPV6) && ipv6_possible(cur->colon, next->colon)) {
            uint64_t hex = cur->digit | cur->hexLetter, prevHex = prev->digit | prev->hexLetter;
            uint64_t boundary = ~(alnum | cur->dot | cur->colon);
            uint64_t prevBoundary = ~(prev->digit | prev->letter | prev->dot | prev->colon);
            uint64_t hex1 = behind(hex, prevHex, 1);
            uint64_t hex2 = hex1 & behind(hex, prevHex, 2);
            uint64_t hex3 = hex2 & behind(hex, prevHex, 3);
            uint64_t hex4 = hex3 & behind(hex, prevHex, 4);
            uint64_t start = behind(boundary, prevBoundary, 1) | (hex1 & behind(boundary, prevBoundary, 2))
                | (hex2 & behind(boundary, prevBoundary, 3)) | (hex3 & behind(boundary, prevBoundary, 4))
                | (hex4 & behind(boundary, prevBoundary, 5));
            c->ipv6 = cur->colon & start;
        }
        if (want & ANONLOG_WANT_SPECIAL) {
            c->special = cur->special;
            // key=value: only after the last letter of a username key (or of sudo's TTY).
            if (want & ANONLOG_WANT_USERS) c->special |= cur->equals & behind(cur->keyEnd, prev->keyEnd, 1);
        }
        if (want & ANONLOG_WANT_PERSONNUMMER) {
            // Run starts of exactly 10 or 12 digits, or of 6 or 8 followed by '-' or '+',
            // from the digit mask k bytes ahead (d_k): no branch per digit run.
            uint64_t d = cur->digit, nd = next->digit;
            uint64_t runStart = d & ~behind(d, prev->digit, 1);
            uint64_t six = runStart & ahead(d, nd, 1) & ahead(d, nd, 2) & ahead(d, nd, 3) & ahead(d, nd, 4) & ahead(d, nd, 5);
            if (six) {   // most blocks have no run of six digits: skip the rest
                uint64_t d6 = ahead(d, nd, 6), d7 = ahead(d, nd, 7), d8 = ahead(d, nd, 8), d9 = ahead(d, nd, 9);
                uint64_t d10 = ahead(d, nd, 10), d11 = ahead(d, nd, 11), d12 = ahead(d, nd, 12);
                uint64_t eight = d6 & d7, ten = eight & d8 & d9, twelve = ten & d10 & d11;
                uint64_t separated = (~d6 & ahead(cur->dashPlus, next->dashPlus, 6))
                    | (eight & ~d8 & ahead(cur->dashPlus, next->dashPlus, 8));
                c->personnummer = six & (separated | (ten & ~d10) | (twelve & ~d12));
            }
        }
        if (want & ANONLOG_WANT_USERS) {
            uint64_t valid = n - base >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n - base)) - 1;
            uint64_t bits = behind(cur->newline, prev->newline, 1) & valid;
            uint64_t stops = cur->space | cur->newline | cur->quoteTab, nextStops = next->space | next->newline | next->quoteTab;
            while (bits) {
                unsigned b = low_bit(bits);
                bits &= bits - 1;
                if (may_name_user(p, n, base + b, ahead(stops, nextStops, b))) c->lineStart |= (uint64_t)1 << b;
            }
            // A JSON key's colon: after blanks, or after a quote that follows the key's last
            // letter (blanks and quotes two back are let through for `"user" :`).
            uint64_t blank = cur->space | cur->quoteTab, prevBlank = prev->space | prev->quoteTab;
            c->jsonColon = cur->colon & (behind(cur->space, prev->space, 1)
                | (behind(cur->quoteTab, prev->quoteTab, 1) & behind(cur->keyEnd | blank, prev->keyEnd | prevBlank, 2)));
            c->afterR = cur->space & behind(cur->r, prev->r, 1);
            // "home/" and "mail/" (three home letters before e/s/l), "Users/" ('r' between
            // e/s/l, a home letter five back); Swift compares the bytes. "Chrome/" and
            // "users/" fail here.
            uint64_t x = cur->homeLetter, px = prev->homeLetter, esl = cur->esl, pesl = prev->esl;
            uint64_t homeOrMail = behind(x, px, 2) & behind(x, px, 3) & behind(x, px, 4);
            uint64_t users = behind(cur->r, prev->r, 2) & behind(esl, pesl, 3) & behind(esl, pesl, 4) & behind(x, px, 5);
            c->homeSlash = cur->slash & behind(esl, pesl, 1) & (homeOrMail | users);
        }
        if (want & ANONLOG_WANT_WORDS) c->word = alnum & ~behind(alnum, prev->digit | prev->letter, 1);

        AnonLogByteMasks *done = prev;
        prev = cur;
        cur = next;
        next = done;
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
