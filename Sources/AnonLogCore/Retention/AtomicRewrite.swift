import CMapGuard
#if canImport(Glibc)
import Glibc
#endif

/// Rewrites a file in place without ever exposing a half-written file.
///
/// The new content goes to a temp file in the same directory (mode 0600 while written, so no
/// one else can read the pseudonymised-but-unfinished data), is fsynced, gets the original's
/// mode, owner and times, and is renamed over the original; then the directory is fsynced.
/// On any error the temp file is removed and the original is untouched.
public enum AtomicRewrite {
    /// Rewrites `path` through `pipeline`, keeping its compression format. `beforeRename` sees
    /// the finished temp file (its device and inode) just before it replaces the original, so
    /// a sweep can record the new file's stage first and never transform it twice.
    public static func rewrite(_ path: String, pipeline: Pipeline,
                               beforeRename: ((_ device: UInt64, _ inode: UInt64) throws -> Void)? = nil) throws -> PipelineStats {
        var original = stat()
        guard lstat(path, &original) == 0 else { throw AnonLogError.posix(path, errno: errno) }
        if (original.st_mode & S_IFMT) == S_IFLNK {
            throw AnonLogError(.usage, "\(path): is a symbolic link; give the file it points to")
        }
        guard (original.st_mode & S_IFMT) == S_IFREG else {
            throw AnonLogError(.usage, "\(path): not a regular file")
        }
        guard access(path, W_OK) == 0 else { throw AnonLogError.posix(path, errno: errno) }
        var options = pipeline.options
        options.outputFormat = try options.inputFormat ?? Pipeline.detectFormat(of: path)

        let directory = parentDirectory(of: path)
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var template = Array("\(directory)/.\(name).anonlog-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw AnonLogError.posix("\(directory): cannot create a temp file", errno: errno) }
        let tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        // A SIGBUS exit (the input truncated while mapped) must not leave the temp file behind.
        let tempGuard = anonlog_map_guard_add_temp(tempPath)
        defer {
            close(fd)
            if !renamed { unlink(tempPath) }
            anonlog_map_guard_remove_temp(tempGuard)
        }

        let stats = try Pipeline(options: options).run(inputs: [path], outputDescriptor: fd, outputName: path)
        guard fsync(fd) == 0 else { throw AnonLogError.posix("\(path): writing the rewrite", errno: errno) }
        if original.st_uid != geteuid() || original.st_gid != getegid() {
            guard fchown(fd, original.st_uid, original.st_gid) == 0 else {
                throw AnonLogError.posix("\(path): cannot keep the owner", errno: errno)
            }
        }
        guard fchmod(fd, original.st_mode & 0o7777) == 0 else {
            throw AnonLogError.posix("\(path): cannot keep the mode", errno: errno)
        }
        var times = [original.st_atim, original.st_mtim]
        guard futimens(fd, &times) == 0 else {
            throw AnonLogError.posix("\(path): cannot keep the modification time", errno: errno)
        }
        if let beforeRename {
            var written = stat()
            guard fstat(fd, &written) == 0 else { throw AnonLogError.posix(path, errno: errno) }
            try beforeRename(UInt64(written.st_dev), UInt64(written.st_ino))
        }
        guard rename(tempPath, path) == 0 else { throw AnonLogError.posix(path, errno: errno) }
        renamed = true
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return stats
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
