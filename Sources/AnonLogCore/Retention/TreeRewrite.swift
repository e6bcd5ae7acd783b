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
        /// Left out (by the walk: a symlink, a FIFO; or a format anonlog cannot read), with
        /// the reason.
        public var skippedReason: String?
        /// The skipped file is a log anonlog cannot read (bzip2, lz4, …): its text stays raw,
        /// so the run's exit status says so. (A symlink or FIFO is not a file of the tree.)
        public var skippedText = false
    }

    /// Rewrites the files under `paths` (directories walked through held descriptors, symlinks
    /// not followed), `threads` at a time; `options` applies to each file (its format is kept).
    public static func rewrite(_ paths: [String], options: PipelineOptions, threads: Int,
                               registry: PseudonymRegistry? = nil) -> [Outcome] {
        var walkOptions = TreeWalker.Options()
        walkOptions.recursive = true
        walkOptions.followNamedFileLinks = false
        let walk = TreeWalker.walk(paths, options: walkOptions)
        let files = walk.files
        // A killed run's temp files (raw data, never inputs) go first; a running one's stay.
        let temps = walk.temps.map { temp -> Outcome in
            let removed = (try? temp.directory.open())?.removeStaleTemp(temp.name, expected: temp.identity) ?? false
            return Outcome(path: temp.path, skippedReason: removed ? "a killed run's temp file, removed" : "a running rewrite's temp file, left alone")
        }
        let outcomes = WorkList<Outcome>.run(count: files.count, threads: threads) { index in
            let planned = files[index]
            var outcome = Outcome(path: planned.path)
            do {
                let directory = try planned.directory.open()
                let file = try directory.openFile(planned.name, expected: planned.identity)
                if try BinaryCheck.looksBinary(file) {
                    outcome.skippedBinary = true
                } else {
                    var fileOptions = options
                    fileOptions.threads = 1
                    outcome.stats = try AtomicRewrite.rewrite(file, name: planned.name, in: directory,
                                                              pipeline: Pipeline(options: fileOptions), dateFromMtime: true,
                                                              registry: registry)
                }
            } catch let error as AnonLogError where error.kind == .unreadableFormat {
                outcome.skippedReason = String(error.message.dropFirst(planned.path.count + 2))
                outcome.skippedText = true
            } catch let error as AnonLogError {
                outcome.error = error.message
            } catch {
                outcome.error = "\(planned.path): \(error)"
            }
            return outcome
        }
        return walk.errors.map { Outcome(path: "", error: $0) }
            + walk.skipped.map { Outcome(path: $0.path, skippedReason: $0.reason) } + temps + outcomes
    }
}
