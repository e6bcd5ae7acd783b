import AnonLogCore
import Foundation

/// Prints `scan` results as they arrive: one line (or JSON object) per finding in path and
/// line order, then a summary; errors and skipped files go to stderr, one line each.
final class ScanReport: ScanReporter {
    enum Format { case text, json, count }

    private let format: Format
    private let showValues: Bool
    // Touched only from `ScanReporter` calls, which `TreeScanner` makes one at a time.
    private var out = OutputBuffer()
    private var counts = TypeCounts()
    private var filesWithFindings = 0, bytes = 0, skippedBinary = 0, skippedLarge = 0, skippedUnreadable = 0, scanned = 0
    private var errors = 0, skippedOther = 0

    init(format: Format, showValues: Bool) {
        self.format = format
        self.showValues = showValues
    }

    /// What the walk could not read or left out; nothing is skipped without a word.
    func walked(_ walk: TreeScanner.WalkResult) {
        for path in walk.skipped { writeToStderr("anonlog: \(path.path): skipped (\(path.reason))\n") }
        for error in walk.errors { writeToStderr("anonlog: \(error)\n") }
        errors += walk.errors.count
        skippedOther += walk.skipped.count
    }

    func found(_ findings: [Finding], in path: String) {
        guard format != .count else { return }
        for finding in findings {
            out.line(format == .text ? finding.textLine(path: path, showValues: showValues)
                                     : finding.jsonLine(path: path, showValues: showValues))
        }
    }

    func finished(_ report: FileReport) {
        if let error = report.error {
            out.flush()
            writeToStderr("anonlog: \(error)\n")
            errors += 1
            return
        }
        if let reason = report.skippedUnreadable {
            writeToStderr("anonlog: \(reason); skipped\n")
            skippedUnreadable += 1
            return
        }
        if report.skippedBinary {
            writeToStderr("anonlog: \(report.path): skipped (binary: more than 1% control bytes)\n")
            skippedBinary += 1
            return
        }
        if report.skippedTooLarge {
            writeToStderr("anonlog: \(report.path): skipped (larger than --max-filesize)\n")
            skippedLarge += 1
            return
        }
        scanned += 1
        bytes += report.bytes
        counts.add(report.counts)
        let total = report.findingCount
        if total > 0 { filesWithFindings += 1 }
        if format == .count && total > 0 { out.line("\(report.path): \(total) (\(Self.describe(report.counts)))") }
    }

    /// Prints the summary; returns the totals that decide the exit status.
    func finish() -> (findings: Int, errors: Int) {
        let total = DetectionType.allCases.reduce(0) { $0 + counts[$1] }
        switch format {
        case .json:
            let typeCounts = DetectionType.allCases.map { "\"\($0)\":\(counts[$0])" }.joined(separator: ",")
            out.line("{\"summary\":{\"findings\":\(total),\"counts\":{\(typeCounts)},\"files\":\(scanned),"
                + "\"files_with_findings\":\(filesWithFindings),\"bytes\":\(bytes),\"errors\":\(errors),"
                + "\"skipped_binary\":\(skippedBinary),\"skipped_too_large\":\(skippedLarge),\"skipped_unreadable\":\(skippedUnreadable),"
                + "\"skipped_other\":\(skippedOther)}}")
        case .text, .count:
            var summary = "summary: \(total) finding\(total == 1 ? "" : "s")"
            if total > 0 { summary += " (\(Self.describe(counts)))" }
            summary += " in \(filesWithFindings) of \(scanned) file\(scanned == 1 ? "" : "s"), \(bytes) bytes scanned"
            if skippedBinary > 0 { summary += "; \(skippedBinary) binary file\(skippedBinary == 1 ? "" : "s") skipped" }
            if skippedLarge > 0 { summary += "; \(skippedLarge) over --max-filesize skipped" }
            if skippedUnreadable > 0 {
                summary += "; \(skippedUnreadable) file\(skippedUnreadable == 1 ? "" : "s") in a format anonlog cannot read (bzip2, lz4, zip, 7z, .Z) skipped"
            }
            if skippedOther > 0 {
                summary += "; \(skippedOther) symlink\(skippedOther == 1 ? "" : "s") or special file\(skippedOther == 1 ? "" : "s") not followed"
            }
            if errors > 0 { summary += "; \(errors) error\(errors == 1 ? "" : "s")" }
            out.line(summary)
        }
        out.flush()
        return (total, errors)
    }

    /// `ipv4 3, email 1`: the non-zero counts in type order.
    static func describe(_ counts: TypeCounts) -> String {
        DetectionType.allCases.compactMap { type in counts[type] > 0 ? "\(type) \(counts[type])" : nil }.joined(separator: ", ")
    }
}

/// Buffers stdout lines and writes them in large blocks.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// The progress line on stderr (files, bytes, MB/s), only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    // Guarded by `lock`: scan workers report from several threads.
    private let lock = NSLock()
    private let enabled: Bool
    private let started = Date()
    private var lastPrinted = Date.distantPast
    private var printed = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(files: Int, bytes: Int) {
        let seconds = Date().timeIntervalSince(started)
        let rate = Double(bytes) / 1e6 / max(0.001, seconds)
        show(String(format: "anonlog scan: %d files, %.1f MB, %.0f MB/s", files, Double(bytes) / 1e6, rate), throttle: true)
    }

    /// The filter's line: bytes read, and with a known total the percentage and ETA.
    func update(bytes: Int, total: Int?, seconds: Double) {
        let rate = Double(bytes) / 1e6 / max(0.001, seconds)
        var text = String(format: "anonlog: %.0f MB read, %.0f MB/s", Double(bytes) / 1e6, rate)
        if let total, total > 0 {
            let left = max(0, Double(total - bytes)) / 1e6 / max(rate, 0.001)
            text += String(format: ", %.0f%%, ETA %d:%02d", 100 * Double(bytes) / Double(total), Int(left) / 60, Int(left) % 60)
        }
        show(text, throttle: false)
    }

    /// Prints `text` over the previous line; it is formatted only when it will be printed (a
    /// scan of thousands of small files calls this once per file, and most calls print nothing).
    private func show(_ text: @autoclosure () -> String, throttle: Bool) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if throttle {
            guard now.timeIntervalSince(lastPrinted) > 0.5, now.timeIntervalSince(started) > 1 else { return }
        }
        lastPrinted = now
        printed = true
        writeToStderr("\r\u{1B}[K" + text())
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if printed { writeToStderr("\r\u{1B}[K") }
    }
}
