#if canImport(Glibc)
import Glibc
#endif

/// An input file opened once, checked, and from then on read only through its descriptor.
///
/// The one open is the whole defence against a swap: whatever a hostile user does to the name
/// afterwards, the bytes read are those of the file that was checked.
public final class OpenedFile: @unchecked Sendable {
    // Immutable after init except `isClosed`, which only the one thread that owns a rewrite
    // sets (`closeNow`); the descriptor is closed then or when the last reference goes.
    /// The descriptor, open for reading.
    let fd: Int32
    private var isClosed = false
    /// The path for messages.
    public let path: String
    /// The file's status when it was opened.
    let info: stat

    /// Takes ownership of `fd`, already checked by the caller.
    init(adopting fd: Int32, path: String, info: stat) {
        self.fd = fd
        self.path = path
        self.info = info
    }

    /// A descriptor of its own for what `descriptor` reads (a pipe, a file, a socket), named
    /// `name` in messages; the caller keeps and closes `descriptor`.
    public convenience init(duplicating descriptor: Int32, name: String) throws {
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { throw AnonLogError.posix(name, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw AnonLogError.posix(name, errno: code)
        }
        self.init(adopting: fd, path: name, info: info)
    }

    deinit { if !isClosed { close(fd) } }

    /// Closes the descriptor before the last reference goes: a rewrite closes the original
    /// before renaming over it, so the old inode is freed at the rename instead of going
    /// through ext4's orphan list at a later close (a journal write per file).
    func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        close(fd)
    }

    /// The file's device and inode.
    public var identity: FileIdentity { FileIdentity(info) }

    /// The size when opened (regular files).
    var size: Int { Int(info.st_size) }

    /// The file's status now (to see whether it changed while it was read).
    func currentStatus() -> stat {
        var now = stat()
        fstat(fd, &now)
        return now
    }

    /// Moves the read position back to the start (after a binary check read the first block).
    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw AnonLogError.posix(path, errno: errno) }
    }
}
