import Foundation

/// Embedding anonlog in Swift code: rewrite or scan bytes in memory, files and streams.
///
/// ```swift
/// let options = try AnonLog.Options(profile: .redact)
/// let clean = AnonLog.rewrite(Array("login from 192.0.2.7\n".utf8), options: options)
/// // clean == Array("login from 0.0.0.0\n".utf8)
/// for finding in AnonLog.scan(Array("mail anna@example.se\n".utf8)) {
///     print(finding.line, finding.type, finding.masked)   // 1 email a***@example.se
/// }
/// ```
public enum AnonLog {
    /// What to find and what to do with it: the filter's options for embedding.
    public struct Options: Sendable {
        /// The action for each type.
        public var plan: ActionPlan
        /// What is looked for.
        public var detection: DetectionConfig
        /// The key and the actions' parameters (a keyed plan needs `transform.key`).
        public var transform: TransformConfig

        /// Options from a profile and per-type overrides; a keyed action needs `key` (32 bytes).
        public init(profile: Profile, overrides: [DetectionType: Action] = [:], key: [UInt8]? = nil,
                    detection: DetectionConfig = DetectionConfig()) throws {
            plan = try ActionPlan(profile: profile, overrides: overrides)
            if plan.needsKey && key?.count != 32 {
                throw AnonLogError(.usage, "a keyed action needs a 32-byte key")
            }
            self.detection = detection
            transform = TransformConfig(key: key)
            transform.today = detection.today
        }

        /// The pipeline's options for these.
        func pipeline(threads: Int) -> PipelineOptions {
            PipelineOptions(threads: threads, plan: plan, detection: detection, transform: transform)
        }
    }

    /// A rewriter that keeps its scanner, caches and output buffer from call to call: after a
    /// few calls have grown them, rewriting a chunk allocates nothing. One per thread.
    ///
    /// ```swift
    /// var rewriter = AnonLog.Rewriter(options: try .init(profile: .redact))
    /// let clean = chunk.withUnsafeBytes { rewriter.rewrite($0) { Array($0) } }
    /// ```
    public struct Rewriter {
        private var rewriter: ChunkRewriter
        private let out = ChunkBuffer(capacity: 4096)

        /// A rewriter for `options`.
        public init(options: Options) {
            var detection = options.detection
            detection.types.formIntersection(options.plan.changedTypes)
            rewriter = ChunkRewriter(plan: options.plan, detection: detection, transform: options.transform, inputBytes: nil)
        }

        /// Rewrites `bytes` (whole lines) and passes the result to `body`; the result's bytes
        /// are valid only inside `body`.
        public mutating func rewrite<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            out.count = 0
            _ = rewriter.rewrite(window: bytes, body: 0..<bytes.count, into: out)
            return try out.withBytes(body)
        }
    }

    /// A detector that keeps its state from call to call and counts what it finds, per type;
    /// after warm-up a call allocates nothing. One per thread.
    ///
    /// ```swift
    /// var detector = AnonLog.Detector()
    /// let counts = chunk.withUnsafeBytes { detector.count($0) }   // counts[.email] …
    /// ```
    public struct Detector {
        private var scanner: Scanner

        /// A detector for what `detection` describes.
        public init(detection: DetectionConfig = DetectionConfig()) { scanner = Scanner(config: detection) }

        /// The matches in `bytes` (whole lines), per type.
        public mutating func count(_ bytes: UnsafeRawBufferPointer) -> TypeCounts {
            scanner.scan(bytes)
            var counts = TypeCounts()
            for span in scanner.spans { counts[span.type] += 1 }
            return counts
        }
    }

    /// `bytes` rewritten in memory, as the filter rewrites a file holding them (one chunk, on
    /// this thread).
    ///
    /// ```swift
    /// AnonLog.rewrite(Array("user=anna\n".utf8), options: try .init(profile: .redact))  // "user=-\n"
    /// ```
    public static func rewrite(_ bytes: [UInt8], options: Options) -> [UInt8] {
        var detection = options.detection
        detection.types.formIntersection(options.plan.changedTypes)
        var rewriter = ChunkRewriter(plan: options.plan, detection: detection, transform: options.transform,
                                     inputBytes: bytes.count)
        let out = ChunkBuffer(capacity: bytes.count + bytes.count / 4 + 64)
        bytes.withUnsafeBytes { _ = rewriter.rewrite(window: $0, body: 0..<bytes.count, into: out) }
        return out.bytes
    }

    /// Rewrites everything `input` holds or sends (plain, gzip or xz by magic bytes) to `output`
    /// in the same format, streaming on `threads` workers (0: one per core). Neither handle is
    /// closed.
    ///
    /// ```swift
    /// let stats = try AnonLog.rewrite(from: .standardInput, to: .standardOutput, options: options)
    /// ```
    @discardableResult
    public static func rewrite(from input: FileHandle, to output: FileHandle, options: Options, threads: Int = 0) throws -> PipelineStats {
        let source = try OpenedFile(duplicating: input.fileDescriptor, name: "input")
        return try Pipeline(options: options.pipeline(threads: threads))
            .run(sources: [.opened(source)], outputDescriptor: output.fileDescriptor, outputName: "output")
    }

    /// The findings in `bytes`, in order, with line and column numbers; masked values only.
    ///
    /// ```swift
    /// AnonLog.scan(Array("a 850709-9805 b\n".utf8)).map(\.masked)  // ["850709-****"]
    /// ```
    public static func scan(_ bytes: [UInt8], detection: DetectionConfig = DetectionConfig()) -> [Finding] {
        var worker = ScanWorker(searcher: ChunkSearcher(config: detection), sink: FindingSink(keepRaw: false))
        let slot = ChunkSlot(chunkSize: max(bytes.count, 16))
        bytes.withUnsafeBytes { if let base = $0.baseAddress { slot.input.append(base, $0.count) } }
        slot.windowCount = bytes.count
        slot.body = 0..<bytes.count
        slot.result = worker.process(slot, startAt: nil)
        var findings: [Finding] = []
        var job = ScanJob(detection: detection, keepRaw: false) { findings += $0 }
        _ = try? job.deliver(slot)
        return findings
    }

    /// Scans everything `input` holds or sends (plain, gzip or xz), yielding its findings in
    /// order as the chunks before them are done; memory stays bounded whatever the input.
    ///
    /// ```swift
    /// for try await finding in AnonLog.scan(FileHandle(forReadingAtPath: "/var/log/auth.log")!) {
    ///     print(finding.line, finding.type, finding.masked)
    /// }
    /// ```
    public static func scan(_ input: FileHandle, detection: DetectionConfig = DetectionConfig(), threads: Int = 0)
        -> AsyncThrowingStream<Finding, Error>
    {
        // The descriptor is duplicated now: the caller may drop (and so close) `input` as soon
        // as this returns.
        let source = Result { try OpenedFile(duplicating: input.fileDescriptor, name: "input") }
        return AsyncThrowingStream { continuation in
            let thread = Thread {
                do {
                    let source = try source.get()
                    _ = try Pipeline(options: PipelineOptions(threads: threads, scanning: detection))
                        .scan(sources: [.opened(source)]) { for finding in $0 { continuation.yield(finding) } }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.name = "anonlog-scan"
            thread.start()
        }
    }
}
