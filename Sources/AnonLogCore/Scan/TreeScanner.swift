import Foundation

/// `anonlog scan`: reads many files in parallel (a work queue over the files, each worker with
/// its own scanner state) or one large file with the chunk pipeline, and returns reports in
/// path order whatever the thread timing.
public struct TreeScanner: Sendable {
    /// The validated options.
    public let options: ScanOptions

    /// Creates a scanner with `options`.
    public init(options: ScanOptions) { self.options = options }

    /// Scans `paths`; `progress` is called now and then with (files done, bytes so far).
    public func scan(_ paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> (reports: [FileReport], errors: [String]) {
        let (files, walkErrors) = FileWalker.files(paths, options: options)
        if files.count == 1 {
            return ([scanFile(files[0], threads: options.threads)], walkErrors)
        }
        let results = ReportTable(count: files.count)
        let running = DispatchGroup()
        for _ in 0..<min(options.threads, max(1, files.count)) {
            running.enter()
            let thread = Thread { [self] in
                defer { running.leave() }
                while let index = results.claim() {
                    let report = scanFile(files[index], threads: 1)
                    let (done, bytes) = results.store(report, at: index)
                    progress?(done, bytes)
                }
            }
            thread.start()
        }
        running.wait()
        return (results.reports, walkErrors)
    }

    /// Scans one file (after the size and binary checks) with a pipeline of `threads` workers.
    func scanFile(_ path: String, threads: Int) -> FileReport {
        var report = FileReport(path: path, findings: [], bytes: 0)
        do {
            if let limit = options.maxFileSize {
                var info = stat()
                if stat(path, &info) == 0 && Int(info.st_size) > limit {
                    report.skippedTooLarge = true
                    return report
                }
            }
            if !options.includeBinary, try BinaryCheck.looksBinary(path) {
                report.skippedBinary = true
                return report
            }
            var pipelineOptions = PipelineOptions(threads: threads, chunkSize: options.chunkSize,
                                                  plan: try ActionPlan(profile: .redact), detection: options.detection)
            let (findings, stats) = try Pipeline(options: pipelineOptions).scan(inputs: [path], keepRaw: options.showValues)
            report.findings = findings
            report.bytes = stats.decodedBytes
        } catch let error as AnonLogError {
            report.error = error.message
        } catch {
            report.error = "\(path): \(error)"
        }
        return report
    }
}

/// The shared work list of a parallel scan: hands out file indices and keeps the reports.
private final class ReportTable: @unchecked Sendable {
    // Guarded by `lock`; the only state shared between scan workers.
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var bytes = 0
    private var slots: [FileReport?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ report: FileReport, at index: Int) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = report
        done += 1
        bytes += report.bytes
        return (done, bytes)
    }

    var reports: [FileReport] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
