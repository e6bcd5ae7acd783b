#if canImport(Glibc)
import Glibc
#endif

/// One directory entry's name as the kernel stores it: bytes, not necessarily UTF-8.
///
/// Names are kept as bytes so that a file called `kund-\xe5sa.log` is opened by its real name
/// instead of a lossy decoding of it; only messages show the decoded form.
public struct EntryName: Hashable, Sendable {
    /// The name's bytes followed by one NUL, ready for `openat` and friends.
    let terminated: [CChar]

    /// The name `string` (which must not contain `/`).
    public init(_ string: String) {
        terminated = Array(string.utf8CString)
    }

    /// The name held in `bytes` (no NUL inside).
    init(bytes: UnsafeRawBufferPointer) {
        var name = [CChar](repeating: 0, count: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { name[index] = CChar(bitPattern: byte) }
        terminated = name
    }

    /// The raw bytes, without the NUL.
    var bytes: [UInt8] { terminated.dropLast().map { UInt8(bitPattern: $0) } }

    /// The name for messages (invalid UTF-8 shown as U+FFFD).
    /// The name for messages, the audit log and the state file, lossless: valid UTF-8 as it is,
    /// every other byte as `\xHH` (and a backslash as `\\`), so `kund-\xe5sa.log` names the
    /// one file it is.
    public var display: String {
        if let text = String(validating: bytes, as: UTF8.self), !text.contains("\\") { return text }
        var out = ""
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, i + length <= bytes.count, let scalar = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out += scalar == "\\" ? "\\\\" : scalar
                i += length
            } else {
                out += String(format: "\\x%02x", lead)
                i += 1
            }
        }
        return out
    }

    /// `.` or `..`.
    var isDotOrDotDot: Bool { terminated == [46, 0] || terminated == [46, 46, 0] }

    /// Calls `body` with the NUL-terminated name.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try terminated.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Whether one of the globs (`--exclude`, a rule's `exclude`) matches this name or `path`.
    func isExcluded(by patterns: [String], path: String) -> Bool {
        guard !patterns.isEmpty else { return false }
        return patterns.contains { pattern in withCString { fnmatch(pattern, $0, 0) == 0 } || fnmatch(pattern, path, 0) == 0 }
    }

    /// The names `HeldDirectory.createTempFile` gives: `.NAME.anonlog-XXXXXX`.
    static let tempNamePattern = ".*.anonlog-??????"

    /// Whether this is a temp file of a rewrite (a killed one leaves it behind).
    var isRewriteTemp: Bool { matches(Self.tempNamePattern) }

    /// Whether this is a rewrite temp file of `original` (`.ORIGINAL.anonlog-XXXXXX`, the
    /// name `HeldDirectory.createTempFile` makes for it).
    func isRewriteTemp(of original: EntryName) -> Bool {
        let stem = [UInt8(ascii: ".")] + Array(original.bytes.prefix(200)) + Array(".anonlog-".utf8)
        return bytes.count == stem.count + 6 && Array(bytes.prefix(stem.count)) == stem
    }

    /// Whether the shell glob `pattern` matches this name (a leading dot only explicitly, as
    /// glob(3) does).
    func matches(_ pattern: String) -> Bool {
        withCString { fnmatch(pattern, $0, FNM_PERIOD) == 0 }
    }
}
