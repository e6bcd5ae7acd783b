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
    public func scan(_ paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil)
        -> (reports: [FileReport], errors: [String], skipped: [SkippedPath])
    {
        var walkOptions = TreeWalker.Options()
        walkOptions.recursive = options.recursive
        walkOptions.followLinks = options.followLinks
        walkOptions.excludes = options.excludes
        let walk = TreeWalker.walk(paths, options: walkOptions)
        let files = walk.files
        // A killed rewrite's temp file holds raw data: named, never scanned as a log.
        let skipped = walk.skipped + walk.temps.map { SkippedPath(path: $0.path, reason: "an unfinished rewrite's temp file") }
        if files.count == 1 {
            return ([scanFile(files[0], threads: options.threads)], walk.errors, skipped)
        }
        let progressCounter = ProgressCounter()
        let reports = WorkList<FileReport>.run(count: files.count, threads: options.threads) { [self] index in
            let report = scanFile(files[index], threads: 1)
            let (done, bytes) = progressCounter.add(report.bytes)
            progress?(done, bytes)
            return report
        }
        return (reports, walk.errors, skipped)
    }

    /// Scans one file (after the size and binary checks) with a pipeline of `threads` workers.
    func scanFile(_ planned: PlannedFile, threads: Int) -> FileReport {
        var report = FileReport(path: planned.path, findings: [], bytes: 0)
        do {
            let file = try planned.open()
            if let limit = options.maxFileSize, file.size > limit {
                report.skippedTooLarge = true
                return report
            }
            if !options.includeBinary, try BinaryCheck.looksBinary(file) {
                report.skippedBinary = true
                return report
            }
            let pipelineOptions = PipelineOptions(threads: threads, chunkSize: options.chunkSize,
                                                  plan: try ActionPlan(profile: .redact), detection: options.detection)
            let (findings, stats) = try Pipeline(options: pipelineOptions).scan(sources: [.opened(file)], keepRaw: options.showValues)
            report.findings = findings
            report.bytes = stats.decodedBytes
        } catch let error as AnonLogError where error.kind == .unreadableFormat {
            report.skippedUnreadable = error.message
        } catch let error as AnonLogError {
            report.error = error.message
        } catch {
            report.error = "\(planned.path): \(error)"
        }
        return report
    }
}

/// Files done and bytes scanned so far, for the progress line.
private final class ProgressCounter: @unchecked Sendable {
    // Guarded by `lock`; scan workers add from several threads.
    private let lock = NSLock()
    private var files = 0
    private var bytes = 0

    func add(_ fileBytes: Int) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        files += 1
        bytes += fileBytes
        return (files, bytes)
    }
}
