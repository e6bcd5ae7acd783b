// Finding the other occurrences of a name on its line: what spreads a found username to the
// rest of the line (SPEC.md, `username`).
#ifndef ANONLOG_WORD_SEARCH_H
#define ANONLOG_WORD_SEARCH_H

#include <stddef.h>
#include <stdint.h>

/// The first occurrence of `needle` (`length` >= 1 bytes, no newline in it) in `p[from..<n]`
/// that starts before the next newline: its offset, with `*found` set to 1; or, when there
/// is none, the offset of that newline (or `n`) with `*found` 0. One pass finds both the
/// name and the line's end, comparing the needle's first and last bytes 32 (AVX2) or 16
/// (SSE2) positions at a time and only then the rest.
size_t anonlog_find_in_line(const uint8_t *p, size_t from, size_t n, const uint8_t *needle, size_t length, int *found);

/// The offset just past the last newline in `p[floor..<at]` (the start of the line holding
/// byte `at`), or `floor` when there is none; searched backwards 32 or 16 bytes at a time.
size_t anonlog_line_start(const uint8_t *p, size_t floor, size_t at);

/// `anonlog_find_in_line` and `anonlog_line_start` at a given vector level (2: AVX-512BW,
/// 1: AVX2, 0: SSE2; a level the CPU lacks falls back to the next lower), so that tests check
/// every implementation this CPU can run.
size_t anonlog_find_in_line_level(int level, const uint8_t *p, size_t from, size_t n, const uint8_t *needle, size_t length, int *found);
size_t anonlog_line_start_level(int level, const uint8_t *p, size_t floor, size_t at);

/// A function that finds the other whole-word occurrences of the name `p[start..<end)` (at
/// least one byte, no newline) on its line: each starts after a line start or a byte that is
/// not a name byte (letters, digits, `.`, `_`, `-`) and ends before one that is neither a name
/// byte nor `$`. The search back for the line's start stops at `floor` (0, or one past the end
/// of a line already searched: a line start). Writes the line's start and end (its newline,
/// or `n`) and the occurrences' offsets into `found`; returns their number, or SIZE_MAX when
/// there are more than `capacity` (the line's bounds are written all the same; the caller then
/// searches the line itself). One pass each way, comparing newlines and the name's first and
/// last bytes in the same loads.
typedef size_t (*AnonLogNameRepeatsFunction)(const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                             size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity);

/// The fastest `AnonLogNameRepeatsFunction` this CPU runs; ask once and keep it (the scanner
/// holds it per instance, so a call costs no lookup).
AnonLogNameRepeatsFunction anonlog_name_repeats_function(void);

/// The repeat search at a vector level (2: AVX-512BW; below that, the line-start and
/// find-in-line searches of that level), so that tests check every form this CPU can run.
size_t anonlog_name_repeats_level(int level, const uint8_t *p, size_t n, size_t floor, size_t start, size_t end,
                                  size_t *lineStart, size_t *lineEnd, size_t *found, size_t capacity);

#endif
