// The personnummer detector's candidates (`PersonnummerDetector`).
#ifndef ANONLOG_PERSONNUMMER_CANDIDATES_H
#define ANONLOG_PERSONNUMMER_CANDIDATES_H

#include "CandidateLanes.h"

/// Run starts of exactly 10 or 12 digits, or of 6 or 8 followed by '-' or '+', or by a letter
/// other than a-f (interim numbers without separator, YYMMDDTNNN; Swift checks the letter).
/// `stop` is '-', '+' and such letters.
static inline __attribute__((always_inline)) Lanes personnummer_candidates(Lanes digit, Lanes prevDigit, Lanes nextDigit,
                                                                           Class stop) {
    Lanes runStart = digit & ~BEHIND(digit, prevDigit, 1);
    Lanes six = runStart & AHEAD(digit, nextDigit, 1) & AHEAD(digit, nextDigit, 2) & AHEAD(digit, nextDigit, 3)
        & AHEAD(digit, nextDigit, 4) & AHEAD(digit, nextDigit, 5);
    Lanes d6 = AHEAD(digit, nextDigit, 6), d7 = AHEAD(digit, nextDigit, 7), d8 = AHEAD(digit, nextDigit, 8);
    Lanes d9 = AHEAD(digit, nextDigit, 9), d10 = AHEAD(digit, nextDigit, 10), d11 = AHEAD(digit, nextDigit, 11);
    Lanes d12 = AHEAD(digit, nextDigit, 12);
    Lanes eight = d6 & d7, ten = eight & d8 & d9, twelve = ten & d10 & d11;
    Lanes separated = (~d6 & AHEAD(stop.cur, stop.next, 6)) | (eight & ~d8 & AHEAD(stop.cur, stop.next, 8));
    return six & (separated | (ten & ~d10) | (twelve & ~d12));
}

#endif
