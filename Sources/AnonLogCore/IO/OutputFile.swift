#if canImport(Glibc)
import Glibc
#endif

/// A raw byte sink (a file descriptor) that writes everything or throws a clear error.
final class OutputFile {
    /// The name used in error messages ("stdout" for standard output).
    let name: String
    private var fd: Int32
    /// Bytes written so far (for `--stats`).
    private(set) var bytesWritten = 0

    /// Wraps `fd`; enlarges its pipe buffer when it is a pipe.
    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
        PipeSize.enlarge(fd)
    }

    /// Writes to `fd` from now on (a reopened `-o FILE`; the caller closed the old one).
    func replace(descriptor fd: Int32) {
        self.fd = fd
        PipeSize.enlarge(fd)
    }

    /// Writes all of `bytes`, retrying short writes; EPIPE becomes a quiet `.brokenPipe`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Glibc.write(fd, pointer, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw AnonLogError.posix("writing \(name)", errno: errno)
            }
            pointer += n
            remaining -= n
            bytesWritten += n
        }
    }
}
