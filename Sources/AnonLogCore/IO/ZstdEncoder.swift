import CZstd

/// Writes zstd through libzstd's multi-threaded compressor (its own worker threads).
final class ZstdEncoder: SerialEncoder {
    private let output: OutputFile
    private let context: OpaquePointer
    private let buffer: UnsafeMutableRawPointer
    private let bufferSize = ZSTD_CStreamOutSize()
    private let name: String

    /// A compressor at `level` (1-19) on `threads` threads (libzstd's `nbWorkers`).
    init(_ output: OutputFile, level: Int, threads: Int) throws {
        self.output = output
        name = output.name
        guard let context = ZSTD_createCCtx() else { throw AnonLogError(.internal, "cannot initialise the zstd encoder") }
        self.context = context
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        // libzstd's own worker threads compress while the pipeline's workers rewrite, at the
        // price of their job buffers; without workers the writer thread would compress. A
        // libzstd built without threads refuses the setting and compresses on this thread.
        if threads > 1 { _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(threads)) }
    }

    deinit {
        ZSTD_freeCCtx(context)
        buffer.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var input = ZSTD_inBuffer(src: base, size: bytes.count, pos: 0)
        while input.pos < input.size { _ = try compress(&input, ZSTD_e_continue) }
    }

    func finish() throws {
        try drain(ZSTD_e_end)
    }

    func flush() throws {
        try drain(ZSTD_e_flush)
    }

    /// A new frame on the output as it is now: the last one was ended by `finish`.
    func restart() throws {}

    /// Runs `directive` until libzstd has nothing left to write for it.
    private func drain(_ directive: ZSTD_EndDirective) throws {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try compress(&input, directive) != 0 {}
    }

    /// One call of the compressor; writes what it produced and returns what it has left.
    private func compress(_ input: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws -> Int {
        var out = ZSTD_outBuffer(dst: buffer, size: bufferSize, pos: 0)
        let left = ZSTD_compressStream2(context, &out, &input, directive)
        if ZSTD_isError(left) != 0 {
            throw AnonLogError(.internal, "\(name): zstd compression failed (\(String(cString: ZSTD_getErrorName(left))))")
        }
        if out.pos > 0 { try output.write(UnsafeRawBufferPointer(start: buffer, count: out.pos)) }
        return left
    }
}
