#include "CAES.h"
#include <string.h>

#if defined(__x86_64__)
#define CAES_X86 1
#include <immintrin.h>
#elif defined(__aarch64__) && defined(__ARM_FEATURE_AES)
// Only when the compiler may emit the AES instructions unconditionally (arm64 Apple targets,
// or -march=armv8-a+crypto); other arm64 builds take the portable path.
#define CAES_ARM 1
#include <arm_neon.h>
#endif

// MARK: - Portable AES-128 (FIPS-197), byte-oriented

// The S-box, generated from its definition (inverse in GF(2^8) followed by the affine map).
static const uint8_t sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

// Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, without a branch.
static inline uint8_t xtime(uint8_t x) {
    return (uint8_t)((x << 1) ^ ((x >> 7) * 0x1b));
}

void caes128_expand(const uint8_t key[16], CAES128Key *out) {
    // The software schedule serves every path: AES-NI and ARMv8 consume the same round-key
    // bytes, and expansion runs once per key, so it need not be fast.
    uint8_t *w = out->roundKeys;
    memcpy(w, key, 16);
    uint8_t rcon = 1;
    for (int i = 16; i < 176; i += 4) {
        uint8_t t0 = w[i - 4], t1 = w[i - 3], t2 = w[i - 2], t3 = w[i - 1];
        if (i % 16 == 0) {
            // First word of each round key: RotWord, SubWord, then the round constant.
            uint8_t first = t0;
            t0 = (uint8_t)(sbox[t1] ^ rcon);
            t1 = sbox[t2];
            t2 = sbox[t3];
            t3 = sbox[first];
            rcon = xtime(rcon);
        }
        w[i] = w[i - 16] ^ t0;
        w[i + 1] = w[i - 15] ^ t1;
        w[i + 2] = w[i - 14] ^ t2;
        w[i + 3] = w[i - 13] ^ t3;
    }
}

// The state is the 16 input bytes in order, i.e. column-major: byte 4*c + r is row r, column c.
static inline void add_round_key(uint8_t s[16], const uint8_t *rk) {
    for (int i = 0; i < 16; i++) s[i] ^= rk[i];
}

// SubBytes and ShiftRows in one pass: row r rotates left by r columns.
static inline void sub_shift(uint8_t s[16]) {
    uint8_t t[16];
    for (int c = 0; c < 4; c++) {
        for (int r = 0; r < 4; r++) t[4 * c + r] = sbox[s[4 * ((c + r) & 3) + r]];
    }
    memcpy(s, t, 16);
}

// MixColumns: each column times {02 03 01 01} circulant, written as a0 ^ all ^ 2(a0 ^ a1) etc.
static inline void mix_columns(uint8_t s[16]) {
    for (int c = 0; c < 4; c++) {
        uint8_t *col = s + 4 * c;
        uint8_t a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
        uint8_t all = a0 ^ a1 ^ a2 ^ a3;
        col[0] = a0 ^ all ^ xtime(a0 ^ a1);
        col[1] = a1 ^ all ^ xtime(a1 ^ a2);
        col[2] = a2 ^ all ^ xtime(a2 ^ a3);
        col[3] = a3 ^ all ^ xtime(a3 ^ a0);
    }
}

void caes128_encrypt_portable(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]) {
    const uint8_t *rk = key->roundKeys;
    uint8_t s[16];
    memcpy(s, in, 16);
    add_round_key(s, rk);
    for (int round = 1; round < 10; round++) {
        sub_shift(s);
        mix_columns(s);
        add_round_key(s, rk + 16 * round);
    }
    sub_shift(s);
    add_round_key(s, rk + 160);
    memcpy(out, s, 16);
}

// MARK: - Helpers shared by every path: blocks as two words, ipcrypt-pfx prefixes

