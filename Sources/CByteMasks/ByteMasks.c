// The byte-mask kernels one at a time by name, for the tests (the kernels: MaskKernels.h;
// the candidate stage inlines them).
#include "MaskKernels.h"

#if defined(__x86_64__) || defined(__i386__)

AnonLogByteMasksFunction anonlog_byte_masks_kernel_named(const char *name) {
    __builtin_cpu_init();
    if (strcmp(name, "avx512") == 0) return __builtin_cpu_supports("avx512bw") ? masks_avx512 : 0;
    if (strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") ? masks_avx2 : 0;
    if (strcmp(name, "sse2") == 0) return masks_sse2;
    return 0;
}

#else

AnonLogByteMasksFunction anonlog_byte_masks_kernel_named(const char *name) {
    return strcmp(name, "scalar") == 0 ? masks_scalar : 0;
}

#endif
