#include "Personnummer.h"

#include <emmintrin.h>
#include <string.h>

// Every rule below is an integer 0 or 1 combined with `&` and `|`, not `&&` and `||`, so that
// the compiler has no reason to branch. The bytes read lie in the 16 from the number's start
// (a zero-padded copy near the window's end) and the two before it (read at clamped offsets),
// so no read needs a bounds test either.

static inline int is_digit(uint8_t b) { return (uint8_t)(b - '0') < 10; }
static inline int is_letter(uint8_t b) { return (uint8_t)((b | 0x20) - 'a') < 26; }
static inline int is_joiner(uint8_t b) { return (b == '.') | (b == '-') | (b == '+') | (b == '_'); }
static inline long digit(uint8_t b) { return (long)b - '0'; }

/// `anonlog_personnummer_date_exists`, inlined where the check runs.
static inline __attribute__((always_inline)) int date_exists(long year, long month, long day) {
    // Divisible by 400 is, for a multiple of 100, divisible by 16: one division, not three.
    int leap = ((year & 3) == 0) & (((year % 100) != 0) | ((year & 15) == 0));
    // Days per month, for months 1-12 (0 and 13-15 are refused below).
    static const uint8_t days[16] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0};
    long last = (long)days[month & 15] + ((month == 2) & leap);
    return (month >= 1) & (month <= 12) & (day >= 1) & (day <= last);
}

int anonlog_personnummer_date_exists(long year, long month, long day) { return date_exists(year, month, day); }

/// `anonlog_personnummer_full_year`, inlined where the check runs.
static inline __attribute__((always_inline)) long full_year(long yy, long month, long day, int plus, const AnonLogPersonnummerRules *rules) {
    long year = rules->century + yy;
    // (year, month, day) after today: a century earlier. Month and day are below 100.
    year -= 100 * (year * 10000 + month * 100 + day > rules->key);
    return year - 100 * (plus != 0);
}

long anonlog_personnummer_full_year(long yy, long month, long day, int plus, const AnonLogPersonnummerRules *rules) {
    return full_year(yy, month, day, plus, rules);
}

/// The date and serial rules for the six date digits at `d`, the serial at `s` and the
/// century digits at `y`, which count only for the long forms (`isLong`; the short ones have
/// `plus` for their `+` separator). Both sides of each choice are computed and one is kept by
/// arithmetic: the form varies from number to number.
static inline __attribute__((always_inline)) int date(const uint8_t *d, const uint8_t *s, const uint8_t *y, int isLong, int plus,
                                                      const AnonLogPersonnummerRules *rules) {
    long month = digit(d[2]) * 10 + digit(d[3]), dayDigits = digit(d[4]) * 10 + digit(d[5]), yy = digit(d[0]) * 10 + digit(d[1]);
    long century = digit(y[0]) * 10 + digit(y[1]);
    // Organisationsnummer: month digits 20 and up; the 12-digit form is prefixed 16.
    if (month >= 20) return rules->organisations & ((!isLong) | (century == 16));
    // A samordningsnummer's day is 60 more; month 00 and days a month lacks are allowed
    // (Skatteverket's own test numbers have them).
    int coordination = dayDigits >= 60;
    long day = dayDigits - 60 * coordination;
    long year = isLong * (century * 100 + yy) + (1 - isLong) * full_year(yy, month, day, plus, rules);
    int exists = (coordination & (month <= 12) & (day <= 31)) | ((!coordination) & date_exists(year, month, day));
    return ((s[0] != '0') | (s[1] != '0') | (s[2] != '0')) & ((!isLong) | ((century >= 18) & (century <= 20))) & exists;
}

/// Byte lanes as 16-byte masks: lane i is all ones when bit i of `m` is set.
#define LANE(m, i) (((m) >> (i)) & 1 ? 0xFF : 0)
#define LANES(m) {LANE(m, 0), LANE(m, 1), LANE(m, 2), LANE(m, 3), LANE(m, 4), LANE(m, 5), LANE(m, 6), LANE(m, 7), \
                  LANE(m, 8), LANE(m, 9), LANE(m, 10), LANE(m, 11), LANE(m, 12), LANE(m, 13), LANE(m, 14), LANE(m, 15)}
/// The ten Luhn digits' lanes (YYMMDD from d, NNNN from s) and those doubled (every other one).
#define SUMMED(d, s) ((0x3Fu << (d)) | (0xFu << (s)))
#define DOUBLED(d, s) ((0x15u << (d)) | (0x5u << (s)))
/// By (d / 2) * 4 + (s - 6): d is 0 or 2, s is 6 to 9 in every form.
static const uint8_t summedLanes[8][16] __attribute__((aligned(16))) = {
    LANES(SUMMED(0, 6)), LANES(SUMMED(0, 7)), LANES(SUMMED(0, 8)), LANES(SUMMED(0, 9)),
    LANES(SUMMED(2, 6)), LANES(SUMMED(2, 7)), LANES(SUMMED(2, 8)), LANES(SUMMED(2, 9)),
};
static const uint8_t doubledLanes[8][16] __attribute__((aligned(16))) = {
    LANES(DOUBLED(0, 6)), LANES(DOUBLED(0, 7)), LANES(DOUBLED(0, 8)), LANES(DOUBLED(0, 9)),
    LANES(DOUBLED(2, 6)), LANES(DOUBLED(2, 7)), LANES(DOUBLED(2, 8)), LANES(DOUBLED(2, 9)),
};

