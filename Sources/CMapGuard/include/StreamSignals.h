// Signals for a streaming filter (a piped logger): SIGTERM, SIGINT and SIGHUP ask it to stop
// reading and write everything it read; a second one asks it to stop at once (and if the
// output is blocked, an alarm ends the process two seconds later); SIGUSR1 asks it to reopen
// its output (with reopening enabled, SIGHUP too), or without that to write what it read.
// A signal ignored when the process started (nohup, a background job) stays ignored.
//
// The handler only sets flags and writes a byte to a pipe (both async-signal-safe); the reader
// polls that pipe beside its input, so a blocked read wakes up, and the threads act on the
// flags at their next step.
#ifndef ANONLOG_STREAM_SIGNALS_H
#define ANONLOG_STREAM_SIGNALS_H

/// Installs the handlers; with `reopen`, SIGHUP and SIGUSR1 request a reopen instead of a stop.
/// Returns 0, or -1 when the wake pipe cannot be made.
int anonlog_stream_signals_install(int reopen);

/// 0: run on; 1: stop reading and drain; 2: stop at once (a second SIGTERM or SIGINT).
int anonlog_stream_stop_level(void);

/// The signal that asked for the stop (or the last one that escalated it), 0 if none.
int anonlog_stream_stop_signal(void);

/// How many reopen requests have arrived so far.
unsigned anonlog_stream_reopen_count(void);

/// The read end of the wake pipe (readable after any of the signals), -1 when not installed.
int anonlog_stream_wake_fd(void);

/// Empties the wake pipe.
void anonlog_stream_drain_wake(void);

#endif
