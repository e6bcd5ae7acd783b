/// The container formats anonlog reads and writes.
public enum CompressionFormat: String, CaseIterable, Sendable {
    case plain, gzip, xz

    /// Detects the format from the first bytes of a stream (gzip `1f 8b`, xz `fd 37 7a 58 5a 00`);
    /// anything else is plain text.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> CompressionFormat {
        if prefix.count >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b { return .gzip }
        let xzMagic: [UInt8] = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]
        if prefix.count >= 6 && zip(prefix.prefix(6), xzMagic).allSatisfy({ $0 == $1 }) { return .xz }
        return .plain
    }

    /// The default compression level for this format (gzip 6, xz 6, plain ignored).
    public var defaultLevel: Int { 6 }
}
