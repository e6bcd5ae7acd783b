// HMAC-SHA256 with the key's inner and outer states computed once (FIPS 180-4, RFC 2104).
//
// Pseudonym tokens are one HMAC each over a short message. Through swift-crypto every token
// would build a fresh HMAC (key copy, pads, a heap-backed context: several allocations per
// token on a cache miss); here a key is two 8-word states and a token is two compression calls
// on the stack, with no allocation.
#ifndef ANONLOG_SHA256_H
#define ANONLOG_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// A key, prepared: the SHA-256 states after absorbing key ^ ipad and key ^ opad.
typedef struct {
    uint32_t inner[8];
    uint32_t outer[8];
} AnonLogHMACKey;

/// Prepares `key` (any length; longer than 64 bytes is hashed first, as RFC 2104 says).
void anonlog_hmac_sha256_prepare(AnonLogHMACKey *prepared, const uint8_t *key, size_t length);

/// HMAC-SHA256 of the concatenation `first` + `second` under `key`, into `out` (32 bytes).
void anonlog_hmac_sha256(const AnonLogHMACKey *key, const uint8_t *first, size_t firstLength, const uint8_t *second,
                         size_t secondLength, uint8_t out[32]);

/// SHA-256 of `length` bytes at `data` into `out` (32 bytes).
void anonlog_sha256(const uint8_t *data, size_t length, uint8_t out[32]);

#endif
