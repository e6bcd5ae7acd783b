// ByteTable.h: the table, spelled out by ranges so that it can be checked by eye.
#include "ByteTable.h"

#define D (ANONLOG_BYTE_DIGIT | ANONLOG_BYTE_EMAIL_LOCAL | ANONLOG_BYTE_DOMAIN)
#define L (ANONLOG_BYTE_LETTER | ANONLOG_BYTE_EMAIL_LOCAL | ANONLOG_BYTE_DOMAIN)

const uint8_t anonlog_byte_table[256] = {
    ['0' ... '9'] = D,
    ['A' ... 'Z'] = L,
    ['a' ... 'z'] = L,
    ['.'] = ANONLOG_BYTE_EMAIL_LOCAL,
    ['_'] = ANONLOG_BYTE_EMAIL_LOCAL,
    ['%'] = ANONLOG_BYTE_EMAIL_LOCAL,
    ['+'] = ANONLOG_BYTE_EMAIL_LOCAL,
    ['-'] = ANONLOG_BYTE_EMAIL_LOCAL | ANONLOG_BYTE_DOMAIN,
};
