/// The container formats anonlog reads and writes.
public enum CompressionFormat: String, CaseIterable, Sendable {
    case plain, gzip, xz, zstd

    /// Detects the format from the first bytes of a stream (gzip `1f 8b`, xz `fd 37 7a 58 5a 00`,
    /// zstd `28 b5 2f fd` or a skippable frame `5X 2a 4d 18`); anything else is plain text.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> CompressionFormat {
        if prefix.count >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b { return .gzip }
        if prefix.count >= 4 && prefix[0] == 0x28 && prefix[1] == 0xb5 && prefix[2] == 0x2f && prefix[3] == 0xfd { return .zstd }
        if prefix.count >= 4 && prefix[0] & 0xf0 == 0x50 && prefix[1] == 0x2a && prefix[2] == 0x4d && prefix[3] == 0x18 { return .zstd }
        let xzMagic: [UInt8] = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]
        if prefix.count >= 6 && zip(prefix.prefix(6), xzMagic).allSatisfy({ $0 == $1 }) { return .xz }
        return .plain
    }

    /// The name of a container anonlog recognises but cannot read (bzip2, lz4, zip, 7z,
    /// compress's `.Z`), from its magic bytes; nil for anything else. Read as plain text, such a
    /// file would be "rewritten" into garbage while the personal data inside stayed as it was.
    public static func unreadable(_ prefix: UnsafeRawBufferPointer) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { prefix.count >= magic.count && zip(prefix, magic).allSatisfy { $0 == $1 } }
        if starts([0x42, 0x5a, 0x68]) && prefix.count >= 4 && (0x31...0x39).contains(prefix[3]) { return "bzip2" }
        if starts([0x04, 0x22, 0x4d, 0x18]) || starts([0x02, 0x21, 0x4c, 0x18]) { return "lz4" }
        if starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06]) { return "zip" }
        if starts([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) { return "7z" }
        if starts([0x1f, 0x9d]) { return "compress (.Z)" }
        return nil
    }

    /// The default compression level for this format (gzip 6, xz 6, zstd 3, plain ignored).
    public var defaultLevel: Int { self == .zstd ? 3 : 6 }

    /// The levels this format takes (gzip 1-9, xz 0-9, zstd 1-19).
    public var levels: ClosedRange<Int> {
        switch self {
        case .plain, .xz: return 0...9
        case .gzip: return 1...9
        case .zstd: return 1...19
        }
    }
}
