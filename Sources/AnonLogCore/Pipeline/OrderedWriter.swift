import Crypto

/// The writer's bookkeeping: puts finished chunks back in input order, checks each seam,
/// feeds the encoder, and counts.
struct OrderedWriter {
    /// Hashes of the decoded input and of the output, chunk by chunk in order (the
    /// `PseudonymRegistry`'s digests); nil when not asked for.
    var hashes: (input: SHA256, output: SHA256)?

    /// The finished hashes, in hex.
    func digests() -> (input: String, output: String)? {
        hashes.map { (PseudonymRegistry.hex($0.input), PseudonymRegistry.hex($0.output)) }
    }

    /// Where rewritten bytes go; nil in scan mode, where findings are reported instead.
    private let encoder: StreamEncoder?
    /// 1-based number of the line the next chunk starts in (scan mode).
    private var line = 1
    /// Absolute offset where that line starts (scan mode).
    private var lineStart = 0
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
    /// Finishes the output stream, reopens the output and starts a new stream (a chunk with
    /// `reopenAfter`); nil when the output cannot be reopened (the request is then ignored).
    var reopenOutput: (() throws -> Void)?
    /// Counts so far.
    private(set) var stats = PipelineStats()

    init(encoder: StreamEncoder?, rewriter: ChunkRewriter) {
        self.encoder = encoder
        self.seamRewriter = rewriter
    }

    /// True when every chunk has been written.
    var isComplete: Bool { totalChunks == nextWritten }

    /// Takes a rewritten chunk; for every chunk now in order, checks its seam and either writes
    /// it (then `release`s the slot) or passes it on for compression.
    mutating func accept(rewritten slot: ChunkSlot, report: ([Finding]) -> Void, next release: (ChunkSlot) -> Void) throws {
        rewritten[slot.sequence] = slot
        while let slot = rewritten.removeValue(forKey: nextRewritten) {
            nextRewritten += 1
            checkSeam(slot)
            stats.counts.add(slot.result.counts)
            stats.cacheHits += slot.result.cacheHits
            stats.cacheMisses += slot.result.cacheMisses
            let output = UnsafeRawBufferPointer(start: slot.output.base, count: slot.output.count)
            if hashes != nil {
                slot.withWindow { hashes!.input.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[slot.body])) }
                hashes!.output.update(bufferPointer: output)
            }
            guard let encoder else {
                report(number(slot))
                nextWritten += 1
                release(slot)
                continue
            }
            if encoder.compressesInWorkers {
                slot.dictionary.count = 0
                slot.dictionary.append(UnsafeRawBufferPointer(start: outputTail.base, count: outputTail.count))
                remember(output)
                // The next chunk starts a new gzip member after a reopen: no dictionary.
                if slot.reopenAfter && reopenOutput != nil { outputTail.count = 0 }
            } else {
                try encoder.write(output)
                nextWritten += 1
                try afterWrite(slot)
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
            try encoder?.writeCompressed(CompressedPiece(bytes: bytes, crc: slot.crc, length: slot.output.count))
            try afterWrite(slot)
            release(slot)
        }
    }

    /// What a written chunk asks for: a reopen of the output, or a flush of the encoder.
    private func afterWrite(_ slot: ChunkSlot) throws {
        if slot.reopenAfter, let reopenOutput {
            try reopenOutput()
        } else if slot.flushAfter || slot.reopenAfter {
            try encoder?.flush()
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
            let scanning = encoder == nil
            slot.result = slot.withWindow {
                seamRewriter.rewrite(window: $0, body: slot.body, startAt: startAt, into: scanning ? nil : slot.output,
                                     findings: scanning ? slot.findings : nil, windowStartsStream: slot.windowStart == 0)
            }
        }
        covered = max(covered, slot.windowStart + slot.result.coveredUntil)
    }

    /// Gives the chunk's findings their line and column numbers and advances the line count.
    private mutating func number(_ slot: ChunkSlot) -> [Finding] {
        let list = slot.findings
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
        return numbered
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
