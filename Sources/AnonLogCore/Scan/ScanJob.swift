import Foundation

/// A scan worker: the chunk's window searched into the slot's `ChunkFindings`.
struct ScanWorker: ChunkWorker {
    var searcher: ChunkSearcher
    var sink: FindingSink

    mutating func process(_ slot: ChunkSlot, startAt: Int?) -> SearchResult {
        let list = slot.product as? ChunkFindings ?? ChunkFindings()
        slot.product = list
        sink.start(at: startAt ?? slot.body.lowerBound, into: list)
        return slot.withWindow {
            searcher.search(window: $0, body: slot.body, startAt: startAt, windowStartsStream: slot.windowStart == 0, into: &sink)
        }
    }
}

/// The scan's job: each chunk's findings numbered with their line and column and reported in
/// input order, as soon as the chunks before them are done. Nothing is kept after a chunk is
/// reported, so memory stays that of the chunks in flight whatever the number of findings.
struct ScanJob: PipelineJob {
    let detection: DetectionConfig
    let keepRaw: Bool
    /// Called on the writer thread with each chunk's findings, in order.
    let report: ([Finding]) throws -> Void
    /// 1-based number of the line the next chunk starts in.
    private var line = 1
    /// Absolute offset where that line starts.
    private var lineStart = 0

    init(detection: DetectionConfig, keepRaw: Bool, report: @escaping ([Finding]) throws -> Void) {
        self.detection = detection
        self.keepRaw = keepRaw
        self.report = report
    }

    func makeWorker(inputBytes: Int?) -> ScanWorker {
        ScanWorker(searcher: ChunkSearcher(config: detection), sink: FindingSink(keepRaw: keepRaw))
    }

    mutating func deliver(_ slot: ChunkSlot) throws -> Bool {
        guard let list = slot.product as? ChunkFindings else { return true }
        var numbered: [Finding] = []
        numbered.reserveCapacity(list.pending.count)
        for item in list.pending {
            let start = slot.windowStart + item.windowOffset
            let itemLineStart = item.lineStart.map { slot.windowStart + $0 } ?? lineStart
            numbered.append(Finding(line: line + item.lineInChunk, column: start - itemLineStart + 1, length: item.length,
                                    type: item.type, masked: item.masked, raw: item.raw))
        }
        line += list.newlines
        if let last = list.lastLineStart { lineStart = slot.windowStart + last }
        if !numbered.isEmpty { try report(numbered) }
        return true
    }
}

extension Pipeline {
    /// Scans the inputs (concatenated) and calls `report` on this thread with the findings of
    /// each chunk, in input order with line and column numbers, as soon as the chunks before
    /// it are done; nothing is written. Only `options.detection` and the threads matter.
    public func scan(inputs: [String], keepRaw: Bool = false, report: @escaping ([Finding]) throws -> Void) throws -> PipelineStats {
        try scan(sources: inputs.map(InputSource.init(argument:)), keepRaw: keepRaw, report: report)
    }

    /// Scans the sources (concatenated), as `scan(inputs:keepRaw:report:)` does.
    public func scan(sources: [InputSource], keepRaw: Bool = false, report: @escaping ([Finding]) throws -> Void) throws -> PipelineStats {
        let started = DispatchTime.now()
        let reader = try ChunkReader(sources: sources, options: options)
        var job = ScanJob(detection: options.detection, keepRaw: keepRaw, report: report)
        var stats = try drive(reader: reader, job: &job)
        Self.record(reader, since: started, followsSignals: options.followsSignals, in: &stats)
        return stats
    }
}
