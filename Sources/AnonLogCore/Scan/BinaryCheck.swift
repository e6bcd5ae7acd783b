/// Decides whether a file is binary from its first decoded 64 KiB (gzip and xz are looked
/// into, so a compressed log is text).
///
/// Binary means: more than 1% of the bytes are control bytes text does not use (NUL, and
/// 0x01-0x08, 0x0E-0x1A, 0x1C-0x1F, 0x7F), not counting runs of 16 or more NULs. Those runs are
/// what an unclean shutdown leaves in a log (zeroed blocks the file system had allocated), and
/// if they made a whole log "binary", scan would report no findings in it and the backup hook
/// would keep its raw data. Random or compressed data has about 10% such bytes, executables and
/// images far more.
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
        return isBinary(UnsafeRawBufferPointer(start: buffer, count: filled))
    }

    /// The rule above, on `bytes`.
    static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var control = 0, counted = 0, nulRun = 0
        for byte in bytes {
            if byte == 0 {
                nulRun += 1
                continue
            }
            // A short NUL run counts; a long one is a zeroed block and does not.
            if nulRun > 0 && nulRun < 16 {
                control += nulRun
                counted += nulRun
            }
            nulRun = 0
            counted += 1
            if byte < 0x20 && !(byte >= 0x09 && byte <= 0x0d) && byte != 0x1b || byte == 0x7f { control += 1 }
        }
        if nulRun > 0 && nulRun < 16 {
            control += nulRun
            counted += nulRun
        }
        return control * 100 > counted
    }
}

#if canImport(Glibc)
import Glibc
#endif
