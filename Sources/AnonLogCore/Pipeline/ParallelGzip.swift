import CZlib

/// Writes one standard gzip member from chunks that workers deflate independently: the one
/// owner of the parallel-gzip flow (dictionary, compression job, CRCs, header and trailer).
///
/// This is pigz's technique: each chunk is raw deflate primed with the previous 32 KiB of
/// output as dictionary and ended with a sync flush (so the pieces concatenate into one valid
/// deflate stream), the CRCs are combined with `crc32_combine`, and an empty final block plus
/// the trailer close the member. The dictionary keeps the ratio close to that of `gzip` at the
/// same level.
///
/// The writer calls `prepare` on each chunk in order (giving it its dictionary), a worker
/// calls `compress`, and the writer calls `write` on the compressed chunks in order.
final class ParallelGzip {
    /// Bytes of output before a chunk that prime its deflate (deflate's whole window).
    static let dictionarySize = 32 << 10
    private let output: OutputFile
    /// The deflate level, for the workers' `ChunkDeflater`s.
    let level: Int
    private var crc: UInt32 = 0
    private var length: Int = 0
    private var headerWritten = false
    /// The last 32 KiB of output, the next chunk's dictionary.
    private let outputTail = ChunkBuffer(capacity: 64 << 10)

    init(_ output: OutputFile, level: Int) {
        self.output = output
        self.level = level
    }

    /// Gives `slot` (next in order) the output before it as dictionary and remembers its output
    /// for the chunk after it.
    func prepare(_ slot: ChunkSlot) {
        slot.dictionary.count = 0
        slot.dictionary.append(UnsafeRawBufferPointer(start: outputTail.base, count: outputTail.count))
        remember(UnsafeRawBufferPointer(start: slot.output.base, count: slot.output.count))
    }

    /// The worker's part: deflates `slot`'s output after its dictionary.
    static func compress(_ slot: ChunkSlot, with deflater: ChunkDeflater) {
        slot.crc = slot.output.withBytes { output in
            slot.dictionary.withBytes { deflater.compress(output, dictionary: $0, into: slot.compressed) }
        }
    }

    /// Writes a compressed chunk (next in order).
    func write(_ slot: ChunkSlot) throws {
        try writeHeaderOnce()
        try output.write(UnsafeRawBufferPointer(start: slot.compressed.base, count: slot.compressed.count))
        crc = UInt32(crc32_combine(uLong(crc), uLong(slot.crc), off_t(slot.output.count)))
        length &+= slot.output.count
    }

    /// Closes the member.
    func finish() throws {
        try writeHeaderOnce()
        // An empty final block with fixed Huffman codes (BFINAL=1, BTYPE=01, end-of-block),
        // then CRC-32 and ISIZE, little-endian.
        var trailer: [UInt8] = [0x03, 0x00]
        for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        let size = UInt32(truncatingIfNeeded: length)
        for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: size >> UInt32(shift))) }
        try trailer.withUnsafeBytes { try output.write($0) }
    }

    /// Starts a new member (after `finish`, on a reopened output).
    func restart() {
        crc = 0
        length = 0
        headerWritten = false
    }

    /// The chunk just prepared ends its member: the next one starts a new member, which
    /// cannot refer back to this one's output.
    func endMemberAfterPrepared() {
        outputTail.count = 0
    }

    private func writeHeaderOnce() throws {
        guard !headerWritten else { return }
        headerWritten = true
        // Magic, CM=deflate, no flags, no mtime, XFL by level, OS=Unix.
        let extraFlags: UInt8 = level >= 9 ? 2 : (level <= 1 ? 4 : 0)
        let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 3]
        try header.withUnsafeBytes { try output.write($0) }
    }

    /// Keeps the last 32 KiB of output written so far.
    private func remember(_ output: UnsafeRawBufferPointer) {
        let limit = ParallelGzip.dictionarySize
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
