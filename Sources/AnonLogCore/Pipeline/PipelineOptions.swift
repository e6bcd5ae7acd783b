/// Everything the pipeline needs to know, validated before it starts.
public struct PipelineOptions: Sendable {
    /// Worker threads for rewriting and compression (`-j`).
    public var threads: Int
    /// Target body size of a chunk; bodies end at a newline when one is in reach.
    public var chunkSize: Int
    /// Forces the input format instead of detecting it by magic bytes.
    public var inputFormat: CompressionFormat?
    /// The output format; nil means the (first) input's.
    public var outputFormat: CompressionFormat?
    /// Compression level; nil means the format's default.
    public var level: Int?
    /// The action for each type.
    public var plan: ActionPlan
    /// What the scanner looks for.
    public var detection: DetectionConfig
    /// Keys and parameters of the actions.
    public var transform: TransformConfig
    /// Called every half second after the first two with (raw bytes read, total or nil,
    /// seconds); the CLI shows it on stderr when that is a terminal.
    public var progress: (@Sendable (Int, Int?, Double) -> Void)?
    /// Seconds after which the complete lines a quiet pipe has sent are processed and written
    /// (`--flush-interval`); 0 writes each read at once.
    public var flushInterval: Double = 0.2
    /// The most memory one xz decoder may take (`--xz-memlimit`); a file that needs more is
    /// refused with one line.
    public var xzMemoryLimit = 256 << 20
    /// Whether the run hashes its decoded input and its output (`PipelineStats.inputDigest`).
    public var digests = false
    /// Whether the run obeys `StreamSignals` (the filter installs them): stop, drain, reopen.
    public var followsSignals = false

    /// Creates options; `threads` 0 means one per core.
    public init(threads: Int = 0, chunkSize: Int = 1 << 20, inputFormat: CompressionFormat? = nil,
                outputFormat: CompressionFormat? = nil, level: Int? = nil, plan: ActionPlan,
                detection: DetectionConfig = DetectionConfig(), transform: TransformConfig = TransformConfig()) {
        self.transform = transform
        var detection = detection
        detection.types.formIntersection(plan.changedTypes)
        self.detection = detection
        self.threads = threads > 0 ? threads : Pipeline.coreCount
        self.chunkSize = max(1, chunkSize)
        self.inputFormat = inputFormat
        self.outputFormat = outputFormat
        self.level = level
        self.plan = plan
    }
}

extension PipelineOptions {
    /// Options for a scan: what `detection` describes is found, nothing is changed.
    public init(threads: Int = 0, chunkSize: Int = 1 << 20, scanning detection: DetectionConfig) {
        // Passed in, not defaulted: a default DetectionConfig builds its kept-account set, and
        // a scan of many small files makes options per file.
        self.init(threads: threads, chunkSize: chunkSize, plan: .keepAll, detection: detection)
        self.detection = detection
    }
}

/// What a run did, for `--stats`.
public struct PipelineStats: Sendable {
    /// Matches per type.
    public var counts = TypeCounts()
    /// Bytes read from the inputs as stored (compressed size for .gz/.xz).
    public var rawBytesIn = 0
    /// Bytes after decoding.
    public var decodedBytes = 0
    /// Bytes written.
    public var bytesOut = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Chunks whose cut a match straddled and that the writer had to rewrite again.
    public var seamReruns = 0
    /// Keyed replacements served from the per-worker caches.
    public var cacheHits = 0
    /// Keyed replacements computed.
    public var cacheMisses = 0
    /// The signal that stopped the reading (SIGTERM, SIGINT, SIGHUP), 0 when the input ended.
    public var stoppedBySignal: Int32 = 0
    /// A second SIGTERM/SIGINT stopped the run before everything read was written; the output
    /// is complete and valid up to the last chunk (a line boundary) written.
    public var abandoned = false
    /// Whether a regular-file input was cut short by the stop (not read to its end).
    public var inputCutShort = false
    /// Bytes of a line the stop cut off before its end, dropped rather than written raw.
    public var droppedPartialLine = 0
    /// The error that ended a live stream's input early; everything before it was written.
    public var streamError: AnonLogError?
    /// SHA-256 (hex) of the decoded input and of the output before compression, with
    /// `PipelineOptions.digests`.
    public var inputDigest: String?
    /// See `inputDigest`.
    public var outputDigest: String?
    /// The input was already pseudonymised (its digest is in the `PseudonymRegistry`): the
    /// rewrite was dropped and the file left as it was.
    public var alreadyPseudonymised = false

    /// Creates empty stats.
    public init() {}
}
