// Byte-class bit masks over 64-byte blocks: the first half of the candidate stage
// (Candidates.h), which inlines the kernel for the CPU's instruction set.
//
// Swift has SIMD types but no portable "movemask" (vector of comparisons -> bit mask), and a
// bit mask is what lets the scanner skip every byte that cannot start a match: with one bit
// per byte, candidates are found with shifts, ANDs and count-trailing-zeros. On x86-64 there
// are AVX-512BW, AVX2 and SSE2 kernels (chosen at run time); other architectures get a scalar
// loop.
#ifndef ANONLOG_BYTE_MASKS_H
#define ANONLOG_BYTE_MASKS_H

#include <stdint.h>

/// Bit i of each mask describes byte i of the block.
typedef struct {
    uint64_t digit;   ///< '0'...'9'
    uint64_t letter;  ///< 'A'...'Z', 'a'...'z'
    uint64_t dot;     ///< '.'
    uint64_t colon;   ///< ':'
    uint64_t special; ///< rare trigger bytes: '@', '%', '~'
    uint64_t equals;  ///< '='
    uint64_t newline; ///< '\n'
    uint64_t space;   ///< ' '
    uint64_t slash;   ///< '/' and '\\' (Windows' `C:\Users\NAME`)
    uint64_t phraseEnd;   ///< 'r', 'R': the last letter of "for", "user", "USER", which a username follows
    uint64_t contextTail; ///< 'e', 's', 'l' in either case: the letters before that in "user", and the ends of "home", "Users", "mail"
    uint64_t hexLetter; ///< 'a'...'f', 'A'...'F' (with `digit`, the bytes of an IPv6 group)
    uint64_t quoteTab;  ///< '"', '\t' (with `space`, what may end a JSON key before its colon)
    uint64_t dashPlus;  ///< '-', '+' (the separators of a personnummer)
    uint64_t keyEnd;    ///< r R n N e E p Y d D: the last letters of the username keys (user=, "login":, TTY=, uid=)
    uint64_t contextHead; ///< 'h', 'o', 'm', 'a', 'i', 'U': the other letters of "home", "mail", "Users" and the 'o' of "for"
} AnonLogByteMasks;

/// Computes the masks of the 64 bytes at `p` (all 64 must be readable) into `out`.
typedef void (*AnonLogByteMasksFunction)(const uint8_t *p, AnonLogByteMasks *out);

/// The kernel called `name` ("avx512", "avx2", "sse2"; "scalar" off x86), or NULL when this
/// CPU lacks it: lets the tests check every kernel against the others.
AnonLogByteMasksFunction anonlog_byte_masks_kernel_named(const char *name);

#endif
