#if canImport(Glibc)
import Glibc
#endif

/// Expands the paths given to `scan` and `--in-place -r` into the regular files to read,
/// sorted by path, walking directories through held descriptors (`HeldDirectory`).
///
/// A directory is entered with `O_NOFOLLOW` relative to its parent and listed through its own
/// descriptor; a symlink met inside a tree is skipped and reported, never followed (unless
/// `-L`, and then only a link owned by root or the invoking user). Names are bytes, so a file
/// whose name is not UTF-8 is found and opened like any other. Each file is remembered with its
/// directory node and identity, and opened later only as that file.
enum TreeWalker {
    /// What a walk found.
    struct Result {
        /// Regular files, sorted by path.
        var files: [PlannedFile] = []
        /// Paths left out, with the reason.
        var skipped: [SkippedPath] = []
        /// One line per path that could not be read.
        var errors: [String] = []
        /// Temp files of an unfinished rewrite (`.NAME.anonlog-XXXXXX`): never inputs.
        var temps: [PlannedFile] = []
    }

    /// How to walk.
    struct Options {
        /// Descend into directories.
        var recursive = false
        /// Follow symlinks met while walking (owned by root or the invoking user only).
        var followLinks = false
        /// A named path that is a symlink to a file is followed (scan) or refused (in-place).
        var followNamedFileLinks = true
        /// Globs (base name or whole path) left out.
        var excludes: [String] = []
    }

    /// Walks `paths` as `options` say.
    static func walk(_ paths: [String], options: Options) -> Result {
        var result = Result()
        var visited = Set<FileIdentity>()
        let budget = HandleBudget()
        var parents: [String: DirectoryNode] = [:]
        for path in paths {
            do {
                try walkNamed(path, options: options, budget: budget, parents: &parents, visited: &visited, into: &result)
            } catch let error as AnonLogError {
                result.errors.append(error.message)
            } catch {
                result.errors.append("\(path): \(error)")
            }
        }
        result.files.sort { $0.path < $1.path }
        return result
    }

    /// One named path: a file, or a directory to walk.
    private static func walkNamed(_ path: String, options: Options, budget: HandleBudget, parents: inout [String: DirectoryNode],
                                  visited: inout Set<FileIdentity>, into result: inout Result) throws {
        let components = PathResolver.components(of: path)
        if components.isEmpty || components.last!.isDotOrDotDot {
            let root = try PathResolver.directory(path)
            walkDirectory(DirectoryNode(root: root), options: options, budget: budget, visited: &visited, into: &result)
            return
        }
        // Arguments in one directory (a shell glob) share one resolution of it.
        let name = components.last!
        let (parentPath, trimmed) = PathResolver.parentPath(of: path)
        let parentNode: DirectoryNode
        if let known = parents[parentPath] {
            parentNode = known
        } else {
            parentNode = DirectoryNode(root: try PathResolver.parent(of: path).directory)
            parents[parentPath] = parentNode
        }
        var directory = try parentNode.open()
        var node = parentNode
        var entry = name
        guard var info = directory.status(of: name) else { throw AnonLogError.posix(path, errno: errno) }
        if info.isSymlink {
            // A link the operator named: followed when root or the invoking user owns it.
            (directory, entry) = try PathResolver.finalEntry(of: path)
            guard let target = directory.status(of: entry) else { throw AnonLogError.posix(path, errno: errno) }
            info = target
            if info.isRegular && !options.followNamedFileLinks {
                throw AnonLogError(.usage, "\(path): is a symbolic link; give the file it points to")
            }
            node = DirectoryNode(root: directory)
        }
        if info.isDirectory {
            guard options.recursive else {
                throw AnonLogError(.usage, "\(path): is a directory (use -r to scan it)")
            }
            let held = try directory.subdirectory(entry, expected: FileIdentity(info)).renamed(trimmed)
            walkDirectory(DirectoryNode(root: held), options: options, budget: budget, visited: &visited, into: &result)
        } else if info.isRegular {
            if !entry.isExcluded(by: options.excludes, path: path) {
                result.files.append(PlannedFile(directory: node, name: entry, identity: FileIdentity(info), path: path,
                                                size: Int(info.st_size), mtime: Int(info.st_mtim.tv_sec)))
            }
        } else if info.isSymlink {
            throw AnonLogError(.io, "\(path): is a symbolic link; not followed")
        } else {
            result.skipped.append(SkippedPath(path: path, reason: "\(info.kindDescription), not a regular file"))
        }
    }

