#if canImport(Glibc)
import Glibc
#endif

/// Expands a policy's path globs (`/srv/sites/*/logs/*.log`) through held directories.
///
/// The part before the first wildcard is the operator's own path and is resolved by
/// `PathResolver` (a symlink there is followed when root or the invoking user owns it). Below
/// it, every component is matched against the listing of a held directory and entered with
/// `O_NOFOLLOW`: a customer's `logs -> /somewhere/else` is skipped and reported, not followed,
/// and so is a symlink where a file was expected.
struct GlobExpander {
    /// What the expansions found.
    struct Result {
        /// Regular files, in the order found.
        var files: [PlannedFile] = []
        /// Paths left out, with the reason.
        var skipped: [SkippedPath] = []
        /// Directories whose entries were matched as files (where temp files of an earlier,
        /// killed run may be left).
        var fileDirectories: [DirectoryNode] = []
        /// One line per pattern whose fixed part could not be opened (other than missing).
        var errors: [String] = []
    }

    private(set) var result = Result()
    private var roots: [String: DirectoryNode] = [:]
    private var seenDirectories = Set<FileIdentity>()
    private let budget = HandleBudget()

    /// Adds the matches of `pattern`.
    mutating func expand(_ pattern: String) {
        var parts = PathResolver.components(of: pattern)
        guard !parts.isEmpty else { return }
        let fixedCount = parts.firstIndex { Self.isWildcard($0) } ?? (parts.count - 1)
        let fixed = parts[0..<fixedCount].map(\.display).joined(separator: "/")
        let fixedPath = pattern.hasPrefix("/") ? "/" + fixed : (fixed.isEmpty ? "." : fixed)
        parts.removeFirst(fixedCount)
        let root: DirectoryNode
        if let known = roots[fixedPath] {
            root = known
        } else {
            do {
                root = DirectoryNode(root: try PathResolver.directory(fixedPath))
            } catch let error as AnonLogError {
                // A missing directory matches nothing, as glob(3) would have it.
                if !error.message.hasSuffix(String(cString: strerror(ENOENT))) { result.errors.append(error.message) }
                return
            } catch {
                return
            }
            roots[fixedPath] = root
        }
        do {
            try match(parts[...], in: root, held: try root.open())
        } catch let error as AnonLogError {
            result.errors.append(error.message)
        } catch {
            result.errors.append("\(pattern): \(error)")
        }
    }

    /// Matches `parts` below `held`.
    private mutating func match(_ parts: ArraySlice<EntryName>, in node: DirectoryNode, held: HeldDirectory) throws {
        guard let first = parts.first else { return }
        let last = parts.count == 1
        let candidates: [EntryName]
        if Self.isWildcard(first) {
            let pattern = first.display
            candidates = try held.names().filter { $0.matches(pattern) }.sorted { $0.terminated.lexicographicallyPrecedes($1.terminated) }
        } else {
            candidates = [first]
        }
        if last && seenDirectories.insert(held.identity).inserted { result.fileDirectories.append(node) }
        for name in candidates {
            guard let info = held.status(of: name) else { continue }
            let path = held.path(of: name)
            if info.isSymlink {
                result.skipped.append(SkippedPath(path: path, reason: last ? "symbolic link where a file was expected; not followed"
                                                                      : "symbolic link where a directory was expected; not followed"))
                continue
            }
            if last {
                if info.isRegular {
                    result.files.append(PlannedFile(directory: node, name: name, identity: FileIdentity(info), path: path,
                                                    size: Int(info.st_size), mtime: Int(info.st_mtim.tv_sec)))
                } else if !info.isDirectory {
                    result.skipped.append(SkippedPath(path: path, reason: "\(info.kindDescription), not a regular file"))
                }
            } else if info.isDirectory {
                do {
                    let child = try held.subdirectory(name, expected: FileIdentity(info))
                    try match(parts.dropFirst(), in: DirectoryNode(parent: node, name: name, directory: child, budget: budget), held: child)
                } catch let error as AnonLogError {
                    result.errors.append(error.message)
                }
            }
        }
    }

    /// Whether a component holds a glob wildcard.
    static func isWildcard(_ name: EntryName) -> Bool {
        name.terminated.contains { $0 == 42 || $0 == 63 || $0 == 91 }  // * ? [
    }
}
