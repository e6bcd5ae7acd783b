// The structure of an IPv6 address around its first colon from byte-class masks: the IPv6
// detector's inner loop, without a branch per hex digit (Swift keeps the word boundaries
// at the window's edges and the rules around the match).
#ifndef ANONLOG_IPV6_TEXT_H
#define ANONLOG_IPV6_TEXT_H

#include <stddef.h>
#include <stdint.h>

/// For the `:` at `colon` of the `n` bytes at `p`, with 5 <= colon and colon + 59 <= n: finds
/// an IPv6 address (every RFC 4291 form, an embedded dotted quad, not extended by a letter,
/// digit or dotted run on either side) whose first colon it is, exactly as
/// `IPv6Detector.match` does byte by byte. Stores its start in `start` and returns its end, or
/// returns -1.
int64_t anonlog_ipv6_address(const uint8_t *p, size_t n, size_t colon, size_t *start);

#endif
