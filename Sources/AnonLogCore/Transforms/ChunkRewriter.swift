/// What one chunk's rewrite produced, in window offsets.
public struct RewriteResult: Sendable, Equatable {
    /// The first window byte the output stands for: the body start, or later when a match
    /// that began before the body (in the previous chunk) still covers it.
    public var outputFrom: Int
    /// One past the last window byte the output stands for: the body end, or later when the
    /// last match runs past the cut into the lookahead.
    public var coveredUntil: Int
    /// Matches this chunk owns (those starting inside its output range), per type.
    public var counts: TypeCounts
    /// Keyed replacements served from the worker's cache during this chunk.
    public var cacheHits = 0
    /// Keyed replacements computed during this chunk.
    public var cacheMisses = 0
}

/// The seam between the pipeline and detection: rewrites one chunk of bytes.
///
/// A chunk is a window `lookbehind + body + lookahead`. Matches are found in the whole window
/// (so context and word boundaries across the cut are seen) and a match belongs to the chunk
/// in whose output range it starts. Each worker owns one rewriter: its scanner and counters
/// are never shared.
public struct ChunkRewriter: Sendable {
    /// The action for each type, validated up front.
    public let plan: ActionPlan
    private var scanner: Scanner
    private var replacer: Replacer

    /// Creates a rewriter that finds what `detection` describes and applies `plan`, with the
    /// keys and parameters of `transform`; `inputBytes` (the input's size, nil when unknown)
    /// sizes the pseudonym cache.
    public init(plan: ActionPlan, detection: DetectionConfig = DetectionConfig(), transform: TransformConfig = TransformConfig(),
                inputBytes: Int? = nil) {
        self.plan = plan
        scanner = Scanner(config: detection)
        scanner.computesCacheSlots = plan.needsKey
        replacer = Replacer(plan: plan, config: transform, cacheSlots: ReplacementCache.slotCount(forInput: inputBytes))
    }

    /// Appends the rewritten `body` of `window` to `out`.
    ///
    /// - Parameter startAt: where the previous chunk's output really ended, when known; nil
    ///   means "infer it": a match starting before the body and reaching into it is assumed to
    ///   have been written by the previous chunk. The pipeline checks that inference against
    ///   the previous chunk's `coveredUntil` and calls again with `startAt` when it was wrong.
    /// - Parameter windowStartsStream: whether the window's first byte is the stream's first
    ///   (so it starts a line); by default, when there is no lookbehind.
    /// - Parameter findings: when given (scan mode), each owned match is also recorded there,
    ///   masked, with its line position, and the body's newlines are counted.
    public mutating func rewrite(
        window: UnsafeRawBufferPointer, body: Range<Int>, startAt: Int? = nil, into out: ChunkBuffer?,
        findings: FindingList? = nil, windowStartsStream: Bool? = nil
    ) -> RewriteResult {
        var counts = TypeCounts()
        guard let base = window.baseAddress else {
            return RewriteResult(outputFrom: body.lowerBound, coveredUntil: body.upperBound, counts: counts)
        }
        // A window at the stream's start starts a line (without lookbehind it must be there).
        scanner.scan(window, startsLine: windowStartsStream ?? (body.lowerBound == 0))
        findings?.start(at: startAt ?? body.lowerBound)
        replacer.startChunk()
        var position = startAt ?? body.lowerBound
        let outputFrom: Int
        var spanIndex = 0
        let spans = scanner.spans
        // Matches before the output range; one reaching into it moves the start when inferring.
        while spanIndex < spans.count && spans[spanIndex].start < position {
            if startAt == nil && spans[spanIndex].end > position { position = spans[spanIndex].end }
            spanIndex += 1
        }
        outputFrom = position
        if let out, findings == nil {
            // The filter's case, kept apart so that `out` is borrowed once for the whole chunk
            // (the shared loop below retained and released it around every replacement).
            position = replace(spans, from: spanIndex, position: position, before: body.upperBound, of: window,
                               into: out, counts: &counts)
            spanIndex = spans.count
        }
        while spanIndex < spans.count {
            let span = spans[spanIndex]
            if span.start >= body.upperBound { break }
            if let out {
                out.append(base + position, span.start - position)
                replacer.write(span, of: window, into: out)
            }
            findings?.record(span, in: window)
            counts[span.type] += 1
            position = span.end
            spanIndex += 1
        }
        if position < body.upperBound {
            out?.append(base + position, body.upperBound - position)
            position = body.upperBound
        }
        findings?.finishLines(in: window, upTo: body.upperBound)
        let (hits, misses) = replacer.takeCacheCounts()
        return RewriteResult(outputFrom: outputFrom, coveredUntil: position, counts: counts,
                             cacheHits: hits, cacheMisses: misses)
    }

    /// Copies the window from `position` to `out`, each span before `end` replaced; returns
    /// where the copied bytes stop.
    private mutating func replace(_ spans: [Span], from first: Int, position start: Int, before end: Int,
                                  of window: UnsafeRawBufferPointer, into out: ChunkBuffer,
                                  counts: inout TypeCounts) -> Int {
        let base = window.baseAddress!
        var position = start
        var index = first
        let prefetching = replacer.plan.needsKey
        while index < spans.count {
            let span = spans[index]
            if span.start >= end { break }
            // The cache set of the match eight ahead loads while these are written: the lookups
            // land on random lines of a cache far larger than L2, and two ahead left the
            // rewrite waiting on them (A/B: 0.96x the time of pseudonymising with eight).
            if prefetching && index + 8 < spans.count { replacer.prefetch(spans[index + 8]) }
            out.append(base + position, span.start - position)
            replacer.write(span, of: window, into: out)
            counts[span.type] += 1
            position = span.end
            index += 1
        }
        return position
    }
}
