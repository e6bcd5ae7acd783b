// Intentionally empty: the kernel is static inline in the header so Swift can inline it.
