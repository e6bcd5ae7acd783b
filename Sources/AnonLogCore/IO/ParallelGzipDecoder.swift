import CDeflate
import Foundation

/// Decodes gzip that anonlog wrote (`ChunkDeflater`: one member per chunk, each announcing
/// its length in the `AL` header field) on several threads: the reading thread cuts the input
/// into members, a pool of threads inflates them (libdeflate, whole buffers), and the bytes
/// come out in order. At the first member without the field (a file concatenated with another
/// gzip), the rest is decoded as one stream by `GzipDecoder`.
final class ParallelGzipDecoder: Decoder {
    /// One member on its way: compressed bytes in, decoded bytes or an error out.
    private final class Member: @unchecked Sendable {
        // Written by one inflating thread, read by the reading thread after `done` is
        // signalled: the semaphore orders the two.
        let compressed: [UInt8]
        var decoded: [UInt8] = []
        var error: AnonLogError?
        let done = DispatchSemaphore(value: 0)
        init(_ compressed: [UInt8]) { self.compressed = compressed }
    }

    private let input: InputFile
    private let jobs = BlockingQueue<Member>()
    private let running = DispatchGroup()
    private var inFlight: [Member] = []
    private let maxInFlight: Int
    /// The member being read out, and how far.
    private var current: Member?
    private var offset = 0
    /// Set at the first member that does not announce its length.
    private var rest: GzipDecoder?
    private var inputEnded = false
    /// The largest member decoded whole (a chunk anonlog wrote is far smaller).
    private static let memberLimit = 256 << 20

    /// A decoder for `input` (whose first member has the `AL` field) on `threads` threads.
    init(_ input: InputFile, threads: Int) {
        self.input = input
        let threads = max(1, threads)
        maxInFlight = 2 * threads + 2
        for index in 0..<threads {
            running.enter()
            let thread = Thread { [jobs, running, name = input.name] in
                defer { running.leave() }
                guard let decompressor = libdeflate_alloc_decompressor() else { return }
                defer { libdeflate_free_decompressor(decompressor) }
                while let member = jobs.pop() {
                    ParallelGzipDecoder.inflate(member, with: decompressor, name: name)
                    member.done.signal()
                }
            }
            thread.name = "anonlog-inflate-\(index)"
            thread.start()
        }
    }

    deinit {
        jobs.close()
        running.wait()
    }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while true {
            if let member = current, offset < member.decoded.count {
                let n = min(capacity, member.decoded.count - offset)
                member.decoded.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            }
            current = nil
            try feed()
            if inFlight.isEmpty {
                if let rest { return try rest.read(into: destination, capacity: capacity) }
                return 0
            }
            let member = inFlight.removeFirst()
            member.done.wait()
            if let error = member.error { throw error }
            current = member
            offset = 0
            try feed()
        }
    }

    /// Reads members and hands them to the pool until `maxInFlight` are out or the input ends
    /// (or reaches a member without the field, which `rest` then decodes).
    private func feed() throws {
        while inFlight.count < maxInFlight && !inputEnded && rest == nil {
            try input.fill(atLeast: ChunkDeflater.headerLength)
            let head = input.available
            if head.isEmpty {
                if !input.atEOF { return }   // a stop signal: no more members
                inputEnded = true
                return
            }
            guard let length = ChunkDeflater.announcedLength(head) else {
                if head.allSatisfy({ $0 == 0 }) && input.atEOF {
                    input.consume(head.count)
                    inputEnded = true
                    return
                }
                if head[0] == 0x1f {
                    rest = try GzipDecoder(input)
                    return
                }
                if head.count < ChunkDeflater.headerLength && input.atEOF {
                    throw AnonLogError(.io, "\(input.name): truncated gzip data (unexpected end of file)")
                }
                throw AnonLogError(.io, "\(input.name): unexpected data after the end of the gzip stream")
            }
            guard length <= ParallelGzipDecoder.memberLimit else {
                throw AnonLogError(.io, "\(input.name): corrupt gzip data (a member announces \(length) bytes)")
            }
            var compressed = [UInt8]()
            compressed.reserveCapacity(length)
            while compressed.count < length {
                if input.available.isEmpty {
                    guard try input.fill() else {
                        throw AnonLogError(.io, "\(input.name): truncated gzip data (unexpected end of file)")
                    }
                }
                let take = min(length - compressed.count, input.available.count)
                compressed.append(contentsOf: UnsafeRawBufferPointer(rebasing: input.available.prefix(take)))
                input.consume(take)
            }
            let member = Member(compressed)
            inFlight.append(member)
            jobs.push(member)
        }
    }

    /// Inflates one member whole (on a pool thread); its trailer gives the decoded length.
    private static func inflate(_ member: Member, with decompressor: OpaquePointer, name: String) {
        let bytes = member.compressed
        let size = Int(bytes[bytes.count - 4]) | Int(bytes[bytes.count - 3]) << 8 | Int(bytes[bytes.count - 2]) << 16
            | Int(bytes[bytes.count - 1]) << 24
        // The trailer is input: deflate expands at most 1032:1, and no chunk is that large.
        guard size <= min(memberLimit, bytes.count * 1032) else {
            member.error = AnonLogError(.io, "\(name): corrupt gzip data (a member's length does not fit its data)")
            return
        }
        var decoded = [UInt8](repeating: 0, count: size)
        var consumed = 0, produced = 0
        let result = bytes.withUnsafeBytes { source in
            decoded.withUnsafeMutableBytes { target in
                libdeflate_gzip_decompress_ex(decompressor, source.baseAddress, source.count, target.baseAddress, target.count,
                                              &consumed, &produced)
            }
        }
        // The member must fill its announced length exactly: bytes after its trailer would be
        // skipped unseen, and lost from a rewrite.
        guard result == LIBDEFLATE_SUCCESS, produced == size, consumed == bytes.count else {
            member.error = AnonLogError(.io, "\(name): corrupt gzip data (invalid deflate data or incorrect data check)")
            return
        }
        member.decoded = decoded
    }
}
