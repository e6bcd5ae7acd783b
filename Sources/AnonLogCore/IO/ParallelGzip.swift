import CZlib

/// Writes one standard gzip member from chunks that workers deflate independently: the one
/// owner of the parallel-gzip flow (dictionary, compression job, CRCs, header and trailer).
///
/// This is pigz's technique: each chunk is raw deflate primed with the previous 32 KiB of
/// output as dictionary and ended with a sync flush (so the pieces concatenate into one valid
/// deflate stream), the CRCs are combined with `crc32_combine`, and an empty final block plus
/// the trailer close the member. The dictionary keeps the ratio within a fraction of a percent
/// of `gzip` at the same level.
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

/// A worker's deflate state, reused for every chunk it compresses (`deflateReset`, as pigz does).
final class ChunkDeflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// Creates a raw-deflate compressor at `level`.
    init(level: Int) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, Int32(level), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input` primed with `dictionary` into `out` (replacing its contents),
    /// ending with a sync flush; returns the CRC-32 of `input`.
    func compress(_ input: UnsafeRawBufferPointer, dictionary: UnsafeRawBufferPointer, into out: ChunkBuffer) -> UInt32 {
        out.count = 0
        guard let inputBase = input.baseAddress, input.count > 0 else { return 0 }
        deflateReset(stream)
        if let dictionaryBase = dictionary.baseAddress, dictionary.count > 0 {
            deflateSetDictionary(stream, dictionaryBase.assumingMemoryBound(to: Bytef.self), uInt(dictionary.count))
        }
        let bound = Int(deflateBound(stream, uLong(input.count))) + 64
        out.reserve(extra: bound)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        repeat {
            out.reserve(extra: 64 << 10)
            let room = out.capacity - out.count
            stream.pointee.next_out = (out.base + out.count).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(room)
            deflate(stream, Z_SYNC_FLUSH)
            out.count += room - Int(stream.pointee.avail_out)
        } while stream.pointee.avail_out == 0
        return UInt32(crc32(0, inputBase.assumingMemoryBound(to: Bytef.self), uInt(input.count)))
    }
}
