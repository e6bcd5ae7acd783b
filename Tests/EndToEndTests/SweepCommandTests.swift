import Foundation
import Testing

/// `anonlog sweep` on a temp tree with a fixed clock: stages, kept metadata, state, audit,
/// locking, policy errors, and a crash test that SIGKILLs sweeps at random moments.
@Suite(.serialized) struct SweepCommandTests {
    /// A tree of gzip logs with mtimes spread over a month, a key, and a policy.
    struct Tree {
        let root: URL
        var logs: URL { root.appendingPathComponent("logs") }
        var policy: String { root.appendingPathComponent("policy.toml").path }
        var state: String { root.appendingPathComponent("var/state.json").path }
        var audit: String { root.appendingPathComponent("var/audit.jsonl").path }

        init(files: Int = 4, linesPerFile: Int = 3) throws {
            root = try Anonlog.tempDirectory()
            try FileManager.default.createDirectory(at: root.appendingPathComponent("logs"), withIntermediateDirectories: true)
            try Data("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n".utf8).write(to: root.appendingPathComponent("key"))
            chmod(root.appendingPathComponent("key").path, 0o600)
            for index in 0..<files {
                let day = 1 + (index * 7) % 25
                var text = ""
                for line in 0..<linesPerFile {
                    text += "192.0.2.\(line % 250 + 1) - erik [\(String(format: "%02d", day))/Nov/2026:10:00:00 +0100] \"GET /?e=anna%40example.se&pnr=850709-9805 HTTP/1.1\" 200 \(line)\n"
                }
                let path = root.appendingPathComponent("logs/access.log.\(index).gz").path
                let plain = root.appendingPathComponent("plain.tmp").path
                try Data(text.utf8).write(to: URL(fileURLWithPath: plain))
                _ = try Anonlog.shell("gzip -c '\(plain)' > '\(path)' && rm '\(plain)' && chmod 640 '\(path)' && touch -d '2026-11-\(String(format: "%02d", day)) 12:00:00 UTC' '\(path)'")
            }
            try Data("live\n".utf8).write(to: root.appendingPathComponent("logs/access.log"))
            let policy = """
                # retention for web logs
                key_file = "\(root.path)/key"
                state_file = "\(root.path)/var/state.json"
                audit_log = "\(root.path)/var/audit.jsonl"

                [[rule]]
                name = "web"
                paths = ["\(root.path)/logs/access.log.*"]
                pseudonymize_after = "1d"
                redact_after = "14d"
                delete_after = "24d"
                [rule.redact]
                ip = "truncate"
                """
            try Data(policy.utf8).write(to: URL(fileURLWithPath: self.policy))
        }

        func contents(_ name: String) throws -> String {
            String(decoding: try Anonlog.shell("gzip -dc '\(logs.path)/\(name)'").stdout, as: UTF8.self)
        }

        func sweep(_ extra: [String] = [], now: String = "2026-11-26") throws -> Anonlog.Result {
            try Anonlog.run(["sweep", "--policy", policy, "--now", now] + extra)
        }
    }