// The padded prefix of length p, 1 << p | address >> (128 - p), for the first p = firstBit.
static inline CAES128Words pfx_first_prefix(CAES128Words address, unsigned firstBit) {
    CAES128Words prefix = {0, 0};
    if (firstBit >= 128) return prefix; // no bit to encrypt; avoids shifting by 64 below
    if (firstBit == 0) {
        prefix.low = 1;
        return prefix;
    }
    unsigned shift = 128 - firstBit; // 1...127
    if (shift >= 64) {
        prefix.low = address.high >> (shift - 64);
    } else {
        prefix.high = address.high >> shift;
        prefix.low = (address.low >> shift) | (address.high << (64 - shift));
    }
    if (firstBit >= 64) prefix.high |= 1ULL << (firstBit - 64);
    else prefix.low |= 1ULL << firstBit;
    return prefix;
}

// Bit p of the address counted from its most significant bit.
static inline uint64_t pfx_address_bit(CAES128Words address, unsigned p) {
    return p < 64 ? (address.high >> (63 - p)) & 1 : (address.low >> (127 - p)) & 1;
}

// The padded prefix one bit longer: shift left, bring in address bit p (draft 6.2.4).
static inline void pfx_extend(CAES128Words *prefix, CAES128Words address, unsigned p) {
    prefix->high = (prefix->high << 1) | (prefix->low >> 63);
    prefix->low = (prefix->low << 1) | (p < 128 ? pfx_address_bit(address, p) : 0);
}

static inline void pfx_set_bit(CAES128Words *keystream, unsigned p, uint64_t bit) {
    if (p < 64) keystream->high |= bit << (63 - p);
    else keystream->low |= bit << (127 - p);
}

static inline void store_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t load_be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

static inline void store_block(CAES128Words prefix, uint8_t block[16]) {
    store_be64(block, prefix.high);
    store_be64(block + 8, prefix.low);
}

// A word-form encryption through a byte-form one (a constant after inlining).
static inline CAES128Words encrypt_words_with(void (*encrypt)(const CAES128Key *, const uint8_t *, uint8_t *),
                                              const CAES128Key *key, CAES128Words block) {
    uint8_t bytes[16];
    store_block(block, bytes);
    encrypt(key, bytes, bytes);
    CAES128Words out = {load_be64(bytes), load_be64(bytes + 8)};
    return out;
}

CAES128Words caes128_pfx_keystream_portable(const CAES128Key *key1, const CAES128Key *key2,
                                            CAES128Words address, unsigned firstBit) {
    CAES128Words keystream = {0, 0};
    CAES128Words prefix = pfx_first_prefix(address, firstBit);
    for (unsigned p = firstBit; p < 128; p++) {
        uint8_t block[16], e1[16], e2[16];
        store_block(prefix, block);
        caes128_encrypt_portable(key1, block, e1);
        caes128_encrypt_portable(key2, block, e2);
        pfx_set_bit(&keystream, p, (e1[15] ^ e2[15]) & 1);
        pfx_extend(&prefix, address, p);
    }
    return keystream;
}

// MARK: - x86-64: AES-NI

#if CAES_X86

static int hardware_state = -1; // -1 unknown, else 0 or 1; races only ever store the same value

int caes_hardware_available(void) {
    int state = __atomic_load_n(&hardware_state, __ATOMIC_RELAXED);
    if (state < 0) {
        __builtin_cpu_init();
        state = __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
        __atomic_store_n(&hardware_state, state, __ATOMIC_RELAXED);
    }
    return state;
}

// Unaligned loads throughout: Swift may hold a CAES128Key anywhere, and on AES-NI CPUs an
// unaligned load of aligned data costs the same as an aligned one.
#define RK(key, round) _mm_loadu_si128((const __m128i *)((key)->roundKeys + 16 * (round)))

__attribute__((target("aes,sse4.1")))
static void encrypt_ni(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]) {
    __m128i s = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), RK(key, 0));
    for (int round = 1; round < 10; round++) s = _mm_aesenc_si128(s, RK(key, round));
    s = _mm_aesenclast_si128(s, RK(key, 10));
    _mm_storeu_si128((__m128i *)out, s);
}

