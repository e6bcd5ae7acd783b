/// The writer's bookkeeping: puts finished chunks back in input order, checks each seam,
/// feeds the encoder, and counts.
struct OrderedWriter {
    private let encoder: StreamEncoder
    private var seamRewriter: ChunkRewriter
    private var rewritten: [Int: ChunkSlot] = [:]
    private var compressed: [Int: ChunkSlot] = [:]
    private var nextRewritten = 0
    private var nextWritten = 0
    /// Absolute offset up to which input has been accounted for by written output.
    private var covered = 0
    /// The last 32 KiB of output, the next gzip chunk's dictionary.
    private let outputTail = ChunkBuffer(capacity: 64 << 10)
    private static let dictionarySize = 32 << 10

    /// The number of chunks the reader produced, once it has finished.
    var totalChunks: Int?
    /// Counts so far.
    private(set) var stats = PipelineStats()

    init(encoder: StreamEncoder, rewriter: ChunkRewriter) {
        self.encoder = encoder
        self.seamRewriter = rewriter
    }

    /// True when every chunk has been written.
    var isComplete: Bool { totalChunks == nextWritten }

    /// Takes a rewritten chunk; for every chunk now in order, checks its seam and either writes
    /// it (then `release`s the slot) or passes it on for compression.
    mutating func accept(rewritten slot: ChunkSlot, next release: (ChunkSlot) -> Void) throws {
        rewritten[slot.sequence] = slot
        while let slot = rewritten.removeValue(forKey: nextRewritten) {
            nextRewritten += 1
            checkSeam(slot)
            stats.counts.add(slot.result.counts)
            let output = UnsafeRawBufferPointer(start: slot.output.base, count: slot.output.count)
            if encoder.compressesInWorkers {
                slot.dictionary.count = 0
                slot.dictionary.append(UnsafeRawBufferPointer(start: outputTail.base, count: outputTail.count))
                remember(output)
            } else {
                try encoder.write(output)
                nextWritten += 1
            }
            release(slot)
        }
    }

    /// Takes a compressed chunk and writes every compressed chunk now in order.
    mutating func accept(compressed slot: ChunkSlot, release: (ChunkSlot) -> Void) throws {
        compressed[slot.sequence] = slot
        while let slot = compressed.removeValue(forKey: nextWritten) {
            nextWritten += 1
            let bytes = UnsafeRawBufferPointer(start: slot.compressed.base, count: slot.compressed.count)
            try encoder.writeCompressed(CompressedPiece(bytes: bytes, crc: slot.crc, length: slot.output.count))
            release(slot)
        }
    }

    /// Rewrites `slot` again when its guess about where the previous chunk's output ended was wrong.
    private mutating func checkSeam(_ slot: ChunkSlot) {
        let bodyStart = slot.windowStart + slot.body.lowerBound
        let expected = max(bodyStart, covered)
        if slot.windowStart + slot.result.outputFrom != expected {
            stats.seamReruns += 1
            slot.output.count = 0
            let startAt = expected - slot.windowStart
            slot.result = slot.withWindow {
                seamRewriter.rewrite(window: $0, body: slot.body, startAt: startAt, into: slot.output)
            }
        }
        covered = max(covered, slot.windowStart + slot.result.coveredUntil)
    }

    /// Keeps the last 32 KiB of output written so far.
    private func remember(_ output: UnsafeRawBufferPointer) {
        let limit = OrderedWriter.dictionarySize
        if output.count >= limit {
            outputTail.count = 0
            outputTail.append(UnsafeRawBufferPointer(rebasing: output[(output.count - limit)...]))
            return
        }
        let keep = min(outputTail.count, limit - output.count)
        if keep < outputTail.count {
            outputTail.base.copyMemory(from: outputTail.base + (outputTail.count - keep), byteCount: keep)
            outputTail.count = keep
        }
        outputTail.append(output)
    }
}
