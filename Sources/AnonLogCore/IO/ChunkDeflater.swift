import CZlib

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
