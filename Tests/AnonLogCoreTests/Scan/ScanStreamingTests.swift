@testable import AnonLogCore
import Foundation
import Testing

/// `scan` reports as it goes: a file's findings chunk by chunk before the file ends, files in
/// path order whatever the thread timing, and the same findings as one whole-file search.
@Suite struct ScanStreamingTests {
    /// Records every reporter call in order.
    final class Recorder: ScanReporter, @unchecked Sendable {
        // Guarded by `lock`; `TreeScanner` calls one at a time, but from several threads.
        private let lock = NSLock()
        private(set) var events: [String] = []
        private(set) var findings: [String: [Finding]] = [:]

        func found(_ items: [Finding], in path: String) {
            lock.withLock {
                events.append("found \((path as NSString).lastPathComponent) \(items.count)")
                findings[path, default: []] += items
            }
        }

        func finished(_ report: FileReport) {
            lock.withLock { events.append("finished \((report.path as NSString).lastPathComponent) \(report.findingCount)") }
        }
    }

    /// Lines with one address each: `lines` findings.
    static func log(lines: Int, salt: Int) -> String {
        (0..<lines).map { "line \($0) from 10.\(salt).\($0 / 250).\($0 % 250 + 1) ok\n" }.joined()
    }

    @Test func aLargeFileIsReportedChunkByChunkBeforeItEnds() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.log").path
        try Self.log(lines: 2000, salt: 1).write(toFile: path, atomically: false, encoding: .utf8)
        var options = ScanOptions()
        options.chunkSize = 4096
        options.threads = 2
        let recorder = Recorder()
        TreeScanner(options: options).scan([path], reporter: recorder)
        let founds = recorder.events.filter { $0.hasPrefix("found") }
        #expect(founds.count > 10, "findings arrive per chunk, not once at the end")
        #expect(recorder.events.last == "finished big.log 2000")
        // In line order, every line once, the same as a one-chunk search.
        let lines = recorder.findings[path, default: []].map(\.line)
        #expect(lines == Array(1...2000))
    }

    @Test func filesAreReportedInPathOrderEvenWhenTheFirstIsTheLargest() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sizes = [3000, 5, 40, 1, 200, 7]
        for (index, lines) in sizes.enumerated() {
            try Self.log(lines: lines, salt: index).write(toFile: directory.appendingPathComponent("f\(index).log").path,
                                                          atomically: false, encoding: .utf8)
        }
        var options = ScanOptions()
        options.recursive = true
        options.threads = 3
        options.chunkSize = 2048
        let recorder = Recorder()
        TreeScanner(options: options).scan([directory.path], reporter: recorder)
        let finished = recorder.events.filter { $0.hasPrefix("finished") }
        #expect(finished == sizes.indices.map { "finished f\($0).log \(sizes[$0])" })
        // Every file's findings come before its `finished` and after the previous file's.
        var current = 0
        for event in recorder.events {
            let name = event.split(separator: " ")[1]
            #expect(name == "f\(current).log", "\(event) while f\(current).log is reported")
            if event.hasPrefix("finished") { current += 1 }
        }
    }

    @Test func scanNeedsNoPlanAndFindsWhatDetectionAsksFor() throws {
        var detection = DetectionConfig()
        detection.types = [.email]
        let options = PipelineOptions(scanning: detection)
        #expect(options.detection.types == [.email])
        #expect(options.plan == .keepAll)
    }
}
