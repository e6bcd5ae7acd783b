import CZlib

/// Decodes gzip with zlib: single and multi-member streams, every header flag.
///
/// Trailing zero bytes after the last member (tape padding) are ignored like `gzip -d` does;
/// anything else after a member that is not another member is an error.
final class GzipDecoder: Decoder {
    private let input: InputFile
    /// Heap-allocated: zlib keeps a pointer back to the stream and checks it never moves.
    private let stream: UnsafeMutablePointer<z_stream>
    private var inMember = true
    private var finished = false

    init(_ input: InputFile) throws {
        self.input = input
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw AnonLogError(.internal, "\(input.name): cannot initialise zlib")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while !finished {
            if input.available.isEmpty {
                let more = try input.fill()
                if !more {
                    // A stop signal ended the wait for more (not the end of the data): decode
                    // no further, without calling the stream truncated.
                    if !input.atEOF { return 0 }
                    if inMember { throw AnonLogError(.io, "\(input.name): truncated gzip data (unexpected end of file)") }
                    finished = true
                    return 0
                }
            }
            if !inMember {
                try startNextMember()
                continue
            }
            let available = input.available
            stream.pointee.next_in = UnsafeMutablePointer(mutating: available.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(available.count)
            stream.pointee.next_out = destination.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            input.consume(available.count - Int(stream.pointee.avail_in))
            let produced = min(capacity, Int(UInt32.max)) - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                inMember = false
            case Z_NEED_DICT, Z_DATA_ERROR:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw AnonLogError(.io, "\(input.name): corrupt gzip data (\(detail))")
            case Z_MEM_ERROR:
                throw AnonLogError(.internal, "\(input.name): out of memory while decompressing")
            default:
                throw AnonLogError(.io, "\(input.name): gzip decoding failed (zlib status \(status))")
            }
            if produced > 0 { return produced }
        }
        return 0
    }

    /// After a member ended: another member, zero padding to the end, or an error.
    private func startNextMember() throws {
        let bytes = input.available
        if bytes[0] == 0x1f {
            inflateReset(stream)
            inMember = true
            return
        }
        if bytes.allSatisfy({ $0 == 0 }) {
            input.consume(bytes.count)
            return
        }
        throw AnonLogError(.io, "\(input.name): unexpected data after the end of the gzip stream")
    }
}
