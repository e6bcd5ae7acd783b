import CFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// Copies a file's extended attributes, POSIX ACLs included (`system.posix_acl_access`), to
/// its rewrite, so that a user granted read access by an ACL keeps it.
enum ExtendedAttributes {
    /// Copies every attribute of `source` to `destination`; throws naming `path` when one
    /// cannot be kept (the rewrite is then abandoned and the original stays).
    static func copy(from source: Int32, to destination: Int32, path: String) throws {
        let listSize = flistxattr(source, nil, 0)
        if listSize < 0 {
            if errno == ENOTSUP { return }
            throw AnonLogError.posix("\(path): cannot list extended attributes", errno: errno)
        }
        guard listSize > 0 else { return }
        var list = [CChar](repeating: 0, count: listSize)
        let listed = flistxattr(source, &list, listSize)
        guard listed >= 0 else { throw AnonLogError.posix("\(path): cannot list extended attributes", errno: errno) }
        var start = 0
        var value = [UInt8](repeating: 0, count: 4096)
        while start < listed {
            let end = list[start..<listed].firstIndex(of: 0) ?? listed
            // The name's own bytes (a name need not be UTF-8), NUL-terminated.
            let name = Array(list[start..<end]) + [0]
            let shownName = String(decoding: list[start..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            start = end + 1
            if name.count == 1 { continue }
            var size = fgetxattr(source, name, &value, value.count)
            if size < 0 && errno == ERANGE {
                let needed = fgetxattr(source, name, nil, 0)
                guard needed >= 0 else { throw AnonLogError.posix("\(path): cannot read attribute \(shownName)", errno: errno) }
                value = [UInt8](repeating: 0, count: needed)
                size = fgetxattr(source, name, &value, value.count)
            }
            guard size >= 0 else { throw AnonLogError.posix("\(path): cannot read attribute \(shownName)", errno: errno) }
            guard fsetxattr(destination, name, value, size, 0) == 0 else {
                throw AnonLogError.posix("\(path): cannot keep extended attribute \(shownName)", errno: errno)
            }
        }
    }
}
