#if canImport(Glibc)
import Glibc
#endif

/// Expands the `scan` arguments into the list of regular files to read, sorted by path.
enum FileWalker {
    /// Files under `paths`, and one error line per path that could not be read.
    static func files(_ paths: [String], options: ScanOptions) -> (files: [String], errors: [String]) {
        var files: [String] = []
        var errors: [String] = []
        var visitedDirectories = Set<[UInt64]>()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                errors.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                guard options.recursive else {
                    errors.append("\(path): is a directory (use -r to scan it)")
                    continue
                }
                walk(path, options: options, visited: &visitedDirectories, files: &files, errors: &errors)
            } else if !isExcluded(path, options: options) {
                files.append(path)
            }
        }
        return (files.sorted(), errors)
    }

    private static func walk(_ directory: String, options: ScanOptions, visited: inout Set<[UInt64]>,
                             files: inout [String], errors: inout [String]) {
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        // A directory reached twice (through -L links) is walked once: no loops.
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
        guard let handle = opendir(directory) else {
            errors.append("\(directory): \(String(cString: strerror(errno)))")
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if isExcluded(path, options: options) { continue }
            var entryInfo = stat()
            guard lstat(path, &entryInfo) == 0 else { continue }
            var kind = entryInfo.st_mode & S_IFMT
            if kind == S_IFLNK {
                guard options.followLinks, stat(path, &entryInfo) == 0 else { continue }
                kind = entryInfo.st_mode & S_IFMT
            }
            if kind == S_IFDIR {
                walk(path, options: options, visited: &visited, files: &files, errors: &errors)
            } else if kind == S_IFREG {
                files.append(path)
            }
        }
    }

    /// Whether `--exclude` leaves `path` out (glob on the base name or the whole path).
    static func isExcluded(_ path: String, options: ScanOptions) -> Bool {
        guard !options.excludes.isEmpty else { return false }
        let base = String(path.split(separator: "/").last ?? Substring(path))
        return options.excludes.contains { fnmatch($0, base, 0) == 0 || fnmatch($0, path, 0) == 0 }
    }
}
