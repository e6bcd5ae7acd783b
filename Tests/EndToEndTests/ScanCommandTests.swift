import Foundation
import Testing

/// `anonlog scan` on a tree with planted findings: exact positions, exit codes, and no raw
/// value in any output unless asked.
@Suite struct ScanCommandTests {
    /// Builds the tree; returns its root.
    static func makeTree() throws -> URL {
        let root = try Anonlog.tempDirectory()
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("www/uploads/2026"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("logs"), withIntermediateDirectories: true)
        func write(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(path))
        }
        try write("www/index.html", "<p>Kontakt: info@example.se</p>\n<p>no pii here</p>\n")
        try write("www/uploads/2026/export.csv", "id;pnr;email\n1;850709-9805;anna@example.se\n2;19121212+1212;x\n3;8507099806;bad checksum\n")
        try write("logs/app.log", "2026-11-26 ok\n2026-11-26 user 198507099805 logged in from 192.0.2.7\n")
        try write("logs/clean.log", "nothing to see\n")
        _ = try Anonlog.shell("cd '\(root.path)/logs' && printf 'line one\\nleak 850709-9805 here\\n' | gzip -c > old.log.gz && printf 'xz 121212-1212\\n' | xz -c > older.log.xz")
        try Data([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0] + Array("850709-9805".utf8)).write(to: root.appendingPathComponent("www/app.bin"))
        _ = try Anonlog.shell("cd '\(root.path)/logs' && printf 'x 850709-9805\\n' | gzip -c | head -c 20 > broken.log.gz")
        return root
    }

    static let expectedPersonnummer = [
        "logs/app.log:2:17: personnummer 19850709****",
        "logs/old.log.gz:2:6: personnummer 850709-****",
        "logs/older.log.xz:1:4: personnummer 121212-****",
        "www/uploads/2026/export.csv:2:3: personnummer 850709-****",
        "www/uploads/2026/export.csv:3:3: personnummer 19121212+****",
    ]

    @Test func findsExactlyThePlantedPersonnummer() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Anonlog.run(["scan", "-r", "--only", "personnummer", "--today", "2026-11-26", "--exclude", "broken.log.gz", root.path])
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        let findings = lines.filter { !$0.hasPrefix("summary:") }.map { $0.replacingOccurrences(of: root.path + "/", with: "") }
        #expect(findings == Self.expectedPersonnummer)
        #expect(lines.last == "summary: 5 findings (personnummer 5) in 4 of 6 files, \(Self.scannedBytes) bytes scanned; 1 binary file skipped")
        #expect(result.status == 1)
        // (The temp directory's random name is left out: it may contain any digits.)
        let printed = String(decoding: result.stdout, as: UTF8.self).replacingOccurrences(of: root.path, with: "")
        #expect(!printed.contains("9805"))
    }

    // Decoded sizes of the six text files (wc -c).
    static let scannedBytes = 51 + 87 + 68 + 15 + 31 + 15

    @Test func corruptArchiveIsAnErrorAndScanningGoesOn() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Anonlog.run(["scan", "-r", "--only", "personnummer", "--today", "2026-11-26", root.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.log.gz: truncated gzip data"))
        #expect(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").count == Self.expectedPersonnummer.count + 1)
    }

    @Test func jsonReportsEveryFindingWithPositionsAndASummary() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Anonlog.run(["scan", "-r", "--json", "--today", "2026-11-26", "--exclude", "*.gz", root.appendingPathComponent("logs").path])
        let objects = try String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let findings = objects.filter { $0["line"] != nil }.map {
            "\(($0["path"] as! String).split(separator: "/").last!):\($0["line"]!):\($0["column"]!):\($0["length"]!):\($0["type"]!):\($0["masked"]!)"
        }
        #expect(findings == ["app.log:2:17:12:personnummer:19850709****", "app.log:2:45:9:ipv4:192.0.2.*",
                             "older.log.xz:1:4:11:personnummer:121212-****"])
        let summary = try #require(objects.last?["summary"] as? [String: Any])
        #expect(summary["findings"] as? Int == 3)
        #expect(summary["files"] as? Int == 3)
        #expect(result.status == 1)
        #expect(!String(decoding: result.stdout, as: UTF8.self).replacingOccurrences(of: root.path, with: "").contains("192.0.2.7"))
    }

    @Test func showValuesPrintsRawValuesOnlyWhenAsked() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("www/index.html").path
        let masked = try Anonlog.run(["scan", path])
        #expect(String(decoding: masked.stdout, as: UTF8.self).hasPrefix("\(path):1:13: email i***@example.se\n"))
        let shown = try Anonlog.run(["scan", "--show-values", path])
        #expect(String(decoding: shown.stdout, as: UTF8.self).hasPrefix("\(path):1:13: email i***@example.se info@example.se\n"))
    }

    @Test func countAndExitCodes() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let counted = try Anonlog.run(["scan", "--count", "-r", "--exclude", "broken*", "--today", "2026-11-26", root.appendingPathComponent("www").path])
        let lines = String(decoding: counted.stdout, as: UTF8.self).split(separator: "\n").map { $0.replacingOccurrences(of: root.path + "/", with: "") }
        #expect(lines.prefix(2) == ["www/index.html: 1 (email 1)", "www/uploads/2026/export.csv: 3 (email 1, personnummer 2)"])
        let clean = try Anonlog.run(["scan", root.appendingPathComponent("logs/clean.log").path])
        #expect(clean.status == 0)
        let directory = try Anonlog.run(["scan", root.path])
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("is a directory (use -r to scan it)"))
        let binary = try Anonlog.run(["scan", "--binary", "--only", "personnummer", root.appendingPathComponent("www/app.bin").path])
        #expect(binary.status == 1)
    }

    @Test func manyFilesGiveTheSameReportAsOneByOne() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let args = ["scan", "-r", "--exclude", "broken*", "--today", "2026-11-26", root.path]
        let parallel = try Anonlog.run(args + ["-j", "4"])
        let serial = try Anonlog.run(args + ["-j", "1"])
        #expect(parallel.stdout == serial.stdout)
    }
}
