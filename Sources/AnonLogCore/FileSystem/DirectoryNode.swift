import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A directory met by a walk or a glob, remembered by identity so that its files can be opened
/// later, from another thread, without resolving a path again.
///
/// A node keeps its directory open while the walk's descriptor budget lasts (`HandleBudget`);
/// past that it reopens the directory from its parent with `O_NOFOLLOW` and requires the same
/// device and inode, so a directory swapped for a symlink after the walk is refused, not
/// followed.
public final class DirectoryNode: @unchecked Sendable {
    // `parent`, `name`, `identity` and `path` are immutable; `held` is guarded by `lock`.
    private let parent: DirectoryNode?
    private let name: EntryName?
    /// The directory's device and inode when it was listed.
    public let identity: FileIdentity
    /// The path for messages.
    public let path: String
    private let lock = NSLock()
    private var held: HeldDirectory?

    /// A root: a directory the operator named, held for the node's life.
    init(root: HeldDirectory) {
        parent = nil
        name = nil
        identity = root.identity
        path = root.path
        held = root
    }

    /// The subdirectory `name` of `parent`, opened as `directory`; kept open if `budget` allows.
    init(parent: DirectoryNode, name: EntryName, directory: HeldDirectory, budget: HandleBudget) {
        self.parent = parent
        self.name = name
        identity = directory.identity
        path = directory.path
        held = budget.take() ? directory : nil
    }

    /// The directory, open: the held descriptor, or a fresh `O_NOFOLLOW` open from the parent
    /// that must be the same directory.
    func open() throws -> HeldDirectory {
        lock.lock()
        let kept = held
        lock.unlock()
        if let kept { return kept }
        guard let parent, let name else { throw AnonLogError(.internal, "\(path): a root directory was not held") }
        return try parent.open().subdirectory(name, expected: identity)
    }
}

/// How many directory descriptors a walk keeps open (the rest are reopened when needed), so a
/// tree of a million directories cannot run the process out of descriptors.
final class HandleBudget: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var left: Int

    /// A budget of `count` descriptors, at most a quarter of the process's descriptor limit
    /// (the rest is for the files being read and written, and the pipeline's threads).
    init(_ count: Int = 256) {
        var limit = rlimit()
        let soft = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        left = max(0, min(count, soft / 4))
    }

    /// Takes one descriptor from the budget; false when it is spent.
    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard left > 0 else { return false }
        left -= 1
        return true
    }
}

/// A file a walk or a glob found: its directory, its name and the identity it had then.
public struct PlannedFile: Sendable {
    /// The directory holding it.
    public let directory: DirectoryNode
    /// Its name in that directory.
    public let name: EntryName
    /// Device and inode when found; opening requires the same.
    public let identity: FileIdentity
    /// The path for messages and reports.
    public let path: String
    /// Size and mtime (seconds) when found.
    public let size: Int, mtime: Int

    /// Opens the file for reading: the planned file, or an error naming what changed.
    func open() throws -> OpenedFile {
        try directory.open().openFile(name, expected: identity)
    }
}

/// A path a walk or a glob left out, and why (reported, never silent).
public struct SkippedPath: Sendable {
    /// The path.
    public let path: String
    /// Why, e.g. "symbolic link, not followed".
    public let reason: String
}
