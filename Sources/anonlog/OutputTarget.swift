import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

/// Opens `-o FILE` and removes what a failed run wrote there, when FILE is a regular file
/// this run replaced (never when appending, never a device such as /dev/full).
enum OutputTarget {
    static func withFile<R>(_ path: String, append: Bool, _ body: (Int32) throws -> R) throws -> R {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw AnonLogError(.io, "\(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        let isRegularFile = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        do {
            let result = try body(fd)
            guard close(fd) == 0 else { throw AnonLogError(.io, "\(path): \(String(cString: strerror(errno)))") }
            return result
        } catch {
            close(fd)
            if !append && isRegularFile { unlink(path) }
            throw error
        }
    }
}
