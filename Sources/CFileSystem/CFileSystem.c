#define _GNU_SOURCE
#include "CFileSystem.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/vfs.h>

int anonlog_open_entry(int directory, const char *name) {
    return openat(directory, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

int anonlog_is_procfs(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 && info.f_type == 0x9fa0;
}

int anonlog_rename_noreplace(int from_dir, const char *from, int to_dir, const char *to) {
    return renameat2(from_dir, from, to_dir, to, RENAME_NOREPLACE);
}
