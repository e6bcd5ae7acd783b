// The candidate stage (Candidates.h): one body, instantiated once per mask kernel so that each
// copy inlines its kernel under the matching target attribute. The body loads the masks,
// loops over eight blocks at a time and ORs what each detector's function (IPv4Candidates.h,
// IPv6Candidates.h, PersonnummerCandidates.h, UsernameCandidates.h) returns.
#include "Candidates.h"
#include "IPv4Candidates.h"
#include "IPv6Candidates.h"
#include "MaskKernels.h"
#include "PersonnummerCandidates.h"
#include "UsernameCandidates.h"

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

/// The candidates of `bits` (block at `base`) that `keep` lets through.
static inline __attribute__((always_inline)) uint64_t filter_bits(const uint8_t *p, size_t base, uint64_t bits,
                                                                   uint64_t (*keep)(const uint8_t *, size_t)) {
    uint64_t kept = 0;
    while (bits) {
        unsigned b = low_bit(bits);
        bits &= bits - 1;
        kept |= keep(p, base + b) << b;
    }
    return kept;
}

/// The byte classes of `AnonLogByteMasks`, as rows of `RawMasks`, in its field order.
enum { DIGIT, LETTER, DOT, COLON, SPECIAL, EQUALS, NEWLINE, SPACE, SLASH, PHRASE_END, CONTEXT_TAIL, HEX_LETTER, QUOTE_TAB,
       DASH_PLUS, KEY_END, CONTEXT_HEAD, CLASSES };

/// Row width: the block before the batch, the batch, the block after, and padding so that
/// eight lanes can always be read.
#define ROW (ANONLOG_BATCH_BLOCKS + 2 + 8)

/// A batch's masks by class: `row[c][1 + i]` is class c of block first + i.
typedef struct {
    uint64_t row[CLASSES][ROW];
} RawMasks;

static inline __attribute__((always_inline)) void store_masks(RawMasks *raw, size_t index, const AnonLogByteMasks *m) {
    raw->row[DIGIT][index] = m->digit;
    raw->row[LETTER][index] = m->letter;
    raw->row[DOT][index] = m->dot;
    raw->row[COLON][index] = m->colon;
    raw->row[SPECIAL][index] = m->special;
    raw->row[EQUALS][index] = m->equals;
    raw->row[NEWLINE][index] = m->newline;
    raw->row[SPACE][index] = m->space;
    raw->row[SLASH][index] = m->slash;
    raw->row[PHRASE_END][index] = m->phraseEnd;
    raw->row[CONTEXT_TAIL][index] = m->contextTail;
    raw->row[HEX_LETTER][index] = m->hexLetter;
    raw->row[QUOTE_TAB][index] = m->quoteTab;
    raw->row[DASH_PLUS][index] = m->dashPlus;
    raw->row[KEY_END][index] = m->keyEnd;
    raw->row[CONTEXT_HEAD][index] = m->contextHead;
}

/// A kernel that writes class k of a full block to `out[k * stride]` (NULL: use the plain one).
typedef void (*StridedKernel)(const uint8_t *, uint64_t *, size_t);

