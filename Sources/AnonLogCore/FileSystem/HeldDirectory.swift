import CFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// An open directory through which every file in it is opened, created, renamed and deleted.
///
/// GNU coreutils and `find` work this way: the directory is resolved once, and every later
/// action names an entry relative to the descriptor, so swapping a directory on the path for a
/// symlink afterwards changes nothing. Entries are opened with `O_NOFOLLOW`, and every
/// destructive action first checks that the entry is still the file (device, inode) that was
/// planned.
public final class HeldDirectory: @unchecked Sendable {
    // Immutable after init; the descriptor is closed when the last reference goes.
    /// The directory's descriptor.
    let fd: Int32
    /// The path for messages.
    public let path: String
    /// The directory's status when it was opened.
    let info: stat

    /// Takes ownership of `fd` (a directory).
    init(adopting fd: Int32, path: String) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw AnonLogError.posix(path, errno: code)
        }
        self.fd = fd
        self.path = path
        self.info = info
    }

    deinit { close(fd) }

    /// The directory's device and inode.
    public var identity: FileIdentity { FileIdentity(info) }

    /// The path of the entry `name`, for messages.
    public func path(of name: EntryName) -> String {
        if path == "." { return name.display }
        return path.hasSuffix("/") ? path + name.display : path + "/" + name.display
    }

    /// The entry's status without following a symlink; nil with errno set when it is missing.
    func status(of name: EntryName) -> stat? {
        var info = stat()
        let result = name.withCString { fstatat(fd, $0, &info, AT_SYMLINK_NOFOLLOW) }
        return result == 0 ? info : nil
    }

    /// Opens the subdirectory `name`, never through a symlink; when `expected` is given, the
    /// directory must still be that one.
    func subdirectory(_ name: EntryName, expected: FileIdentity? = nil) throws -> HeldDirectory {
        let child = name.withCString { openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard child >= 0 else {
            let code = errno
            if code == ELOOP || code == ENOTDIR, let info = status(of: name) {
                throw AnonLogError(.io, "\(path(of: name)): \(info.kindDescription) where a directory was expected; not followed")
            }
            throw AnonLogError.posix(path(of: name), errno: code)
        }
        let directory = try HeldDirectory(adopting: child, path: path(of: name))
        if let expected, directory.identity != expected {
            throw AnonLogError(.io, "\(directory.path): the directory was replaced since it was listed; left alone")
        }
        return directory
    }

    /// Opens the regular file `name` for reading, once: `O_NOFOLLOW` (a symlink is refused),
    /// `O_NONBLOCK` (a FIFO swapped in cannot block the run), then `fstat` to require a regular
    /// file and, when `expected` is given, the planned device and inode. With `acceptTrustedStreams`,
    /// a FIFO or character device owned by root or the invoking user is accepted too and read
    /// as a stream (`<(zcat …)`, `/dev/stdin`); with `followKernelLink` the kernel follows a
    /// final symlink (only for /proc's magic links, which no other user can swap).
    func openFile(_ name: EntryName, expected: FileIdentity? = nil, shownAs: String? = nil,
                  acceptTrustedStreams: Bool = false, followKernelLink: Bool = false) throws -> OpenedFile {
        let shown = shownAs ?? path(of: name)
        let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (followKernelLink ? 0 : O_NOFOLLOW)
        let file = name.withCString { openat(fd, $0, flags) }
        guard file >= 0 else {
            if errno == ELOOP { throw AnonLogError(.io, "\(shown): is a symbolic link; not followed (give the file it points to)") }
            throw AnonLogError.posix(shown, errno: errno)
        }
        var info = stat()
        guard fstat(file, &info) == 0 else {
            let code = errno
            close(file)
            throw AnonLogError.posix(shown, errno: code)
        }
        if let expected, FileIdentity(info) != expected {
            close(file)
            throw AnonLogError(.io, "\(shown): the file was replaced since it was planned; left alone")
        }
        if info.isRegular && info.st_nlink > 1 && info.st_uid != self.info.st_uid
            && Trust.whyOthersCanWrite(self.info, fd: fd) != nil {
            // With fs.protected_hardlinks=0 anyone can link root's files into their directory.
            close(file)
            throw AnonLogError(.io, "\(shown): a hard link (\(info.st_nlink) links) to a file of uid \(info.st_uid) in a directory others can write; not read")
        }
        let isStream = info.kind == S_IFIFO || info.kind == S_IFCHR
        guard info.isRegular || (acceptTrustedStreams && isStream && Trust.isTrustedOwner(info.st_uid)) else {
            close(file)
            if info.isDirectory { throw AnonLogError(.io, "\(shown): is a directory") }
            throw AnonLogError(.io, "\(shown): is \(info.kindDescription), not a regular file; left alone")
        }
        if isStream {
            // A pipe the operator named: reads must block again.
            _ = fcntl(file, F_SETFL, fcntl(file, F_GETFL) & ~O_NONBLOCK)
        }
        return OpenedFile(adopting: file, path: shown, info: info)
    }

    /// The target of the symlink `name`, read through a descriptor of the link itself so that
    /// the owner checked is the owner of the link read; throws unless root or the invoking user
    /// owns it.
    func trustedLinkTarget(_ name: EntryName) throws -> [UInt8] {
        let link = name.withCString { anonlog_open_entry(fd, $0) }
        guard link >= 0 else { throw AnonLogError.posix(path(of: name), errno: errno) }
        defer { close(link) }
        var info = stat()
        guard fstat(link, &info) == 0 else { throw AnonLogError.posix(path(of: name), errno: errno) }
        guard info.isSymlink else { throw AnonLogError(.io, "\(path(of: name)): changed while it was resolved; left alone") }
        guard Trust.isTrustedOwner(info.st_uid) else {
            throw AnonLogError(.io, "\(path(of: name)): a symbolic link owned by uid \(info.st_uid); not followed (only links owned by root or you are)")
        }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBytes { readlinkat(link, "", $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        guard count >= 0 else { throw AnonLogError.posix(path(of: name), errno: errno) }
        return Array(buffer[0..<count])
    }

    /// True when the directory is in /proc (where `fd/N` are magic links to open files).
    var isProcFS: Bool {
        anonlog_is_procfs(fd) == 1
    }

    /// Creates a new, empty temp file next to `name` (`.NAME.anonlog-XXXXXX`, mode 0600, the
    /// shape `EntryName.tempNamePattern` recognises) with
    /// `O_CREAT|O_EXCL|O_NOFOLLOW`: nothing planted under that name can be followed or reused.
    func createTempFile(for name: EntryName) throws -> (fd: Int32, name: EntryName) {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        // Long names keep their first 200 bytes: NAME_MAX is 255.
        let stem = Array(name.bytes.prefix(200))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            // One getrandom call per name, 6 characters of ~6 bits each.
            var bits = generator.next()
            let suffix: [UInt8] = (0..<6).map { _ in
                defer { bits >>= 10 }
                return alphabet[Int(bits & 1023) % alphabet.count]
            }
            let tempBytes = [UInt8(ascii: ".")] + stem + Array(".anonlog-".utf8) + suffix
            let temp = tempBytes.withUnsafeBytes { EntryName(bytes: $0) }
            let file = temp.withCString { openat(fd, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
            if file >= 0 {
                // Locked while it is written: a later run that finds it unlocked knows the
                // writer is gone (killed) and may remove it (`removeStaleTemp`).
                _ = flock(file, LOCK_EX | LOCK_NB)
                return (file, temp)
            }
            if errno != EEXIST { throw AnonLogError.posix("\(path): cannot create a temp file", errno: errno) }
        }
        throw AnonLogError(.io, "\(path): cannot create a temp file (every name tried exists)")
    }

    /// Throws unless the entry `name` is still the planned file: same device and inode, not a
    /// symlink, and (when given) the same modification time.
    func requireUnchanged(_ name: EntryName, expected: FileIdentity, mtime: Int? = nil) throws {
        guard let info = status(of: name) else {
            throw AnonLogError(.io, "\(path(of: name)): \(String(cString: strerror(errno))) (it went away since it was planned); left alone")
        }
        guard FileIdentity(info) == expected, mtime == nil || Int(info.st_mtim.tv_sec) == mtime else {
            throw AnonLogError(.io, "\(path(of: name)): the file was replaced or changed since it was planned; left alone")
        }
    }

    /// Renames the temp file `temp` over `name`, after checking that `name` is still `expected`.
    func replace(_ name: EntryName, withTemp temp: EntryName, expected: FileIdentity) throws {
        try requireUnchanged(name, expected: expected)
        let result = temp.withCString { from in name.withCString { to in renameat(fd, from, fd, to) } }
        guard result == 0 else { throw AnonLogError.posix(path(of: name), errno: errno) }
    }

    /// Deletes `name` after checking that it is still the planned file (`expected`, `mtime`).
    func remove(_ name: EntryName, expected: FileIdentity, mtime: Int? = nil) throws {
        try requireUnchanged(name, expected: expected, mtime: mtime)
        guard name.withCString({ unlinkat(fd, $0, 0) }) == 0 else { throw AnonLogError.posix(path(of: name), errno: errno) }
    }

    /// Renames `name` to `NAME.LABEL-YYYYMMDDTHHMMSS` (UTC, now) in this directory, when it is
    /// still the file `expected` (nil: whatever is there); returns the new name. For a file
    /// kept aside rather than lost: a corrupt state file, an unfinished compressed log.
    func setAside(_ name: EntryName, label: String, expected: FileIdentity?) throws -> EntryName {
        var stamp = time_t(Clock.now())
        var parts = tm()
        gmtime_r(&stamp, &parts)
        let suffix = "." + label + String(format: "-%04d%02d%02dT%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                                          parts.tm_hour, parts.tm_min, parts.tm_sec)
        if let expected { try requireUnchanged(name, expected: expected) }
        // Never over an earlier one (two in the same second): -2, -3, … after the stamp.
        for attempt in 1...1000 {
            let numbered = attempt == 1 ? suffix : suffix + "-\(attempt)"
            let aside = (name.bytes + Array(numbered.utf8)).withUnsafeBytes { EntryName(bytes: $0) }
            let renamed = name.withCString { from in aside.withCString { to in anonlog_rename_noreplace(fd, from, fd, to) } }
            if renamed == 0 { return aside }
            guard errno == EEXIST else { throw AnonLogError.posix("\(path(of: name)): cannot be set aside", errno: errno) }
        }
        throw AnonLogError(.io, "\(path(of: name)): cannot be set aside (a thousand earlier ones in the same second)")
    }

    /// Removes the rewrite temp file `name` left by a killed run: only a regular file, still
    /// the one planned, and only when no one holds its lock (a running rewrite does). Returns
    /// whether it was removed.
    func removeStaleTemp(_ name: EntryName, expected: FileIdentity) -> Bool {
        let file = name.withCString { openat(fd, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard file >= 0 else { return false }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.isRegular, FileIdentity(info) == expected else { return false }
        guard flock(file, LOCK_EX | LOCK_NB) == 0 else { return false }   // its writer is alive
        return (try? remove(name, expected: expected)) != nil
    }

    /// Deletes `name` without checks (a temp file this process created).
    func removeOwnTemp(_ name: EntryName) {
        _ = name.withCString { unlinkat(fd, $0, 0) }
    }

    /// The entries' names, `.` and `..` left out, in the order the directory lists them.
    func names() throws -> [EntryName] {
        // fdopendir takes over the descriptor it is given: give it a new open of the same
        // directory (a dup would share the read position with every other user of `fd`).
        let copy = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0 else { throw AnonLogError.posix(path, errno: errno) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            close(copy)
            throw AnonLogError.posix(path, errno: code)
        }
        defer { closedir(stream) }
        var names: [EntryName] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw AnonLogError.posix(path, errno: errno) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                EntryName(bytes: UnsafeRawBufferPointer(rebasing: raw.prefix { $0 != 0 }))
            }
            if !name.isDotOrDotDot { names.append(name) }
        }
        return names
    }

    /// Flushes the directory (a rename or unlink in it) to disk; best effort.
    func sync() { fsync(fd) }

    /// Opens (creating with `mode`) the state, lock or audit file `name` with `flags` plus
    /// `O_CREAT|O_NOFOLLOW|O_NONBLOCK`; a symlink or anything but a regular file there is refused
    /// with a line naming `what`. The caller owns the returned descriptor.
    func openPrivateFile(_ name: EntryName, flags: Int32, mode: mode_t, what: String) throws -> Int32 {
        let shown = path(of: name)
        let fd = name.withCString { openat(self.fd, $0, flags | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode) }
        guard fd >= 0 else {
            if errno == ELOOP { throw AnonLogError(.io, "\(shown): is a symbolic link; refusing to use it as the \(what)") }
            throw AnonLogError.posix("\(shown): cannot open the \(what)", errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.isRegular else {
            close(fd)
            throw AnonLogError(.io, "\(shown): not a regular file; refusing to use it as the \(what)")
        }
        return fd
    }

    /// Throws unless only root and the invoking user can change the directory's entries (state,
    /// lock and audit files live only in such a directory).
    func requirePrivate(for what: String) throws {
        if let reason = Trust.whyOthersCanWrite(info, fd: fd) {
            throw AnonLogError(.usage, "\(path): \(reason); refusing to keep the \(what) where another user can replace it (use a directory only root can write, e.g. /var/lib/anonlog)")
        }
    }
}
