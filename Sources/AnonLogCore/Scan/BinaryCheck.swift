/// Decides whether a file is binary: a NUL byte in its first decoded block (gzip and xz are
/// looked into, so a compressed log is text).
enum BinaryCheck {
    /// Bytes of decoded content looked at.
    static let blockSize = 64 << 10

    /// Reads the first block of the opened `file` and rewinds it, so the same descriptor is then
    /// read whole (a file is opened once; a second open by name could meet another file).
    static func looksBinary(_ file: OpenedFile) throws -> Bool {
        defer { try? file.rewind() }
        let input = InputFile(file, bufferSize: 64 << 10)
        let (decoder, _) = try DecoderFactory.make(input, format: nil, threads: 1)
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
