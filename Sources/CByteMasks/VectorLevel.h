// The vector level the searches that pick their own form at run time use (WordSearch.c,
// EmailShape.c), asked of the CPU once per file that includes it.
#ifndef ANONLOG_VECTOR_LEVEL_H
#define ANONLOG_VECTOR_LEVEL_H

/// 2: AVX-512BW (with AVX-512F), 1: AVX2, 0: SSE2.
static inline int vector_level(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return known;
}

#endif
