#define _GNU_SOURCE
#include "StreamSignals.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static atomic_int stop_level;
static atomic_int stop_signal;
static atomic_uint reopen_count;
static int reopen_enabled;
static int wake_read = -1, wake_write = -1;

static void wake(void) {
    if (wake_write >= 0) {
        char byte = 1;
        // Non-blocking: a full pipe already wakes the reader.
        ssize_t ignored = write(wake_write, &byte, 1);
        (void)ignored;
    }
}

void anonlog_stream_request_stop(int level, int signal) {
    int current = atomic_load(&stop_level);
    while (current < level && !atomic_compare_exchange_weak(&stop_level, &current, level)) {}
    if (current < level) atomic_store(&stop_signal, signal);
    wake();
}

static void on_signal(int signal) {
    int saved = errno;
    if (reopen_enabled && (signal == SIGHUP || signal == SIGUSR1)) {
        atomic_fetch_add(&reopen_count, 1);
        wake();
    } else if (signal == SIGHUP) {
        anonlog_stream_request_stop(1, signal);
    } else {
        // SIGTERM or SIGINT: the first drains, the next stops at once.
        anonlog_stream_request_stop(atomic_load(&stop_level) == 0 ? 1 : 2, signal);
    }
    errno = saved;
}

int anonlog_stream_signals_install(int reopen) {
    if (wake_read < 0) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
        wake_read = fds[0];
        wake_write = fds[1];
    }
    reopen_enabled = reopen;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    // Interrupted system calls restart: the reader waits in poll on the wake pipe instead.
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, 0);
    sigaction(SIGINT, &action, 0);
    sigaction(SIGHUP, &action, 0);
    if (reopen) sigaction(SIGUSR1, &action, 0);
    // A parent may start us with these blocked (a blocked mask is inherited across exec):
    // unblock them on this thread before the pipeline's threads start and inherit its mask.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGHUP);
    if (reopen) sigaddset(&wanted, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &wanted, 0);
    return 0;
}

int anonlog_stream_signals_installed(void) { return wake_read >= 0; }

int anonlog_stream_stop_level(void) { return atomic_load(&stop_level); }

int anonlog_stream_stop_signal(void) { return atomic_load(&stop_signal); }

unsigned anonlog_stream_reopen_count(void) { return atomic_load(&reopen_count); }

int anonlog_stream_wake_fd(void) { return wake_read; }

void anonlog_stream_drain_wake(void) {
    if (wake_read < 0) return;
    char buffer[64];
    while (read(wake_read, buffer, sizeof buffer) > 0) {}
}
