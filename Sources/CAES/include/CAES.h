// AES-128 encryption (forward direction only) for the ipcrypt IP pseudonyms.
//
// ipcrypt needs raw single-block AES-128, a lot of it: one block per address for
// ipcrypt-deterministic, two per address bit (64 for IPv4, 256 for IPv6) for ipcrypt-pfx. Swift's
// standard library has no AES, and C gives direct access to the AES instructions with keys
// expanded once and nothing allocated per call: AES-NI on x86-64 (chosen at run time) and the
// ARMv8 AES instructions on arm64 when the compiler targets them (every Apple arm64 CPU).
// Elsewhere a portable byte-oriented implementation runs; it uses a lookup table, so unlike the
// hardware paths it is not constant-time.
#ifndef ANONLOG_CAES_H
#define ANONLOG_CAES_H

#include <stddef.h>
#include <stdint.h>

/// The 11 expanded AES-128 round keys, 16 bytes each, in FIPS-197 byte order.
typedef struct CAES128Key {
    _Alignas(16) uint8_t roundKeys[176];
} CAES128Key;

/// A 128-bit value as two integers: `high` is bytes 0...7 read big-endian, `low` bytes 8...15.
typedef struct CAES128Words {
    uint64_t high;
    uint64_t low;
} CAES128Words;

/// 1 when the hardware AES path is used on this CPU, 0 when the portable code runs.
int caes_hardware_available(void);

/// Expands a 16-byte AES-128 key into `out`.
void caes128_expand(const uint8_t key[16], CAES128Key *out);

/// Encrypts one 16-byte block (`in` and `out` may be the same buffer).
void caes128_encrypt(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]);

/// Encrypts one block given as two big-endian words: the same as `caes128_encrypt` on its bytes,
/// but the block travels in registers, which saves the byte shuffling of a Swift tuple.
CAES128Words caes128_encrypt_words(const CAES128Key *key, CAES128Words block);

/// Encrypts `count` consecutive 16-byte blocks independently (ECB), in parallel on hardware.
void caes128_encrypt_blocks(const CAES128Key *key, const uint8_t *in, uint8_t *out, size_t count);

/// The ipcrypt-pfx keystream of an address (draft-denis-ipcrypt section 9.6.1): for each prefix
/// length p in firstBit..<128, the bit lsb(AES(key1, P) XOR AES(key2, P)) where P is the padded
/// prefix 1 << p | address >> (128 - p) as a big-endian block and lsb is bit 0 of its byte 15.
/// That bit lands at bit p counted from the most significant bit of the result; bits before
/// firstBit are 0. XORed into the address it gives the encryption: firstBit is 0 for IPv6 and
/// 96 for IPv4-mapped addresses (any value up to 128 works; 128 gives 0).
/// Each P depends only on the plaintext, so all the AES calls run as one interleaved batch.
CAES128Words caes128_pfx_keystream(const CAES128Key *key1, const CAES128Key *key2,
                                   CAES128Words address, unsigned firstBit);

/// The portable encryption path, whatever the CPU: lets tests check it against the hardware.
void caes128_encrypt_portable(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]);

/// The portable `caes128_pfx_keystream`, whatever the CPU: lets tests check it against the hardware.
CAES128Words caes128_pfx_keystream_portable(const CAES128Key *key1, const CAES128Key *key2,
                                            CAES128Words address, unsigned firstBit);

#endif
