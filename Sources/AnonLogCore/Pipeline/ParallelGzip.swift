/// gzip output compressed by the workers in parallel: each chunk becomes one complete gzip
/// member (`ChunkDeflater`), written in order. A multi-member file is standard gzip (RFC 1952):
/// `gzip -d`, `zcat`, `pigz` and Python's `gzip` read it whole (tested).
///
/// Independent members need no dictionary from the chunk before (libdeflate takes none), and
/// compress at libdeflate's speed; on 1 MiB chunks the file is still no larger than zlib's at
/// the same level. A worker calls `compress` on each chunk, and the writer `write` on the
/// compressed chunks in order.
final class ParallelGzip {
    private let output: OutputFile
    /// The compression level, for the workers' `ChunkDeflater`s.
    let level: Int
    /// Whether the current stream has a member yet (an empty stream still gets one).
    private var wroteMember = false

    init(_ output: OutputFile, level: Int) {
        self.output = output
        self.level = level
    }

    /// The worker's part: `slot`'s output as one gzip member.
    static func compress(_ slot: ChunkSlot, with deflater: ChunkDeflater) {
        slot.compressed.count = 0
        guard slot.output.count > 0 else { return }
        slot.output.withBytes { deflater.compressMember($0, into: slot.compressed) }
    }

    /// Writes a compressed chunk (next in order).
    func write(_ slot: ChunkSlot) throws {
        guard slot.compressed.count > 0 else { return }
        try output.write(UnsafeRawBufferPointer(start: slot.compressed.base, count: slot.compressed.count))
        wroteMember = true
    }

    /// Ends the stream: an empty output still becomes a valid gzip file of one empty member.
    func finish() throws {
        guard !wroteMember else { return }
        let empty = ChunkBuffer(capacity: 64)
        ChunkDeflater(level: level).compressMember(UnsafeRawBufferPointer(start: empty.base, count: 0), into: empty)
        try output.write(UnsafeRawBufferPointer(start: empty.base, count: empty.count))
        wroteMember = true
    }

    /// Starts a new stream (after `finish`, on a reopened output).
    func restart() {
        wroteMember = false
    }
}
