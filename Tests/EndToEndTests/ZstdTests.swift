import Foundation
import Testing

/// zstd in and out (issue 18): detected by magic bytes everywhere a file is read (the filter,
/// `scan`, `--in-place`, `-r`, `sweep`), written with `--output-format zstd` at its levels.
@Suite struct ZstdTests {
    static let line = "203.0.113.9 - erik [26/Nov/2026:10:00:00 +0100] \"GET /?e=anna%40example.se&pnr=850709-9805 HTTP/1.1\" 200 1\n"
    static let redacted = "0.0.0.0 - - [26/Nov/2026:10:00:00 +0100] \"GET /?e=redacted%40anon.invalid&pnr=000000-0000 HTTP/1.1\" 200 1\n"

    /// `text` compressed by the `zstd` program into `path`.
    static func writeZstd(_ text: String, to path: String) throws {
        let plain = path + ".plain"
        try Data(text.utf8).write(to: URL(fileURLWithPath: plain))
        #expect(try Anonlog.shell("zstd -q -c '\(plain)' > '\(path)' && rm '\(plain)'").status == 0)
    }

    static func unzstd(_ path: String) throws -> String {
        String(decoding: try Anonlog.shell("zstd -dcq '\(path)'").stdout, as: UTF8.self)
    }

    @Test func zstdInputIsRewrittenAndZstdOutputIsReadByZstd() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log.zst").path
        // Several chunks' worth, and a second frame after the first.
        try Self.writeZstd(String(repeating: Self.line, count: 20_000), to: path)
        #expect(try Anonlog.shell("printf 'late 198.51.100.4\\n' | zstd -q -c >> '\(path)'").status == 0)
        let plain = try Anonlog.run(["--profile", "redact", "--output-format", "plain", path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(String(decoding: plain.stdout, as: UTF8.self) == String(repeating: Self.redacted, count: 20_000) + "late 0.0.0.0\n")
        // The output format follows the input's; -j 2 uses libzstd's workers.
        let zstd = try Anonlog.run(["--profile", "redact", "-j", "2", "-o", directory.appendingPathComponent("out.zst").path, path])
        #expect(zstd.status == 0, "\(zstd.stderr)")
        #expect(try Self.unzstd(directory.appendingPathComponent("out.zst").path) == String(decoding: plain.stdout, as: UTF8.self))
        for level in ["1", "19"] {
            let out = directory.appendingPathComponent("level\(level).zst").path
            #expect(try Anonlog.run(["--profile", "redact", "--output-format", "zstd", "--level", level, "-o", out, path]).status == 0)
            #expect(try Anonlog.shell("zstd -tq '\(out)'").status == 0)
        }
        let refused = try Anonlog.run(["--profile", "redact", "--output-format", "gzip", "--level", "12", path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("gzip output takes levels 1-9, not 12"), "\(refused.stderr)")
    }

    @Test func scanInPlaceAndRecursiveInPlaceReadZstd() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let top = directory.appendingPathComponent("dump.sql.zst").path
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let nested = directory.appendingPathComponent("sub/app.log.zst").path
        try Self.writeZstd(Self.line, to: top)
        try Self.writeZstd(Self.line + Self.line, to: nested)
        let scan = try Anonlog.run(["scan", "-r", directory.path])
        #expect(scan.status == 1)
        #expect(String(decoding: scan.stdout, as: UTF8.self).contains("summary: 12 findings"), "\(String(decoding: scan.stdout, as: UTF8.self))")
        #expect(!scan.stderr.contains("cannot read"))
        let single = try Anonlog.run(["--profile", "redact", "--in-place", top])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: top)).prefix(4) == Data([0x28, 0xb5, 0x2f, 0xfd]))
        #expect(try Self.unzstd(top) == Self.redacted)
        let tree = try Anonlog.run(["--profile", "redact", "--in-place", "-r", directory.path])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(try Self.unzstd(nested) == Self.redacted + Self.redacted)
    }

    @Test func sweepRewritesZstdLogsAsZstd() throws {
        let root = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let path = root.appendingPathComponent("logs/access.log.1.zst").path
        try Self.writeZstd(Self.line, to: path)
        _ = try Anonlog.shell("touch -d '2026-11-01 12:00:00 UTC' '\(path)'")
        let policy = """
            state_file = "\(root.path)/var/state.json"
            audit_log = "\(root.path)/var/audit.jsonl"
            [[rule]]
            name = "web"
            paths = ["\(root.path)/logs/access.log.*"]
            redact_after = "14d"
            """
        try Data(policy.utf8).write(to: root.appendingPathComponent("policy.toml"))
        let result = try Anonlog.run(["sweep", "--policy", root.appendingPathComponent("policy.toml").path, "--now", "2026-11-26"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4) == Data([0x28, 0xb5, 0x2f, 0xfd]))
        #expect(try Self.unzstd(path) == Self.redacted)
    }
}
