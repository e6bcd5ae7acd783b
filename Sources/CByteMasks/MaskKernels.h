// The byte-mask kernels themselves, private to this target: `ByteMasks.c` exposes them one
// at a time, `Candidates.c` inlines each into a candidate stage built for the same CPU.
#ifndef ANONLOG_MASK_KERNELS_H
#define ANONLOG_MASK_KERNELS_H

#include "ByteMasks.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ANONLOG_X86 1

static inline uint64_t lane_bits(__m128i v, int lane) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * lane);
}

static inline void masks_sse2(const uint8_t *p, AnonLogByteMasks *m) {
    memset(m, 0, sizeof *m);
    for (int lane = 0; lane < 4; lane++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * lane));
        __m128i digitOffset = _mm_sub_epi8(v, _mm_set1_epi8('0'));
        m->digit |= lane_bits(_mm_cmpeq_epi8(_mm_min_epu8(digitOffset, _mm_set1_epi8(9)), digitOffset), lane);
        __m128i letterOffset = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
        m->letter |= lane_bits(_mm_cmpeq_epi8(_mm_min_epu8(letterOffset, _mm_set1_epi8(25)), letterOffset), lane);
        m->dot |= lane_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), lane);
        m->colon |= lane_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), lane);
        __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')), _mm_cmpeq_epi8(v, _mm_set1_epi8('%'))),
            _mm_cmpeq_epi8(v, _mm_set1_epi8('~')));
        m->special |= lane_bits(special, lane);
        m->equals |= lane_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')), lane);
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i keyEnd = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('r')), _mm_cmpeq_epi8(folded, _mm_set1_epi8('n'))),
            _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('e')), _mm_cmpeq_epi8(v, _mm_set1_epi8('p'))));
        keyEnd = _mm_or_si128(keyEnd, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('Y')), _mm_cmpeq_epi8(folded, _mm_set1_epi8('d'))));
        m->keyEnd |= lane_bits(keyEnd, lane);
        m->newline |= lane_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), lane);
        m->space |= lane_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), lane);
        m->slash |= lane_bits(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), lane);
        m->phraseEnd |= lane_bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8('r')), lane);
        m->contextTail |= lane_bits(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('e')), _mm_cmpeq_epi8(folded, _mm_set1_epi8('s'))),
                                         _mm_cmpeq_epi8(folded, _mm_set1_epi8('l'))), lane);
        __m128i hexOffset = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
        m->hexLetter |= lane_bits(_mm_cmpeq_epi8(_mm_min_epu8(hexOffset, _mm_set1_epi8(5)), hexOffset), lane);
        m->quoteTab |= lane_bits(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))), lane);
        m->dashPlus |= lane_bits(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('+'))), lane);
        __m128i home = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('h')), _mm_cmpeq_epi8(v, _mm_set1_epi8('o'))),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('m')), _mm_cmpeq_epi8(v, _mm_set1_epi8('a'))));
        home = _mm_or_si128(home, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('i')), _mm_cmpeq_epi8(v, _mm_set1_epi8('U'))));
        m->contextHead |= lane_bits(home, lane);
    }
}

// The home letters h o m a i (0x6_) and U (0x55) as a nibble table: entry L has bit H set
// when byte 0xHL is a member; `high_nibble_bits` maps H to that bit (none for bytes >= 0x80).
static inline __m128i home_low_table(void) {
    return _mm_setr_epi8(0, 0x40, 0, 0, 0, 0x20, 0, 0, 0x40, 0x40, 0, 0, 0, 0x40, 0, 0x40);
}

// The key-end letters r R n N e E p Y d D, the same way.
static inline __m128i key_end_low_table(void) {
    return _mm_setr_epi8((char)0x80, 0, (char)0xA0, 0, 0x50, 0x50, 0, 0, 0, 0x20, 0, 0, 0, 0, 0x50, 0);
}

static inline __m128i high_nibble_bits(void) {
    return _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0);
}

__attribute__((target("avx2")))
static inline uint64_t half_bits(__m256i v, int half) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(v) << (32 * half);
}

__attribute__((target("avx2")))
static inline void masks_avx2(const uint8_t *p, AnonLogByteMasks *m) {
    AnonLogByteMasks r;
    memset(&r, 0, sizeof r);
    for (int half = 0; half < 2; half++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * half));
        __m256i digitOffset = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
        r.digit |= half_bits(_mm256_cmpeq_epi8(_mm256_min_epu8(digitOffset, _mm256_set1_epi8(9)), digitOffset), half);
        __m256i letterOffset = _mm256_sub_epi8(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
        r.letter |= half_bits(_mm256_cmpeq_epi8(_mm256_min_epu8(letterOffset, _mm256_set1_epi8(25)), letterOffset), half);
        r.dot |= half_bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.')), half);
        r.colon |= half_bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':')), half);
        __m256i special = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('@')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('%'))),
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8('~')));
        r.special |= half_bits(special, half);
        r.equals |= half_bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('=')), half);
        r.newline |= half_bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')), half);
        r.space |= half_bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')), half);
        __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
        r.slash |= half_bits(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('/')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))), half);
        r.phraseEnd |= half_bits(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('r')), half);
        r.contextTail |= half_bits(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('e')), _mm256_cmpeq_epi8(folded, _mm256_set1_epi8('s'))),
                                           _mm256_cmpeq_epi8(folded, _mm256_set1_epi8('l'))), half);
        __m256i hexOffset = _mm256_sub_epi8(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
        r.hexLetter |= half_bits(_mm256_cmpeq_epi8(_mm256_min_epu8(hexOffset, _mm256_set1_epi8(5)), hexOffset), half);
        r.quoteTab |= half_bits(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\t'))), half);
        r.dashPlus |= half_bits(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('-')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('+'))), half);
        // Set membership by nibbles: the low nibble picks the high nibbles allowed with it.
        __m256i lowNibble = _mm256_and_si256(v, _mm256_set1_epi8(0x0F));
        __m256i highNibble = _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
        __m256i allowed = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(home_low_table()), lowNibble);
        __m256i highBit = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(high_nibble_bits()), highNibble);
        __m256i outside = _mm256_cmpeq_epi8(_mm256_and_si256(allowed, highBit), _mm256_setzero_si256());
        r.contextHead |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(outside) << (32 * half);
        __m256i keyAllowed = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(key_end_low_table()), lowNibble);
        __m256i keyOutside = _mm256_cmpeq_epi8(_mm256_and_si256(keyAllowed, highBit), _mm256_setzero_si256());
        r.keyEnd |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(keyOutside) << (32 * half);
    }
    *m = r;
}

