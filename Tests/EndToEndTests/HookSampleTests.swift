import Foundation
import Testing

/// The shipped hooks in Samples/hooks run as written (paths moved into a temp dir, backup
/// tools replaced by stand-ins that record their arguments).
@Suite struct HookSampleTests {
    static var hooks: URL { Anonlog.packageRoot.appendingPathComponent("Samples/hooks") }

    /// A temp root with a key, a staging tree and a fake bin directory.
    static func setUp() throws -> (root: URL, env: String) {
        let root = try Anonlog.tempDirectory()
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("staging/home/anna"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("config"), withIntermediateDirectories: true)
        try Data("Accepted password for anna from 192.0.2.9 port 22\n".utf8)
            .write(to: root.appendingPathComponent("staging/home/anna/auth.log"))
        let listing = "{\\\"path\\\":\\\"/home/anna/cv.pdf\\\",\\\"user\\\":\\\"anna\\\"}"
        for tool in ["restic", "borg"] {
            let script = "#!/bin/sh\necho \"$@\" >> '\(root.path)/\(tool).calls'\necho \"\(listing)\"\n"
            let path = root.appendingPathComponent("bin/\(tool)").path
            try Data(script.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
        }
        let env = "XDG_CONFIG_HOME='\(root.path)/config' ANONLOG='\(Anonlog.binary.path)' STAGING='\(root.path)/staging' PATH='\(root.path)/bin':\"$PATH\""
        return (root, env)
    }

    @Test(arguments: ["restic-pre-backup.sh", "borg-pre-backup.sh"])
    func backupHookAnonymisesStagingThenBacksUp(hook: String) throws {
        let (root, env) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Anonlog.shell("\(env) sh '\(Self.hooks.path)/\(hook)'; echo \"rc=$?\"")
        #expect(String(decoding: result.stdout, as: UTF8.self).hasSuffix("rc=0\n"))
        let log = try String(contentsOf: root.appendingPathComponent("staging/home/anna/auth.log"), encoding: .utf8)
        // Exact fields, not substrings: a random key's tokens could spell anything.
        #expect(!log.contains(" anna ") && !log.contains("192.0.2.9") && log.contains("Accepted password for u-"))
        let tool = hook.hasPrefix("restic") ? "restic" : "borg"
        let calls = try String(contentsOf: root.appendingPathComponent("\(tool).calls"), encoding: .utf8)
        #expect(calls.contains(root.appendingPathComponent("staging").path) || calls.contains("::staging-"))
        let listings = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("staging.") }
        #expect(listings.count == 1)
        let listing = try String(contentsOf: root.appendingPathComponent(listings[0]), encoding: .utf8)
        #expect(!listing.contains("/home/anna/") && !listing.contains("\"anna\"") && listing.contains("\"user\":\"u-"))
    }

    /// The sample policy with every absolute path moved under `root`.
    static func movePolicy(into root: URL) throws -> String {
        var text = try String(contentsOf: hooks.appendingPathComponent("policy.toml"), encoding: .utf8)
        for prefix in ["/etc/", "/var/", "/srv/"] { text = text.replacingOccurrences(of: "\"\(prefix)", with: "\"\(root.path)\(prefix)") }
        let path = root.appendingPathComponent("policy.toml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["anonlog-sweep.cron", "anonlog-sweep.service"])
    func scheduledSweepCommandRunsTheSamplePolicy(file: String) throws {
        let root = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let policy = try Self.movePolicy(into: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/anonlog"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("var/log/nginx"), withIntermediateDirectories: true)
        _ = try Anonlog.run(["keygen", "-o", root.appendingPathComponent("etc/anonlog/key").path])
        let log = root.appendingPathComponent("var/log/nginx/access.log.2.gz").path
        _ = try Anonlog.shell("printf '192.0.2.1 - - [01/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5\\n' | gzip -c > '\(log)' && touch -d '2026-10-01 12:00 UTC' '\(log)'")
        let text = try String(contentsOf: Self.hooks.appendingPathComponent(file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("/usr/local/bin/anonlog sweep") })
        let command = String(line[line.range(of: "/usr/local/bin/anonlog")!.lowerBound...])
            .replacingOccurrences(of: "/usr/local/bin/anonlog", with: Anonlog.binary.path)
            .replacingOccurrences(of: "/etc/anonlog/policy.toml", with: policy)
        let result = try Anonlog.shell("\(command) --now 2026-11-26; echo \"rc=$?\"")
        #expect(String(decoding: result.stdout, as: UTF8.self).hasSuffix("rc=0\n"))
        let after = String(decoding: try Anonlog.shell("gzip -dc '\(log)'").stdout, as: UTF8.self)
        #expect(!after.contains("192.0.2.1 ") && after.hasSuffix(".0 - - [01/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5\n"))
    }

    @Test func logrotateSnippetRewritesTheRotatedLog() throws {
        let root = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("nginx"), withIntermediateDirectories: true)
        try Data("192.0.2.1 - bob [26/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5\n".utf8)
            .write(to: root.appendingPathComponent("nginx/access.log.1"))
        let text = try String(contentsOf: Self.hooks.appendingPathComponent("logrotate-nginx"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("/usr/local/bin/anonlog") })
        let command = line.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "/usr/local/bin/anonlog", with: Anonlog.binary.path)
            .replacingOccurrences(of: "/var/log/nginx", with: root.appendingPathComponent("nginx").path)
        let result = try Anonlog.shell("XDG_CONFIG_HOME='\(root.path)/config' \(command); echo \"rc=$?\"")
        #expect(String(decoding: result.stdout, as: UTF8.self).hasSuffix("rc=0\n"))
        let after = try String(contentsOf: root.appendingPathComponent("nginx/access.log.1"), encoding: .utf8)
        #expect(!after.contains(" bob ") && !after.contains("192.0.2.1 "))
    }
}
