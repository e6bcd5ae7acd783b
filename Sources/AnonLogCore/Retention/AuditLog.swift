import Foundation

/// The sweep's audit trail: one JSON line per action, appended with a single `write` (atomic
/// for lines this short on local file systems) and fsynced. Never a raw value.
final class AuditLog: @unchecked Sendable {
    // Guarded by `lock`; appends come from several sweep workers.
    private let lock = NSLock()
    private let fd: Int32

    init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw AnonLogError.posix("\(path): cannot open the audit log", errno: errno) }
    }

    deinit { close(fd) }

    /// Appends one record.
    func append(_ fields: [(String, String)]) {
        let body = fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        let line = Array(("{" + body + "}\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
    }
}

/// JSON string literals: quotes, backslashes and control characters escaped.
public enum JSONText {
    /// `text` as a JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
