#if canImport(Glibc)
import Glibc
#endif

/// What makes a file the same file: its device and inode (a path can be swapped, these cannot).
public struct FileIdentity: Hashable, Sendable, CustomStringConvertible {
    /// `st_dev`.
    public let device: UInt64
    /// `st_ino`.
    public let inode: UInt64

    /// The identity `info` describes.
    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// `device:inode`, the form the sweep's state file uses.
    public var description: String { "\(device):\(inode)" }
}

/// `stat` fields read in several places.
extension stat {
    /// The file type bits (`S_IFREG`, `S_IFDIR`, …).
    var kind: mode_t { st_mode & S_IFMT }
    /// True for a regular file.
    var isRegular: Bool { kind == S_IFREG }
    /// True for a directory.
    var isDirectory: Bool { kind == S_IFDIR }
    /// True for a symbolic link (only from `lstat`-like calls).
    var isSymlink: Bool { kind == S_IFLNK }
    /// A word for the file type, for messages ("a FIFO", "a symbolic link", …).
    var kindDescription: String {
        switch kind {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "a special file"
        }
    }
}