// AVX-512BW compares straight into 64-bit mask registers: one instruction per class, none of
// the AVX2 kernel's movemasks and combining of halves.
//
// `masks_avx512_strided` writes class k (in `AnonLogByteMasks` field order) to `out[k * stride]`,
// so that the candidate stage stores each mask register once, straight into its row: through
// a struct, each mask would go register -> general register -> struct -> row, and those moves
// compete with the compares for the same two execution ports.
__attribute__((target("avx512f,avx512bw")))
static inline __attribute__((always_inline)) void masks_avx512_strided(const uint8_t *p, uint64_t *out, size_t stride) {
    __m512i v = _mm512_loadu_si512((const void *)p);
    __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    __m512i lowNibble = _mm512_and_si512(v, _mm512_set1_epi8(0x0F));
    __m512i highNibble = _mm512_and_si512(_mm512_srli_epi16(v, 4), _mm512_set1_epi8(0x0F));
    __m512i highBit = _mm512_shuffle_epi8(_mm512_broadcast_i32x4(high_nibble_bits()), highNibble);
    out[0 * stride] = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    out[1 * stride] = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(folded, _mm512_set1_epi8('a')), _mm512_set1_epi8(26));
    out[2 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.'));
    out[3 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':'));
    out[4 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('@')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('%'))
                    | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('~'));
    out[5 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('='));
    out[6 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
    out[7 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
    out[8 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
    out[9 * stride] = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('r'));
    out[10 * stride] = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('e')) | _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('s'))
                     | _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('l'));
    out[11 * stride] = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(folded, _mm512_set1_epi8('a')), _mm512_set1_epi8(6));
    out[12 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\t'));
    out[13 * stride] = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('+'));
    out[14 * stride] = _mm512_test_epi8_mask(_mm512_shuffle_epi8(_mm512_broadcast_i32x4(key_end_low_table()), lowNibble), highBit);
    out[15 * stride] = _mm512_test_epi8_mask(_mm512_shuffle_epi8(_mm512_broadcast_i32x4(home_low_table()), lowNibble), highBit);
}

_Static_assert(sizeof(AnonLogByteMasks) == 16 * sizeof(uint64_t), "AnonLogByteMasks is 16 masks in class order");

__attribute__((target("avx512f,avx512bw")))
static inline void masks_avx512(const uint8_t *p, AnonLogByteMasks *m) {
    uint64_t classes[16];
    masks_avx512_strided(p, classes, 1);
    memcpy(m, classes, sizeof classes);
}

#else

static inline void masks_scalar(const uint8_t *p, AnonLogByteMasks *m) {
    memset(m, 0, sizeof *m);
    for (int i = 0; i < 64; i++) {
        uint8_t b = p[i];
        uint64_t bit = (uint64_t)1 << i;
        if ((uint8_t)(b - '0') <= 9) m->digit |= bit;
        if ((uint8_t)((b | 0x20) - 'a') <= 25) m->letter |= bit;
        if (b == '.') m->dot |= bit;
        if (b == ':') m->colon |= bit;
        if (b == '@' || b == '%' || b == '~') m->special |= bit;
        if (b == '=') m->equals |= bit;
        if (b == 'r' || b == 'R' || b == 'n' || b == 'N' || b == 'e' || b == 'E' || b == 'p' || b == 'Y' || (b | 0x20) == 'd') m->keyEnd |= bit;
        if (b == '\n') m->newline |= bit;
        if (b == ' ') m->space |= bit;
        if (b == '/' || b == '\\') m->slash |= bit;
        if ((b | 0x20) == 'r') m->phraseEnd |= bit;
        if ((b | 0x20) == 'e' || (b | 0x20) == 's' || (b | 0x20) == 'l') m->contextTail |= bit;
        if ((uint8_t)((b | 0x20) - 'a') <= 5) m->hexLetter |= bit;
        if (b == '"' || b == '\t') m->quoteTab |= bit;
        if (b == '-' || b == '+') m->dashPlus |= bit;
        if (b == 'h' || b == 'o' || b == 'm' || b == 'a' || b == 'i' || b == 'U') m->contextHead |= bit;
    }
}

#endif

#endif
