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

    /// Reads and validates a key file: opened once (`PathResolver`: a symlink only when root or
    /// the invoking user owns it), a regular file owned by root or the invoking user (whoever
    /// owns a key can read or swap it), not readable by group or others, exactly 64 hex digits
    /// (and a newline).
    public static func read(_ path: String) throws -> KeyFile {
        let file: OpenedFile
        do {
            file = try PathResolver.openForReading(path)
        } catch let error as AnonLogError {
            throw AnonLogError(.usage, "\(error.message) (cannot read the key file)", remedy: .createKey(path: path))
        }
        let info = file.info
        guard info.isRegular else { throw AnonLogError(.usage, "\(path): the key file is \(info.kindDescription), not a regular file") }
        guard Trust.isTrustedOwner(info.st_uid) else {
            throw AnonLogError(.usage, "\(path): the key file is owned by uid \(info.st_uid), not by you or root; whoever owns a key can read or replace it")
        }
        if info.st_mode & 0o077 != 0 {
            throw AnonLogError(.usage, "\(path): the key file is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run 'chmod 600 \(path)'")
        }
        var text = [UInt8](repeating: 0, count: 130)
        var count = 0
        while count < text.count {
            let n = text.withUnsafeMutableBytes { Glibc.read(file.fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw AnonLogError(.usage, "\(path): cannot read the key file: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        text.removeLast(text.count - count)
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
        let (directory, name) = try PathResolver.parent(of: path, create: true)
        let text = Data((Hex.encode(key) + "\n").utf8)
        if overwrite {
            // A new file renamed over the old one: never written through a planted link.
            try PrivateFile.replace(name, in: directory, with: text)
            return
        }
        let fd = name.withCString { openat(directory.fd, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard fd >= 0 else {
            if errno == EEXIST {
                throw AnonLogError(.usage, "\(path): a key already exists (replacing it means old pseudonyms no longer match)",
                                   remedy: .replaceExistingKey)
            }
            throw AnonLogError(.io, "\(path): cannot write the key: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        guard text.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == text.count, fsync(fd) == 0 else {
            throw AnonLogError(.io, "\(path): cannot write the key: \(String(cString: strerror(errno)))")
        }
        directory.sync()
    }
}
