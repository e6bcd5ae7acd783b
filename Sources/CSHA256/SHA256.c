// SHA-256 (FIPS 180-4) and HMAC (RFC 2104) over it; see SHA256.h. Written for short messages:
// a streaming state of one 64-byte block, no allocation.
#include "SHA256.h"
#include <string.h>

// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/// Absorbs one 64-byte block into `state`.
static void compress(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) {
        w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8
            | (uint32_t)block[4 * t + 3];
    }
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t choose = (e & f) ^ (~e & g);
        uint32_t t1 = h + sum1 + choose + K[t] + w[t];
        uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = sum0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

/// A running hash: the state, the partial block, and the bytes absorbed so far.
typedef struct {
    uint32_t state[8];
    uint8_t block[64];
    size_t used;
    uint64_t total;
} Hash;

static void hash_start(Hash *hash, const uint32_t state[8], uint64_t alreadyAbsorbed) {
    memcpy(hash->state, state, sizeof hash->state);
    hash->used = 0;
    hash->total = alreadyAbsorbed;
}

static void hash_update(Hash *hash, const uint8_t *data, size_t length) {
    hash->total += length;
    while (length > 0) {
        size_t take = 64 - hash->used < length ? 64 - hash->used : length;
        memcpy(hash->block + hash->used, data, take);
        hash->used += take;
        data += take;
        length -= take;
        if (hash->used == 64) {
            compress(hash->state, hash->block);
            hash->used = 0;
        }
    }
}

/// Pads (a 1 bit, zeros, the length in bits, big-endian) and writes the digest.
static void hash_finish(Hash *hash, uint8_t out[32]) {
    uint64_t bits = hash->total * 8;
    hash->block[hash->used++] = 0x80;
    if (hash->used > 56) {
        memset(hash->block + hash->used, 0, 64 - hash->used);
        compress(hash->state, hash->block);
        hash->used = 0;
    }
    memset(hash->block + hash->used, 0, 56 - hash->used);
    for (int i = 0; i < 8; i++) hash->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress(hash->state, hash->block);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(hash->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(hash->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(hash->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)hash->state[i];
    }
}

void anonlog_sha256(const uint8_t *data, size_t length, uint8_t out[32]) {
    Hash hash;
    hash_start(&hash, H0, 0);
    hash_update(&hash, data, length);
    hash_finish(&hash, out);
}

void anonlog_hmac_sha256_prepare(AnonLogHMACKey *prepared, const uint8_t *key, size_t length) {
    uint8_t block[64];
    memset(block, 0, sizeof block);
    if (length > 64) {
        anonlog_sha256(key, length, block);
    } else if (length > 0) {
        memcpy(block, key, length);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    memcpy(prepared->inner, H0, sizeof H0);
    compress(prepared->inner, pad);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    memcpy(prepared->outer, H0, sizeof H0);
    compress(prepared->outer, pad);
}

void anonlog_hmac_sha256(const AnonLogHMACKey *key, const uint8_t *first, size_t firstLength, const uint8_t *second,
                         size_t secondLength, uint8_t out[32]) {
    uint8_t innerDigest[32];
    Hash hash;
    hash_start(&hash, key->inner, 64);
    if (firstLength > 0) hash_update(&hash, first, firstLength);
    if (secondLength > 0) hash_update(&hash, second, secondLength);
    hash_finish(&hash, innerDigest);
    hash_start(&hash, key->outer, 64);
    hash_update(&hash, innerDigest, 32);
    hash_finish(&hash, out);
}
