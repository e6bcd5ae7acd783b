import CMapGuard

/// SIGTERM, SIGINT, SIGHUP (and SIGUSR1) for the streaming filter (SPEC.md, "Streams"): the
/// first stop signal makes the reader stop and the pipeline write everything read and finish
/// the compressed stream; a second SIGTERM or SIGINT makes the writer stop at once with the
/// output valid up to the last chunk written; with reopening, SIGHUP and SIGUSR1 make the
/// writer finish the output, reopen it and go on. A pipeline follows them when
/// `PipelineOptions.followsSignals` is set.
public enum StreamSignals {
    /// Installs the handlers (`StreamSignals.h`); `reopen`: SIGHUP/SIGUSR1 reopen the output.
    public static func install(reopen: Bool) throws {
        guard anonlog_stream_signals_install(reopen ? 1 : 0) == 0 else {
            throw AnonLogError(.internal, "cannot set up signal handling (no pipe)")
        }
    }

    /// The name of a signal number, for messages.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case 1: return "SIGHUP"
        case 2: return "SIGINT"
        case 10: return "SIGUSR1"
        case 15: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }
}
