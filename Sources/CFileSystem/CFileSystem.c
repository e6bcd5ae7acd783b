#define _GNU_SOURCE
#include "CFileSystem.h"
#include <fcntl.h>
#include <sys/vfs.h>

int anonlog_open_entry(int directory, const char *name) {
    return openat(directory, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

int anonlog_is_procfs(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 && info.f_type == 0x9fa0;
}
