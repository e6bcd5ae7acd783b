import Foundation

/// The sweep's audit trail: one JSON line per action, appended with a single `write` (atomic
/// for lines this short on local file systems) and fsynced. Never a raw value.
final class AuditLog: @unchecked Sendable {
    // Guarded by `lock`; appends come from several sweep workers.
    private let lock = NSLock()
    private let fd: Int32
    private let path: String

    /// Opens (or creates, mode 0640) the log in its held directory, which only root or the
    /// invoking user may write; a symlink or special file there is refused.
    init(path: String) throws {
        self.path = path
        let (directory, name) = try PathResolver.parent(of: path, create: true)
        try directory.requirePrivate(for: "audit log")
        let fd = try directory.openPrivateFile(name, flags: O_WRONLY | O_APPEND, mode: 0o640, what: "audit log")
        self.fd = fd
    }

    deinit { close(fd) }

    /// The first failure: once a record could not be written, every later append fails too,
    /// so the sweep takes no further action it could not record.
    private var failure: AnonLogError?

    /// Appends one record with one `write`; throws when it cannot be written whole (a full
    /// disk, a file size limit), after cutting off the part that was written, so the log
    /// never holds half a record.
    func append(_ fields: [(String, String)]) throws {
        let body = fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        let line = Array(("{" + body + "}\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        let end = lseek(fd, 0, SEEK_END)
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let code = errno
        guard written == line.count else {
            if written > 0 && end >= 0 { _ = ftruncate(fd, end) }
            let error = AnonLogError(.io, "\(path): cannot write the audit log (\(written < 0 ? String(cString: strerror(code)) : "short write")); stopped before any further action")
            failure = error
            throw error
        }
        guard fsync(fd) == 0 else {
            let error = AnonLogError.posix("\(path): cannot write the audit log", errno: errno)
            failure = error
            throw error
        }
    }
}
