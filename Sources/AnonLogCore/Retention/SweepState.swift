import Foundation

/// What the sweeps did to which file: stage by (device, inode), so a file renamed by logrotate
/// is still recognised; the recorded mtime guards against a reused inode. Written atomically
/// (temp file, fsync, rename) after every change.
final class SweepState: @unchecked Sendable {
    /// One file's record.
    struct Entry: Codable {
        var stage: String
        var path: String
        var mtime: Int
    }

    // Guarded by `lock`: sweep workers record results from several threads.
    private let lock = NSLock()
    private var entries: [String: Entry]
    private let path: String

    /// Loads `path` (empty when it does not exist yet).
    init(path: String) throws {
        self.path = path
        if let data = FileManager.default.contents(atPath: path) {
            do {
                entries = try JSONDecoder().decode([String: Entry].self, from: data)
            } catch {
                throw AnonLogError(.usage, "\(path): the state file is not valid JSON; move it away to start afresh")
            }
        } else {
            entries = [:]
        }
    }

    static func key(device: UInt64, inode: UInt64) -> String { "\(device):\(inode)" }

    /// The recorded stage of the file with this identity and mtime, raw if none.
    func stage(device: UInt64, inode: UInt64, mtime: Int) -> Stage {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[Self.key(device: device, inode: inode)], entry.mtime == mtime else { return .raw }
        return Stage.allCases.first { $0.name == entry.stage } ?? .raw
    }

    /// Records `stage` for an identity (nil removes it) and saves.
    func record(device: UInt64, inode: UInt64, _ entry: Entry?) throws {
        lock.lock()
        defer { lock.unlock() }
        entries[Self.key(device: device, inode: inode)] = entry
        try save()
    }

    /// Drops records of files that no longer exist, then saves.
    func prune(existing: Set<String>) throws {
        lock.lock()
        defer { lock.unlock() }
        entries = entries.filter { existing.contains($0.key) }
        try save()
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(entries)
        try AtomicFile.write(data, to: path)
    }
}

/// Small files replaced atomically: temp file in the same directory, fsync, rename, fsync dir.
enum AtomicFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AnonLogError.posix("\(path): cannot write", errno: errno) }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp, path) == 0 else {
            unlink(temp)
            throw AnonLogError.posix("\(path): cannot write", errno: errno)
        }
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }
}
