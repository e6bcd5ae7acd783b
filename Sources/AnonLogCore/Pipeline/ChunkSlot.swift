/// Everything one chunk needs on its way through the pipeline, reused from chunk to chunk.
///
/// A slot is owned by exactly one thread at a time (reader, then a worker, then the writer,
/// then a worker again for gzip, then back to the pool), handed over through `BlockingQueue`s.
/// Owning the output buffers with the input means a worker never waits for a buffer that a
/// later chunk holds, so the bounded pool cannot deadlock.
final class ChunkSlot: @unchecked Sendable {
    /// Position of the chunk in the stream, from 0.
    var sequence = 0
    /// Absolute stream offset of `input`'s first byte.
    var windowStart = 0
    /// The body within the window; before it lookbehind, after it lookahead (then carry).
    var body = 0..<0
    /// Bytes of `input` that are part of the window (the rest is carry for the next chunk).
    var windowCount = 0
    /// Decoded input: lookbehind + body + lookahead (+ carry); unused when `mappedWindow` is set.
    let input: ChunkBuffer
    /// The window itself when the input is a mapped file (`MappedFile`), valid while the
    /// pipeline runs; nil when the window is in `input`.
    var mappedWindow: UnsafeRawBufferPointer?
    /// The rewritten body.
    let output: ChunkBuffer
    /// `output` as one gzip member (gzip only).
    let compressed = ChunkBuffer(capacity: 1 << 16)
    /// Where the chunk's owned range lies (window-relative) and what it holds.
    var result = SearchResult(outputFrom: 0, coveredUntil: 0, counts: TypeCounts())
    /// The worker's pseudonym cache hits and misses on this chunk (rewrite only).
    var cacheHits = 0, cacheMisses = 0
    /// The chunk was cut because its input went quiet: once it is written, the encoder flushes
    /// (xz finishes its block) so that a reader of the output sees every line.
    var flushAfter = false
    /// A reopen was requested (SIGHUP/SIGUSR1 with `--append -o`): once the chunk is written,
    /// the output is finished and reopened.
    var reopenAfter = false
    /// The job's own product of the chunk, when it is not output bytes (a scan's findings);
    /// created by the first worker that needs it and reused with the slot.
    var product: AnyObject?

    init(chunkSize: Int) {
        input = ChunkBuffer(capacity: chunkSize + 2 * Pipeline.lookaround + 64)
        // A quarter more than the input: pseudonyms are often longer than what they replace
        // (`u-` and 12 characters for a short username, RFC 5952 IPv6), and growing a slot's
        // buffer would copy everything it holds once more.
        output = ChunkBuffer(capacity: chunkSize + chunkSize / 4 + 1024)
    }

    /// The window bytes, for reading inside the closure.
    func withWindow<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(mappedWindow ?? UnsafeRawBufferPointer(start: input.base, count: windowCount))
    }
}
