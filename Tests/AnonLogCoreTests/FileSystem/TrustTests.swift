@testable import AnonLogCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The rules of `Trust` and the file layer that need no second user.
struct TrustTests {
    /// The kernel's encoding of an access ACL: version 2, then (tag, permissions, id) entries.
    static func acl(_ entries: [(UInt16, UInt16, UInt32)]) -> [UInt8] {
        var bytes: [UInt8] = [2, 0, 0, 0]
        for (tag, permissions, id) in entries {
            bytes += [UInt8(tag & 0xff), UInt8(tag >> 8), UInt8(permissions & 0xff), UInt8(permissions >> 8),
                      UInt8(id & 0xff), UInt8(id >> 8 & 0xff), UInt8(id >> 16 & 0xff), UInt8(id >> 24)]
        }
        return bytes
    }

    @Test func anACLEntryGrantingWriteToAnotherUserIsFound() throws {
        let writer = try #require(AccessControlList(bytes: Self.acl([(0x01, 7, .max), (0x02, 6, 65534), (0x04, 5, .max), (0x10, 7, .max), (0x20, 5, .max)])))
        #expect(writer.untrustedWriter == "user 65534")
        let reader = try #require(AccessControlList(bytes: Self.acl([(0x01, 7, .max), (0x02, 4, 65534), (0x04, 5, .max), (0x10, 5, .max), (0x20, 5, .max)])))
        #expect(reader.untrustedWriter == nil)
        #expect(reader.groupObjectCanWrite == false)
        #expect(AccessControlList(bytes: [1, 0, 0, 0]) == nil, "only version 2 is the kernel's format")
    }

    @Test func aWorldWritableDirectoryIsNotPrivate() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: url) }
        chmod(url.path, 0o700)
        #expect(throws: Never.self) { try PathResolver.directory(url.path).requirePrivate(for: "state file") }
        chmod(url.path, 0o1777)
        #expect(throws: AnonLogError.self) { try PathResolver.directory(url.path).requirePrivate(for: "state file") }
    }

    @Test func pathsResolveThroughOwnLinksAndNeverThroughADirectorySwap() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-resolve-\(UUID().uuidString)")
        let base = url.path
        try FileManager.default.createDirectory(atPath: base + "/real/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: base + "/real/sub/a.log"))
        symlink(base + "/real", base + "/link")
        // A link the invoking user made is followed.
        let opened = try PathResolver.openForReading(base + "/link/sub/a.log")
        #expect(opened.size == 6)
        // A held directory keeps pointing at what was resolved, whatever happens to the path.
        let (held, name) = try PathResolver.parent(of: base + "/real/sub/a.log")
        try FileManager.default.moveItem(atPath: base + "/real", toPath: base + "/moved")
        symlink(base + "/elsewhere", base + "/real")
        let again = try held.openFile(name)
        #expect(again.identity == opened.identity)
        // And a symlink where a file is rewritten is refused.
        #expect(throws: AnonLogError.self) { try held.openFile(EntryName("missing")) }
        symlink(base + "/moved/sub/a.log", base + "/moved/sub/b.log")
        #expect(throws: AnonLogError.self) { try held.openFile(EntryName("b.log")) }
    }
}
