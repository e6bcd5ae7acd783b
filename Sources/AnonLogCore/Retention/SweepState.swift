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
    private let directory: HeldDirectory
    private let name: EntryName
    /// Set when a corrupt state file was kept aside and the state rebuilt (one line).
    private(set) var recovery: String?

    /// Loads `path` (empty when it does not exist yet) from its held directory, which only root
    /// or the invoking user may write; the file is opened `O_NOFOLLOW`.
    /// A corrupt file is set aside only when `repair` (a dry run reads it as empty and says so).
    init(path: String, repair: Bool = true) throws {
        self.path = path
        let (directory, name) = try PathResolver.parent(of: path, create: true)
        (self.directory, self.name) = (directory, name)
        try directory.requirePrivate(for: "state file")
        if let data = try PrivateFile.read(name, in: directory) {
            do {
                entries = try JSONDecoder().decode([String: Entry].self, from: data)
            } catch {
                // Kept aside and rebuilt: deletions by age need no state, and the pseudonym
                // registry, not the state, keeps files from being pseudonymised twice.
                guard repair else {
                    recovery = "\(path): the state file is not valid JSON; a real sweep keeps it aside and rebuilds it"
                    entries = [:]
                    return
                }
                let aside = try directory.setAside(name, label: "corrupt", expected: nil)
                recovery = "\(path): the state file was not valid JSON; kept as \(directory.path(of: aside)) and rebuilt"
                entries = [:]
            }
        } else {
            entries = [:]
        }
    }

    /// The recorded stage of the file with this identity and mtime, raw if none.
    func stage(of identity: FileIdentity, mtime: Int) -> Stage {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[identity.description], entry.mtime == mtime else { return .raw }
        return Stage.allCases.first { $0.name == entry.stage } ?? .raw
    }

    /// Records `new` (the rewritten file's identity and stage), runs `free` (the rename or
    /// unlink that frees `old`'s inode) and drops `old`'s record, all under the lock and in
    /// that order. Another worker's temp file can get the freed inode at once; holding the
    /// lock until `old` is dropped means that worker's record comes after, not before, and is
    /// never the one dropped. If `free` fails, `new`'s record goes again.
    func move(from old: FileIdentity, to new: (identity: FileIdentity, entry: Entry)?, around free: () throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        if let new {
            entries[new.identity.description] = new.entry
            try save()
        } else {
            // Nothing to add (a deletion): still prove the state can be written before the
            // file goes, so a sweep that cannot keep its state deletes nothing.
            try save()
        }
        do {
            try free()
        } catch {
            if let new {
                entries[new.identity.description] = nil
                try? save()
            }
            throw error
        }
        entries[old.description] = nil
        try save()
    }

    /// Records `entry` for the file `identity` as it is (no rewrite), then saves.
    func set(_ identity: FileIdentity, _ entry: Entry) throws {
        lock.lock()
        defer { lock.unlock() }
        entries[identity.description] = entry
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
        try PrivateFile.replace(name, in: directory, with: data)
    }
}
