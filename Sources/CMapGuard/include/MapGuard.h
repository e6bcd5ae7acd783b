// A guard for reading files through mmap.
//
// Reading a mapped page past the end of a file that shrank after it was mapped (logrotate's
// copytruncate, an operator's `> access.log`) raises SIGBUS, which would kill anonlog with
// "Bus error" and no word about which file. Each mapping registers its address range and a
// ready-made message here; the handler finds the range holding the faulting address, writes
// that one line to stderr, removes registered temp files (an in-place rewrite's unfinished
// output), and exits with status 2, the exit code of an I/O error. A SIGBUS outside every
// registered range is not ours to explain: the default action runs.
#ifndef ANONLOG_MAP_GUARD_H
#define ANONLOG_MAP_GUARD_H

#include <stddef.h>

/// Registers [start, start + length) as a mapping of the file `name`; returns a handle for
/// `anonlog_map_guard_remove`, or -1 when the table is full (the caller then reads instead).
int anonlog_map_guard_add(const void *start, size_t length, const char *name);

/// Forgets a mapping registered with `anonlog_map_guard_add` (before it is unmapped).
void anonlog_map_guard_remove(int handle);

/// Registers a temp file (`name` in the open directory `directory`, which stays open while it is
/// registered) that a SIGBUS exit must delete; returns a handle, or -1 when full.
int anonlog_map_guard_add_temp(int directory, const char *name);

/// Forgets a temp file registered with `anonlog_map_guard_add_temp`.
void anonlog_map_guard_remove_temp(int handle);

/// Replaces the Swift runtime's crash handlers (SIGILL, SIGTRAP, SIGSEGV, SIGFPE, SIGABRT): a
/// fault prints one line, removes the registered temp files and exits with status 3; no
/// register or memory dump (it could hold log bytes). Also installs the SIGBUS guard.
void anonlog_crash_guard_install(void);

#endif