static inline __attribute__((always_inline)) uint64_t candidates_body(
    void (*kernel)(const uint8_t *, AnonLogByteMasks *), StridedKernel strided, const uint8_t *p, size_t n,
    size_t first, size_t count, unsigned want, int startsLine, uint64_t *restrict out) {
    RawMasks raw;
    AnonLogByteMasks m;
    // Classify: the block before the batch (nothing before the window, but a newline when
    // the window starts a line; its boundary bits, all ones, make the window's start a
    // boundary for IPv6), the batch, the block after, then zeros.
    if (first > 0) {
        load_block(kernel, p, n, (first - 1) * 64, &m);
    } else {
        memset(&m, 0, sizeof m);
        m.newline = startsLine ? (uint64_t)1 << 63 : 0;
    }
    store_masks(&raw, 0, &m);
    for (size_t i = 0; i <= count; i++) {
        __builtin_prefetch(p + (first + i) * 64 + 1024);
        size_t offset = (first + i) * 64;
        if (strided && offset + 64 <= n) {
            strided(p + offset, &raw.row[0][1 + i], ROW);
            continue;
        }
        load_block(kernel, p, n, offset, &m);
        store_masks(&raw, 1 + i, &m);
    }
    size_t lanesEnd = (count + 7) & ~(size_t)7;
    for (int c = 0; c < CLASSES; c++) {
        for (size_t index = count + 2; index < lanesEnd + 2; index++) raw.row[c][index] = 0;
    }
    // Kinds not asked for stay zero.
    static const unsigned wantOf[ANONLOG_KINDS] = {
        [ANONLOG_LINE_START] = ANONLOG_WANT_USERS, [ANONLOG_IPV4] = ANONLOG_WANT_IPV4,
        [ANONLOG_IPV6] = ANONLOG_WANT_IPV6, [ANONLOG_JSON_COLON] = ANONLOG_WANT_USERS,
        [ANONLOG_SPECIAL] = ANONLOG_WANT_SPECIAL, [ANONLOG_PERSONNUMMER] = ANONLOG_WANT_PERSONNUMMER,
        [ANONLOG_AFTER_R] = ANONLOG_WANT_USERS, [ANONLOG_HOME_SLASH] = ANONLOG_WANT_USERS,
        [ANONLOG_WORD] = ANONLOG_WANT_WORDS,
    };
    for (int k = 0; k < ANONLOG_KINDS; k++) {
        if (!(want & wantOf[k])) memset(out + k * ANONLOG_BATCH_BLOCKS, 0, ANONLOG_BATCH_BLOCKS * sizeof(uint64_t));
    }

    // Combine, eight blocks at a time.
    uint64_t blocksWithLines = 0, blocksWithCandidates = 0, blocksWithKeys = 0;
    const Lanes weights = (Lanes){1, 2, 4, 8, 16, 32, 64, 128};
    // `=` after a key's last letter, by block, before its key is compared.
    uint64_t keyEquals[ANONLOG_BATCH_BLOCKS] __attribute__((aligned(64)));
    memset(keyEquals, 0, sizeof keyEquals);
    for (size_t j = 0; j < count; j += 8) {
#define CUR(c) (*(const Lanes *)&raw.row[c][j + 1])
#define PREV(c) (*(const Lanes *)&raw.row[c][j])
#define NEXT(c) (*(const Lanes *)&raw.row[c][j + 2])
#define CLASS(c) ((Class){CUR(c), PREV(c), NEXT(c)})
#define OUT(k) (*(Lanes *)&out[(k) * ANONLOG_BATCH_BLOCKS + j])
        Lanes digit = CUR(DIGIT), prevDigit = PREV(DIGIT), nextDigit = NEXT(DIGIT);
        Lanes alnum = digit | CUR(LETTER), prevAlnum = prevDigit | PREV(LETTER);
        if (want & ANONLOG_WANT_IPV4) OUT(ANONLOG_IPV4) = ipv4_candidates(digit, prevDigit, nextDigit, CLASS(DOT), CLASS(DASH_PLUS));
        if (want & ANONLOG_WANT_IPV6) {
            Class hex = {digit | CUR(HEX_LETTER), prevDigit | PREV(HEX_LETTER), nextDigit | NEXT(HEX_LETTER)};
            Class boundary = {~(alnum | CUR(DOT) | CUR(COLON)), ~(prevAlnum | PREV(DOT) | PREV(COLON)), (Lanes){0}};
            OUT(ANONLOG_IPV6) = ipv6_candidates(hex, boundary, CLASS(COLON));
        }
        if (want & ANONLOG_WANT_SPECIAL) {
            OUT(ANONLOG_SPECIAL) = CUR(SPECIAL);
            // key=value: the key itself is compared below, and the survivors join the special row.
            if (want & ANONLOG_WANT_USERS) {
                *(Lanes *)&keyEquals[j] = key_equals_candidates(CUR(EQUALS), CLASS(KEY_END));
                blocksWithKeys |= __builtin_reduce_or((Lanes)(*(Lanes *)&keyEquals[j] != 0) & weights) << j;
            }
        }
        if (want & ANONLOG_WANT_PERSONNUMMER) {
            // Not a-f: a hex id's digits are followed by those, and interim letters are none of them.
            Class stop = {CUR(DASH_PLUS) | (CUR(LETTER) & ~CUR(HEX_LETTER)), (Lanes){0},
                          NEXT(DASH_PLUS) | (NEXT(LETTER) & ~NEXT(HEX_LETTER))};
            OUT(ANONLOG_PERSONNUMMER) = personnummer_candidates(digit, prevDigit, nextDigit, stop);
        }
        if (want & ANONLOG_WANT_USERS) {
            OUT(ANONLOG_JSON_COLON) = json_colon_candidates(CUR(COLON), CLASS(SPACE), CLASS(QUOTE_TAB), CLASS(KEY_END));
            blocksWithKeys |= __builtin_reduce_or((Lanes)(OUT(ANONLOG_JSON_COLON) != 0) & weights) << j;
            OUT(ANONLOG_AFTER_R) = after_word_candidates(CUR(SPACE), CLASS(PHRASE_END), CLASS(CONTEXT_HEAD), CLASS(CONTEXT_TAIL));
            OUT(ANONLOG_HOME_SLASH) = home_slash_candidates(CUR(SLASH), CLASS(PHRASE_END), CLASS(CONTEXT_HEAD), CLASS(CONTEXT_TAIL));
        }
        if (want & ANONLOG_WANT_WORDS) OUT(ANONLOG_WORD) = alnum & ~BEHIND(alnum, prevAlnum, 1);
        Lanes any = OUT(ANONLOG_IPV4) | OUT(ANONLOG_IPV6) | OUT(ANONLOG_SPECIAL)
            | OUT(ANONLOG_PERSONNUMMER) | OUT(ANONLOG_AFTER_R) | OUT(ANONLOG_HOME_SLASH) | OUT(ANONLOG_WORD);
        blocksWithCandidates |= __builtin_reduce_or((Lanes)(any != 0) & weights) << j;
        if (want & ANONLOG_WANT_USERS) {
            // Line starts, refined per line below; note which blocks have any.
            Lanes starts = BEHIND(CUR(NEWLINE), PREV(NEWLINE), 1);
            OUT(ANONLOG_LINE_START) = starts;
            blocksWithLines |= __builtin_reduce_or((Lanes)(starts != 0) & weights) << j;
        }
#undef CUR
#undef PREV
#undef NEXT
#undef CLASS
#undef OUT
    }

    // What lanes cannot do cheaply. First the username keys before a JSON colon or a `=`:
    // on an app log most colons and `=` that pass the letter test end other keys (`"logger":`,
    // `timestamp=`), and rejecting them here, a few word compares each, saves the detectors a
    // call and several mispredicted branches per key.
    while (blocksWithKeys) {
        size_t i = low_bit(blocksWithKeys);
        blocksWithKeys &= blocksWithKeys - 1;
        if (i >= count) break;
        size_t base = (first + i) * 64;
        uint64_t *json = &out[ANONLOG_JSON_COLON * ANONLOG_BATCH_BLOCKS + i];
        *json = filter_bits(p, base, *json, may_end_json_user_key);
        out[ANONLOG_SPECIAL * ANONLOG_BATCH_BLOCKS + i] |= filter_bits(p, base, keyEquals[i], may_end_user_key);
        if (*json | out[ANONLOG_SPECIAL * ANONLOG_BATCH_BLOCKS + i]) blocksWithCandidates |= (uint64_t)1 << i;
    }
    // Then each line's first fields (blocks with lines only).
    while (blocksWithLines) {
        size_t i = low_bit(blocksWithLines);
        blocksWithLines &= blocksWithLines - 1;
        if (i >= count) break;
        size_t base = (first + i) * 64;
        uint64_t valid = n - base >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n - base)) - 1;
        uint64_t bits = out[ANONLOG_LINE_START * ANONLOG_BATCH_BLOCKS + i] & valid;
        uint64_t stops = raw.row[SPACE][1 + i] | raw.row[NEWLINE][1 + i] | raw.row[QUOTE_TAB][1 + i];
        uint64_t nextStops = raw.row[SPACE][2 + i] | raw.row[NEWLINE][2 + i] | raw.row[QUOTE_TAB][2 + i];
        uint64_t lineStarts = 0;
        while (bits) {
            unsigned b = low_bit(bits);
            bits &= bits - 1;
            uint64_t ahead = b == 0 ? stops : (stops >> b) | (nextStops << (64 - b));
            if (may_name_user(p, n, base + b, ahead)) lineStarts |= (uint64_t)1 << b;
        }
        out[ANONLOG_LINE_START * ANONLOG_BATCH_BLOCKS + i] = lineStarts;
        if (lineStarts) blocksWithCandidates |= (uint64_t)1 << i;
    }
    return count < 64 ? blocksWithCandidates & (((uint64_t)1 << count) - 1) : blocksWithCandidates;
}

#ifdef ANONLOG_X86

__attribute__((target("avx512f,avx512bw,popcnt,bmi,bmi2")))
static uint64_t candidates_avx512(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                              uint64_t *out) {
    return candidates_body(masks_avx512, masks_avx512_strided, p, n, first, count, want, startsLine, out);
}

__attribute__((target("avx2,popcnt,bmi,bmi2")))
static uint64_t candidates_avx2(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                            uint64_t *out) {
    return candidates_body(masks_avx2, 0, p, n, first, count, want, startsLine, out);
}

static uint64_t candidates_sse2(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                            uint64_t *out) {
    return candidates_body(masks_sse2, 0, p, n, first, count, want, startsLine, out);
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

static uint64_t candidates_scalar(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want, int startsLine,
                              uint64_t *out) {
    return candidates_body(masks_scalar, 0, p, n, first, count, want, startsLine, out);
}

AnonLogCandidatesFunction anonlog_candidates_function(void) { return candidates_scalar; }

AnonLogCandidatesFunction anonlog_candidates_function_named(const char *name) {
    return strcmp(name, "scalar") == 0 ? candidates_scalar : 0;
}

#endif