    /// Lists the directory of `node` and every directory below it, depth first in name order,
    /// with an explicit stack: depth is unbounded (a hostile user may nest directories without
    /// limit; recursion would spend a stack frame per level). A directory is held only while
    /// it is listed (unless the descriptor budget keeps it), so a deep tree does not hold one
    /// descriptor per level.
    private static func walkDirectory(_ node: DirectoryNode, options: Options, budget: HandleBudget,
                                      visited: inout Set<FileIdentity>, into result: inout Result) {
        var pending = [node]
        while let node = pending.popLast() {
            // A directory reached twice (through -L links) is walked once: no loops.
            guard visited.insert(node.identity).inserted else { continue }
            var subdirectories: [DirectoryNode] = []
            do {
                let held = try node.open()
                for name in try held.names().sorted(by: { $0.terminated.lexicographicallyPrecedes($1.terminated) }) {
                    if let child = try visit(name, in: held, node: node, options: options, budget: budget, into: &result) {
                        subdirectories.append(child)
                    }
                }
            } catch let error as AnonLogError {
                result.errors.append(error.message)
            } catch {
                result.errors.append("\(node.path): \(error)")
            }
            // Reversed onto the stack, so the first in name order is walked first.
            pending.append(contentsOf: subdirectories.reversed())
        }
    }

    /// One entry of a listed directory: a file is planned, a subdirectory returned as a node to
    /// walk, anything else reported.
    private static func visit(_ name: EntryName, in held: HeldDirectory, node: DirectoryNode, options: Options,
                              budget: HandleBudget, into result: inout Result) throws -> DirectoryNode? {
        let path = held.path(of: name)
        if name.isExcluded(by: options.excludes, path: path) { return nil }
        guard var info = held.status(of: name) else { return nil }  // gone since the listing
        var directory = held
        var entry = name
        var entryNode = node
        if info.isSymlink {
            guard options.followLinks else {
                result.skipped.append(SkippedPath(path: path, reason: "symbolic link, not followed"))
                return nil
            }
            do {
                var links = 0
                (directory, entry) = try PathResolver.followLinks(name, in: held, shown: path, links: &links)
                guard let target = directory.status(of: entry) else { return nil }
                info = target
                entryNode = DirectoryNode(root: directory)
            } catch let error as AnonLogError {
                result.skipped.append(SkippedPath(path: path, reason: error.message))
                return nil
            }
        }
        if info.isDirectory {
            do {
                let child = try directory.subdirectory(entry, expected: FileIdentity(info)).renamed(path)
                return entryNode === node && directory === held
                    ? DirectoryNode(parent: node, name: entry, directory: child, budget: budget)
                    : DirectoryNode(root: child)
            } catch let error as AnonLogError {
                result.errors.append(error.message)
            }
        } else if info.isRegular && entry.isRewriteTemp {
            result.temps.append(PlannedFile(directory: entryNode, name: entry, identity: FileIdentity(info), path: path,
                                            size: Int(info.st_size), mtime: Int(info.st_mtim.tv_sec)))
        } else if info.isRegular {
            result.files.append(PlannedFile(directory: entryNode, name: entry, identity: FileIdentity(info), path: path,
                                            size: Int(info.st_size), mtime: Int(info.st_mtim.tv_sec)))
        } else {
            result.skipped.append(SkippedPath(path: path, reason: "\(info.kindDescription), not a regular file"))
        }
        return nil
    }
}
