#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `redact`'s fixed placeholders (SPEC.md): they keep the field's shape and are never detected
/// again. Also the small text helpers the other actions share.
enum Placeholders {
    /// "0.0.0.0", "::" and "-" as little-endian words (`ChunkBuffer.appendWord`).
    private static let redactedIPv4Word: UInt64 = 0x30_2E_30_2E_30_2E_30
    private static let redactedIPv6Word: UInt64 = 0x3A_3A
    private static let redactedUsernameWord: UInt64 = 0x2D
    private static let redactedEmail: StaticString = "redacted@anon.invalid"
    private static let redactedEncodedEmail: StaticString = "redacted%40anon.invalid"

    /// Appends the placeholder of a match of `type`.
    ///
    /// Addresses and usernames get a fixed word chosen without a branch; only e-mail and
    /// personnummer branch off. On an app log the type changes at nearly every match, so a
    /// jump table over all five types would mispredict.
    @inline(__always)
    static func redact(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        if type == .email || type == .personnummer {
            redactVariable(type, p, count, into: out)
            return
        }
        let ipv4 = type == .ipv4, ipv6 = type == .ipv6
        if ipv4 && count >= 7 {
            let form = IPv4Form.of(p, count)
            if form.isHostForm {
                // `0-0-0-0` in a host name, `0.0.0.0.in-addr.arpa` in reverse.
                IPText.writeIPv4(IPAddress16(ipv4: 0), form: form, suffix: Placeholders.suffix(p, count, form), into: out)
                return
            }
        }
        out.appendWord(ipv4 ? Placeholders.redactedIPv4Word : ipv6 ? Placeholders.redactedIPv6Word : Placeholders.redactedUsernameWord,
                       length: ipv4 ? 7 : ipv6 ? 2 : 1)
    }

    /// The placeholders that depend on the match: an e-mail's `@` or `%40`, a personnummer's
    /// layout.
    private static func redactVariable(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        if type == .email {
            Placeholders.append(Placeholders.isEncodedEmail(p, count) ? Placeholders.redactedEncodedEmail : Placeholders.redactedEmail, to: out)
            return
        }
        if count == 16 && p[0] == UInt8(ascii: "p") && p[3] == UInt8(ascii: "-") {
            Placeholders.append("000000-0000", to: out)   // a pnr-T token
            return
        }
        // The number's own layout with every digit zero: an impossible date, never matched.
        out.reserve(extra: count)
        let destination = out.base + out.count
        if count >= 8 {
            // Two overlapping words (10-13 bytes of digits, an interim letter, `-` and `+`):
            // digits (bits 4 and 5 set) and letters (bit 6) become '0'; `-` and `+` have
            // neither and stay.
            @inline(__always) func zeroed(_ word: UInt64) -> UInt64 {
                let marked = ((word >> 6) | ((word >> 4) & (word >> 5))) & 0x0101_0101_0101_0101
                let characters = marked &* 0xFF
                return (word & ~characters) | (0x3030_3030_3030_3030 & characters)
            }
            let source = UnsafeRawPointer(p)
            let head = zeroed(source.loadUnaligned(as: UInt64.self))
            let tail = zeroed(source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else {
            let bytes = destination.assumingMemoryBound(to: UInt8.self)
            for k in 0..<count { bytes[k] = ByteClass.isDigit(p[k]) ? UInt8(ascii: "0") : p[k] }
        }
        out.count += count
    }

    /// What follows the quad in a reversed IPv4 match (`.in-addr.arpa`), else nil.
    @inline(__always)
    static func suffix(_ p: UnsafePointer<UInt8>, _ count: Int, _ form: IPv4Form) -> UnsafeRawBufferPointer? {
        form.reversed ? UnsafeRawBufferPointer(start: p + form.quadLength, count: count - form.quadLength) : nil
    }

    /// Whether an e-mail match is written with `%40` instead of `@`.
    static func isEncodedEmail(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        memchr(p, Int32(UInt8(ascii: "@")), count) == nil
    }

    /// Offset of the `@` (or of `%40`).
    static func atSign(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        for k in 0..<count where p[k] == UInt8(ascii: "@") { return k }
        for k in 0..<max(0, count - 2) where p[k] == UInt8(ascii: "%") && p[k + 1] == UInt8(ascii: "4") && p[k + 2] == UInt8(ascii: "0") {
            return k
        }
        return count
    }

    @inline(__always)
    static func append(_ text: StaticString, to out: ChunkBuffer) {
        out.append(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
    }
}
