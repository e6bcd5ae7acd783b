// The structure of a dotted-quad IPv4 address around its first dot, without a branch per
// digit: the IPv4 detector's inner loop (Swift keeps the context checks).
#ifndef ANONLOG_DOTTED_QUAD_H
#define ANONLOG_DOTTED_QUAD_H

#include <stddef.h>
#include <stdint.h>

/// For the `.` at `dot` of the `n` bytes at `p`, with 4 <= dot and dot + 28 <= n: when 1-3
/// digits before it start four octets (each 1-3 digits, no leading zero, at most 255) joined by
/// dots, stores the first digit's offset in `start` and returns one past the last digit;
/// otherwise returns -1. Bytes around the quad are not looked at.
int64_t anonlog_dotted_quad(const uint8_t *p, size_t n, size_t dot, size_t *start);

#endif
