/// One thread's per-chunk work, with its own state (scanner, caches, sink), never shared.
protocol ChunkWorker: SendableMetatype {
    /// Processes `slot`'s window from `startAt` (nil: infer where the previous chunk's range
    /// ended, see `ChunkSearcher.search`), leaving the product in the slot.
    mutating func process(_ slot: ChunkSlot, startAt: Int?) -> SearchResult
}

/// What the pipeline does with each chunk: workers process chunks in any order, then the
/// writer delivers them in input order. A rewrite encodes and writes (`RewriteJob`); a scan
/// numbers and reports its findings (`ScanJob`, in Scan).
protocol PipelineJob {
    associatedtype Worker: ChunkWorker
    /// A worker for one thread (and one more for the writer's seam reruns).
    func makeWorker(inputBytes: Int?) -> Worker
    /// The gzip output whose chunks workers compress after delivery; nil when none.
    var parallelGzip: ParallelGzip? { get }
    /// Takes the next chunk in input order, its seam settled. Returns false when the chunk
    /// goes to the workers for compression (then `deliverCompressed` follows in order).
    mutating func deliver(_ slot: ChunkSlot) throws -> Bool
    /// Takes the next compressed chunk in input order.
    mutating func deliverCompressed(_ slot: ChunkSlot) throws
}

extension PipelineJob {
    var parallelGzip: ParallelGzip? { nil }
    mutating func deliverCompressed(_ slot: ChunkSlot) throws {}
}
