import CZstd

/// Decodes zstd with libzstd's streaming decompressor: one or more frames (skippable frames
/// are skipped), the content checksum checked when the frame has one.
final class ZstdDecoder: Decoder {
    private let input: InputFile
    private let context: OpaquePointer
    /// Whether a frame has begun and not yet ended.
    private var inFrame = false
    private var finished = false

    /// A decoder for `input`; a frame needing a window over `memoryLimit` bytes is refused.
    init(_ input: InputFile, memoryLimit: Int) throws {
        self.input = input
        guard let context = ZSTD_createDCtx() else { throw AnonLogError(.internal, "\(input.name): cannot initialise zstd") }
        self.context = context
        var windowLog: Int32 = 10
        while windowLog < 31 && (1 << (windowLog + 1)) <= memoryLimit { windowLog += 1 }
        ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, windowLog)
    }

    deinit { ZSTD_freeDCtx(context) }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while !finished {
            if input.available.isEmpty {
                switch try input.refill(insideStream: inFrame, format: "zstd") {
                case .more: break
                case .stopped: return 0
                case .ended:
                    finished = true
                    return 0
                }
            }
            let available = input.available
            var source = ZSTD_inBuffer(src: available.baseAddress, size: available.count, pos: 0)
            var target = ZSTD_outBuffer(dst: destination, size: capacity, pos: 0)
            let hint = ZSTD_decompressStream(context, &target, &source)
            input.consume(source.pos)
            if ZSTD_isError(hint) != 0 {
                let reason = String(cString: ZSTD_getErrorName(hint))
                if ZSTD_getErrorCode(hint) == ZSTD_error_frameParameter_windowTooLarge {
                    throw AnonLogError(.io, "\(input.name): decoding this zstd needs more memory than the limit (its window is that large); refused, untouched",
                                       remedy: .raiseXzMemoryLimit)
                }
                throw AnonLogError(.io, "\(input.name): corrupt zstd data (\(reason))")
            }
            // 0: a frame just ended (and everything it holds is out); otherwise one is open.
            inFrame = hint != 0
            if target.pos > 0 { return target.pos }
        }
        return 0
    }
}