/// The Luhn rule on the 16 bytes `v` (loaded from `w`), all ten digits at once: YYMMDD at
/// `d` and the serial at `s` (its first may be an interim letter, counted as 1).
static inline __attribute__((always_inline)) int checksum_lanes(__m128i v, unsigned d, unsigned s) {
    unsigned row = (d / 2) * 4 + ((s - 6) & 3);
    __m128i nine = _mm_set1_epi8(9);
    __m128i x = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    // A letter (above 9) counts as 1; bytes below '0' lie in lanes that are not summed.
    __m128i letter = _mm_cmpgt_epi8(x, nine);
    x = _mm_or_si128(_mm_andnot_si128(letter, x), _mm_and_si128(letter, _mm_set1_epi8(1)));
    __m128i twice = _mm_add_epi8(x, x);
    twice = _mm_sub_epi8(twice, _mm_and_si128(_mm_cmpgt_epi8(twice, nine), nine));
    __m128i doubledMask = _mm_load_si128((const __m128i *)doubledLanes[row]);
    __m128i value = _mm_or_si128(_mm_and_si128(doubledMask, twice), _mm_andnot_si128(doubledMask, x));
    value = _mm_and_si128(value, _mm_load_si128((const __m128i *)summedLanes[row]));
    __m128i sums = _mm_sad_epu8(value, _mm_setzero_si128());
    unsigned sum = (unsigned)_mm_cvtsi128_si32(sums) + (unsigned)_mm_extract_epi16(sums, 4);
    return sum % 10 == 0;
}

int anonlog_personnummer_ten_digits_valid(const uint8_t *p, const AnonLogPersonnummerRules *rules) {
    uint8_t ten[16] = {0};
    memcpy(ten, p, 10);
    return checksum_lanes(_mm_loadu_si128((const __m128i *)ten), 0, 6) && date(p, p + 6, p, 0, 0, rules);
}

size_t anonlog_personnummer_end(const uint8_t *p, size_t n, size_t start, const AnonLogPersonnummerRules *rules, size_t *run) {
    // The 16 bytes from `start`; near the window's end, the rest padded with zeros (a zero is
    // no digit, letter or joiner, so it reads as the end: the byte rules then agree with a
    // bounds test).
    uint8_t padded[16];
    const uint8_t *w = p + start;
    if (n - start < 16) {
        memset(padded, 0, 16);
        memcpy(padded, p + start, n - start);
        w = padded;
    }
    __m128i v = _mm_loadu_si128((const __m128i *)w);
    unsigned digits = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                                                _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
    // The run, counted no further than 13 (anything above 12 is no number of ours).
    unsigned r = (unsigned)__builtin_ctz(~digits | (1u << 13));
    *run = r;

    // Not glued to a letter, and not the end of a decimal or of joined digit groups.
    // (Read at a clamped offset and masked, so that no branch is taken on where the run is.)
    uint8_t before = p[start - (start > 0)] & (uint8_t)-(start > 0), twoBefore = p[start - 2 * (start > 1)] & (uint8_t)-(start > 1);
    int badBefore = is_letter(before) | (is_joiner(before) & is_digit(twoBefore));

    // The form: 10 or 12 digits, or 6 or 8 and a separator (`-`, `+`) and a serial (whose
    // first may be an interim letter), or 6 or 8 and an interim serial without separator.
    int shortRun = (r == 6) | (r == 8);
    uint8_t next = w[r];
    int separator = (next == '-') | (next == '+');
    // Where the serial starts: after the separator, else right after the 6 or 8 digits, else
    // the last four of the 10 or 12.
    unsigned s = shortRun * (r + (unsigned)separator) + (1 - shortRun) * (r - 4);
    s = s > 9 ? 9 : s;   // other run lengths are refused below, but must not read past the copy
    unsigned end = shortRun * (s + 4) + (1 - shortRun) * r;
    int isLong = (r == 8) | (r == 12);
    unsigned d = 2 * (unsigned)isLong;                                  // where YYMMDD starts
    int serialRest = ((digits >> (s + 1)) & 7) == 7;
    int form = (r == 10) | (r == 12)
             | (shortRun & separator & (is_digit(w[s]) | anonlog_is_interim_letter(w[s])) & serialRest)
             | (shortRun & !separator & anonlog_is_interim_letter(next) & serialRest);

    // What follows: no letter or digit, and no joiner to further digits (`_` only when the
    // number is joined on both sides: `_task_200811092030_0001`, not `19820325-2385_1.pdf`).
    uint8_t after = w[end], afterNext = w[end + 1];
    int badAfter = is_letter(after) | is_digit(after)
                 | ((after == '_') & is_digit(afterNext) & ((before == '_') | (before == '-')))
                 | ((after != '_') & is_joiner(after) & is_digit(afterNext));

    int plus = (r == 6) & (next == '+');
    // One branch: about half the candidates of a log fail here (nine in ten random numbers
    // fail the checksum), and only the rest need the calendar.
    if (!((!badBefore) & form & (!badAfter) & checksum_lanes(v, d, s))) return 0;
    return date(w + d, w + s, w, isLong, plus, rules) ? start + end : 0;
}
