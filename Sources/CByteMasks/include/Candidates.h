// The scanner's trigger stage: from the byte-class masks of 64-byte blocks, the positions where
// each detector must look, with the cheap structural conditions already applied.
//
// Kept in C beside the mask kernels so that the per-block work (about a dozen masks, their
// neighbours across block seams, a few per-candidate byte checks) stays in registers and
// inlines the mask kernel of the CPU's instruction set; the Swift scanner only walks the
// resulting bits and verifies. Each mask may pass too much, never too little: verification
// in Swift decides, and the brute-force property test checks the result equals trying every
// detector at every byte.
#ifndef ANONLOG_CANDIDATES_H
#define ANONLOG_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

/// Bit i of each mask is byte i of the block.
typedef struct {
    uint64_t lineStart;    ///< a line's first byte, unless the line is an anonymous CLF line (`host - - [`)
    uint64_t ipv4;         ///< the first dot of three `d.d` dots, each 2-4 bytes after the one before
    uint64_t ipv6;         ///< a colon after at most four hex digits that follow a non-alphanumeric, non-`.:` byte
    uint64_t jsonColon;    ///< a colon after a blank, or after a quote after a username key's last letter
    uint64_t special;      ///< '@', '%', '~', and '=' after a username key's last letter
    uint64_t personnummer; ///< a digit run of exactly 10 or 12 digits, or of 6 or 8 followed by '-' or '+'
    uint64_t afterR;       ///< a space after 'r' ("for NAME", "user NAME")
    uint64_t homeSlash;    ///< a slash after e/s/l with m/r two bytes back or m four back (home/, sers/, mail/)
    uint64_t word;         ///< the first byte of a run of letters and digits
} AnonLogCandidates;

/// Which candidate masks to compute; the others are left zero.
enum {
    ANONLOG_WANT_IPV4 = 1,
    ANONLOG_WANT_IPV6 = 2,
    ANONLOG_WANT_SPECIAL = 4,      ///< e-mail and the `=`/`~` username contexts
    ANONLOG_WANT_USERS = 8,        ///< line starts, JSON keys, `for NAME`, home directories
    ANONLOG_WANT_PERSONNUMMER = 16,
    ANONLOG_WANT_WORDS = 32,       ///< `--users-file`
};

/// Computes the candidates of blocks `first ..< first + count` of the `n` bytes at `p` into
/// `out[0 ..< count]`. `startsLine`: whether byte 0 starts a line. Bytes past `n` read as zero.
typedef void (*AnonLogCandidatesFunction)(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want,
                                          int startsLine, AnonLogCandidates *out);

/// The fastest candidate stage this CPU supports (AVX-512BW, AVX2 or SSE2); call once, keep it.
AnonLogCandidatesFunction anonlog_candidates_function(void);

/// The candidate stage built on the mask kernel called `name` (as `anonlog_byte_masks_kernel_named`),
/// or NULL when this CPU lacks it.
AnonLogCandidatesFunction anonlog_candidates_function_named(const char *name);

#endif
