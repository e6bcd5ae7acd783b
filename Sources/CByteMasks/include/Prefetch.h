// A cache-line prefetch, which Swift has no spelling for: the pseudonym cache asks for a
// later match's slot while the current match is still being written.
#ifndef ANONLOG_PREFETCH_H
#define ANONLOG_PREFETCH_H

/// Starts loading the cache line holding `address` (for reading), without waiting for it.
static inline void anonlog_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
