// MapGuard.h: a fixed table of registered ranges, read by the SIGBUS handler.
//
// The handler may only call async-signal-safe functions (write, unlinkat, pause, _exit), so every
// message and path is copied into the table when it is registered. Slots are claimed with an
// atomic compare-and-swap: scans of several files map and unmap from several threads at once.
#define _GNU_SOURCE
#include "MapGuard.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

enum { SLOTS = 64, TEXT = 1024 };

enum { FREE, CLAIMED, READY };

typedef struct {
    _Atomic int state;
    uintptr_t start, end;
    char text[TEXT];   // the message for a mapping, the name for a temp file
    size_t length;
    int directory;     // a temp file's held directory descriptor
} Slot;

static Slot mappings[SLOTS];
static Slot temps[SLOTS];
static pthread_once_t installed = PTHREAD_ONCE_INIT;

/// Set by the first thread that reports a fatal signal. Two threads can fault on one truncated
/// mapping at once (a worker and the writer's seam check), and each wrote the line: any later
/// one now waits in `pause` for the first one's `_exit`, which ends every thread.
static _Atomic int reporting;

/// Whether this thread is the one to report (and exit); otherwise it never returns.
static void claim_report(void) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&reporting, &expected, 1)) return;
    for (;;) pause();
}

static void on_sigbus(int signal, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    const Slot *hit = 0;
    for (int i = 0; i < SLOTS && !hit; i++) {
        const Slot *slot = &mappings[i];
        if (atomic_load(&slot->state) == READY && address >= slot->start && address < slot->end) hit = slot;
    }
    if (!hit) {
        // Not a file we mapped: let the default action report it.
        struct sigaction fallback;
        memset(&fallback, 0, sizeof fallback);
        fallback.sa_handler = SIG_DFL;
        sigaction(signal, &fallback, 0);
        raise(signal);
        return;
    }
    claim_report();
    ssize_t ignored = write(STDERR_FILENO, hit->text, hit->length);
    (void)ignored;
    for (int i = 0; i < SLOTS; i++) {
        if (atomic_load(&temps[i].state) == READY) unlinkat(temps[i].directory, temps[i].text, 0);
    }
    _exit(2);
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, 0);
}

/// A fault in our own code (a Swift trap is SIGILL or SIGTRAP): one line, the registered temp
/// files removed, exit 3. Replaces the Swift runtime's backtracer, whose register and memory
/// dump can hold log bytes, which are personal data.
static void on_fault(int signal) {
    claim_report();
    static const char prefix[] = "anonlog: internal fault (signal ";
    char text[96];
    size_t n = sizeof prefix - 1;
    memcpy(text, prefix, n);
    if (signal >= 10) text[n++] = (char)('0' + signal / 10);
    text[n++] = (char)('0' + signal % 10);
    static const char suffix[] = "); stopped, nothing more written; please report it\n";
    memcpy(text + n, suffix, sizeof suffix - 1);
    n += sizeof suffix - 1;
    ssize_t ignored = write(STDERR_FILENO, text, n);
    (void)ignored;
    for (int i = 0; i < SLOTS; i++) {
        if (atomic_load(&temps[i].state) == READY) unlinkat(temps[i].directory, temps[i].text, 0);
    }
    _exit(3);
}

void anonlog_crash_guard_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_fault;
    sigemptyset(&action.sa_mask);
    int signals[] = { SIGILL, SIGTRAP, SIGSEGV, SIGFPE, SIGABRT };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, 0);
    pthread_once(&installed, install);
}

/// Claims a free slot of `table` for the caller to fill and publish; -1 when none is free.
static int claim(Slot *table) {
    for (int i = 0; i < SLOTS; i++) {
        int expected = FREE;
        if (atomic_compare_exchange_strong(&table[i].state, &expected, CLAIMED)) return i;
    }
    return -1;
}

/// Appends `text` to the slot's text, truncated to fit (leaving room for a newline).
static void append(Slot *slot, const char *text) {
    size_t room = TEXT - 2 - slot->length;
    size_t n = strlen(text);
    if (n > room) n = room;
    memcpy(slot->text + slot->length, text, n);
    slot->length += n;
}

int anonlog_map_guard_add(const void *start, size_t length, const char *name) {
    pthread_once(&installed, install);
    int i = claim(mappings);
    if (i < 0) return -1;
    Slot *slot = &mappings[i];
    slot->start = (uintptr_t)start;
    slot->end = (uintptr_t)start + length;
    slot->length = 0;
    append(slot, "anonlog: ");
    append(slot, name);
    append(slot, ": the file shrank while it was being read (truncated, e.g. by copytruncate rotation); "
                 "the output is incomplete\n");
    if (slot->text[slot->length - 1] != '\n') slot->text[slot->length++] = '\n';
    atomic_store(&slot->state, READY);
    return i;
}

void anonlog_map_guard_remove(int handle) {
    if (handle >= 0 && handle < SLOTS) atomic_store(&mappings[handle].state, FREE);
}

int anonlog_map_guard_add_temp(int directory, const char *name) {
    int i = claim(temps);
    if (i < 0) return -1;
    Slot *slot = &temps[i];
    slot->directory = directory;
    size_t n = strlen(name);
    if (n >= TEXT) {
        // A name this long cannot be stored whole; better not to unlink a prefix of it.
        atomic_store(&slot->state, FREE);
        return -1;
    }
    memcpy(slot->text, name, n + 1);
    slot->length = n;
    atomic_store(&slot->state, READY);
    return i;
}

void anonlog_map_guard_remove_temp(int handle) {
    if (handle >= 0 && handle < SLOTS) atomic_store(&temps[handle].state, FREE);
}
