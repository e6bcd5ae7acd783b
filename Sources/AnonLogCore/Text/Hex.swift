/// Hexadecimal digits and text.
enum Hex {
    /// Whether `b` is a hex digit (either case).
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { ByteClass.isDigit(b) || (b | 0x20) &- 97 < 6 }

    /// Lower-case hex of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of hex `text` (either case), nil when it is not hex of whole bytes.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        var i = 0
        while i < text.count {
            guard let high = value(text[i]), let low = value(text[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
