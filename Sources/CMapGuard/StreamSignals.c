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
static atomic_int stop_count;
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

/// Raises the stop level to `level` (never lowers it), remembering the signal that did.
static void request_stop(int level, int signal) {
    int current = atomic_load(&stop_level);
    while (current < level && !atomic_compare_exchange_weak(&stop_level, &current, level)) {}
    if (current < level) atomic_store(&stop_signal, signal);
    wake();
}

/// The second stop signal's promise is "at once": if the writer is stuck (a stalled pipe
/// downstream), this alarm ends the process two seconds later.
static void on_alarm(int signal) {
    (void)signal;
    static const char text[] = "anonlog: stopped by a second signal while the output was blocked; the output may end mid-line\n";
    ssize_t ignored = write(STDERR_FILENO, text, sizeof text - 1);
    (void)ignored;
    _exit(128 + atomic_load(&stop_signal));
}

static void on_signal(int signal) {
    int saved = errno;
    if (signal == SIGUSR1 || (reopen_enabled && signal == SIGHUP)) {
        // Reopen the output (with --append -o), or at least write what was read.
        atomic_fetch_add(&reopen_count, 1);
        wake();
    } else {
        // SIGTERM, SIGINT, SIGHUP: the first drains, the next stops at once.
        int previous = atomic_fetch_add(&stop_count, 1);
        request_stop(previous == 0 ? 1 : 2, signal);
        if (previous > 0) alarm(2);
    }
    errno = saved;
}

/// Installs `action` for `signal` unless the signal was ignored when we started (`nohup`, a
/// shell's background job): a convention the process must keep.
static void install_unless_ignored(int signal, const struct sigaction *action) {
    struct sigaction old;
    if (sigaction(signal, 0, &old) == 0 && old.sa_handler == SIG_IGN) return;
    sigaction(signal, action, 0);
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
    install_unless_ignored(SIGTERM, &action);
    install_unless_ignored(SIGINT, &action);
    install_unless_ignored(SIGHUP, &action);
    install_unless_ignored(SIGUSR1, &action);
    struct sigaction alarm_action = action;
    alarm_action.sa_handler = on_alarm;
    sigaction(SIGALRM, &alarm_action, 0);
    // A parent may start us with these blocked (a blocked mask is inherited across exec):
    // unblock them on this thread before the pipeline's threads start and inherit its mask.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGUSR1);
    sigaddset(&wanted, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &wanted, 0);
    return 0;
}

int anonlog_stream_stop_level(void) { return atomic_load(&stop_level); }

int anonlog_stream_stop_signal(void) { return atomic_load(&stop_signal); }

unsigned anonlog_stream_reopen_count(void) { return atomic_load(&reopen_count); }

int anonlog_stream_wake_fd(void) { return wake_read; }

void anonlog_stream_drain_wake(void) {
    if (wake_read < 0) return;
    char buffer[64];
    while (read(wake_read, buffer, sizeof buffer) > 0) {}
}
