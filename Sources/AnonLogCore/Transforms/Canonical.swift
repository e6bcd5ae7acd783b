/// The canonical forms that tokens are computed from (SPEC.md), so that every written form of
/// one value gives one pseudonym.
enum Canonical {
    /// E-mail: lower-cased, `%40` decoded to `@`. Writes into `out` (capacity >= bytes).
    static func email(_ p: UnsafePointer<UInt8>, _ count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0, n = 0
        while i < count {
            if p[i] == UInt8(ascii: "%") && i + 2 < count && p[i + 1] == UInt8(ascii: "4") && p[i + 2] == UInt8(ascii: "0") {
                out[n] = UInt8(ascii: "@")
                i += 3
            } else {
                let b = p[i]
                out[n] = b >= 65 && b <= 90 ? b | 0x20 : b
                i += 1
            }
            n += 1
        }
        return n
    }

    /// Personnummer: the 12 characters `YYYYMMDDNNNC` (an interim number keeps its letter in
    /// place of the first N), the century of 10-character forms from the separator and `today`.
    /// Writes 12 bytes into `out`; false if the text is not a number.
    static func personnummer(_ p: UnsafePointer<UInt8>, _ count: Int, today: CalendarDay,
                             into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var d = (UInt64(0), UInt64(0))  // up to 12 characters, one byte each
        var n = 0
        var plus = false
        for i in 0..<count {
            let b = p[i]
            if ByteClass.isDigit(b) || PersonnummerDetector.isInterimLetter(b) {
                guard n < 12 else { return false }
                withUnsafeMutableBytes(of: &d) { $0[n] = b }
                n += 1
            } else if b == UInt8(ascii: "+") {
                plus = true
            }
        }
        func character(_ k: Int) -> UInt8 { withUnsafeBytes(of: d) { $0[k] } }
        func digit(_ k: Int) -> Int { Int(character(k) &- 48) }
        if n == 12 {
            for k in 0..<12 { out[k] = character(k) }
            return true
        }
        guard n == 10 else { return false }
        let yy = digit(0) * 10 + digit(1)
        let month = digit(2) * 10 + digit(3)
        var day = digit(4) * 10 + digit(5)
        if day >= 60 { day -= 60 }
        let year = month >= 20 ? 1600 + yy : PersonnummerDate.fullYear(yy: yy, month: month, day: day, plus: plus, today: today)
        out[0] = UInt8(48 + year / 1000 % 10)
        out[1] = UInt8(48 + year / 100 % 10)
        for k in 0..<10 { out[2 + k] = character(k) }
        return true
    }
}
