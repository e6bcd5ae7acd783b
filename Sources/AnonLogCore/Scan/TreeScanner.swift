import Foundation

/// Receives a scan's results in path order as they are ready, on whichever thread finished
/// them, one call at a time.
public protocol ScanReporter: AnyObject {
    /// Findings of the file at `path`, in line order; called as often as the file has chunks
    /// with findings, before its `finished`.
    func found(_ findings: [Finding], in path: String)
    /// The file is done (scanned, skipped or failed).
    func finished(_ report: FileReport)
}

/// `anonlog scan`: reads many files in parallel (a work queue over the files, each worker with
/// its own scanner state) or one large file with the chunk pipeline, and reports in path
/// order whatever the thread timing, each file's findings as soon as the files before it are
/// done.
public struct TreeScanner: Sendable {
    /// The validated options.
    public let options: ScanOptions

    /// Creates a scanner with `options`.
    public init(options: ScanOptions) { self.options = options }

    /// What the walk found besides files to scan.
    public struct WalkResult: Sendable {
        /// Paths that could not be walked, one line each.
        public var errors: [String]
        /// Paths left out (symlinks not followed, FIFOs, temp files), with the reason.
        public var skipped: [SkippedPath]
    }

    /// Walks `paths` and scans every file found, reporting to `reporter` in path order;
    /// `walked` is called once, after the walk and before the first file's results.
    /// `progress` is called now and then with (files done, bytes so far).
    public func scan(_ paths: [String], reporter: ScanReporter, walked: (WalkResult) -> Void = { _ in },
                     progress: (@Sendable (Int, Int) -> Void)? = nil) {
        var walkOptions = TreeWalker.Options()
        walkOptions.recursive = options.recursive
        walkOptions.followLinks = options.followLinks
        walkOptions.excludes = options.excludes
        let walk = TreeWalker.walk(paths, options: walkOptions)
        let files = walk.files
        // A killed rewrite's temp file holds raw data: named, never scanned as a log.
        walked(WalkResult(errors: walk.errors,
                          skipped: walk.skipped + walk.temps.map { SkippedPath(path: $0.path, reason: "an unfinished rewrite's temp file") }))
        let order = ReportOrder(reporter: reporter)
        if files.count == 1 {
            order.finish(0, scanFile(files[0], threads: options.threads) { order.deliver($0, of: 0, path: files[0].path) })
            return
        }
        let progressCounter = ProgressCounter()
        _ = WorkList<Bool>.run(count: files.count, threads: options.threads) { [self] index in
            let report = scanFile(files[index], threads: 1) { order.deliver($0, of: index, path: files[index].path) }
            order.finish(index, report)
            let (done, bytes) = progressCounter.add(report.bytes)
            progress?(done, bytes)
            return true
        }
    }

    /// Scans one file (after the size and binary checks) with a pipeline of `threads` workers,
    /// passing its findings to `found` chunk by chunk.
    func scanFile(_ planned: PlannedFile, threads: Int, found: @escaping ([Finding]) -> Void) -> FileReport {
        var report = FileReport(path: planned.path)
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
            let pipelineOptions = PipelineOptions(threads: threads, chunkSize: options.chunkSize, scanning: options.detection)
            let stats = try Pipeline(options: pipelineOptions).scan(sources: [.opened(file)], keepRaw: options.showValues, report: found)
            report.counts = stats.counts
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

/// Puts the files' results in path order: the first unfinished file (the head) reports
/// straight through; a later file's findings wait in a buffer until it becomes the head.
///
/// A buffer that grows past `bufferLimit` findings makes its worker wait until its file is
/// the head, so memory stays bounded whatever the findings. That cannot deadlock: files are
/// claimed in path order (`WorkList`), so the head is always being scanned or done, and its
/// worker never waits.
private final class ReportOrder: @unchecked Sendable {
    // Guarded by `condition`: the workers' shared state.
    private let condition = NSCondition()
    private let reporter: ScanReporter
    private var head = 0
    private var buffered: [Int: [Finding]] = [:]
    private var done: [Int: FileReport] = [:]
    private static let bufferLimit = 64 << 10

    init(reporter: ScanReporter) { self.reporter = reporter }

    /// Findings of file `index`, in order.
    func deliver(_ findings: [Finding], of index: Int, path: String) {
        condition.lock()
        defer { condition.unlock() }
        while index != head && buffered[index, default: []].count >= ReportOrder.bufferLimit { condition.wait() }
        if index == head {
            if let waiting = buffered.removeValue(forKey: index) { reporter.found(waiting, in: path) }
            reporter.found(findings, in: path)
        } else {
            buffered[index, default: []].append(contentsOf: findings)
        }
    }

    /// File `index` is done: report it, and every later file already done, once in order.
    func finish(_ index: Int, _ report: FileReport) {
        condition.lock()
        defer { condition.unlock() }
        done[index] = report
        while let report = done.removeValue(forKey: head) {
            if let waiting = buffered.removeValue(forKey: head) { reporter.found(waiting, in: report.path) }
            reporter.finished(report)
            head += 1
        }
        condition.broadcast()
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
