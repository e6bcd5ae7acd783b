#if canImport(Glibc)
import Glibc
#endif

/// Turns a path the operator gave (a command-line file, `-o`, a policy's directories, the key)
/// into a held directory and a name in it, one component at a time.
///
/// Each component is opened with `O_NOFOLLOW` relative to the previous one. A symlink on the
/// way is followed only when root or the invoking user owns it (`Trust`), by reading it through
/// a descriptor of the link and resolving its target the same way (at most 40 links, as the
/// kernel allows); a link anyone else owns stops the resolution with one line. So
/// `/var/run -> /run` works, and a customer's `logs -> /etc` does not.
public enum PathResolver {
    /// The most symlinks followed while resolving one path (the kernel's limit too).
    static let maxLinks = 40

    /// Opens the directory `path`. With `create`, missing components are made (mode 0700).
    public static func directory(_ path: String, create: Bool = false) throws -> HeldDirectory {
        var links = 0
        let resolved = try walk(components(of: path), absolute: path.hasPrefix("/"), from: nil, shown: path,
                                create: create, links: &links)
        return try resolved.renamed(path.isEmpty ? "." : path)
    }

    /// The directory holding `path`, held, and the last component's name.
    public static func parent(of path: String, create: Bool = false) throws -> (directory: HeldDirectory, name: EntryName) {
        var links = 0
        return try parent(of: Array(path.utf8), from: nil, shown: path, create: create, links: &links)
    }

    /// Opens the file the operator named for reading: its directories resolved as above, the file
    /// itself opened once with `O_NOFOLLOW|O_NONBLOCK`. A final symlink owned by root or the
    /// invoking user is followed the same way; a pipe or terminal of theirs is read as a stream
    /// (`/dev/stdin`, `<(zcat …)`).
    public static func openForReading(_ path: String) throws -> OpenedFile {
        let (directory, name) = try finalEntry(of: path)
        // /proc/self/fd/N: the kernel's own links, which no other user can create or swap; in
        // any other directory the last name is opened O_NOFOLLOW, whatever it has become since
        // it was looked at.
        return try directory.openFile(name, shownAs: path, acceptTrustedStreams: true, followKernelLink: directory.isProcFS)
    }

    /// The directory and name of what `path` finally names: a last component that is a symlink
    /// owned by root or the invoking user is followed (as above) until it is not a symlink, or
    /// is one of /proc's magic links.
    public static func finalEntry(of path: String) throws -> (directory: HeldDirectory, name: EntryName) {
        var links = 0
        let (directory, name) = try parent(of: Array(path.utf8), from: nil, shown: path, create: false, links: &links)
        return try followLinks(name, in: directory, shown: path, links: &links)
    }

    /// Follows the entry `name` of `directory` while it is a symlink owned by root or the
    /// invoking user (each target resolved from the link's own directory, never re-read from a
    /// path string); stops at anything else or at /proc's magic links.
    static func followLinks(_ name: EntryName, in directory: HeldDirectory, shown: String,
                            links: inout Int) throws -> (directory: HeldDirectory, name: EntryName) {
        var (directory, name) = (directory, name)
        while let info = directory.status(of: name), info.isSymlink, !directory.isProcFS {
            let target = try directory.trustedLinkTarget(name)
            links += 1
            guard links <= maxLinks else { throw AnonLogError.posix(shown, errno: ELOOP) }
            (directory, name) = try parent(of: target, from: directory, shown: shown, create: false, links: &links)
        }
        return (directory, name)
    }

    /// `path` without trailing slashes, and the path of its parent as written (`.` for a bare
    /// name, `/` at the root): for messages and for sharing one resolution among siblings.
    static func parentPath(of path: String) -> (parent: String, trimmed: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let head = String(trimmed[..<slash])
        return (head.isEmpty ? "/" : head, String(trimmed))
    }

    /// The path's components as entry names (empty ones dropped).
    static func components<Bytes: Collection>(of path: Bytes) -> [EntryName] where Bytes.Element == UInt8 {
        path.split(separator: UInt8(ascii: "/")).map { part in Array(part).withUnsafeBytes { EntryName(bytes: $0) } }
    }

    static func components(of path: String) -> [EntryName] { components(of: Array(path.utf8)) }

