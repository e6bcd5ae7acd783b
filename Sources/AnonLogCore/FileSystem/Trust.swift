import CFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// Who anonlog believes: the rules that decide whether a symbolic link is followed and whether
/// a directory is private enough for state and audit files (README, "Security").
///
/// The threat is root working in directories that other users can write. A link made by root or
/// by the invoking user says where *they* meant to go; a link made by anyone else may aim root at
/// `/etc/shadow`. The kernel's `protected_symlinks` rule also trusts a link owned by the
/// directory's owner, which is right for `/tmp` (owned by root) but wrong for a customer's
/// own log directory: there the customer is the directory's owner.
enum Trust {
    /// True for root and for the invoking (effective) user.
    static func isTrustedOwner(_ uid: uid_t) -> Bool { uid == 0 || uid == geteuid() }

    /// True for root's group and the invoking user's group.
    static func isTrustedGroup(_ gid: gid_t) -> Bool { gid == 0 || gid == getegid() }

    /// Why another user could create, rename or delete entries in the directory `fd` described
    /// by `info`, or nil when only trusted users can. An owner outside the trusted users, a
    /// group or world write bit for an untrusted group, and an ACL entry granting write to a
    /// named user or group all count.
    static func whyOthersCanWrite(_ info: stat, fd: Int32) -> String? {
        if !isTrustedOwner(info.st_uid) { return "owned by uid \(info.st_uid)" }
        if info.st_mode & S_IWOTH != 0 { return "writable by everyone (mode \(octal(info.st_mode)))" }
        let acl: AccessControlList?
        switch AccessControlList.read(fd: fd) {
        case .none: acl = nil
        case .list(let list): acl = list
        case .unreadable(let code): return "its ACL cannot be read (\(String(cString: strerror(code))))"
        }
        // With an ACL, the group bits of the mode are the mask over the group and named entries.
        if info.st_mode & S_IWGRP != 0 && !isTrustedGroup(info.st_gid) && acl?.groupObjectCanWrite != false {
            return "writable by group \(info.st_gid) (mode \(octal(info.st_mode)))"
        }
        if let acl, info.st_mode & S_IWGRP != 0, let entry = acl.untrustedWriter {
            return "writable through an ACL entry (\(entry))"
        }
        return nil
    }

    /// A mode as the octal digits `ls` users know.
    static func octal(_ mode: mode_t) -> String { String(mode & 0o7777, radix: 8) }
}

/// A directory's POSIX access ACL as the kernel stores it in `system.posix_acl_access`: a
/// 4-byte version (2), then 8-byte entries of tag (16 bits), permissions (16 bits), id (32 bits),
/// all little-endian.
struct AccessControlList {
    /// (tag, permissions, id) per entry.
    let entries: [(tag: UInt16, permissions: UInt16, id: UInt32)]

    static let userObject: UInt16 = 0x01, user: UInt16 = 0x02, groupObject: UInt16 = 0x04
    static let group: UInt16 = 0x08, mask: UInt16 = 0x10, other: UInt16 = 0x20
    static let write: UInt16 = 0x02

    /// What reading an ACL gave.
    enum ReadResult {
        /// No ACL beyond the mode bits (or a file system without ACLs).
        case none
        /// The ACL.
        case list(AccessControlList)
        /// It exists but could not be read: treat the directory as not private.
        case unreadable(Int32)
    }

    /// The ACL of the open file `fd`, sized first so that a long one is read whole.
    static func read(fd: Int32) -> ReadResult {
        let name = "system.posix_acl_access"
        let size = fgetxattr(fd, name, nil, 0)
        if size < 0 { return errno == ENODATA || errno == ENOTSUP ? .none : .unreadable(errno) }
        var buffer = [UInt8](repeating: 0, count: max(size, 4))
        let count = buffer.withUnsafeMutableBytes { fgetxattr(fd, name, $0.baseAddress, $0.count) }
        guard count >= 0 else { return .unreadable(errno) }
        guard let list = AccessControlList(bytes: Array(buffer[0..<count])) else { return .unreadable(EINVAL) }
        return .list(list)
    }

    /// Parses the kernel's encoding; nil when it is not version 2.
    init?(bytes: [UInt8]) {
        func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        guard bytes.count >= 4, u32(0) == 2 else { return nil }
        var list: [(UInt16, UInt16, UInt32)] = []
        var offset = 4
        while offset + 8 <= bytes.count {
            list.append((u16(offset), u16(offset + 2), u32(offset + 4)))
            offset += 8
        }
        entries = list
    }

    /// Whether the owning group's entry grants write (nil: no such entry).
    var groupObjectCanWrite: Bool? {
        entries.first { $0.tag == Self.groupObject }.map { $0.permissions & Self.write != 0 }
    }

    /// A named user or group entry, other than root or the invoking user, that grants write.
    var untrustedWriter: String? {
        for entry in entries where entry.permissions & Self.write != 0 {
            if entry.tag == Self.user && !Trust.isTrustedOwner(uid_t(entry.id)) { return "user \(entry.id)" }
            if entry.tag == Self.group && !Trust.isTrustedGroup(gid_t(entry.id)) { return "group \(entry.id)" }
        }
        return nil
    }
}
