import CZlib

/// zlib's CRC-32 over a byte buffer (for hand-built gzip headers).
enum CZlibCRC {
    static func crc(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt {
        UInt(crc32(0, bytes.baseAddress, uInt(bytes.count)))
    }
}
