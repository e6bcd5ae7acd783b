// The shape of an e-mail address around its `@`: the local part's start and the domain's
// labels, found 64 bytes at a time where the CPU has AVX-512BW. The byte loops this replaces
// (one per side, each exiting on a mispredicted branch) were most of what an address cost.
#ifndef ANONLOG_EMAIL_SHAPE_H
#define ANONLOG_EMAIL_SHAPE_H

#include <stddef.h>
#include <stdint.h>

/// Where an address's parts lie (offsets into the window).
typedef struct {
    size_t start;           ///< The local part's first byte.
    size_t end;             ///< One past the domain's last label.
    size_t lastLabelStart;  ///< The domain's last label's first byte.
    size_t firstLabelEnd;   ///< One past the domain's first label.
    size_t labels;          ///< How many labels the domain has.
} AnonLogEmailShape;

/// The shape of the address whose `@` (or `%40`: `atLength` 3) is at `at` in `p[0..<n)`.
///
/// The local part is the run of local bytes (letters, digits, `. _ % + -`) before `at`, at
/// most 64 long, without its leading dots. The domain is the labels after the `@`: each a run
/// of letters, digits and `-` that neither starts nor ends with `-`, joined by single dots
/// that a letter or digit follows; labels start no further than 256 bytes past `at`.
/// Returns 1 with `*shape` filled in, or 0 when there is no address: an empty local part, one
/// ending in a dot or longer than 64 bytes, or a domain of fewer than two labels.
int anonlog_email_shape(const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape);

/// `anonlog_email_shape` at a vector level (2: AVX-512BW, below that the byte loops; a level
/// the CPU lacks falls back), so that tests check every form this CPU can run.
int anonlog_email_shape_level(int level, const uint8_t *p, size_t n, size_t at, size_t atLength, AnonLogEmailShape *shape);

#endif
