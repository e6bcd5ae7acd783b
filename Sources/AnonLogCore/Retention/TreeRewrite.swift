import Foundation

/// `anonlog --in-place --recursive DIR ...`: rewrites every text file (plain, .gz, .xz) under
/// the paths in parallel, skipping binary files, each file atomically (the backup hook).
public enum TreeRewrite {
    /// One file's outcome.
    public struct Outcome: Sendable {
        /// The file.
        public var path: String
        /// Its run's numbers, when rewritten.
        public var stats: PipelineStats?
        /// One error line, when it failed.
        public var error: String?
        /// Skipped as binary.
        public var skippedBinary = false
    }

    /// Rewrites the files under `paths` (directories walked recursively, symlinks not followed),
    /// `threads` at a time; `options` applies to each file (its format is kept).
    public static func rewrite(_ paths: [String], options: PipelineOptions, threads: Int) -> [Outcome] {
        var walk = ScanOptions()
        walk.recursive = true
        let (files, walkErrors) = FileWalker.files(paths, options: walk)
        let table = OutcomeTable(files)
        let running = DispatchGroup()
        for _ in 0..<min(max(1, threads), max(1, files.count)) {
            running.enter()
            let thread = Thread {
                defer { running.leave() }
                while let (index, path) = table.claim() {
                    var outcome = Outcome(path: path)
                    do {
                        if try BinaryCheck.looksBinary(path) {
                            outcome.skippedBinary = true
                        } else {
                            var fileOptions = options
                            fileOptions.threads = 1
                            outcome.stats = try AtomicRewrite.rewrite(path, pipeline: Pipeline(options: fileOptions))
                        }
                    } catch let error as AnonLogError {
                        outcome.error = error.message
                    } catch {
                        outcome.error = "\(path): \(error)"
                    }
                    table.store(outcome, at: index)
                }
            }
            thread.start()
        }
        running.wait()
        return walkErrors.map { Outcome(path: "", error: $0) } + table.outcomes
    }
}

/// The shared work list of a tree rewrite.
private final class OutcomeTable: @unchecked Sendable {
    // Guarded by `lock`; the only state the rewrite workers share.
    private let lock = NSLock()
    private let files: [String]
    private var next = 0
    private var results: [TreeRewrite.Outcome?]

    init(_ files: [String]) {
        self.files = files
        results = Array(repeating: nil, count: files.count)
    }

    func claim() -> (Int, String)? {
        lock.lock()
        defer { lock.unlock() }
        guard next < files.count else { return nil }
        next += 1
        return (next - 1, files[next - 1])
    }

    func store(_ outcome: TreeRewrite.Outcome, at index: Int) {
        lock.lock()
        results[index] = outcome
        lock.unlock()
    }

    var outcomes: [TreeRewrite.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return results.compactMap { $0 }
    }
}
