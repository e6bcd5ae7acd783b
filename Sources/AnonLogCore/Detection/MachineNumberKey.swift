/// Keys that name a time, an id or a phone number (SPEC.md, `personnummer` row): a 10- or
/// 12-digit number right after one is not a personnummer (`ts=1712279000`,
/// `"created_at": 198203252385`, `session_id=8507099805`, `pid 8507099805`, `tel 0706603032`),
/// even when its digits pass the checksum, as one such number in ten does. Phone numbers
/// matter since month 00 and day 60 are valid: a mobile number `07X…` then often is a date.
enum MachineNumberKey {
    /// True when the bytes before `start` are such a key and its `=` or `:` (with an optional
    /// quote around key or value and blanks), or an id or phone label and a blank.
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
        while i >= 0 && start - i <= 8 {
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
        let key = p + keyStart
        // Without `=` or `:`, only an id or a phone label (`pid 8507099805`, `tel 0706603032`):
        // `Record updated 198203252385` is a sentence about a person.
        if isBareKey(key, length) { return true }
        guard separated else { return false }
        if isSeparatedKey(key, length) { return true }
        // Endings: `created_at`, `session_id`, `job-id`, `msg.id`, `unix_ts`, `start_time`.
        @inline(__always) func endsWith(_ text: StaticString) -> Bool {
            length > text.utf8CodeUnitCount && Bytes.equalsLowercased(p + keyEnd - text.utf8CodeUnitCount, text)
        }
        if endsWith("_at") || endsWith("_id") || endsWith("-id") || endsWith(".id") || endsWith("_ts")
            || endsWith("_time") || endsWith("-time") || endsWith("timestamp") || endsWith("epoch") { return true }
        // camelCase: `sessionId`, `createdAt`.
        if keyEnd - keyStart > 2 {
            let a = p[keyEnd - 2], b = p[keyEnd - 1]
            if (a == UInt8(ascii: "I") && b == UInt8(ascii: "d")) || (a == UInt8(ascii: "A") && b == UInt8(ascii: "t")) { return true }
        }
        return false
    }

    /// The last letters of the keys and endings below (d e h l n p q s t x), one bit each
    /// (bit 0 is `a`); a literal, so no lazy global initialisation on the hot path.
    static let lastLetters: UInt32 = 0x8D_A898

    /// Keys that name a number even after a blank: process and user ids, epochs, phone labels.
    @inline(__always)
    private static func isBareKey(_ k: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        switch length {
        case 2: return Bytes.equalsLowercased(k, "ts")
        case 3: return Bytes.equalsLowercased(k, "pid") || Bytes.equalsLowercased(k, "uid") || Bytes.equalsLowercased(k, "gid")
            || Bytes.equalsLowercased(k, "tid") || Bytes.equalsLowercased(k, "tel") || Bytes.equalsLowercased(k, "tfn")
            || Bytes.equalsLowercased(k, "fax")
        case 4: return Bytes.equalsLowercased(k, "ppid")
        case 5: return Bytes.equalsLowercased(k, "epoch") || Bytes.equalsLowercased(k, "phone") || Bytes.equalsLowercased(k, "mobil")
        case 6: return Bytes.equalsLowercased(k, "mobile")
        case 7: return Bytes.equalsLowercased(k, "telefon")
        default: return false
        }
    }

    /// Keys that name a time or an id before `=` or `:` (`time=`, `"created":`, `id=`).
    @inline(__always)
    private static func isSeparatedKey(_ k: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        switch length {
        case 2: return Bytes.equalsLowercased(k, "id")
        case 3: return Bytes.equalsLowercased(k, "seq")
        case 4: return Bytes.equalsLowercased(k, "time") || Bytes.equalsLowercased(k, "date")
        case 6: return Bytes.equalsLowercased(k, "serial")
        case 7: return Bytes.equalsLowercased(k, "created") || Bytes.equalsLowercased(k, "updated") || Bytes.equalsLowercased(k, "expires")
        case 9: return Bytes.equalsLowercased(k, "timestamp")
        default: return false
        }
    }

    /// Letters, digits, `_`, `-` and `.`: the bytes of a key.
    @inline(__always)
    private static func isKeyByte(_ b: UInt8) -> Bool {
        ByteClass.isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}
