import CDeflate

/// A worker's gzip compressor (libdeflate, about twice zlib's speed at the same level and no
/// larger): each chunk becomes one complete gzip member.
///
/// The member's header carries an extra field `AL` with the member's total length (as BGZF
/// carries its block size), so a reader can find the members without inflating them, and
/// inflate them on several threads. Every gzip reader ignores the field.
final class ChunkDeflater {
    private let compressor: OpaquePointer
    /// The level, also recorded in each member's header (XFL).
    private let level: Int

    /// The header's extra field: subfield `A`,`L`, 4 bytes of data.
    static let extraLength = 8
    /// Header (10) + XLEN (2) + the extra field.
    static let headerLength = 12 + extraLength
    /// CRC-32 and ISIZE.
    static let trailerLength = 8

    /// Creates a compressor at `level` (1-12; 1-9 as gzip's).
    init(level: Int) {
        guard let compressor = libdeflate_alloc_compressor(Int32(min(max(level, 0), 12))) else {
            preconditionFailure("libdeflate cannot allocate a compressor")
        }
        self.compressor = compressor
        self.level = level
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// Compresses `input` into `out` (replacing its contents) as one gzip member.
    func compressMember(_ input: UnsafeRawBufferPointer, into out: ChunkBuffer) {
        out.count = 0
        let bound = libdeflate_deflate_compress_bound(compressor, input.count)
        out.reserve(extra: ChunkDeflater.headerLength + bound + ChunkDeflater.trailerLength)
        let header = out.base
        let body = header + ChunkDeflater.headerLength
        let deflated = libdeflate_deflate_compress(compressor, input.baseAddress, input.count, body, bound)
        precondition(deflated > 0, "libdeflate's bound was too small")
        let total = ChunkDeflater.headerLength + deflated + ChunkDeflater.trailerLength
        ChunkDeflater.writeHeader(header, level: level, memberLength: total)
        let crc = libdeflate_crc32(0, input.baseAddress, input.count)
        ChunkDeflater.store(crc, at: body + deflated)
        ChunkDeflater.store(UInt32(truncatingIfNeeded: input.count), at: body + deflated + 4)
        out.count = total
    }

    /// The member header: magic, deflate, FEXTRA, no mtime, XFL by level, OS Unix, then the
    /// `AL` field with the member's length.
    static func writeHeader(_ p: UnsafeMutableRawPointer, level: Int, memberLength: Int) {
        let extraFlags: UInt8 = level >= 9 ? 2 : (level <= 1 ? 4 : 0)
        let fixed: [UInt8] = [0x1f, 0x8b, 8, 4, 0, 0, 0, 0, extraFlags, 3, UInt8(extraLength), 0, 0x41, 0x4c, 4, 0]
        fixed.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        store(UInt32(truncatingIfNeeded: memberLength), at: p + 16)
    }

    /// The member length an `AL` header at `p` (at least `headerLength` bytes) announces, or
    /// nil when the header is not one anonlog wrote.
    static func announcedLength(_ p: UnsafeRawBufferPointer) -> Int? {
        guard p.count >= headerLength, p[0] == 0x1f, p[1] == 0x8b, p[2] == 8, p[3] == 4, p[10] == UInt8(extraLength), p[11] == 0,
              p[12] == 0x41, p[13] == 0x4c, p[14] == 4, p[15] == 0 else { return nil }
        let length = Int(p[16]) | Int(p[17]) << 8 | Int(p[18]) << 16 | Int(p[19]) << 24
        return length >= headerLength + trailerLength ? length : nil
    }

    private static func store(_ value: UInt32, at p: UnsafeMutableRawPointer) {
        p.storeBytes(of: value.littleEndian, as: UInt32.self)
    }
}
