// The username detector's candidates (`UsernameDetector`): JSON keys' colons, `key=` signs,
// the blank after a phrase ("for NAME", "user NAME"), home-directory separators, and line
// starts that may be CLF with a user field or an `ls -l` listing.
#ifndef ANONLOG_USERNAME_CANDIDATES_H
#define ANONLOG_USERNAME_CANDIDATES_H

#include "CandidateLanes.h"
#include "UsernameKeys.h"

/// A JSON key's colon: after a blank; after a quote or tab (one class) with a blank, quote or
/// tab before it (`"user"\t:`, `"user" \t:`); or right after the closing quote of a key that
/// ends in a key letter and has a listed length, its opening quote 6 (`"user"`), 7 (`"login"`,
/// `"owner"`, `"group"`) or 10 (`"username"`) bytes back. Most keys of a JSON log have other
/// lengths (`"@timestamp"`, `"logger"`, `"message"`), and their colons end here instead of in
/// a word compare.
static inline __attribute__((always_inline)) Lanes json_colon_candidates(Lanes colon, Class space, Class quote, Class keyEnd) {
    Lanes blankOrQuote = space.cur | quote.cur, prevBlankOrQuote = space.prev | quote.prev;
    // The opening quote of each listed key (`sizeof` counts its NUL, the colon one more).
#define ANONLOG_OPENING_QUOTE(text) | BEHIND(quote.cur, quote.prev, (int)sizeof(text) + 1)
    Lanes listedLength = (Lanes){0} ANONLOG_USERNAME_JSON_KEYS(ANONLOG_OPENING_QUOTE);
#undef ANONLOG_OPENING_QUOTE
    Lanes keyBefore = (BEHIND(keyEnd.cur, keyEnd.prev, 2) & listedLength) | BEHIND(blankOrQuote, prevBlankOrQuote, 2);
    return colon & (BEHIND(space.cur, space.prev, 1) | (BEHIND(quote.cur, quote.prev, 1) & keyBefore));
}

/// `=` right after a key's last letter; `may_end_user_key` then compares the key.
static inline __attribute__((always_inline)) Lanes key_equals_candidates(Lanes equals, Class keyEnd) {
    return equals & BEHIND(keyEnd.cur, keyEnd.prev, 1);
}

/// The blank after "for" and "user" (phrase words end in one of those: `UsernameContexts.phraseEnds`):
/// `phraseEnd` (r) before it, then an 'o' (`contextHead`) or two of e/s (`contextTail`).
static inline __attribute__((always_inline)) Lanes after_word_candidates(Lanes space, Class phraseEnd, Class contextHead,
                                                                         Class contextTail) {
    return space & BEHIND(phraseEnd.cur, phraseEnd.prev, 1)
        & (BEHIND(contextHead.cur, contextHead.prev, 2)
           | (BEHIND(contextTail.cur, contextTail.prev, 2) & BEHIND(contextTail.cur, contextTail.prev, 3)));
}

/// The separator after "home" and "mail" (three head letters before e/s/l) and "Users" ('r'
/// between e/s/l, a head letter five back); Swift compares the bytes. "Chrome/" and "users/"
/// fail here.
static inline __attribute__((always_inline)) Lanes home_slash_candidates(Lanes slash, Class phraseEnd, Class contextHead,
                                                                         Class contextTail) {
    Lanes homeOrMail = BEHIND(contextHead.cur, contextHead.prev, 2) & BEHIND(contextHead.cur, contextHead.prev, 3)
        & BEHIND(contextHead.cur, contextHead.prev, 4);
    Lanes users = BEHIND(phraseEnd.cur, phraseEnd.prev, 2) & BEHIND(contextTail.cur, contextTail.prev, 3)
        & BEHIND(contextTail.cur, contextTail.prev, 4) & BEHIND(contextHead.cur, contextHead.prev, 5);
    return slash & BEHIND(contextTail.cur, contextTail.prev, 1) & (homeOrMail | users);
}

