@testable import AnonLogCore
import Foundation
import Testing

/// In-place rewrites: the new content replaces the file whole, with its mode and times; a
/// failure leaves the original byte for byte and no temp file behind.
@Suite struct AtomicRewriteTests {
    static func pipeline() throws -> Pipeline {
        Pipeline(options: PipelineOptions(threads: 1, plan: try ActionPlan(profile: .redact)))
    }

    static func entries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func theFileIsReplacedWithItsModeAndTimes() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log").path
        try "192.0.2.7 - anna [26/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, 0)
        let stats = try AtomicRewrite.rewrite(path, pipeline: try Self.pipeline())
        #expect(stats.counts[.ipv4] == 1 && stats.counts[.username] == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8)
            == "0.0.0.0 - - [26/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n")
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(info.st_mtim.tv_sec == 1_700_000_000)
        #expect(try Self.entries(directory) == ["access.log"])
    }

    @Test func aFailedRewriteLeavesTheOriginalAndNoTempFile() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log.gz").path
        // A gzip file cut in the middle: decoding fails after the rewrite has begun.
        var bytes = TestSupport.gzip(Array(String(repeating: "login from 192.0.2.7\n", count: 20_000).utf8))
        bytes.removeLast(bytes.count / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: AnonLogError.self) { try AtomicRewrite.rewrite(path, pipeline: try Self.pipeline()) }
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect(try Self.entries(directory) == ["access.log.gz"])
    }

    @Test func aSymlinkIsRefusedAndItsTargetUntouched() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("target.log").path
        let link = directory.appendingPathComponent("link.log").path
        try "from 192.0.2.7\n".write(toFile: target, atomically: false, encoding: .utf8)
        symlink(target, link)
        #expect(throws: AnonLogError.self) { try AtomicRewrite.rewrite(link, pipeline: try Self.pipeline()) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "from 192.0.2.7\n")
    }
}