__attribute__((target("aes,sse4.1")))
static CAES128Words encrypt_words_ni(const CAES128Key *key, CAES128Words block) {
    // Block bytes 0...7 are `high` big-endian: byte-swapped, it is the low lane.
    __m128i s = _mm_set_epi64x((long long)__builtin_bswap64(block.low), (long long)__builtin_bswap64(block.high));
    s = _mm_xor_si128(s, RK(key, 0));
    for (int round = 1; round < 10; round++) s = _mm_aesenc_si128(s, RK(key, round));
    s = _mm_aesenclast_si128(s, RK(key, 10));
    CAES128Words out = {__builtin_bswap64((uint64_t)_mm_cvtsi128_si64(s)),
                        __builtin_bswap64((uint64_t)_mm_extract_epi64(s, 1))};
    return out;
}

// Eight independent blocks in flight hide the latency of aesenc (several cycles, one issued
// per cycle), which is where the batch speed-up comes from.
__attribute__((target("aes,sse4.1")))
static void encrypt_blocks_ni(const CAES128Key *key, const uint8_t *in, uint8_t *out, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i s[8];
        __m128i k = RK(key, 0);
        for (int j = 0; j < 8; j++) s[j] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + 16 * (i + j))), k);
        for (int round = 1; round < 10; round++) {
            k = RK(key, round);
            for (int j = 0; j < 8; j++) s[j] = _mm_aesenc_si128(s[j], k);
        }
        k = RK(key, 10);
        for (int j = 0; j < 8; j++) _mm_storeu_si128((__m128i *)(out + 16 * (i + j)), _mm_aesenclast_si128(s[j], k));
    }
    for (; i < count; i++) encrypt_ni(key, in + 16 * i, out + 16 * i);
}

// Four prefixes under both keys: eight AES states plus two round keys fit the 16 XMM registers.
// The prefixes are built in registers (no block buffer); the last group may run past bit 127,
// and those extra results are dropped.
__attribute__((target("aes,sse4.1")))
static CAES128Words pfx_keystream_ni(const CAES128Key *key1, const CAES128Key *key2,
                                     CAES128Words address, unsigned firstBit) {
    CAES128Words keystream = {0, 0};
    CAES128Words prefix = pfx_first_prefix(address, firstBit);
    for (unsigned p = firstBit; p < 128; p += 4) {
        __m128i a[4], b[4];
        __m128i k1 = RK(key1, 0), k2 = RK(key2, 0);
        for (unsigned j = 0; j < 4; j++) {
            // Block bytes 0...7 are `high` big-endian: byte-swapped, it is the low lane.
            __m128i block = _mm_set_epi64x((long long)__builtin_bswap64(prefix.low),
                                           (long long)__builtin_bswap64(prefix.high));
            a[j] = _mm_xor_si128(block, k1);
            b[j] = _mm_xor_si128(block, k2);
            pfx_extend(&prefix, address, p + j);
        }
        for (int round = 1; round < 10; round++) {
            k1 = RK(key1, round);
            k2 = RK(key2, round);
            for (int j = 0; j < 4; j++) {
                a[j] = _mm_aesenc_si128(a[j], k1);
                b[j] = _mm_aesenc_si128(b[j], k2);
            }
        }
        k1 = RK(key1, 10);
        k2 = RK(key2, 10);
        for (unsigned j = 0; j < 4 && p + j < 128; j++) {
            __m128i e = _mm_xor_si128(_mm_aesenclast_si128(a[j], k1), _mm_aesenclast_si128(b[j], k2));
            pfx_set_bit(&keystream, p + j, (uint64_t)_mm_extract_epi8(e, 15) & 1);
        }
    }
    return keystream;
}

void caes128_encrypt(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]) {
    if (caes_hardware_available()) encrypt_ni(key, in, out);
    else caes128_encrypt_portable(key, in, out);
}

CAES128Words caes128_encrypt_words(const CAES128Key *key, CAES128Words block) {
    if (caes_hardware_available()) return encrypt_words_ni(key, block);
    return encrypt_words_with(caes128_encrypt_portable, key, block);
}

