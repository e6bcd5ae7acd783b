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
static inline __attribute__((always_inline)) int may_name_user(const uint8_t *p, size_t n, size_t start, uint64_t stops) {
    if (is_file_type(p[start])) return 1;
    // Most lines of an access log are anonymous: one 8-byte load decides them (the general
    // walk below gives the same answer for them, at several mispredicted branches per line).
    if (stops != 0) {
        size_t host = start + low_bit(stops);
        if (host > start && host + 8 <= n) {
            uint64_t word;
            memcpy(&word, p + host, sizeof word);
            // " - - [" in memory order (little-endian), the last two bytes masked off.
            if ((word & 0xFFFFFFFFFFFFull) == 0x5B202D202D20ull) return 0;
        }
    }
    size_t field[3];
    for (int k = 0; k < 3; k++) {
        if (stops == 0) return 1;
        field[k] = start + low_bit(stops);
        stops &= stops - 1;
        if (p[field[k]] != ' ') return 0;   // a field ended by a tab, quote or newline: not CLF
    }
    size_t host = field[0], ident = field[1], user = field[2];
    if (host == start || ident == host + 1 || user == ident + 1) return 0;
    if (user + 1 < n && p[user + 1] != '[' && (uint8_t)(p[host - 1] - '0') <= 9) {
        // Apache's vhost_combined: `vhost:port host ident user [`; one field more.
        if (stops == 0) return 1;
        size_t next = start + low_bit(stops);
        if (p[next] != ' ' || next == user + 1) return 0;
        host = ident;
        ident = user;
        user = next;
    }
    if (user + 2 >= n || p[user + 1] != '[' || (uint8_t)(p[user + 2] - '0') > 9) return 0;
    // `host - - [`: an anonymous line.
    return !(ident == host + 2 && user == ident + 2 && p[host + 1] == '-' && p[ident + 1] == '-');
}

/// The first `length` (<= 8) bytes of `text` as a little-endian word: what an 8-byte load of
/// memory holding them gives in its low bytes.
static inline uint64_t text_word(const char *text, int length) {
    uint64_t word = 0;
    for (int k = length - 1; k >= 0; k--) word = (word << 8) | (uint8_t)text[k];
    return word;
}

