/// What one chunk's rewrite produced: where its output lies in the window, and the worker's
/// pseudonym cache counts for the chunk.
struct RewriteResult: Sendable, Equatable {
    /// The owned range and its counts (`SearchResult`).
    public var search: SearchResult
    /// Keyed replacements served from the worker's cache during this chunk.
    public var cacheHits = 0
    /// Keyed replacements computed during this chunk.
    public var cacheMisses = 0

    /// The first window byte the output stands for.
    public var outputFrom: Int { search.outputFrom }
    /// One past the last window byte the output stands for.
    public var coveredUntil: Int { search.coveredUntil }
    /// Matches the chunk owns, per type.
    public var counts: TypeCounts { search.counts }
}

/// The sink of a rewrite: copies unchanged bytes and writes each match's replacement.
struct RewriteSink: ChunkSink {
    /// What each match becomes.
    var replacer: Replacer
    /// Where the rewritten bytes go; set per chunk.
    var out: ChunkBuffer
    /// Whether matches ahead are worth announcing (only keyed actions look anything up).
    let looksAhead: Bool

    @inline(__always)
    mutating func unchanged(_ range: Range<Int>, of window: UnsafeRawBufferPointer) {
        out.append(window.baseAddress! + range.lowerBound, range.count)
    }

    @inline(__always)
    mutating func matched(_ span: Span, of window: UnsafeRawBufferPointer) {
        replacer.write(span, of: window, into: out)
    }

    /// Keyed actions look their matches up in the pseudonym cache: the tag is its hint.
    var tagsSpans: Bool { looksAhead }

    @inline(__always)
    func tag(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32 {
        ReplacementCache.hint(p, count, type)
    }

    @inline(__always)
    func upcoming(_ span: Span) {
        replacer.prefetch(span)
    }

    @inline(__always)
    mutating func finished(upTo end: Int, of window: UnsafeRawBufferPointer) {}
}

/// Rewrites one chunk of bytes: a `ChunkSearcher` driving a `RewriteSink`. Each worker owns
/// one rewriter: its scanner, caches and counters are never shared.
struct ChunkRewriter: Sendable {
    /// The action for each type, validated up front.
    public let plan: ActionPlan
    private var searcher: ChunkSearcher
    private var sink: RewriteSink

    /// Creates a rewriter that finds what `detection` describes and applies `plan`, with the
    /// keys and parameters of `transform`; `inputBytes` (the input's size, nil when unknown)
    /// sizes the pseudonym cache.
    public init(plan: ActionPlan, detection: DetectionConfig = DetectionConfig(), transform: TransformConfig = TransformConfig(),
                inputBytes: Int? = nil) {
        self.plan = plan
        searcher = ChunkSearcher(config: detection)
        let replacer = Replacer(plan: plan, config: transform, cacheSlots: ReplacementCache.slotCount(forInput: inputBytes))
        sink = RewriteSink(replacer: replacer, out: ChunkBuffer(capacity: 0), looksAhead: plan.needsKey)
    }

    /// Appends the rewritten `body` of `window` to `out`; `startAt` and `windowStartsStream`
    /// as for `ChunkSearcher.search`.
    public mutating func rewrite(window: UnsafeRawBufferPointer, body: Range<Int>, startAt: Int? = nil, into out: ChunkBuffer,
                                 windowStartsStream: Bool? = nil) -> RewriteResult {
        sink.out = out
        sink.replacer.startChunk()
        let search = searcher.search(window: window, body: body, startAt: startAt, windowStartsStream: windowStartsStream,
                                     into: &sink)
        let (hits, misses) = sink.replacer.takeCacheCounts()
        return RewriteResult(search: search, cacheHits: hits, cacheMisses: misses)
    }
}
