/// Keys that name a time, an id or a phone number (SPEC.md, `personnummer` row): a 10- or
/// 12-digit number right after one is not a personnummer (`ts=1712279000`,
/// `"created_at": 198203252385`, `session_id=8507099805`, `pid 8507099805`, `tel 0706603032`),
/// even when its digits pass the checksum, as one such number in ten does. Phone numbers
/// matter since month 00 and day 60 are valid: a mobile number `07X…` then often is a date.
enum MachineNumberKey {
    /// Keys that are machine-number keys as a whole word (compared without case).
    static let words: [StaticString] = ["ts", "time", "timestamp", "epoch", "id", "pid", "uid", "gid", "tid", "ppid",
                                        "date", "created", "updated", "expires", "seq", "serial",
                                        "tel", "tfn", "phone", "telefon", "mobil", "mobile", "fax"]
    /// Endings that make a key a time or an id: `created_at`, `session_id`, `job-id`,
    /// `msg.id`, `unix_ts`, `start_time`, `logtimestamp`.
    static let suffixes: [StaticString] = ["_at", "_id", "-id", ".id", "_ts", "_time", "-time", "timestamp", "epoch"]

    /// True when the bytes before `start` are such a key and its `=` or `:` (with an optional
    /// quote around key or value and blanks), or one of the whole-word keys and a blank.
    @inline(__always)
    static func precedes(_ p: UnsafePointer<UInt8>, _ start: Int) -> Bool {
        // The common case first, in a few instructions: the key's last letter (after an
        // optional quote, blanks and `=`/`:`) is not one a listed key ends in.
        return mayFollowKey(p, start) && precedesSlow(p, start)
    }

    /// Quick look at the byte before the key: false means no listed key can be there.
    @inline(__always)
    private static func mayFollowKey(_ p: UnsafePointer<UInt8>, _ start: Int) -> Bool {
        var i = start - 1
        while i >= 0 && start - i <= 7 {
            let b = p[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: " ") || b == UInt8(ascii: "\t")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: ":") {
                i -= 1
                continue
            }
            let last = b | 0x20
            return last >= UInt8(ascii: "a") && last <= UInt8(ascii: "z") && lastLetters & (1 << UInt32(last - UInt8(ascii: "a"))) != 0
        }
        return false
    }

    /// The whole check, for the few numbers that pass `mayFollowKey`.
    @inline(never)
    private static func precedesSlow(_ p: UnsafePointer<UInt8>, _ start: Int) -> Bool {
        var i = start - 1
        if i >= 0 && (p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'")) { i -= 1 }
        var blanks = 0
        while i >= 0 && blanks < 4 && (p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "\t")) { i -= 1; blanks += 1 }
        guard i >= 0 else { return false }
        let separated = p[i] == UInt8(ascii: "=") || p[i] == UInt8(ascii: ":")
        if separated {
            i -= 1
            if i >= 0 && (p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'")) { i -= 1 }
        } else if blanks == 0 {
            return false
        }
        let keyEnd = i + 1
        // Every key below ends in one of these letters (`pnr`, `personnummer` do not): one test
        // instead of the lists for most personnummer, which sit after a label or in a column.
        guard i >= 0 else { return false }
        let last = p[i] | 0x20
        guard last >= UInt8(ascii: "a"), last <= UInt8(ascii: "z"), Self.lastLetters & (1 << UInt32(last - UInt8(ascii: "a"))) != 0 else {
            return false
        }
        while i >= 0 && keyEnd - i <= 40 && isKeyByte(p[i]) { i -= 1 }
        let keyStart = i + 1
        guard keyStart < keyEnd, keyEnd - keyStart <= 40 else { return false }
        let length = keyEnd - keyStart
        for word in words where word.utf8CodeUnitCount == length && endsWith(p, keyEnd, word) { return true }
        // Without `=` or `:`, only a whole-word key (`pid 1234`); `for user 8507091234` is text.
        guard separated else { return false }
        for suffix in suffixes where suffix.utf8CodeUnitCount < length && endsWith(p, keyEnd, suffix) { return true }
        // camelCase: `sessionId`, `createdAt`.
        if keyEnd - keyStart > 2 {
            let a = p[keyEnd - 2], b = p[keyEnd - 1]
            if (a == UInt8(ascii: "I") && b == UInt8(ascii: "d")) || (a == UInt8(ascii: "A") && b == UInt8(ascii: "t")) { return true }
        }
        return false
    }

    /// The last letters of the keys and endings above (d e h l n p q s t x), one bit each
    /// (bit 0 is `a`); a literal, so no lazy global initialisation on the hot path.
    static let lastLetters: UInt32 = 0x8D_A898

    /// Whether the bytes ending at `end` spell `text` (ASCII letters compared without case).
    @inline(__always)
    private static func endsWith(_ p: UnsafePointer<UInt8>, _ end: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        let word = text.utf8Start
        for k in 0..<count {
            let b = p[end - count + k]
            if (b >= 65 && b <= 90 ? b | 0x20 : b) != word[k] { return false }
        }
        return true
    }

    /// Letters, digits, `_`, `-` and `.`: the bytes of a key.
    @inline(__always)
    private static func isKeyByte(_ b: UInt8) -> Bool {
        ByteClass.isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}
