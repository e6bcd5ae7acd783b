/// Decides whether a file is binary: a NUL byte in its first decoded block (gzip and xz are
/// looked into, so a compressed log is text).
enum BinaryCheck {
    /// Bytes of decoded content looked at.
    static let blockSize = 64 << 10

    static func looksBinary(_ path: String) throws -> Bool {
        let file = try InputFile(path: path, bufferSize: 64 << 10)
        let (decoder, _) = try DecoderFactory.make(file, format: nil, threads: 1)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < blockSize {
            let n = try decoder.read(into: buffer + filled, capacity: blockSize - filled)
            if n == 0 { break }
            filled += n
        }
        return memchr(buffer, 0, filled) != nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
