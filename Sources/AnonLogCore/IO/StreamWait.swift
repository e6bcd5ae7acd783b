#if canImport(Glibc)
import Glibc
#endif

/// Waiting on a pipe for input, a signal's wake-up byte, or a deadline (`ChunkReader`).
enum StreamWait {
    /// What ended the wait.
    enum Outcome {
        /// The input has bytes (or its end) to read.
        case readable
        /// The wake pipe has a byte, or the wait was interrupted: look at the signal flags.
        case woken
        /// The timeout passed with neither.
        case timeout
    }

    /// Waits until `input` is readable, `wake` (-1: none) is readable, or `timeout`
    /// milliseconds pass (-1: no limit).
    static func wait(input: Int32, wake: Int32, timeout: Int32) -> Outcome {
        var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        let count: nfds_t = wake >= 0 ? 2 : 1
        let ready = poll(&fds, count, timeout)
        // EINTR: a signal arrived. Any other failure: let the read report it, not spin here.
        if ready < 0 { return errno == EINTR ? .woken : .readable }
        if ready == 0 { return .timeout }
        if wake >= 0 && fds[1].revents != 0 { return .woken }
        return .readable
    }
}
