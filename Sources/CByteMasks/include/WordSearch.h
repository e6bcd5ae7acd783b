// Finding every occurrence of a short byte string in a line: what spreads a found username
// to its other occurrences on the same line.
#ifndef ANONLOG_WORD_SEARCH_H
#define ANONLOG_WORD_SEARCH_H

#include <stddef.h>
#include <stdint.h>

/// The offset of the first occurrence of `needle` (`length` >= 1 bytes) in the `n` bytes at
/// `haystack`, or `n` when there is none. Compares the needle's first and last bytes 16
/// positions at a time (AVX2 or SSE2) and only then the rest, so that a common first letter does not
/// cost a call per hit as `memchr` then `memcmp` did.
size_t anonlog_find_bytes(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t length);

/// The offset just past the last newline in `p[floor..<at]` (the start of the line holding
/// byte `at`), or `floor` when there is none; searched backwards 32 or 16 bytes at a time, so a
/// line's start costs its own length to find, not that of every line before it.
size_t anonlog_line_start(const uint8_t *p, size_t floor, size_t at);

#endif
