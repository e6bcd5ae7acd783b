/// The writer's bookkeeping: puts processed chunks back in input order, checks each seam,
/// hands each chunk to the job in order, and counts.
struct OrderedWriter<Job: PipelineJob> {
    /// The job chunks are delivered to.
    var job: Job
    private var seamWorker: Job.Worker
    private var processed: [Int: ChunkSlot] = [:]
    private var compressed: [Int: ChunkSlot] = [:]
    private var nextProcessed = 0
    private var nextWritten = 0
    /// Absolute offset up to which input has been accounted for by delivered chunks.
    private var covered = 0

    /// The number of chunks the reader produced, once it has finished.
    var totalChunks: Int?
    /// Counts so far.
    private(set) var stats = PipelineStats()

    /// `seamWorker` reprocesses the few chunks whose start was guessed wrong; it sees a few per
    /// run at most, so its caches can be the smallest.
    init(job: Job, seamWorker: Job.Worker) {
        self.job = job
        self.seamWorker = seamWorker
    }

    /// True when every chunk has been delivered (and written).
    var isComplete: Bool { totalChunks == nextWritten }

    /// Takes a processed chunk; for every chunk now in order, checks its seam and delivers it,
    /// then passes it to `release` (to the pool, or to compression when the job said so).
    mutating func accept(processed slot: ChunkSlot, next release: (ChunkSlot) -> Void) throws {
        processed[slot.sequence] = slot
        while let slot = processed.removeValue(forKey: nextProcessed) {
            nextProcessed += 1
            checkSeam(slot)
            stats.counts.add(slot.result.counts)
            stats.cacheHits += slot.cacheHits
            stats.cacheMisses += slot.cacheMisses
            if try job.deliver(slot) { nextWritten += 1 }
            release(slot)
        }
    }

    /// Takes a compressed chunk and delivers every compressed chunk now in order.
    mutating func accept(compressed slot: ChunkSlot, release: (ChunkSlot) -> Void) throws {
        compressed[slot.sequence] = slot
        while let slot = compressed.removeValue(forKey: nextWritten) {
            nextWritten += 1
            try job.deliverCompressed(slot)
            release(slot)
        }
    }

    /// Processes `slot` again when its guess about where the previous chunk's range ended was wrong.
    private mutating func checkSeam(_ slot: ChunkSlot) {
        let bodyStart = slot.windowStart + slot.body.lowerBound
        let expected = max(bodyStart, covered)
        if slot.windowStart + slot.result.outputFrom != expected {
            stats.seamReruns += 1
            slot.result = seamWorker.process(slot, startAt: expected - slot.windowStart)
        }
        covered = max(covered, slot.windowStart + slot.result.coveredUntil)
    }
}
