import Foundation
import Testing

/// The PySpark job (`scripts/spark/anonlog_spark.py`, SPEC.md "Scale") on `local[2]`: every
/// output file equals a local run byte for byte, the scan's counts equal a local scan's, and a
/// key others can read is refused. Needs Java and pyspark (`.ci/run` installs them); without
/// them the suite is reported as skipped.
@Suite(.enabled(if: Spark.submit != nil, "Java and pyspark are missing: .ci/run installs them"), .serialized)
struct SparkJobTests {
    /// The job's script.
    static let script = Anonlog.packageRoot.appendingPathComponent("scripts/spark/anonlog_spark.py").path

    /// A tree of 20 logs: plain, gzip and xz, from the samples, with different mtimes, one of
    /// them 50 MB; and a key.
    static func makeTree() throws -> (root: URL, input: URL, key: String) {
        let root = try Anonlog.tempDirectory()
        let input = root.appendingPathComponent("archive")
        let samples = Anonlog.packageRoot.appendingPathComponent("Samples").path
        let names = ["access.log", "app.log", "auth.log"]
        for index in 0..<19 {
            let directory = input.appendingPathComponent("host\(index % 4)/\(2026 - index % 3)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let sample = "\(samples)/\(names[index % 3])"
            let base = directory.appendingPathComponent("\(names[index % 3]).\(index)").path
            let command: String
            switch index % 3 {
            case 0: command = "cat '\(sample)' '\(sample)' > '\(base)'"
            case 1: command = "cat '\(sample)' | gzip -c > '\(base).gz'"
            default: command = "cat '\(sample)' | xz -c > '\(base).xz'"
            }
            #expect(try Anonlog.shell(command + " && touch -d '2026-0\(1 + index % 9)-15 12:00:00 UTC' '\(base)'*").status == 0)
        }
        // 50 MB: the access sample over and over.
        let big = input.appendingPathComponent("host0/big-access.log").path
        #expect(try Anonlog.shell("s='\(samples)/access.log'; cat \"$s\" \"$s\" \"$s\" \"$s\" \"$s\" \"$s\" \"$s\" \"$s\" > '\(root.path)/x8'; "
            + "for i in $(seq 1 940); do cat '\(root.path)/x8'; done > '\(big)'; rm '\(root.path)/x8'").status == 0)
        let key = root.appendingPathComponent("key").path
        try Data("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n".utf8).write(to: URL(fileURLWithPath: key))
        chmod(key, 0o600)
        return (root, input, key)
    }

    /// gzip, xz or plain, by magic bytes.
    static func format(_ data: Data) -> String {
        if data.starts(with: [0x1f, 0x8b]) { return "gzip" }
        if data.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return "xz" }
        return "plain"
    }

    /// Every regular file under `directory`, relative, sorted.
    static func files(_ directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])!
        return enumerator.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { return nil }
            return String(url.path.dropFirst(directory.path.count + 1))
        }.sorted()
    }

    @Test func everyFileEqualsALocalRunAndTheScanCountsAgree() throws {
        let (root, input, key) = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Self.files(input).count == 20)
        let options = ["--key-file", key, "--key-epoch", "monthly", "--today", "2026-11-26"]
        let output = root.appendingPathComponent("out")
        let job = try Spark.run([Self.script, "--anonlog", Anonlog.binary.path, "--input", input.path, "--output", output.path, "--"] + options)
        #expect(job.status == 0, "\(job.stderr)")
        #expect(Self.files(output) == Self.files(input))
        for relative in Self.files(input) {
            let local = root.appendingPathComponent("local.tmp").path
            let run = try Anonlog.run(options + ["-o", local, input.appendingPathComponent(relative).path])
            #expect(run.status == 0, "\(run.stderr)")
            let expected = try Data(contentsOf: URL(fileURLWithPath: local))
            let got = try Data(contentsOf: output.appendingPathComponent(relative))
            #expect(got == expected, "\(relative) differs from a local run")
            #expect(Self.format(got) == Self.format(try Data(contentsOf: input.appendingPathComponent(relative))), "\(relative) changed format")
        }

        let scanned = root.appendingPathComponent("scan")
        // A glob this time: every file at any depth, paths relative to the glob's directory.
        let scan = try Spark.run([Self.script, "--anonlog", Anonlog.binary.path, "--input", input.path + "/**/*", "--output", scanned.path, "--scan"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: scanned.appendingPathComponent("summary.json"))) as! [String: Any]
        let local = try Anonlog.run(["scan", "--json", "-r", input.path])
        let last = String(decoding: local.stdout, as: UTF8.self).split(separator: "\n").last!
        let localSummary = (try JSONSerialization.jsonObject(with: Data(last.utf8)) as! [String: Any])["summary"] as! [String: Any]
        #expect(summary["findings"] as? Int == localSummary["findings"] as? Int)
        let counts = localSummary["counts"] as! [String: Int]
        let perType = summary["per_type"] as! [String: Int]
        #expect(perType == counts.filter { $0.value > 0 })
        let lines = try String(contentsOf: scanned.appendingPathComponent("findings.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == localSummary["findings"] as? Int)
        let perFile = summary["per_file"] as! [String: [String: Int]]
        #expect(Set(perFile.keys).isSubset(of: Set(Self.files(input))) && perFile.count == 20)
    }

    @Test func linesModePipesTextThroughTheSameFilter() throws {
        let root = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let path = input.appendingPathComponent("access.log").path
        #expect(try Anonlog.shell("for i in $(seq 1 300); do cat '\(sample)'; done > '\(path)'").status == 0)
        let output = root.appendingPathComponent("out")
        let job = try Spark.run([Self.script, "--anonlog", Anonlog.binary.path, "--input", input.path, "--output", output.path, "--lines",
                                 "--", "--profile", "redact", "--today", "2026-11-26"])
        #expect(job.status == 0, "\(job.stderr)")
        let local = try Anonlog.run(["--profile", "redact", "--today", "2026-11-26", path])
        #expect(try Data(contentsOf: output.appendingPathComponent("access.log")) == Data(local.stdout))
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        let (root, input, key) = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        chmod(key, 0o644)
        let output = root.appendingPathComponent("out")
        let job = try Spark.run([Self.script, "--anonlog", Anonlog.binary.path, "--input", input.path, "--output", output.path,
                                 "--", "--key-file", key])
        #expect(job.status == 2)
        #expect(job.stderr.contains("the key is readable or writable by others"), "\(job.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}

/// Finding and running `spark-submit` (pyspark's own) with Java.
enum Spark {
    /// pyspark's `spark-submit`, when pyspark and a working `java` are installed.
    static let submit: String? = {
        guard (try? Anonlog.shell("java -version 2>/dev/null"))?.status == 0 else { return nil }
        guard let found = try? Anonlog.shell("python3 -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), \"bin\", \"spark-submit\"))' 2>/dev/null"),
              found.status == 0 else { return nil }
        let path = String(decoding: found.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Runs `spark-submit --master local[2] ARGUMENTS`; returns the exit status and what it
    /// printed (spark-submit passes a Python driver's stderr to its stdout, so both are read).
    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: submit!)
        process.arguments = ["--master", "local[2]", "--conf", "spark.ui.enabled=false"] + arguments
        let error = Pipe()
        process.standardOutput = error
        process.standardError = error
        try process.run()
        let data = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
