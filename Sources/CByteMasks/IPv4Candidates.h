// The IPv4 detector's candidates (`IPv4Detector`).
#ifndef ANONLOG_IPV4_CANDIDATES_H
#define ANONLOG_IPV4_CANDIDATES_H

#include "CandidateLanes.h"

/// The first of three separators, each 2-4 bytes after the one before, with digits on both
/// sides: a quad's shape. `digit` and `separator` with their next blocks.
static inline __attribute__((always_inline)) Lanes quad_shape(Lanes digit, Lanes prevDigit, Lanes nextDigit,
                                                              Lanes separator, Lanes nextSeparator) {
    const Lanes one = (Lanes){1, 1, 1, 1, 1, 1, 1, 1};
    Lanes here = separator & BEHIND(digit, prevDigit, 1) & AHEAD(digit, nextDigit, 1);
    Lanes there = nextSeparator & BEHIND(nextDigit, digit, 1) & ((nextDigit >> 1) | (one << 63));
    Lanes secondHere = here & (AHEAD(here, there, 2) | AHEAD(here, there, 3) | AHEAD(here, there, 4));
    Lanes secondThere = there & ((there >> 2) | (there >> 3) | (there >> 4));
    return here & (AHEAD(secondHere, secondThere, 2) | AHEAD(secondHere, secondThere, 3) | AHEAD(secondHere, secondThere, 4));
}

/// Dotted quads, and a host name's dashed quads (`ec2-52-80-34-196`).
static inline __attribute__((always_inline)) Lanes ipv4_candidates(Lanes digit, Lanes prevDigit, Lanes nextDigit, Class dot,
                                                                   Class dash) {
    Lanes dotted = quad_shape(digit, prevDigit, nextDigit, dot.cur, dot.next);
    // Most blocks have no dash between digits (CLF dates use '/', ISO dates have two only):
    // the chain runs only where one is.
    Lanes dashHere = dash.cur & BEHIND(digit, prevDigit, 1) & AHEAD(digit, nextDigit, 1);
    if (__builtin_reduce_or(dashHere) == 0) return dotted;
    return dotted | quad_shape(digit, prevDigit, nextDigit, dash.cur, dash.next);
}

#endif
