import Crypto

/// A rewrite worker: the chunk's window rewritten into the slot's output.
struct RewriteWorker: ChunkWorker {
    var rewriter: ChunkRewriter

    mutating func process(_ slot: ChunkSlot, startAt: Int?) -> SearchResult {
        slot.output.count = 0
        let result = slot.withWindow {
            rewriter.rewrite(window: $0, body: slot.body, startAt: startAt, into: slot.output,
                             windowStartsStream: slot.windowStart == 0)
        }
        slot.cacheHits = result.cacheHits
        slot.cacheMisses = result.cacheMisses
        return result.search
    }
}

/// The filter's job: each chunk rewritten, then encoded and written in order.
struct RewriteJob: PipelineJob {
    let options: PipelineOptions
    let encoder: OutputEncoder
    /// Hashes of the decoded input and of the output, chunk by chunk in order (the
    /// `PseudonymRegistry`'s digests); nil when not asked for.
    var hashes: (input: SHA256, output: SHA256)?
    /// Finishes the output stream, reopens the output and starts a new stream (a chunk with
    /// `reopenAfter`); nil when the output cannot be reopened (the request is then ignored).
    let reopenOutput: (() throws -> Void)?

    func makeWorker(inputBytes: Int?) -> RewriteWorker {
        RewriteWorker(rewriter: ChunkRewriter(plan: options.plan, detection: options.detection, transform: options.transform,
                                              inputBytes: inputBytes))
    }

    var parallelGzip: ParallelGzip? {
        if case .parallelGzip(let gzip) = encoder { return gzip }
        return nil
    }

    /// The finished hashes, in hex.
    func digests() -> (input: String, output: String)? {
        hashes.map { (Hex.encode(Array($0.input.finalize())), Hex.encode(Array($0.output.finalize()))) }
    }

    mutating func deliver(_ slot: ChunkSlot) throws -> Bool {
        let output = UnsafeRawBufferPointer(start: slot.output.base, count: slot.output.count)
        if hashes != nil {
            slot.withWindow { hashes!.input.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[slot.body])) }
            hashes!.output.update(bufferPointer: output)
        }
        switch encoder {
        case .serial(let serial):
            try serial.write(output)
            try afterWrite(slot)
            return true
        case .parallelGzip:
            return false   // the workers compress it next
        }
    }

    mutating func deliverCompressed(_ slot: ChunkSlot) throws {
        try parallelGzip?.write(slot)
        try afterWrite(slot)
    }

    /// What a written chunk asks for: a reopen of the output, or a flush of the encoder.
    private func afterWrite(_ slot: ChunkSlot) throws {
        if slot.reopenAfter, let reopenOutput {
            try reopenOutput()
        } else if slot.flushAfter || slot.reopenAfter {
            try encoder.flush()
        }
    }
}
