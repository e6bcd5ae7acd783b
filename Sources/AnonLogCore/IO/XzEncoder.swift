import CLZMA

/// Writes xz through liblzma's multi-threaded encoder (its own threads, one block each).
final class XzEncoder: SerialEncoder {
    private let output: OutputFile
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let buffer: UnsafeMutableRawPointer
    private let bufferSize = 1 << 20

    private let level: Int
    private let threads: Int

    init(_ output: OutputFile, level: Int, threads: Int) throws {
        self.output = output
        self.level = level
        self.threads = threads
        stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
        do {
            try start()
        } catch {
            stream.deallocate()
            buffer.deallocate()
            throw error
        }
    }

    /// Sets up liblzma's multi-threaded encoder on `stream`.
    private func start() throws {
        var options = lzma_mt()
        options.threads = UInt32(max(1, threads))
        options.preset = UInt32(max(0, min(9, level)))
        options.check = LZMA_CHECK_CRC64
        let status = lzma_stream_encoder_mt(stream, &options)
        guard status == LZMA_OK else {
            throw AnonLogError(.internal, "cannot initialise the xz encoder (\(status.rawValue))")
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
        buffer.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        stream.pointee.next_in = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = bytes.count
        while stream.pointee.avail_in > 0 { try code(LZMA_RUN) }
    }

    func finish() throws {
        while try code(LZMA_FINISH) != LZMA_STREAM_END {}
    }

    /// Ends the current block (`LZMA_FULL_FLUSH`), so `xzcat` of the growing file shows every
    /// line written so far.
    func flush() throws {
        while try code(LZMA_FULL_FLUSH) != LZMA_STREAM_END {}
    }

    func restart() throws {
        lzma_end(stream)
        stream.initialize(to: lzma_stream())
        try start()
    }

    @discardableResult
    private func code(_ action: lzma_action) throws -> lzma_ret {
        stream.pointee.next_out = buffer.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = bufferSize
        let status = lzma_code(stream, action)
        guard status == LZMA_OK || status == LZMA_STREAM_END else {
            throw AnonLogError(.io, "\(output.name): xz encoding failed (liblzma status \(status.rawValue))")
        }
        let produced = bufferSize - stream.pointee.avail_out
        if produced > 0 { try output.write(UnsafeRawBufferPointer(start: buffer, count: produced)) }
        return status
    }
}