/// Whether the last `min(length, 8)` bytes of a key equal those of `text` (`key` holds the
/// eight bytes before the `=`, case-folded).
static inline __attribute__((always_inline)) uint64_t key_ends_with(uint64_t key, const char *text, int length) {
    int n = length < 8 ? length : 8;
    return n == 8 ? key == text_word(text + length - 8, 8) : (key >> (64 - 8 * n)) == text_word(text + length - n, n);
}

/// Whether the `=` at `equals` may end a username key (`ANONLOG_USERNAME_KEYS`, any case) or
/// sudo's `TTY`: the last bytes before it, case-folded, compared as words. Folding with 0x20
/// maps only letters onto letters.
static inline __attribute__((always_inline)) uint64_t may_end_user_key(const uint8_t *p, size_t equals) {
    if (equals < 8) return 1;
    uint64_t key = load_word(p + equals - 8) | 0x2020202020202020ull;
#define ANONLOG_KEY_TEST(text) | key_ends_with(key, text, (int)sizeof(text) - 1)
    return key_ends_with(key, "tty", 3) ANONLOG_USERNAME_KEYS(ANONLOG_KEY_TEST);
#undef ANONLOG_KEY_TEST
}

/// Whether the 8 bytes ending at the closing quote before a colon hold the quoted JSON key
/// `quoted` (`"key"`, `length` bytes with its quotes); the opening quote is left out for keys
/// of seven letters or more.
static inline __attribute__((always_inline)) uint64_t json_key_is(uint64_t last, uint64_t before, const char *quoted, int length) {
    if (length <= 8) return (last >> (8 * (8 - length))) == text_word(quoted, length);
    return before == text_word(quoted + length - 9, 8);
}

/// Whether the colon at `colon` may end a username key of JSON (`ANONLOG_USERNAME_JSON_KEYS`):
/// the key's bytes compared as words, one branch-free verdict. A blank before the colon
/// (`"user" :`), or a colon too near the window's start for the loads, is left for the
/// detector to decide.
static inline __attribute__((always_inline)) uint64_t may_end_json_user_key(const uint8_t *p, size_t colon) {
    if (colon < 10 || p[colon - 1] != '"') return 1;
    uint64_t last = load_word(p + colon - 8), before = load_word(p + colon - 9);
#define ANONLOG_JSON_KEY_TEST(text) | json_key_is(last, before, "\"" text "\"", (int)sizeof(text) + 1)
    return 0 ANONLOG_USERNAME_JSON_KEYS(ANONLOG_JSON_KEY_TEST);
#undef ANONLOG_JSON_KEY_TEST
}

/// Whether an ls/tar listing line may start with `b` (a file-type letter: `-`, `d`, `l`, `c`, `b`,
/// `p`, `s`, `h`). A bit test: a chain of compares mispredicts on the mixed first bytes of an
/// app log's lines.
static inline int is_file_type(uint8_t b) {
    const uint64_t low = (uint64_t)1 << '-';
    const uint64_t high = (uint64_t)1 << ('d' - 64) | (uint64_t)1 << ('l' - 64) | (uint64_t)1 << ('c' - 64)
        | (uint64_t)1 << ('b' - 64) | (uint64_t)1 << ('p' - 64) | (uint64_t)1 << ('s' - 64) | (uint64_t)1 << ('h' - 64);
    return b < 128 && (((b < 64 ? low : high) >> (b & 63)) & 1);
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
            // " - - [" in memory order (little-endian), the last two bytes masked off.
            if ((load_word(p + host) & 0xFFFFFFFFFFFFull) == 0x5B202D202D20ull) return 0;
        }
    }
    // With four field ends in reach, only a `[` right after the third (or, for vhost_combined,
    // the fourth) can make a yes: one look at each decides most lines that are not CLF.
    if (__builtin_popcountll(stops) >= 4) {
        uint64_t rest = stops & (stops - 1);
        rest &= rest - 1;
        size_t third = start + low_bit(rest);
        rest &= rest - 1;
        size_t fourth = start + low_bit(rest);
        if ((third + 1 >= n || p[third + 1] != '[') && (fourth + 1 >= n || p[fourth + 1] != '[')) return 0;
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

#endif
