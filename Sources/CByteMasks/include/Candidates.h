// The scanner's trigger stage: from the byte-class masks of 64-byte blocks, the positions where
// each detector must look, with the cheap structural conditions already applied.
//
// Kept in C beside the mask kernels so that the per-block work stays in registers and uses
// the CPU's vector unit twice: once to classify bytes into masks, and again to combine the
// masks of eight blocks at a time (one 64-bit lane per block) across block seams. The Swift
// scanner only walks the resulting bits and verifies. Each mask may pass too much, never too
// little: verification in Swift decides, and the brute-force property test checks the result
// equals trying every detector at every byte.
#ifndef ANONLOG_CANDIDATES_H
#define ANONLOG_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

/// Blocks of 64 bytes per call of the candidate stage.
#define ANONLOG_BATCH_BLOCKS 64

/// The candidate kinds: row k of a batch holds kind k's mask of each block (bit i is byte i).
enum {
    ANONLOG_LINE_START,   ///< a line's first byte, unless the line is surely not CLF or an anonymous one (`host - - [`)
    ANONLOG_IPV4,         ///< the first dot (or dash) of three `d.d` (`d-d`) ones, each 2-4 bytes after the one before
    ANONLOG_IPV6,         ///< a colon after 1-4 hex digits that follow a non-alphanumeric, non-`.:` byte, or the first colon of `::` after such a byte
    ANONLOG_JSON_COLON,   ///< a colon after a blank, or after a quoted username key (`"user":`, compared as words)
    ANONLOG_SPECIAL,      ///< '@', '%', '~', and '=' after a username key or sudo's TTY (compared as words)
    ANONLOG_PERSONNUMMER, ///< a digit run of exactly 10 or 12 digits, or of 6 or 8 followed by '-' or '+'
    ANONLOG_AFTER_R,      ///< a space after 'r' ("for NAME", "user NAME")
    ANONLOG_HOME_SLASH,   ///< a slash that may end "home", "mail" or "Users"
    ANONLOG_WORD,         ///< the first byte of a run of letters and digits
    ANONLOG_KINDS
};

/// Which candidate kinds to compute; the others are left zero.
enum {
    ANONLOG_WANT_IPV4 = 1,
    ANONLOG_WANT_IPV6 = 2,
    ANONLOG_WANT_SPECIAL = 4,      ///< e-mail and the `=`/`~` username contexts
    ANONLOG_WANT_USERS = 8,        ///< line starts, JSON keys, `for NAME`, home directories
    ANONLOG_WANT_PERSONNUMMER = 16,
    ANONLOG_WANT_WORDS = 32,       ///< `--users-file`
};

/// Computes the candidates of blocks `first ..< first + count` (count <= ANONLOG_BATCH_BLOCKS)
/// of the `n` bytes at `p` into `out[kind * ANONLOG_BATCH_BLOCKS + i]` for block `first + i`.
/// `startsLine`: whether byte 0 starts a line. Bytes past `n` read as zero. Returns a mask
/// with bit i set when block `first + i` has any candidate.
typedef uint64_t (*AnonLogCandidatesFunction)(const uint8_t *p, size_t n, size_t first, size_t count, unsigned want,
                                          int startsLine, uint64_t *out);

/// The fastest candidate stage this CPU supports (AVX-512BW, AVX2 or SSE2); call once, keep it.
AnonLogCandidatesFunction anonlog_candidates_function(void);

/// The candidate stage built on the mask kernel called `name` (as `anonlog_byte_masks_kernel_named`),
/// or NULL when this CPU lacks it.
AnonLogCandidatesFunction anonlog_candidates_function_named(const char *name);

#endif
