import Foundation

/// The 256-bit secret behind every pseudonym (SPEC.md, "Keys and pseudonyms, exactly"): a
/// file holding 64 lowercase hex digits and a newline, readable by its owner only.
public struct KeyFile: Sendable {
    /// The 32 key bytes.
    public let bytes: [UInt8]
    /// Where the key came from (for messages; never the key itself).
    public let path: String

    /// Where the key is looked for: `--key-file`, else `$ANONLOG_KEY_FILE`, else
    /// `$XDG_CONFIG_HOME/anonlog/key`, else `/etc/anonlog/key` for root and
    /// `~/.config/anonlog/key` for other users.
    public static func resolvePath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (path: String, isDefault: Bool)
    {
        if let explicit { return (explicit, false) }
        if let fromEnvironment = environment["ANONLOG_KEY_FILE"], !fromEnvironment.isEmpty { return (fromEnvironment, false) }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return (xdg + "/anonlog/key", true) }
        if geteuid() == 0 { return ("/etc/anonlog/key", true) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home + "/.config/anonlog/key", true)
    }

    /// Loads the key at `path`; the default file is created (mode 0600, with a one-line
    /// notice on stderr through `notice`) when it does not exist yet.
    public static func load(path: String, createIfMissing: Bool, notice: (String) -> Void) throws -> KeyFile {
        if createIfMissing && !FileManager.default.fileExists(atPath: path) {
            try write(newKey(), to: path, overwrite: false)
            notice("anonlog: created a new key in \(path) (keep it secret and backed up: pseudonyms depend on it)")
        }
        return try read(path)
    }

    /// Reads and validates a key file: exactly 64 hex digits (and a newline), not readable by
    /// group or others.
    public static func read(_ path: String) throws -> KeyFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AnonLogError(.usage, "\(path): cannot read the key file: \(String(cString: strerror(errno))) (create one with 'anonlog keygen -o \(path)')")
        }
        if info.st_mode & 0o077 != 0 {
            throw AnonLogError(.usage, "\(path): the key file is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run 'chmod 600 \(path)'")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnonLogError(.usage, "\(path): cannot read the key file")
        }
        var text = Array(data)
        if text.last == UInt8(ascii: "\n") { text.removeLast() }
        guard text.count == 64, let bytes = Hex.decode(text) else {
            throw AnonLogError(.usage, "\(path): not an anonlog key (expected 64 hex digits and a newline)")
        }
        return KeyFile(bytes: bytes, path: path)
    }

    /// 32 bytes from the system's secure random source.
    public static func newKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Writes `key` as 64 hex digits and a newline, mode 0600, creating the directory; refuses
    /// to replace an existing file unless `overwrite`.
    public static func write(_ key: [UInt8], to path: String, overwrite: Bool) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw AnonLogError(.usage, "\(path): a key already exists; use --force to replace it (old pseudonyms will no longer match)") }
            throw AnonLogError(.io, "\(path): cannot write the key: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let text = Array((Hex.encode(key) + "\n").utf8)
        guard text.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == text.count, fsync(fd) == 0 else {
            throw AnonLogError(.io, "\(path): cannot write the key: \(String(cString: strerror(errno)))")
        }
    }
}

/// Lowercase hex.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        var i = 0
        while i < text.count {
            guard let high = value(text[i]), let low = value(text[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