    @Test func movesEachFileToTheStageItsAgeCallsFor() throws {
        let tree = try Tree()
        defer { try? FileManager.default.removeItem(at: tree.root) }
        // Files 0..3 have mtimes 1, 8, 15, 22 November: ages 25, 18, 11, 4 days on the 26th.
        let before = try FileManager.default.attributesOfItem(atPath: tree.logs.appendingPathComponent("access.log.3.gz").path)
        let plan = try tree.sweep(["--dry-run"])
        #expect(String(decoding: plan.stdout, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "(")[0].trimmingCharacters(in: .whitespaces) } == [
            "\(tree.logs.path)/access.log.0.gz: raw -> deleted", "\(tree.logs.path)/access.log.1.gz: raw -> redacted",
            "\(tree.logs.path)/access.log.2.gz: raw -> pseudonymized", "\(tree.logs.path)/access.log.3.gz: raw -> pseudonymized",
        ])
        #expect(!FileManager.default.fileExists(atPath: tree.state))   // a dry run writes nothing
        let result = try tree.sweep()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.logs.appendingPathComponent("access.log.0.gz").path))
        let redacted = try tree.contents("access.log.1.gz")
        #expect(redacted.hasPrefix("192.0.2.0 - - [08/Nov/2026:10:00:00 +0100] \"GET /?e=redacted%40anon.invalid&pnr=000000-0000 HTTP/1.1\" 200 0\n"))
        let pseudonymised = try tree.contents("access.log.3.gz")
        #expect(!pseudonymised.contains("erik") && !pseudonymised.contains("anna") && !pseudonymised.contains("850709"))
        #expect(pseudonymised.contains(" - u-rmtrk5bqqh6y [") && pseudonymised.contains("pnr=pnr-3jyws2g5au47"))
        let after = try FileManager.default.attributesOfItem(atPath: tree.logs.appendingPathComponent("access.log.3.gz").path)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(after[.posixPermissions] as? Int == 0o640)
        #expect(try tree.contents("access.log.3.gz") == pseudonymised)
        #expect(try String(contentsOf: tree.logs.appendingPathComponent("access.log"), encoding: .utf8) == "live\n")

        // Idempotent: a second sweep at the same time does nothing.
        let again = try tree.sweep(["--dry-run"])
        #expect(String(decoding: again.stdout, as: UTF8.self) == "nothing to do\n")
        // Later, the pseudonymised files are redacted (tokens included) and the rest deleted.
        _ = try tree.sweep(now: "2026-12-07")
        // The pseudonymised address is what gets truncated (the original is long gone).
        let later = try tree.contents("access.log.3.gz")
        let firstLine = later.split(separator: "\n")[0]
        #expect(firstLine.hasSuffix(".0 - - [22/Nov/2026:10:00:00 +0100] \"GET /?e=redacted%40anon.invalid&pnr=000000-0000 HTTP/1.1\" 200 0"))
        #expect(!later.contains("192.0.2.") && !later.contains("u-") && !later.contains("pnr-"))
        #expect(!FileManager.default.fileExists(atPath: tree.logs.appendingPathComponent("access.log.1.gz").path))

        let audit = try String(contentsOfFile: tree.audit, encoding: .utf8).split(separator: "\n")
        #expect(audit.count == 4 + 3)
        // Files are processed in parallel: find the record by content, not by position.
        let records = try audit.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let first = try #require(records.first { $0["to"] as? String == "redacted" && $0["from"] as? String == "raw" })
        #expect((first["path"] as? String)?.hasSuffix("access.log.1.gz") == true)
        #expect((first["counts"] as? [String: Int])?["ipv4"] == 3)
        let all = audit.joined().replacingOccurrences(of: tree.root.path, with: "")
        for raw in ["erik", "anna", "850709", "192.0.2.1 "] { #expect(!all.contains(raw)) }
    }

    /// Regression (CI, ext4): one worker deleted or rewrote a file, freeing its inode; another
    /// worker's temp file got that inode and recorded its new stage; then the first worker
    /// dropped "its" old record and with it the other file's, so the next sweep redid the file.
    @Test func parallelWorkersNeverDropEachOthersRecords() throws {
        for round in 0..<4 {
            let tree = try Tree(files: 64, linesPerFile: 2)
            defer { try? FileManager.default.removeItem(at: tree.root) }
            #expect(try tree.sweep(["--jobs", "16"]).status == 0)
            let again = try tree.sweep(["--dry-run"])
            #expect(String(decoding: again.stdout, as: UTF8.self) == "nothing to do\n", "round \(round)")
        }
    }

    @Test func aFileRenamedByLogrotateIsRecognised() throws {
        let tree = try Tree(files: 4)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        #expect(try tree.sweep().status == 0)
        let before = try tree.contents("access.log.3.gz")
        // logrotate shifts .3 to .7: same inode, so still pseudonymised, not again.
        #expect(rename(tree.logs.appendingPathComponent("access.log.3.gz").path, tree.logs.appendingPathComponent("access.log.7.gz").path) == 0)
        let plan = try tree.sweep(["--dry-run"])
        #expect(String(decoding: plan.stdout, as: UTF8.self) == "nothing to do\n")
        #expect(try tree.contents("access.log.7.gz") == before)
    }

    @Test func aFailingFileIsReportedAndTheRestIsDone() throws {
        let tree = try Tree(files: 4)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let broken = tree.logs.appendingPathComponent("access.log.2.gz").path
        _ = try Anonlog.shell("head -c 30 '\(broken)' > '\(broken).cut' && mv '\(broken).cut' '\(broken)' && touch -d '2026-11-15 12:00 UTC' '\(broken)'")
        let result = try tree.sweep()
        #expect(result.status == 1)
        #expect(result.stderr == "anonlog: \(broken): truncated gzip data (unexpected end of file)\n")
        #expect(!(try tree.contents("access.log.3.gz")).contains("erik"))
        let audit = try String(contentsOfFile: tree.audit, encoding: .utf8)
        #expect(audit.contains("\"error\":\"\(broken): truncated gzip data"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.logs.path).allSatisfy { !$0.contains(".anonlog-") })
    }

    @Test func youngFilesAreNotTouched() throws {
        let tree = try Tree(files: 1)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let path = tree.logs.appendingPathComponent("access.log.0.gz").path
        _ = try Anonlog.shell("touch -d '2026-11-25 23:59:30 UTC' '\(path)'")
        let plan = try tree.sweep(["--dry-run"], now: "2026-11-26T00:00:00Z")
        #expect(String(decoding: plan.stdout, as: UTF8.self) == "nothing to do\n")
    }

    @Test func aSecondSweepWaitsForNoOne() throws {
        let tree = try Tree(files: 1)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        // Hold the lock from a shell with flock(1), then sweep.
        let lock = tree.state + ".lock"
        try FileManager.default.createDirectory(atPath: (lock as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let ready = tree.root.appendingPathComponent("holding").path
        let release = tree.root.appendingPathComponent("release").path
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lock, "sh", "-c", "touch '\(ready)'; while [ ! -e '\(release)' ]; do sleep 0.05; done"]
        try holder.run()
        // Wait until the lock is really held (no timing guess), sweep, then let the holder go.
        while !FileManager.default.fileExists(atPath: ready) && holder.isRunning { usleep(10_000) }
        let blocked = try tree.sweep()
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        holder.waitUntilExit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("another sweep is running"))
        #expect(try tree.contents("access.log.0.gz").contains("erik"))
        #expect(try tree.sweep().status == 0)
    }

    @Test(arguments: [
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\"]\nredact_after = \"soon\"\n", ":5: 'soon' is not a duration"),
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\"]\ncolour = \"blue\"\n", ":5: unknown or mistyped rule key 'colour'"),
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\"]\nredact_after = \"2d\"\npseudonymize_after = \"5d\"\n", "stages must come in order"),
        ("state_file = \"/x\"\n[[rule]]\npaths = [\"/z\"]\nredact_after = \"2d\"\n", ":1: missing 'audit_log'"),
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\",\n  \"/w\"\nredact_after = \"2d\"\n", "unterminated array"),
        // Regression (issue 16): a duration that overflowed trapped (exit 132 and a memory dump).
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\"]\ndelete_after = \"9223372036854775807h\"\n", ":5: '9223372036854775807h' is not a duration"),
        // Regression (issue 16): relative paths resolved against the working directory.
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"logs/*.log\"]\ndelete_after = \"2d\"\n", ":4: 'logs/*.log' is a relative path"),
        ("state_file = \"x.json\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/z\"]\ndelete_after = \"2d\"\n", ":1: 'state_file' must be an absolute path"),
        // Regression (issue 16): system trees are planned for deletion only when the rule says so.
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/etc/*\"]\ndelete_after = \"2d\"\n", "'/etc/*' reaches system files"),
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/**\"]\ndelete_after = \"2d\"\n", "'/**' reaches system files"),
        ("state_file = \"/x\"\naudit_log = \"/y\"\n[[rule]]\npaths = [\"/lib64/x\"]\ndelete_after = \"2d\"\n", "'/lib64/x' reaches system files"),
    ])
    func policyErrorsNameTheLine(policy: String, message: String) throws {
        let root = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("p.toml").path
        try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Anonlog.run(["sweep", "--policy", path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("anonlog: \(path)"))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// Regression (issue 16): the shipped logrotate hook pseudonymised `access.log.1`,
    /// logrotate renamed and gzipped it (a new inode), and the sweep pseudonymised the
    /// addresses again, so `anonlog pseudonym` found nothing. Every pseudonymising rewrite now
    /// lists its output's digest beside the key, and the sweep leaves listed content alone.
    @Test func whatTheLogrotateHookPseudonymisedIsNotPseudonymisedAgain() throws {
        let tree = try Tree(files: 2)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let key = tree.root.appendingPathComponent("key").path
        let rotated = tree.logs.appendingPathComponent("access.log.9").path
        try "192.0.2.1 - erik [22/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n".write(toFile: rotated, atomically: true, encoding: .utf8)
        // The hook, after logrotate's first rotation.
        let hook = try Anonlog.run(["--key-file", key, "--in-place", rotated])
        #expect(hook.status == 0, "\(hook.stderr)")
        let once = try String(contentsOfFile: rotated, encoding: .utf8)
        #expect(!once.contains("192.0.2.1") && !once.contains("erik"))
        #expect(FileManager.default.fileExists(atPath: key + ".digests"))
        // logrotate's next rotation: renamed and compressed (a new inode), mtime 22 November.
        _ = try Anonlog.shell("cd '\(tree.logs.path)' && mv access.log.9 access.log.10 && touch -d '2026-11-22 12:00:00 UTC' access.log.10 && gzip access.log.10")
        let sweep = try tree.sweep()
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(try tree.contents("access.log.10.gz") == once)
        let address = try Anonlog.run(["pseudonym", "--type", "ipv4", "192.0.2.1", "--key-file", key])
        let pseudonym = String(decoding: address.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!pseudonym.isEmpty && once.contains(pseudonym + " "), "\(pseudonym) in \(once)")
        let audit = try String(contentsOfFile: tree.audit, encoding: .utf8)
        #expect(audit.contains("access.log.10.gz") && audit.contains("already pseudonymized"))
        // And the hook run again on the same content leaves it as it is.
        _ = try Anonlog.shell("gzip -dc '\(tree.logs.path)/access.log.10.gz' > '\(rotated)'")
        let again = try Anonlog.run(["--key-file", key, "--in-place", rotated])
        #expect(again.status == 0 && again.stderr.contains("already pseudonymised by anonlog"), "\(again.stderr)")
        #expect(try String(contentsOfFile: rotated, encoding: .utf8) == once)
    }

    /// Regression (issue 16): a corrupt state file stopped every sweep, deletions included,
    /// until an admin acted; moving it away re-pseudonymised every address. Now it is kept
    /// aside and rebuilt, and the registry keeps pseudonymised files as they are.
    @Test func aCorruptStateFileIsKeptAsideAndRebuilt() throws {
        let tree = try Tree(files: 4)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        #expect(try tree.sweep().status == 0)
        let pseudonymised = try tree.contents("access.log.3.gz")
        try Data("{\"1:2\": {\"stage\": ".utf8).write(to: URL(fileURLWithPath: tree.state))
        let dry = try tree.sweep(["--dry-run"])
        #expect(dry.stderr.contains("not valid JSON"), "\(dry.stderr)")
        #expect(try String(contentsOfFile: tree.state, encoding: .utf8).hasPrefix("{\"1:2\""), "a dry run changes nothing")
        let run = try tree.sweep()
        #expect(run.status == 1)
        #expect(run.stderr.contains("was not valid JSON; kept as"), "\(run.stderr)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: tree.root.appendingPathComponent("var").path)
            .filter { $0.hasPrefix("state.json.corrupt-") }
        #expect(aside.count == 1)
        #expect(try tree.contents("access.log.3.gz") == pseudonymised)
        #expect(String(decoding: try tree.sweep(["--dry-run"]).stdout, as: UTF8.self) == "nothing to do\n")
    }

    /// Regression (issue 16): a file name that is not UTF-8 (`access.log.\xe5`) is swept, and
    /// named losslessly in the audit log and the state file (`\xe5`, not U+FFFD).
    @Test func namesThatAreNotUTF8AreSweptAndNamedLosslessly() throws {
        let tree = try Tree(files: 1)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let raw: [CChar] = (Array((tree.logs.path + "/access.log.").utf8) + [0xE5, 0]).map { CChar(bitPattern: $0) }
        let fd = open(raw, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(fd >= 0)
        _ = write(fd, "192.0.2.7 - erik [20/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n", 70)
        var times = [timespec(tv_sec: 1_795_176_000, tv_nsec: 0), timespec(tv_sec: 1_795_176_000, tv_nsec: 0)]   // 20 Nov 2026, 12:00 UTC
        #expect(futimens(fd, &times) == 0)
        close(fd)
        let result = try tree.sweep()
        #expect(result.status == 0, "\(result.stderr)")
        let audit = try String(contentsOfFile: tree.audit, encoding: .utf8)
        #expect(audit.contains("access.log.\\\\xe5\""), "\(audit)")
        #expect(!audit.contains("\u{FFFD}"))
        let state = try String(contentsOfFile: tree.state, encoding: .utf8)
        #expect(state.contains("access.log.\\\\xe5\"") && !state.contains("\u{FFFD}"), "\(state)")
    }

    /// Regression (issue 16): a bzip2 log was read as plain text, "pseudonymised" into a
    /// corrupt file with exit 0 and an audit record saying so. Now it is refused, untouched,
    /// named in the audit log and on stderr, and the sweep exits 1.
    @Test func aLogInAFormatAnonlogCannotReadIsRefusedBySweep() throws {
        let tree = try Tree(files: 1)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let path = tree.logs.appendingPathComponent("access.log.5").path
        _ = try Anonlog.shell("printf '192.0.2.1 - erik [20/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\\n' | (bzip2 -c 2>/dev/null || printf 'BZh91AY&SY') > '\(path)' && touch -d '2026-11-20 12:00:00 UTC' '\(path)'")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try tree.sweep()
        #expect(result.status == 1)
        #expect(result.stderr.contains("access.log.5: is bzip2 data, which anonlog cannot read; left untouched"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let audit = try String(contentsOfFile: tree.audit, encoding: .utf8)
        #expect(audit.contains("is bzip2 data") && audit.contains("\"error\""))
    }

    /// Regression (issue 16): on a full disk the audit log got one truncated record, lost the
    /// rest, and the sweep deleted files and exited 0. Now the record comes before the action,
    /// a record that cannot be written is cut off whole, and nothing further is done.
    @Test func anAuditLogThatCannotBeWrittenStopsTheSweepBeforeItDeletes() throws {
        let tree = try Tree(files: 4)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        // A file size limit of 64 KiB (ulimit -f 64) and an audit log 40 bytes short of it.
        try FileManager.default.createDirectory(atPath: tree.root.appendingPathComponent("var").path, withIntermediateDirectories: true)
        let old = String(repeating: "{\"time\":\"2026-01-01T00:00:00Z\",\"note\":\"an earlier record\"}\n", count: 1)
        var prefill = String(repeating: old, count: (65536 - 40) / old.utf8.count)
        prefill += String(repeating: " ", count: 65536 - 40 - prefill.utf8.count - 1) + "\n"
        try Data(prefill.utf8).write(to: URL(fileURLWithPath: tree.audit))
        let run = try Anonlog.shell("ulimit -f 64; '\(Anonlog.binary.path)' sweep --policy '\(tree.policy)' --now 2026-11-26 2>'\(tree.root.path)/err'; echo $?")
        let status = String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = try String(contentsOfFile: tree.root.path + "/err", encoding: .utf8)
        #expect(status != "0", "\(stderr)")
        #expect(stderr.contains("cannot write the audit log"), "\(stderr)")
        // Nothing was deleted or rewritten, and the log holds no half record.
        #expect(FileManager.default.fileExists(atPath: tree.logs.appendingPathComponent("access.log.0.gz").path))
        #expect(try tree.contents("access.log.1.gz").contains("192.0.2.1 "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.audit)) == Data(prefill.utf8))
    }

    /// Regression (issue 16): a policy saved with CRLF line ends was "line 1: unterminated
    /// string"; and `allow_system_paths = true` lets a rule say it means a system tree.
    @Test func crlfPoliciesParseAndSystemPathsCanBeAllowed() throws {
        let tree = try Tree(files: 4)
        defer { try? FileManager.default.removeItem(at: tree.root) }
        let text = try String(contentsOfFile: tree.policy, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: URL(fileURLWithPath: tree.policy))
        let plan = try tree.sweep(["--dry-run"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(String(decoding: plan.stdout, as: UTF8.self).contains("access.log.1.gz: raw -> redacted"))
        let policy = tree.root.appendingPathComponent("system.toml").path
        try Data("state_file = \"\(tree.state)\"\naudit_log = \"\(tree.audit)\"\n[[rule]]\npaths = [\"/etc/anonlog-test-none-*\"]\nallow_system_paths = true\ndelete_after = \"2d\"\n".utf8)
            .write(to: URL(fileURLWithPath: policy))
        let allowed = try Anonlog.run(["sweep", "--policy", policy, "--dry-run"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func killedSweepsLeaveEveryFileOldOrComplete() throws {
        // The expected end state, from an uninterrupted sweep of an identical tree.
        let reference = try Tree(files: 12, linesPerFile: 4000)
        defer { try? FileManager.default.removeItem(at: reference.root) }
        let pristine = reference.root.appendingPathComponent("pristine").path
        _ = try Anonlog.shell("cp -a '\(reference.logs.path)' '\(pristine)'")
        #expect(try reference.sweep().status == 0)
        var expected: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: reference.logs.path) {
            expected[name] = try Anonlog.shell("gzip -dc -f '\(reference.logs.path)/\(name)'").stdout
        }
        var original: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: pristine) {
            original[name] = try Anonlog.shell("gzip -dc -f '\(pristine)/\(name)'").stdout
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            _ = try Anonlog.shell("rm -rf '\(reference.logs.path)' '\(reference.root.path)/var' && cp -a '\(pristine)' '\(reference.logs.path)'")
            let process = Process()
            process.executableURL = Anonlog.binary
            process.arguments = ["sweep", "--policy", reference.policy, "--now", "2026-11-26"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...400_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Every file is either untouched or completely processed (or deleted, if due).
            for (name, old) in original {
                let path = "\(reference.logs.path)/\(name)"
                guard FileManager.default.fileExists(atPath: path) else {
                    #expect(expected[name] == nil, "round \(round): \(name) vanished but was not due for deletion")
                    continue
                }
                let now = try Anonlog.shell("gzip -dc -f '\(path)'").stdout
                #expect(now == old || now == expected[name], "round \(round): \(name) is neither old nor complete")
            }
            // The next sweep finishes the work exactly once and leaves no temp file.
            #expect(try reference.sweep().status == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: reference.logs.path)
            #expect(!names.contains { $0.contains(".anonlog-") }, "round \(round): stray temp files \(names)")
            #expect(Set(names) == Set(expected.keys))
            for (name, content) in expected {
                #expect(try Anonlog.shell("gzip -dc -f '\(reference.logs.path)/\(name)'").stdout == content, "round \(round): \(name)")
            }
        }
    }
}
