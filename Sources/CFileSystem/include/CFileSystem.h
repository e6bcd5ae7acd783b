// The Linux file-system calls Swift's Glibc module leaves out: extended attributes
// (<sys/xattr.h>), file-system types (<sys/vfs.h>), and O_PATH and renameat2, which need
// _GNU_SOURCE.
#ifndef ANONLOG_CFILESYSTEM_H
#define ANONLOG_CFILESYSTEM_H

#include <sys/types.h>
#include <sys/xattr.h>

/// openat(directory, name, O_PATH | O_NOFOLLOW | O_CLOEXEC): a descriptor of the entry itself,
/// a symlink included, that can be fstat'ed and readlinkat'ed but not read.
int anonlog_open_entry(int directory, const char *name);

/// renameat2(from_dir, from, to_dir, to, RENAME_NOREPLACE): fails with EEXIST instead of
/// replacing an entry already at `to`.
int anonlog_rename_noreplace(int from_dir, const char *from, int to_dir, const char *to);

/// 1 when the open file `fd` lives in /proc (PROC_SUPER_MAGIC), else 0.
int anonlog_is_procfs(int fd);

#endif
