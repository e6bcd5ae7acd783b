// The byte-mask kernels one at a time, chosen for this CPU (the kernels: MaskKernels.h).
#include "MaskKernels.h"

#if defined(__x86_64__) || defined(__i386__)

AnonLogByteMasksFunction anonlog_byte_masks_kernel(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw")) return masks_avx512;
    return __builtin_cpu_supports("avx2") ? masks_avx2 : masks_sse2;
}

AnonLogByteMasksFunction anonlog_byte_masks_kernel_named(const char *name) {
    __builtin_cpu_init();
    if (strcmp(name, "avx512") == 0) return __builtin_cpu_supports("avx512bw") ? masks_avx512 : 0;
    if (strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") ? masks_avx2 : 0;
    if (strcmp(name, "sse2") == 0) return masks_sse2;
    return 0;
}

#else

AnonLogByteMasksFunction anonlog_byte_masks_kernel(void) { return masks_scalar; }

AnonLogByteMasksFunction anonlog_byte_masks_kernel_named(const char *name) {
    return strcmp(name, "scalar") == 0 ? masks_scalar : 0;
}

#endif

void anonlog_byte_masks_partial(AnonLogByteMasksFunction kernel, const uint8_t *p, int count, AnonLogByteMasks *out) {
    uint8_t block[64];
    memset(block, 0, sizeof block);
    memcpy(block, p, (size_t)count);
    kernel(block, out);
}
