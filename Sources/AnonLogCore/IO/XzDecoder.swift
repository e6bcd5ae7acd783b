import CLZMA

/// Decodes xz (and concatenated xz streams) with liblzma's multi-threaded decoder.
final class XzDecoder: Decoder {
    private let input: InputFile
    private let stream: UnsafeMutablePointer<lzma_stream>
    private var finished = false

    /// 256 MiB: far above what `xz -9` needs (65 MiB), far below what a 4 GiB dictionary in a
    /// hostile 300-byte header would make each worker allocate.
    static let defaultMemoryLimit = 256 << 20
    private let memoryLimit: Int

    init(_ input: InputFile, threads: Int, memoryLimit: Int = XzDecoder.defaultMemoryLimit) throws {
        self.input = input
        self.memoryLimit = memoryLimit
        stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())
        var options = lzma_mt()
        options.threads = UInt32(max(1, threads))
        options.flags = 0x08  // LZMA_CONCATENATED: a function-like macro, not imported
        options.memlimit_threading = UInt64(min(memoryLimit, 256 << 20))
        options.memlimit_stop = UInt64(memoryLimit)
        let status = lzma_stream_decoder_mt(stream, &options)
        guard status == LZMA_OK else {
            stream.deallocate()
            throw AnonLogError(.internal, "\(input.name): cannot initialise the xz decoder (\(status.rawValue))")
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
    }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while !finished {
            if input.available.isEmpty {
                try input.fill()
                // A stop signal ended the wait for more: decode no further.
                if input.available.isEmpty && !input.atEOF { return 0 }
            }
            let available = input.available
            let action = available.isEmpty && input.atEOF ? LZMA_FINISH : LZMA_RUN
            stream.pointee.next_in = available.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_in = available.count
            stream.pointee.next_out = destination.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = capacity
            let status = lzma_code(stream, action)
            input.consume(available.count - stream.pointee.avail_in)
            let produced = capacity - stream.pointee.avail_out
            switch status {
            case LZMA_OK:
                break
            case LZMA_STREAM_END:
                finished = true
            case LZMA_BUF_ERROR where action == LZMA_FINISH:
                throw AnonLogError(.io, "\(input.name): truncated xz data (unexpected end of file)")
            case LZMA_BUF_ERROR:
                break
            case LZMA_DATA_ERROR, LZMA_FORMAT_ERROR, LZMA_OPTIONS_ERROR:
                throw AnonLogError(.io, "\(input.name): corrupt xz data")
            case LZMA_MEMLIMIT_ERROR:
                throw AnonLogError(.io, "\(input.name): decoding this xz needs more memory than the limit of \(memoryLimit >> 20) MiB (its dictionary is that large); refused, untouched", remedy: .raiseXzMemoryLimit)
            case LZMA_MEM_ERROR:
                throw AnonLogError(.io, "\(input.name): not enough memory to decode xz")
            default:
                throw AnonLogError(.io, "\(input.name): xz decoding failed (liblzma status \(status.rawValue))")
            }
            if produced > 0 { return produced }
        }
        return 0
    }
}