/// The 8 bytes at `p`, unaligned, in memory order (little-endian).
static inline uint64_t load_word(const uint8_t *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

/// Whether the colon at `colon` may end a username key of JSON (`"user"`, `"login"`, `"owner"`,
/// `"group"`, `"username"`): the key's bytes compared as words, one branch-free verdict. A
/// blank before the colon (`"user" :`), or a colon too near the window's start for the loads,
/// is left for the detector to decide.
static inline __attribute__((always_inline)) uint64_t may_end_json_user_key(const uint8_t *p, size_t colon) {
    if (colon < 10 || p[colon - 1] != '"') return 1;
    uint64_t last = load_word(p + colon - 8), before = load_word(p + colon - 9);
    return ((last >> 16) == text_word("\"user\"", 6)) | ((last >> 8) == text_word("\"login\"", 7))
        | ((last >> 8) == text_word("\"owner\"", 7)) | ((last >> 8) == text_word("\"group\"", 7))
        | (before == text_word("username", 8));
}

/// Whether the `=` at `equals` may end a username key of `key=value` (`user`, `ruser`, `login`,
/// `logname`, `username`, `sasl_username`, `uid`, in any case) or sudo's `TTY`: the last bytes before
/// it, case-folded, compared as words. Folding with 0x20 maps only letters onto letters.
static inline __attribute__((always_inline)) uint64_t may_end_user_key(const uint8_t *p, size_t equals) {
    if (equals < 8) return 1;
    uint64_t key = load_word(p + equals - 8) | 0x2020202020202020ull;
    return ((key >> 32) == text_word("user", 4)) | ((key >> 24) == text_word("login", 5))
        | ((key >> 8) == text_word("logname", 7)) | (key == text_word("username", 8)) | ((key >> 40) == text_word("tty", 3))
        | ((key >> 40) == text_word("uid", 3));
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

/// Eight blocks' masks of one class, one 64-bit lane per block; the compiler maps the
/// operators onto AVX-512, AVX2 or SSE2 registers, whichever the function's target has.
typedef uint64_t Lanes __attribute__((vector_size(64), aligned(8)));

/// The byte classes of `AnonLogByteMasks`, as rows of `RawMasks`.
enum { DIGIT, LETTER, DOT, COLON, SPECIAL, EQUALS, NEWLINE, SPACE, SLASH, R, ESL, HEX_LETTER, QUOTE_TAB, DASH_PLUS,
       KEY_END, HOME_LETTER, CLASSES };

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
    raw->row[R][index] = m->r;
    raw->row[ESL][index] = m->esl;
    raw->row[HEX_LETTER][index] = m->hexLetter;
    raw->row[QUOTE_TAB][index] = m->quoteTab;
    raw->row[DASH_PLUS][index] = m->dashPlus;
    raw->row[KEY_END][index] = m->keyEnd;
    raw->row[HOME_LETTER][index] = m->homeLetter;
}

/// Lanes k bytes ahead: bit i of lane b is bit i + k of block b, continued by block b + 1.
#define AHEAD(x, next, k) (((x) >> (k)) | ((next) << (64 - (k))))
/// Lanes k bytes behind, continued from block b - 1.
#define BEHIND(x, prev, k) (((x) << (k)) | ((prev) >> (64 - (k))))

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
    const Lanes one = (Lanes){1, 1, 1, 1, 1, 1, 1, 1};
    const Lanes weights = (Lanes){1, 2, 4, 8, 16, 32, 64, 128};
    // `=` after a key's last letter, by block, before its key is compared.
    uint64_t keyEquals[ANONLOG_BATCH_BLOCKS] __attribute__((aligned(64)));
    memset(keyEquals, 0, sizeof keyEquals);
    for (size_t j = 0; j < count; j += 8) {
#define CUR(c) (*(const Lanes *)&raw.row[c][j + 1])
#define PREV(c) (*(const Lanes *)&raw.row[c][j])
#define NEXT(c) (*(const Lanes *)&raw.row[c][j + 2])
#define OUT(k) (*(Lanes *)&out[(k) * ANONLOG_BATCH_BLOCKS + j])
        Lanes digit = CUR(DIGIT), prevDigit = PREV(DIGIT), nextDigit = NEXT(DIGIT);
        Lanes alnum = digit | CUR(LETTER), prevAlnum = prevDigit | PREV(LETTER);
        if (want & ANONLOG_WANT_IPV4) {
            // Dots with digits on both sides, here and in the next block; then those followed
            // 2-4 bytes later by another, twice (a quad's third dot is at most 8 bytes on).
            Lanes dot = CUR(DOT), nextDot = NEXT(DOT);
            Lanes here = dot & BEHIND(digit, prevDigit, 1) & AHEAD(digit, nextDigit, 1);
            Lanes there = nextDot & BEHIND(nextDigit, digit, 1) & ((nextDigit >> 1) | (one << 63));
            Lanes secondHere = here & (AHEAD(here, there, 2) | AHEAD(here, there, 3) | AHEAD(here, there, 4));
            Lanes secondThere = there & ((there >> 2) | (there >> 3) | (there >> 4));
            Lanes dotted = here & (AHEAD(secondHere, secondThere, 2) | AHEAD(secondHere, secondThere, 3)
                                   | AHEAD(secondHere, secondThere, 4));
            // The same for dashes: a host name's `ec2-52-80-34-196` (ISO dates have two only).
            Lanes dash = CUR(DASH_PLUS), nextDash = NEXT(DASH_PLUS);
            Lanes dashHere = dash & BEHIND(digit, prevDigit, 1) & AHEAD(digit, nextDigit, 1);
            Lanes dashed = dashHere & 0;
            // Most blocks have no dash between digits (CLF dates use '/'): skip the chain there.
            if (__builtin_reduce_or(dashHere) != 0) {
                Lanes dashThere = nextDash & BEHIND(nextDigit, digit, 1) & ((nextDigit >> 1) | (one << 63));
                Lanes dashSecondHere = dashHere & (AHEAD(dashHere, dashThere, 2) | AHEAD(dashHere, dashThere, 3)
                                                   | AHEAD(dashHere, dashThere, 4));
                Lanes dashSecondThere = dashThere & ((dashThere >> 2) | (dashThere >> 3) | (dashThere >> 4));
                dashed = dashHere & (AHEAD(dashSecondHere, dashSecondThere, 2) | AHEAD(dashSecondHere, dashSecondThere, 3)
                                     | AHEAD(dashSecondHere, dashSecondThere, 4));
            }
            OUT(ANONLOG_IPV4) = dotted | dashed;
        }
        if (want & ANONLOG_WANT_IPV6) {
            // A colon after a run of at most four hex digits that follows a boundary byte; with
            // no digits, only the first colon of a "::" (an address cannot start with one colon,
            // and JSON's `":"` would otherwise be a candidate at every key).
            Lanes colon = CUR(COLON), nextColon = NEXT(COLON);
            Lanes hex = digit | CUR(HEX_LETTER), prevHex = prevDigit | PREV(HEX_LETTER);
            Lanes boundary = ~(alnum | CUR(DOT) | CUR(COLON)), prevBoundary = ~(prevAlnum | PREV(DOT) | PREV(COLON));
            Lanes hex1 = BEHIND(hex, prevHex, 1);
            Lanes hex2 = hex1 & BEHIND(hex, prevHex, 2);
            Lanes hex3 = hex2 & BEHIND(hex, prevHex, 3);
            Lanes hex4 = hex3 & BEHIND(hex, prevHex, 4);
            Lanes start = (BEHIND(boundary, prevBoundary, 1) & AHEAD(colon, nextColon, 1))
                | (hex1 & BEHIND(boundary, prevBoundary, 2))
                | (hex2 & BEHIND(boundary, prevBoundary, 3)) | (hex3 & BEHIND(boundary, prevBoundary, 4))
                | (hex4 & BEHIND(boundary, prevBoundary, 5));
            // Only in blocks where an address can be: a "::", or six colons in this block and
            // the next (lowest bits cleared five times, from this block first, must leave one).
            Lanes doubleColon = (colon & (colon >> 1)) | (nextColon & (nextColon >> 1)) | ((colon >> 63) & nextColon & one);
            Lanes low = colon, high = nextColon;
            for (int k = 0; k < 5; k++) {
                Lanes lowLeft = (Lanes)(low != 0);   // all ones where this block still has a colon
                low = (low & (low - one) & lowLeft) | (low & ~lowLeft);
                high = (high & (high - one) & ~lowLeft) | (high & lowLeft);
            }
            Lanes possible = (Lanes)(doubleColon != 0) | (Lanes)((low | high) != 0);
            OUT(ANONLOG_IPV6) = colon & start & possible;
        }
        if (want & ANONLOG_WANT_SPECIAL) {
            OUT(ANONLOG_SPECIAL) = CUR(SPECIAL);
            // key=value: only after the last letter of a username key (or of sudo's TTY); the
            // key itself is compared below, and the survivors join the special row.
            if (want & ANONLOG_WANT_USERS) {
                *(Lanes *)&keyEquals[j] = CUR(EQUALS) & BEHIND(CUR(KEY_END), PREV(KEY_END), 1);
                blocksWithKeys |= __builtin_reduce_or((Lanes)(*(Lanes *)&keyEquals[j] != 0) & weights) << j;
            }
        }
        if (want & ANONLOG_WANT_PERSONNUMMER) {
            // Run starts of exactly 10 or 12 digits, or of 6 or 8 followed by '-' or '+', or by a
            // letter other than a-f (interim numbers without separator, YYMMDDTNNN; Swift checks
            // the letter).
            Lanes runStart = digit & ~BEHIND(digit, prevDigit, 1);
            Lanes six = runStart & AHEAD(digit, nextDigit, 1) & AHEAD(digit, nextDigit, 2) & AHEAD(digit, nextDigit, 3)
                & AHEAD(digit, nextDigit, 4) & AHEAD(digit, nextDigit, 5);
            Lanes d6 = AHEAD(digit, nextDigit, 6), d7 = AHEAD(digit, nextDigit, 7), d8 = AHEAD(digit, nextDigit, 8);
            Lanes d9 = AHEAD(digit, nextDigit, 9), d10 = AHEAD(digit, nextDigit, 10), d11 = AHEAD(digit, nextDigit, 11);
            Lanes d12 = AHEAD(digit, nextDigit, 12);
            Lanes dash = CUR(DASH_PLUS), nextDash = NEXT(DASH_PLUS);
            Lanes eight = d6 & d7, ten = eight & d8 & d9, twelve = ten & d10 & d11;
            // Not a-f: a hex id's digits are followed by those, and interim letters are none of them.
            Lanes letter = CUR(LETTER) & ~CUR(HEX_LETTER), nextLetter = NEXT(LETTER) & ~NEXT(HEX_LETTER);
            Lanes stop = dash | letter, nextStop = nextDash | nextLetter;
            Lanes separated = (~d6 & AHEAD(stop, nextStop, 6)) | (eight & ~d8 & AHEAD(stop, nextStop, 8));
            OUT(ANONLOG_PERSONNUMMER) = six & (separated | (ten & ~d10) | (twelve & ~d12));
        }
        if (want & ANONLOG_WANT_USERS) {
            // A JSON key's colon: after blanks, or after a quote that follows the key's last
            // letter (blanks and quotes two back are let through for `"user" :`).
            Lanes space = CUR(SPACE), prevSpace = PREV(SPACE), quote = CUR(QUOTE_TAB), prevQuote = PREV(QUOTE_TAB);
            Lanes keyOrBlank = CUR(KEY_END) | space | quote, prevKeyOrBlank = PREV(KEY_END) | prevSpace | prevQuote;
            OUT(ANONLOG_JSON_COLON) = CUR(COLON) & (BEHIND(space, prevSpace, 1)
                | (BEHIND(quote, prevQuote, 1) & BEHIND(keyOrBlank, prevKeyOrBlank, 2)));
            blocksWithKeys |= __builtin_reduce_or((Lanes)(OUT(ANONLOG_JSON_COLON) != 0) & weights) << j;
            Lanes r = CUR(R), prevR = PREV(R);
            Lanes x = CUR(HOME_LETTER), prevX = PREV(HOME_LETTER), esl = CUR(ESL), prevEsl = PREV(ESL);
            // "for NAME" ('o' is a home letter) and "user NAME" ('s', 'e' are in e/s/l).
            OUT(ANONLOG_AFTER_R) = space & BEHIND(r, prevR, 1)
                & (BEHIND(x, prevX, 2) | (BEHIND(esl, prevEsl, 2) & BEHIND(esl, prevEsl, 3)));
            // "home/" and "mail/" (three home letters before e/s/l), "Users/" ('r' between
            // e/s/l, a home letter five back); Swift compares the bytes. "Chrome/" and
            // "users/" fail here.
            Lanes homeOrMail = BEHIND(x, prevX, 2) & BEHIND(x, prevX, 3) & BEHIND(x, prevX, 4);
            Lanes users = BEHIND(r, prevR, 2) & BEHIND(esl, prevEsl, 3) & BEHIND(esl, prevEsl, 4) & BEHIND(x, prevX, 5);
            OUT(ANONLOG_HOME_SLASH) = CUR(SLASH) & BEHIND(esl, prevEsl, 1) & (homeOrMail | users);
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
