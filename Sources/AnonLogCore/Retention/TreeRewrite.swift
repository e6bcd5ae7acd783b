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
        let outcomes = WorkList<Outcome>.run(count: files.count, threads: threads) { index in
            let path = files[index]
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
            return outcome
        }
        return walkErrors.map { Outcome(path: "", error: $0) } + outcomes
    }
}
