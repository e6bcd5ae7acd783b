/// Byte classification tables shared by the detectors; one load per byte, no branches on ranges.
enum ByteClass {
    /// ASCII digit.
    static let digit: UInt8 = 1
    /// ASCII letter.
    static let letter: UInt8 = 2
    /// A byte that no detected token ever contains, so a chunk may be cut right after it.
    static let separator: UInt8 = 4

    /// The class bits of every byte value.
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] |= digit }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] |= letter }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] |= letter }
        for c in " \t\r\n\u{0B}\u{0C}\"'<>,;()\\|" { t[Int(c.asciiValue!)] |= separator }
        t[0] |= separator
        return t
    }()

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
}
