import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small private files (state) read and replaced through their held directory.
enum PrivateFile {
    /// The content of `name`, or nil when it does not exist; a symlink or special file is refused.
    static func read(_ name: EntryName, in directory: HeldDirectory) throws -> Data? {
        if directory.status(of: name) == nil && errno == ENOENT { return nil }
        let file = try directory.openFile(name)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(file.fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw AnonLogError.posix(file.path, errno: errno) }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    /// Replaces `name` with `data`: a temp file created `O_EXCL|O_NOFOLLOW` (mode 0600),
    /// written, fsynced and renamed over it, all relative to the held directory.
    static func replace(_ name: EntryName, in directory: HeldDirectory, with data: Data) throws {
        let shown = directory.path(of: name)
        let (fd, temp) = try directory.createTempFile(for: name)
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, data.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let code = errno
                close(fd)
                directory.removeOwnTemp(temp)
                throw AnonLogError.posix("\(shown): cannot write", errno: code)
            }
            written += n
        }
        let synced = fsync(fd) == 0
        let code = errno
        close(fd)
        guard synced else {
            directory.removeOwnTemp(temp)
            throw AnonLogError.posix("\(shown): cannot write", errno: code)
        }
        let renamed = temp.withCString { from in name.withCString { to in renameat(directory.fd, from, directory.fd, to) } }
        guard renamed == 0 else {
            let code = errno
            directory.removeOwnTemp(temp)
            throw AnonLogError.posix("\(shown): cannot write", errno: code)
        }
        directory.sync()
    }
}
