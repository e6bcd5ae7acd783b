// hostile-racer: the attacker in the hostile-filesystem tests.
//
// Plays a local user who owns a directory that root's anonlog works in. It drops to `nobody`
// (when started as root), watches a path with inotify, and at the chosen event swaps names
// with renameat2(RENAME_EXCHANGE), renames, or plants symlinks: the moves a real attacker
// times with inotify to win a check-then-open race. It prints "ready" once the watch is set,
// so the test starts anonlog only then.
//
//   hostile-racer [--as-nobody] [--watch PATH --on open|close|access | --on start] [--name NAME]
//                 [--timeout MS] [--spin] [--exchange A B] [--rename FROM TO] [--symlink TARGET LINK]
//                 [--truncate PATH] ...
//
// --on start acts at once; --spin repeats the steps until the racer is killed (a swap loop).
//
// Exit status: 0 acted, 3 the event never came (timeout), 2 bad usage or a failed step.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int fail(const char *what) {
    fprintf(stderr, "hostile-racer: %s: %s\n", what, strerror(errno));
    return 2;
}

int main(int argc, char **argv) {
    const char *watch = 0, *name = 0;
    uint32_t mask = 0;
    int timeout = 20000, asNobody = 0, first = 0, spin = 0, start = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--as-nobody")) asNobody = 1;
        else if (!strcmp(argv[i], "--spin")) spin = 1;
        else if (!strcmp(argv[i], "--watch") && i + 1 < argc) watch = argv[++i];
        else if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) timeout = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--on") && i + 1 < argc) {
            const char *on = argv[++i];
            if (!strcmp(on, "start")) start = 1;
            else if (!strcmp(on, "open")) mask = IN_OPEN;
            else if (!strcmp(on, "close")) mask = IN_CLOSE_NOWRITE;
            else if (!strcmp(on, "access")) mask = IN_ACCESS;
            else { fprintf(stderr, "hostile-racer: unknown event %s\n", on); return 2; }
        } else { first = i; break; }
    }
    if (!start && (!watch || !mask)) { fprintf(stderr, "hostile-racer: --watch and --on are required\n"); return 2; }
    if (asNobody && geteuid() == 0) {
        if (setgroups(0, 0) != 0 || setgid(65534) != 0 || setuid(65534) != 0) return fail("dropping to nobody");
    }
    int notify = inotify_init1(IN_CLOEXEC);
    if (notify < 0) return fail("inotify_init1");
    if (!start && inotify_add_watch(notify, watch, mask) < 0) return fail(watch);
    printf("ready\n");
    fflush(stdout);

    char buffer[4096] __attribute__((aligned(8)));
    int fired = start;
    while (!fired) {
        struct pollfd ready = {notify, POLLIN, 0};
        int n = poll(&ready, 1, timeout);
        if (n == 0) return 3;
        if (n < 0) { if (errno == EINTR) continue; return fail("poll"); }
        ssize_t got = read(notify, buffer, sizeof buffer);
        if (got <= 0) continue;
        for (char *at = buffer; at < buffer + got;) {
            struct inotify_event *event = (struct inotify_event *)at;
            if ((event->mask & mask) && (!name || (event->len && !strcmp(event->name, name)))) fired = 1;
            at += sizeof *event + event->len;
        }
    }
    do {
    for (int i = first; first && i < argc; i++) {
        if (!strcmp(argv[i], "--exchange") && i + 2 < argc) {
            if (syscall(SYS_renameat2, AT_FDCWD, argv[i + 1], AT_FDCWD, argv[i + 2], RENAME_EXCHANGE) != 0) return fail("renameat2");
            i += 2;
        } else if (!strcmp(argv[i], "--rename") && i + 2 < argc) {
            if (rename(argv[i + 1], argv[i + 2]) != 0) return fail("rename");
            i += 2;
        } else if (!strcmp(argv[i], "--symlink") && i + 2 < argc) {
            if (symlink(argv[i + 1], argv[i + 2]) != 0) return fail("symlink");
            i += 2;
        } else if (!strcmp(argv[i], "--truncate") && i + 1 < argc) {
            if (truncate(argv[i + 1], 0) != 0) return fail("truncate");
            i += 1;
        } else {
            fprintf(stderr, "hostile-racer: unknown step %s\n", argv[i]);
            return 2;
        }
    }
    } while (spin);
    return 0;
}
