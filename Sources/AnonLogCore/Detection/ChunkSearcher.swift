/// Receives one chunk from a `ChunkSearcher`, front to back: the bytes between matches and
/// the matches the chunk owns (ripgrep's searcher/sink split). A rewrite copies and replaces;
/// a scan masks and numbers lines. Sinks are structs the searcher is specialised for, so the
/// calls inline into the search loop.
protocol ChunkSink: SpanTagger {
    /// Window bytes `range` hold no match the chunk owns.
    mutating func unchanged(_ range: Range<Int>, of window: UnsafeRawBufferPointer)
    /// A match the chunk owns.
    mutating func matched(_ span: Span, of window: UnsafeRawBufferPointer)
    /// Whether the sink wants `upcoming` calls.
    var looksAhead: Bool { get }
    /// `span` will be `matched` soon (a few matches ahead): a sink may start loading what it
    /// needs for it.
    func upcoming(_ span: Span)
    /// The chunk's owned range ends at window offset `end`.
    mutating func finished(upTo end: Int, of window: UnsafeRawBufferPointer)
}

extension ChunkSink {
    var tagsSpans: Bool { false }
    func tag(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32 { 0 }
    var looksAhead: Bool { false }
    func upcoming(_ span: Span) {}
}

/// Where one chunk's owned range lies, in window offsets, and what it holds.
struct SearchResult: Sendable, Equatable {
    /// The first window byte the chunk owns: the body start, or later when a match that began
    /// before the body (in the previous chunk) still covers it.
    public var outputFrom: Int
    /// One past the last window byte the chunk owns: the body end, or later when the last
    /// match runs past the cut into the lookahead.
    public var coveredUntil: Int
    /// Matches the chunk owns (those starting inside its range), per type.
    public var counts: TypeCounts
}

/// Runs the scanner over one chunk's window (`lookbehind + body + lookahead`) and hands the
/// owned range to a sink. Matches are found in the whole window, so context and word
/// boundaries across a cut are seen; a match belongs to the chunk in whose range it starts.
struct ChunkSearcher: Sendable {
    /// The detectors' state, reused from chunk to chunk.
    var scanner: Scanner

    /// A searcher for what `config` describes.
    init(config: DetectionConfig) { scanner = Scanner(config: config) }

    /// Searches `window` and feeds the owned part of `body` to `sink`.
    ///
    /// - Parameter startAt: where the previous chunk's range really ended, when known; nil
    ///   means "infer it": a match starting before the body and reaching into it is assumed to
    ///   belong to the previous chunk. The pipeline checks that inference against the previous
    ///   chunk's `coveredUntil` and searches again with `startAt` when it was wrong.
    /// - Parameter windowStartsStream: whether the window's first byte is the stream's first
    ///   (so it starts a line); by default, when there is no lookbehind.
    @inline(__always)
    mutating func search<Sink: ChunkSink>(window: UnsafeRawBufferPointer, body: Range<Int>, startAt: Int? = nil,
                                          windowStartsStream: Bool? = nil, into sink: inout Sink) -> SearchResult {
        var counts = TypeCounts()
        guard window.baseAddress != nil else {
            return SearchResult(outputFrom: body.lowerBound, coveredUntil: body.upperBound, counts: counts)
        }
        // A window at the stream's start starts a line (without lookbehind it must be there).
        scanner.scan(window, startsLine: windowStartsStream ?? (body.lowerBound == 0), tagger: sink)
        var position = startAt ?? body.lowerBound
        var index = 0
        // In place: the scanner does not scan again before this chunk is done.
        let spans = scanner.spanView
        // Matches before the owned range; one reaching into it moves the start when inferring.
        while index < spans.count && spans[index].start < position {
            if startAt == nil && spans[index].end > position { position = spans[index].end }
            index += 1
        }
        let outputFrom = position
        let looksAhead = sink.looksAhead
        // Per-type counts in registers, one compare and add each: a count in memory indexed by
        // the type made every match wait for the last one's store.
        var ipv4 = 0, ipv6 = 0, email = 0, username = 0, personnummer = 0
        while index < spans.count {
            let span = spans[index]
            if span.start >= body.upperBound { break }
            // Eight ahead: a keyed rewrite's cache lookups land on random lines of a cache far
            // larger than L2, and the load must start well before the write needs it.
            if looksAhead && index + 8 < spans.count { sink.upcoming(spans[index + 8]) }
            sink.unchanged(position..<span.start, of: window)
            sink.matched(span, of: window)
            let type = span.type
            ipv4 &+= type == .ipv4 ? 1 : 0
            ipv6 &+= type == .ipv6 ? 1 : 0
            email &+= type == .email ? 1 : 0
            username &+= type == .username ? 1 : 0
            personnummer &+= type == .personnummer ? 1 : 0
            position = span.end
            index += 1
        }
        counts.values = (ipv4, ipv6, email, username, personnummer)
        if position < body.upperBound {
            sink.unchanged(position..<body.upperBound, of: window)
            position = body.upperBound
        }
        sink.finished(upTo: position, of: window)
        return SearchResult(outputFrom: outputFrom, coveredUntil: position, counts: counts)
    }
}
