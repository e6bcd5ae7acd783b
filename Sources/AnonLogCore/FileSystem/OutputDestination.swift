#if canImport(Glibc)
import Glibc
#endif

/// `-o FILE`, opened so that nobody who can write FILE's directory can aim it elsewhere.
///
/// The directories are resolved by `PathResolver`; FILE itself is opened `O_NOFOLLOW|O_NONBLOCK`
/// and `O_CREAT` without `O_TRUNC`. A symlink at FILE is followed only when root or the invoking
/// user owns it (resolved like any trusted link, so its target is opened `O_NOFOLLOW` in its own
/// directory), never one a customer planted. Only after `fstat` shows a regular file is it
/// truncated (unless appending); a FIFO or device of root's or the invoker's (`/dev/null`) is
/// written as a stream.
public final class OutputDestination {
    /// The descriptor to write to.
    public let fd: Int32
    /// The path for messages.
    public let path: String
    private let directory: HeldDirectory
    private let name: EntryName
    private let info: stat
    private var closed = false

    /// Opens `path` for writing, appending when `append`.
    public init(path: String, append: Bool) throws {
        var links = 0
        var (directory, name) = try PathResolver.parent(of: path)
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (append ? O_APPEND : 0)
        var fd: Int32 = -1
        while true {
            fd = name.withCString { openat(directory.fd, $0, flags, 0o644) }
            guard fd < 0, errno == ELOOP, let link = directory.status(of: name), link.isSymlink else { break }
            // Through procfs (/dev/stdout) and trusted links only; each hop resolved again.
            links += 1
            guard links <= PathResolver.maxLinks else { throw AnonLogError.posix(path, errno: ELOOP) }
            let target = try directory.trustedLinkTarget(name)
            if directory.isProcFS {
                fd = name.withCString { openat(directory.fd, $0, flags & ~O_NOFOLLOW & ~O_CREAT) }
                break
            }
            (directory, name) = try PathResolver.parent(of: target, from: directory, shown: path, create: false, links: &links)
        }
        guard fd >= 0 else {
            if errno == ENXIO { throw AnonLogError(.io, "\(path): a FIFO that nobody reads") }
            throw AnonLogError(.io, "\(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw AnonLogError.posix(path, errno: code)
        }
        if info.isRegular && info.st_nlink > 1 {
            close(fd)
            throw AnonLogError(.io, "\(path): has \(info.st_nlink) hard links; refusing to write through one of them")
        }
        if info.isRegular {
            guard append || ftruncate(fd, 0) == 0 else {
                let code = errno
                close(fd)
                throw AnonLogError.posix(path, errno: code)
            }
        } else if (info.kind == S_IFIFO || info.kind == S_IFCHR) && Trust.isTrustedOwner(info.st_uid) {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        } else {
            close(fd)
            throw AnonLogError(.io, "\(path): is \(info.kindDescription); refusing to write to it")
        }
        self.fd = fd
        self.path = path
        self.directory = directory
        self.name = name
        self.info = info
    }

    deinit { if !closed { close(fd) } }

    /// The output's identity (to refuse an input that is the output).
    public var identity: FileIdentity { FileIdentity(info) }

    /// True when the output is a regular file.
    public var isRegularFile: Bool { info.isRegular }

    /// What `checkAppendTail` found at the end of a file about to be appended to.
    public enum AppendTail: Equatable {
        /// A complete file (or a new one): append.
        case complete
        /// A plain file whose last line has no newline: one was written first.
        case endedLine
        /// A gzip member, xz stream or zstd frame a killed run never finished; appending to it would
        /// make the whole file unreadable. It was renamed to `name` and must be reopened.
        case setAside(String)
    }

    /// Before appending: a killed run's leftovers at the end of the file are made harmless
    /// (see `AppendTail`). `isUnfinished` reads the file (a descriptor open for reading, and
    /// its size) and says whether it ends inside a compressed stream; the formats are IO's
    /// business (`OutputTail.isUnfinished`), the renaming is this layer's.
    public func checkAppendTail(isUnfinished: (Int32, Int) -> Bool) throws -> AppendTail {
        guard info.isRegular else { return .complete }
        var current = stat()
        guard fstat(fd, &current) == 0, current.st_size > 0 else { return .complete }
        let size = Int(current.st_size)
        // The output descriptor is write-only: read through a second open of the same file.
        let reader = try directory.openFile(name, expected: identity)
        defer { reader.closeNow() }
        if isUnfinished(reader.fd, size) {
            let aside = try directory.setAside(name, label: "unfinished", expected: identity)
            return .setAside(directory.path(of: aside))
        }
        var last: UInt8 = 0
        guard pread(reader.fd, &last, 1, off_t(size - 1)) == 1 else { return .complete }
        var head = [UInt8](repeating: 0, count: min(4, size))
        _ = pread(reader.fd, &head, head.count, 0)
        let compressed = (head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b) || head == [0xfd, 0x37, 0x7a, 0x58]
            || head == [0x28, 0xb5, 0x2f, 0xfd]
        if !compressed && last != UInt8(ascii: "\n") {
            let newline: [UInt8] = [UInt8(ascii: "\n")]
            guard write(fd, newline, 1) == 1 else { throw AnonLogError.posix(path, errno: errno) }
            return .endedLine
        }
        return .complete
    }

    /// Closes the output; throws when the last writes fail (NFS reports them here).
    public func finish() throws {
        closed = true
        guard close(fd) == 0 else { throw AnonLogError(.io, "\(path): \(String(cString: strerror(errno)))") }
    }

    /// After a failed run: closes, and removes what this run wrote when it replaced a regular
    /// file (never when appending, never a device), if the name still holds that file.
    public func discard(appending: Bool) {
        if !closed { close(fd) }
        closed = true
        guard !appending, info.isRegular else { return }
        try? directory.remove(name, expected: identity)
    }
}
