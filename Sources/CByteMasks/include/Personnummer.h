// Personnummer and samordningsnummer (SPEC.md, `personnummer` row): the written forms, the
// boundaries around them, the date and the Luhn check digit, decided without a branch per
// rule. On an app log the candidates' run lengths (6, 8, 10, 12) and the checksum's outcome
// are a coin toss each, and a branch on each mispredicted: that was most of what a candidate
// cost. Here every rule is computed and the verdict is one AND.
#ifndef ANONLOG_PERSONNUMMER_H
#define ANONLOG_PERSONNUMMER_H

#include <stddef.h>
#include <stdint.h>

/// Whether `b` is an interim number's letter (`TRSUWXJKLMN`), which stands in for the first
/// serial digit and counts as 1 in the Luhn sum.
static inline int anonlog_is_interim_letter(uint8_t b) {
    unsigned k = (unsigned)b - 'A';
    // J K L M N R S T U W X (bit 0 is A).
    return k < 26 && ((0xDE3E00u >> k) & 1);
}

/// Today's date as the century rule needs it: a 10-digit number's year is the latest one
/// ending in its two digits whose date is not after today.
typedef struct {
    long century;       ///< Today's century's first year: 2000 in 2026.
    long key;           ///< Today as year * 10000 + month * 100 + day.
    int organisations;  ///< Whether organisationsnummer (month digits 20 and up) count.
} AnonLogPersonnummerRules;

/// Checks the number whose digit run starts at `p[start]` (the byte before it is not a
/// digit): one of `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`
/// and their interim forms (`YYMMDD-TNNN`, `YYMMDDTNNN`, ...), not glued to a letter or
/// joined by `.`, `-`, `+` or `_` to further digits, whose date exists (or is a
/// samordningsnummer's, day + 60, month 00 allowed), whose serial is not 000 and whose Luhn
/// digit checks out. Returns the offset one past the number, or 0 when it is none; `*run` is
/// set to the digit run's length (at most 13). Reads nothing at or past `n`.
size_t anonlog_personnummer_end(const uint8_t *p, size_t n, size_t start, const AnonLogPersonnummerRules *rules, size_t *run);

/// Whether the ten digits `YYMMDDNNNN` at `p` pass the date, serial and checksum rules
/// (`YYMMDDNNNN` without looking at what is around them).
int anonlog_personnummer_ten_digits_valid(const uint8_t *p, const AnonLogPersonnummerRules *rules);

/// The full year of a short-form number: the latest year ending in `yy` whose date
/// (`month`, `day`) is not after today, and 100 years earlier again for the `+` separator.
long anonlog_personnummer_full_year(long yy, long month, long day, int plus, const AnonLogPersonnummerRules *rules);

/// Whether `year`-`month`-`day` exists (leap years included).
int anonlog_personnummer_date_exists(long year, long month, long day);

#endif
