/// Byte classes shared by the detectors and the chunk cutter.
enum ByteClass {
    /// Bytes that no detected token ever contains, so a chunk may be cut right after one.
    static let separators: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in " \t\r\n\u{0B}\u{0C}\"'<>,;()\\|" { t[Int(c.asciiValue!)] = true }
        t[0] = true
        return t
    }()

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
}