    /// The held parent and last name of `path` (bytes), relative to `base` when it is relative.
    static func parent(of path: [UInt8], from base: HeldDirectory?, shown: String, create: Bool,
                               links: inout Int) throws -> (directory: HeldDirectory, name: EntryName) {
        var parts = components(of: path)
        guard let last = parts.popLast(), !last.isDotOrDotDot else {
            throw AnonLogError(.usage, "\(shown): names a directory, not a file")
        }
        let absolute = path.first == UInt8(ascii: "/")
        let directory = try walk(parts, absolute: absolute, from: base, shown: shown, create: create, links: &links)
        if base == nil && directory.path == "." && !absolute { return (directory, last) }
        if base == nil { return (try directory.renamed(parentPath(of: shown).parent), last) }
        return (directory, last)
    }

    /// Walks `parts` from `/`, `base` or the working directory.
    private static func walk(_ parts: [EntryName], absolute: Bool, from base: HeldDirectory?, shown: String,
                             create: Bool, links: inout Int) throws -> HeldDirectory {
        var current = try (absolute || base == nil) ? start(absolute: absolute) : base!
        var pending = Array(parts.reversed())
        while let name = pending.popLast() {
            if name.terminated == [46, 0] { continue }
            let next = name.withCString { openat(current.fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            if next >= 0 {
                current = try HeldDirectory(adopting: next, path: current.path(of: name))
                continue
            }
            let code = errno
            if code == ENOENT && create {
                guard name.withCString({ mkdirat(current.fd, $0, 0o700) }) == 0 || errno == EEXIST else {
                    throw AnonLogError.posix("\(current.path(of: name)): cannot create the directory", errno: errno)
                }
                pending.append(name)
                continue
            }
            guard code == ELOOP || code == ENOTDIR, let info = current.status(of: name), info.isSymlink else {
                throw AnonLogError.posix(shown, errno: code)
            }
            let target = try current.trustedLinkTarget(name)
            links += 1
            guard links <= maxLinks else { throw AnonLogError.posix(shown, errno: ELOOP) }
            if target.first == UInt8(ascii: "/") { current = try start(absolute: true) }
            pending.append(contentsOf: components(of: target).reversed())
        }
        return current
    }

    /// `/` or the working directory, held.
    private static func start(absolute: Bool) throws -> HeldDirectory {
        let fd = open(absolute ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AnonLogError.posix(absolute ? "/" : ".", errno: errno) }
        return try HeldDirectory(adopting: fd, path: absolute ? "/" : ".")
    }
}

extension HeldDirectory {
    /// The same directory under another name for messages (the path the operator wrote).
    func renamed(_ shown: String) throws -> HeldDirectory {
        if shown == path { return self }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw AnonLogError.posix(shown, errno: errno) }
        return try HeldDirectory(adopting: copy, path: shown)
    }
}

extension PathResolver {
    /// The bytes of a small configuration file the operator named (a policy, a users list),
    /// opened like any named input. With `requireTrusted`, the file must be owned by root or
    /// the invoking user and writable by no one else: a policy decides what root deletes.
    public static func readConfiguration(_ path: String, what: String, requireTrusted: Bool) throws -> [UInt8] {
        let file: OpenedFile
        do {
            file = try openForReading(path)
        } catch let error as AnonLogError {
            throw AnonLogError(.usage, "\(error.message) (cannot read the \(what))")
        }
        let info = file.info
        if requireTrusted {
            guard Trust.isTrustedOwner(info.st_uid) else {
                throw AnonLogError(.usage, "\(path): the \(what) is owned by uid \(info.st_uid), not by you or root; refusing to act on it")
            }
            if info.st_mode & S_IWOTH != 0 || (info.st_mode & S_IWGRP != 0 && !Trust.isTrustedGroup(info.st_gid)) {
                throw AnonLogError(.usage, "\(path): the \(what) is writable by other users (mode \(Trust.octal(info.st_mode))); run 'chmod go-w \(path)'")
            }
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(file.fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw AnonLogError(.usage, "\(path): cannot read the \(what): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += buffer[0..<n]
            guard bytes.count <= 64 << 20 else { throw AnonLogError(.usage, "\(path): the \(what) is larger than 64 MiB") }
        }
        return bytes
    }
}
