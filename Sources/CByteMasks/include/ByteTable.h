// One table from byte to class bits, for the detectors' byte-by-byte loops (an e-mail's local
// part and domain, run after run): a load and a test per byte instead of up to seven compares.
#ifndef ANONLOG_BYTE_TABLE_H
#define ANONLOG_BYTE_TABLE_H

#include <stdint.h>

enum {
    ANONLOG_BYTE_DIGIT = 1,        ///< '0'...'9'
    ANONLOG_BYTE_LETTER = 2,       ///< 'A'...'Z', 'a'...'z'
    ANONLOG_BYTE_EMAIL_LOCAL = 4,  ///< letters, digits and `. _ % + -`: an e-mail local part
    ANONLOG_BYTE_DOMAIN = 8,       ///< letters, digits and `-`: a domain label
};

/// The class bits of every byte value (ByteTable.c).
extern const uint8_t anonlog_byte_table[256];

/// The class bits of `b`.
static inline uint8_t anonlog_byte_class(uint8_t b) { return anonlog_byte_table[b]; }

#endif
