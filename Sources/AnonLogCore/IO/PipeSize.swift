#if canImport(Glibc)
import Glibc
#endif

/// Enlarges pipe buffers: through the default 64 KiB pipe, writer and reader wait for each
/// other every 64 KiB, sixteen times as often as through a 1 MiB one (SPEC.md).
enum PipeSize {
    /// Linux `F_SETPIPE_SZ` (not exported by Glibc's Swift overlay).
    private static let setPipeSize: Int32 = 1031

    /// Raises `fd`'s pipe buffer to the system maximum when `fd` is a pipe; best effort.
    static func enlarge(_ fd: Int32) {
        #if os(Linux)
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { return }
        var size: Int32 = 1 << 20
        if let text = try? String(contentsOfFileNoFoundation: "/proc/sys/fs/pipe-max-size"),
           let max = Int32(text) {
            size = max
        }
        _ = fcntl(fd, setPipeSize, size)
        #endif
    }
}

extension String {
    /// Reads a small text file (first line, trimmed) with plain POSIX calls.
    init?(contentsOfFileNoFoundation path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &bytes, bytes.count)
        guard n > 0 else { return nil }
        let line = bytes[0..<n].prefix { $0 != UInt8(ascii: "\n") }
        self = String(decoding: line, as: UTF8.self)
    }
}
