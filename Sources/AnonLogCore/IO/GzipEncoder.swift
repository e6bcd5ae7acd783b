import CZlib

/// Writes one standard gzip member from chunks that workers deflated independently.
///
/// This is pigz's technique: each chunk is raw deflate primed with the previous 32 KiB of
/// output as dictionary and ended with a sync flush (so the pieces concatenate into one valid
/// deflate stream), the CRCs are combined with `crc32_combine`, and an empty final block plus
/// the trailer close the member. The dictionary keeps the ratio within a fraction of a percent
/// of `gzip` at the same level.
final class GzipEncoder: StreamEncoder {
    private let output: OutputFile
    private let level: Int
    private var crc: UInt32 = 0
    private var length: Int = 0
    private var headerWritten = false

    init(_ output: OutputFile, level: Int) {
        self.output = output
        self.level = level
    }

    var compressesInWorkers: Bool { true }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        preconditionFailure("gzip chunks are compressed by the workers")
    }

    func writeCompressed(_ piece: CompressedPiece) throws {
        try writeHeaderOnce()
        try output.write(piece.bytes)
        crc = UInt32(crc32_combine(uLong(crc), uLong(piece.crc), off_t(piece.length)))
        length &+= piece.length
    }

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

    /// Nothing to do: every piece already ends with a sync flush.
    func flush() throws {}

    func restart() throws {
        crc = 0
        length = 0
        headerWritten = false
    }

    private func writeHeaderOnce() throws {
        guard !headerWritten else { return }
        headerWritten = true
        // Magic, CM=deflate, no flags, no mtime, XFL by level, OS=Unix.
        let extraFlags: UInt8 = level >= 9 ? 2 : (level <= 1 ? 4 : 0)
        let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 3]
        try header.withUnsafeBytes { try output.write($0) }
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
