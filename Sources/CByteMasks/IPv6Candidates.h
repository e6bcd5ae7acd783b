// The IPv6 detector's candidates (`IPv6Detector`).
#ifndef ANONLOG_IPV6_CANDIDATES_H
#define ANONLOG_IPV6_CANDIDATES_H

#include "CandidateLanes.h"

/// A colon after a run of at most four hex digits that follows a boundary byte; with no
/// digits, only the first colon of a "::" (an address cannot start with one colon, and JSON's
/// `":"` would otherwise be a candidate at every key). Only in blocks where an address can be:
/// a "::", or six colons in this block and the next.
static inline __attribute__((always_inline)) Lanes ipv6_candidates(Class hex, Class boundary, Class colon) {
    const Lanes one = (Lanes){1, 1, 1, 1, 1, 1, 1, 1};
    Lanes hex1 = BEHIND(hex.cur, hex.prev, 1);
    Lanes hex2 = hex1 & BEHIND(hex.cur, hex.prev, 2);
    Lanes hex3 = hex2 & BEHIND(hex.cur, hex.prev, 3);
    Lanes hex4 = hex3 & BEHIND(hex.cur, hex.prev, 4);
    Lanes start = (BEHIND(boundary.cur, boundary.prev, 1) & AHEAD(colon.cur, colon.next, 1))
        | (hex1 & BEHIND(boundary.cur, boundary.prev, 2))
        | (hex2 & BEHIND(boundary.cur, boundary.prev, 3)) | (hex3 & BEHIND(boundary.cur, boundary.prev, 4))
        | (hex4 & BEHIND(boundary.cur, boundary.prev, 5));
    Lanes doubleColon = (colon.cur & (colon.cur >> 1)) | (colon.next & (colon.next >> 1)) | ((colon.cur >> 63) & colon.next & one);
    // Six colons: the lowest bits cleared five times, from this block first, must leave one.
    Lanes low = colon.cur, high = colon.next;
    for (int k = 0; k < 5; k++) {
        Lanes lowLeft = (Lanes)(low != 0);   // all ones where this block still has a colon
        low = (low & (low - one) & lowLeft) | (low & ~lowLeft);
        high = (high & (high - one) & ~lowLeft) | (high & lowLeft);
    }
    Lanes possible = (Lanes)(doubleColon != 0) | (Lanes)((low | high) != 0);
    return colon.cur & start & possible;
}

#endif
