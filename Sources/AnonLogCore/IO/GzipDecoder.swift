import CISAL

/// Decodes gzip with ISA-L's streaming inflate (`isal_inflate`, several times zlib's speed):
/// single and multi-member streams, every header flag, the CRC-32 and length checked.
///
/// Trailing zero bytes after the last member (tape padding) are ignored like `gzip -d` does;
/// anything else after a member that is not another member is an error.
final class GzipDecoder: Decoder {
    private let input: InputFile
    /// Heap-allocated: the state holds ~100 KiB of tables and history.
    private let state: UnsafeMutablePointer<inflate_state>
    private var inMember = true
    private var finished = false

    init(_ input: InputFile) throws {
        self.input = input
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    deinit { state.deallocate() }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while !finished {
            if input.available.isEmpty {
                switch try input.refill(insideStream: inMember, format: "gzip") {
                case .more: break
                case .stopped: return 0
                case .ended:
                    finished = true
                    return 0
                }
            }
            if !inMember {
                try startNextMember()
                continue
            }
            let available = input.available
            let room = min(capacity, Int(UInt32.max))
            state.pointee.next_in = UnsafeMutablePointer(mutating: available.baseAddress!.assumingMemoryBound(to: UInt8.self))
            state.pointee.avail_in = UInt32(min(available.count, Int(UInt32.max)))
            state.pointee.next_out = destination.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = UInt32(room)
            let status = isal_inflate(state)
            input.consume(min(available.count, Int(UInt32.max)) - Int(state.pointee.avail_in))
            let produced = room - Int(state.pointee.avail_out)
            switch status {
            case ISAL_DECOMP_OK, ISAL_END_INPUT, ISAL_OUT_OVERFLOW:
                if state.pointee.block_state == ISAL_BLOCK_FINISH { inMember = false }
            case ISAL_INCORRECT_CHECKSUM:
                throw AnonLogError(.io, "\(input.name): corrupt gzip data (incorrect data check)")
            case ISAL_INVALID_WRAPPER, ISAL_UNSUPPORTED_METHOD:
                throw AnonLogError(.io, "\(input.name): corrupt gzip data (invalid header)")
            default:
                throw AnonLogError(.io, "\(input.name): corrupt gzip data (invalid deflate data)")
            }
            if produced > 0 { return produced }
        }
        return 0
    }

    /// After a member ended: another member, zero padding to the end, or an error.
    private func startNextMember() throws {
        let bytes = input.available
        if bytes[0] == 0x1f {
            isal_inflate_reset(state)
            state.pointee.crc_flag = UInt32(ISAL_GZIP)
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
