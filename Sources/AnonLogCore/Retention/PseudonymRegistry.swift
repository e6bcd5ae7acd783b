import Crypto
import Foundation

/// What anonlog has already pseudonymised with a key, so that nothing is pseudonymised twice
/// (issue 16): the SHA-256 of the decoded output of every pseudonymising rewrite
/// (`--in-place`, `-r`, a sweep's pseudonymise stage), one hex digest per line, in
/// `KEYFILE.digests` beside the key.
///
/// Why it holds: pseudonyms belong to a key, and every path that pseudonymises with a key
/// reads and writes the same list (the logrotate hook and a policy naming the same key file).
/// A file's decoded content does not change when logrotate renames or compresses it, so its
/// digest is found however it was moved since; a rewrite whose input is listed is dropped.
public final class PseudonymRegistry: @unchecked Sendable {
    // Guarded by `lock`: sweep workers and `-r` rewrite from several threads.
    private let lock = NSLock()
    private var digests: Set<String>
    private let directory: HeldDirectory
    private let name: EntryName
    /// The list's path, for messages.
    public let path: String

    /// Opens the list for the key at `keyPath` (a missing list is empty). Its directory must
    /// be one only root or the invoking user can write, as the key's is.
    public init(keyPath: String) throws {
        path = keyPath + ".digests"
        (directory, name) = try PathResolver.parent(of: path, create: true)
        try directory.requirePrivate(for: "pseudonym registry")
        let data = try PrivateFile.read(name, in: directory) ?? Data()
        digests = Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Whether content with `digest` is the output of an earlier pseudonymisation.
    public func contains(_ digest: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return digests.contains(digest)
    }

    /// Records `digest` (one `write` of one line, fsynced) before the rewrite it describes
    /// takes effect.
    public func add(_ digest: String) throws {
        lock.lock()
        defer { lock.unlock() }
        guard !digests.contains(digest) else { return }
        let fd = try directory.openPrivateFile(name, flags: O_WRONLY | O_APPEND, mode: 0o600, what: "pseudonym registry")
        defer { close(fd) }
        let line = Array((digest + "\n").utf8)
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw AnonLogError(.io, "\(path): cannot record a pseudonymised file (\(String(cString: strerror(errno)))); left as it was")
        }
        digests.insert(digest)
    }

    /// The lower-case hex form of a finished hash.
    static func hex(_ hash: SHA256) -> String {
        Hex.encode(Array(hash.finalize()))
    }
}