void caes128_encrypt_blocks(const CAES128Key *key, const uint8_t *in, uint8_t *out, size_t count) {
    if (caes_hardware_available()) {
        encrypt_blocks_ni(key, in, out, count);
    } else {
        for (size_t i = 0; i < count; i++) caes128_encrypt_portable(key, in + 16 * i, out + 16 * i);
    }
}

CAES128Words caes128_pfx_keystream(const CAES128Key *key1, const CAES128Key *key2,
                                   CAES128Words address, unsigned firstBit) {
    if (caes_hardware_available()) return pfx_keystream_ni(key1, key2, address, firstBit);
    return caes128_pfx_keystream_portable(key1, key2, address, firstBit);
}

// MARK: - arm64: ARMv8 AES instructions

#elif CAES_ARM

int caes_hardware_available(void) { return 1; }

// vaeseq is AddRoundKey + SubBytes + ShiftRows, so the round keys shift by one compared with
// AES-NI: nine (AESE, AESMC) pairs, a last AESE, then a plain XOR with the final round key.
static inline uint8x16_t encrypt_arm(const uint8x16_t rk[11], uint8x16_t s) {
    for (int round = 0; round < 9; round++) s = vaesmcq_u8(vaeseq_u8(s, rk[round]));
    return veorq_u8(vaeseq_u8(s, rk[9]), rk[10]);
}

static inline void load_round_keys(const CAES128Key *key, uint8x16_t rk[11]) {
    for (int round = 0; round < 11; round++) rk[round] = vld1q_u8(key->roundKeys + 16 * round);
}

void caes128_encrypt(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]) {
    uint8x16_t rk[11];
    load_round_keys(key, rk);
    vst1q_u8(out, encrypt_arm(rk, vld1q_u8(in)));
}

CAES128Words caes128_encrypt_words(const CAES128Key *key, CAES128Words block) {
    return encrypt_words_with(caes128_encrypt, key, block);
}

void caes128_encrypt_blocks(const CAES128Key *key, const uint8_t *in, uint8_t *out, size_t count) {
    uint8x16_t rk[11];
    load_round_keys(key, rk);
    for (size_t i = 0; i < count; i++) vst1q_u8(out + 16 * i, encrypt_arm(rk, vld1q_u8(in + 16 * i)));
}

CAES128Words caes128_pfx_keystream(const CAES128Key *key1, const CAES128Key *key2,
                                   CAES128Words address, unsigned firstBit) {
    uint8x16_t rk1[11], rk2[11];
    load_round_keys(key1, rk1);
    load_round_keys(key2, rk2);
    CAES128Words keystream = {0, 0};
    CAES128Words prefix = pfx_first_prefix(address, firstBit);
    for (unsigned p = firstBit; p < 128; p++) {
        uint8_t block[16];
        store_block(prefix, block);
        uint8x16_t b = vld1q_u8(block);
        uint8x16_t e = veorq_u8(encrypt_arm(rk1, b), encrypt_arm(rk2, b));
        pfx_set_bit(&keystream, p, vgetq_lane_u8(e, 15) & 1);
        pfx_extend(&prefix, address, p);
    }
    return keystream;
}

// MARK: - Other CPUs: portable code only

#else

int caes_hardware_available(void) { return 0; }

void caes128_encrypt(const CAES128Key *key, const uint8_t in[16], uint8_t out[16]) {
    caes128_encrypt_portable(key, in, out);
}

CAES128Words caes128_encrypt_words(const CAES128Key *key, CAES128Words block) {
    return encrypt_words_with(caes128_encrypt_portable, key, block);
}

void caes128_encrypt_blocks(const CAES128Key *key, const uint8_t *in, uint8_t *out, size_t count) {
    for (size_t i = 0; i < count; i++) caes128_encrypt_portable(key, in + 16 * i, out + 16 * i);
}

CAES128Words caes128_pfx_keystream(const CAES128Key *key1, const CAES128Key *key2,
                                   CAES128Words address, unsigned firstBit) {
    return caes128_pfx_keystream_portable(key1, key2, address, firstBit);
}

#endif
