import CByteMasks

/// Finds dotted-quad IPv4 addresses around a `.` trigger (SPEC.md, `ipv4` row).
///
/// A match is four octets 0–255 without leading zeros, not extended by a letter or digit on
/// either side, not part of a longer dotted run (`1.2.3.4.5`, `Chrome/120.0.6099.109`), and not
/// a version right after a product token (`Chrome/120.0.0.0`); a `:port` after it is untouched.
enum IPv4Detector {
    /// Tries to match an address whose first dot is at `dot`.
    ///
    /// Returns the span, or nil; `resume` is set past a match, and to `dot + 1` after a
    /// rejection: skipping a rejected run could hide a match inside it (a personnummer in
    /// `v1.2.3.4.x.8507099805`), which the brute-force property test catches.
    /// The cheap structural checks come first: most candidates are version numbers that fail
    /// on an octet, and never reach the context checks.
    @inline(__always)
    static func match(_ p: UnsafePointer<UInt8>, count n: Int, dot: Int, resume: inout Int) -> Span? {
        resume = dot + 1
        if p[dot] == UInt8(ascii: "-") { return matchDashed(p, count: n, dash: dot, resume: &resume) }
        var start = dot
        let i: Int
        if dot >= 4 && dot + 28 <= n {
            // Away from the window's edges the quad's structure comes from masks (C, SSE2).
            let end = anonlog_dotted_quad(p, n, dot, &start)
            guard end >= 0 else { return nil }
            i = Int(end)
        } else {
            guard let (quadStart, quadEnd) = quadAround(p, count: n, dot: dot) else { return nil }
            start = quadStart
            i = quadEnd
        }
        // The byte after must not extend the token or the dotted run; a host name going on
        // after it (`62.99.164.82.sh.example.at`) makes the quad an address in that name, and
        // `4.3.2.1.in-addr.arpa` is the reversed address with its suffix.
        var end = i
        if i < n {
            let after = p[i]
            if ByteClass.isLetter(after) { return nil }
            if after == UInt8(ascii: "."), i + 1 < n, ByteClass.isAlnum(p[i + 1]) {
                // At least two labels, one with a letter: `2.6.0.1.jar` and `1.0.0.0.Final`
                // are versions, `62.99.164.82.sh.example.at` a host name.
                guard labelHasLetter(p, count: n, from: i + 1), hasSecondLabel(p, count: n, from: i + 1) else { return nil }
                if isReverseSuffix(p, count: n, at: i) { end = i + IPv4Form.reverseSuffixLength }
            }
        }
        if start > 0 {
            let before = p[start - 1]
            if ByteClass.isLetter(before) { return nil }
            if before == UInt8(ascii: ".") && start > 1 && ByteClass.isAlnum(p[start - 2]) { return nil }
            if before == UInt8(ascii: "/") {
                // `Chrome/120.0.0.0` is a version; Java's `host/10.1.2.3:9000` an address.
                let port = i + 1 < n && p[i] == UInt8(ascii: ":") && ByteClass.isDigit(p[i + 1])
                if !port && followsProductToken(p, slash: start - 1) { return nil }
            } else if mayFollowVersionWord(p, start: start) && followsVersionWord(p, start: start) {
                return nil
            }
        }
        resume = end
        return Span(start: start, end: end, type: .ipv4)
    }

    /// Four octets joined by `-` inside a host name (`ec2-52-80-34-196.compute-1.amazonaws.com`,
    /// `ip-10-0-0-1.ec2.internal`, `71-13-115-12.static.example.net`, `calvisitor-10-105-160-95`),
    /// found at its first dash. A host name around it is required: a label with a letter and a
    /// `-` before it, or a `.` and a label with a letter after it; a longer run of dashed
    /// numbers (`1-2-3-4-5`) and a bare `10-0-0-1` are not addresses.
    private static func matchDashed(_ p: UnsafePointer<UInt8>, count n: Int, dash: Int, resume: inout Int) -> Span? {
        var start = dash
        while start > 0 && dash - start < 4 && ByteClass.isDigit(p[start - 1]) { start -= 1 }
        guard dash - start >= 1 && dash - start <= 3,
              let end = matchQuad(p, count: n, start: start, separator: UInt8(ascii: "-")) else { return nil }
        if end < n {
            let after = p[end]
            if ByteClass.isAlnum(after) { return nil }
            if after == UInt8(ascii: "-") && end + 1 < n && ByteClass.isDigit(p[end + 1]) { return nil }
        }
        var prefixHasLetter = false
        if start > 0 {
            let before = p[start - 1]
            if ByteClass.isAlnum(before) { return nil }
            // `static.88-198-1-2.clients.example.de`: a middle label; `1.10-0-0-1` is a number run.
            if before == UInt8(ascii: ".") && start > 1 && ByteClass.isDigit(p[start - 2]) { return nil }
            if before == UInt8(ascii: "-") {
                var k = start - 1
                while k > 0 && start - k <= 64 && ByteClass.isAlnum(p[k - 1]) {
                    if ByteClass.isLetter(p[k - 1]) { prefixHasLetter = true }
                    k -= 1
                }
                guard prefixHasLetter else { return nil }   // 1-2-3-4-5
            }
        }
        let domainAfter = end + 1 < n && p[end] == UInt8(ascii: ".") && labelHasLetter(p, count: n, from: end + 1)
        guard prefixHasLetter || domainAfter else { return nil }
        if end - start == 11 && isInMACAddress(p, count: n, start: start, end: end) { return nil }
        resume = end
        return Span(start: start, end: end, type: .ipv4)
    }

    /// Whether the dashed quad `start..<end` of four two-digit octets is the middle of a MAC
    /// address written with dashes (`BE-90-25-61-77-CE`): a group of two hex digits on either side.
    private static func isInMACAddress(_ p: UnsafePointer<UInt8>, count n: Int, start: Int, end: Int) -> Bool {
        guard p[start + 2] == UInt8(ascii: "-"), p[start + 5] == UInt8(ascii: "-"), p[start + 8] == UInt8(ascii: "-") else { return false }
        @inline(__always) func isHex(_ b: UInt8) -> Bool {
            ByteClass.isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
        }
        @inline(__always) func bounded(_ k: Int) -> Bool { k < 0 || k >= n || !ByteClass.isAlnum(p[k]) }
        let groupBefore = start >= 3 && p[start - 1] == UInt8(ascii: "-") && isHex(p[start - 2]) && isHex(p[start - 3]) && bounded(start - 4)
        let groupAfter = end + 3 <= n && p[end] == UInt8(ascii: "-") && isHex(p[end + 1]) && isHex(p[end + 2]) && bounded(end + 3)
        return groupBefore || groupAfter
    }

    /// Whether the host-name label at `from` (letters, digits, `-`) holds a letter.
    @inline(__always)
    private static func labelHasLetter(_ p: UnsafePointer<UInt8>, count n: Int, from: Int) -> Bool {
        var k = from
        while k < n && k - from < 64 {
            let b = p[k]
            if ByteClass.isLetter(b) { return true }
            guard ByteClass.isDigit(b) || b == UInt8(ascii: "-") else { return false }
            k += 1
        }
        return false
    }

    /// Whether the label at `from` is followed by `.` and another label.
    @inline(__always)
    private static func hasSecondLabel(_ p: UnsafePointer<UInt8>, count n: Int, from: Int) -> Bool {
        var k = from
        while k < n && k - from < 64 && (ByteClass.isAlnum(p[k]) || p[k] == UInt8(ascii: "-")) { k += 1 }
        return k + 1 < n && p[k] == UInt8(ascii: ".") && ByteClass.isAlnum(p[k + 1])
    }

    /// `.in-addr.arpa` (any case) at `at`, not followed by more of a name.
    @inline(__always)
    private static func isReverseSuffix(_ p: UnsafePointer<UInt8>, count n: Int, at: Int) -> Bool {
        let end = at + IPv4Form.reverseSuffixLength
        guard end <= n, Bytes.equalsLowercased(p + at, ".in-addr.arpa") else { return false }
        return end == n || !(ByteClass.isAlnum(p[end]) || p[end] == UInt8(ascii: "-"))
    }

    /// The start and end of the dotted quad whose first dot is at `dot`, byte by byte: what
    /// `anonlog_dotted_quad` computes, for the window's edges (and the tests' reference).
    static func quadAround(_ p: UnsafePointer<UInt8>, count n: Int, dot: Int) -> (Int, Int)? {
        var start = dot
        while start > 0 && dot - start < 4 && ByteClass.isDigit(p[start - 1]) { start -= 1 }
        guard dot - start <= 3, let end = matchQuad(p, count: n, start: start) else { return nil }
        return (start, end)
    }

    /// The end of the dotted quad (four valid octets) starting at `start`, without looking at
    /// what surrounds it.
    @inline(__always)
    static func matchQuad(_ p: UnsafePointer<UInt8>, count n: Int, start: Int, separator: UInt8 = UInt8(ascii: ".")) -> Int? {
        var i = start
        for octet in 0..<4 {
            let octetStart = i
            while i < n && i - octetStart < 4 && ByteClass.isDigit(p[i]) { i += 1 }
            guard i - octetStart >= 1 && i - octetStart <= 3 && octetValid(p, octetStart, i - octetStart) else { return nil }
            if octet < 3 {
                guard i < n && p[i] == separator else { return nil }
                i += 1
            }
        }
        return i
    }

    /// An octet: 1–3 digits, no leading zero, at most 255.
    @inline(__always)
    private static func octetValid(_ p: UnsafePointer<UInt8>, _ at: Int, _ length: Int) -> Bool {
        switch length {
        case 1: return true
        case 2: return p[at] != UInt8(ascii: "0")
        case 3:
            if p[at] == UInt8(ascii: "0") { return false }
            let value = Int(p[at] &- 48) * 100 + Int(p[at + 1] &- 48) * 10 + Int(p[at + 2] &- 48)
            return value <= 255
        default: return false
        }
    }

    /// Whether the `/` at `slash` ends a product token such as `Chrome` in a user agent: a run
    /// of letters, digits and `_` of two bytes or more, with a letter, that starts a word (after
    /// whitespace, a line end, `(`, a quote or the window start). A host name before the slash has a `.` or
    /// `-` (`msra-sa-41/10.190.173.170`, `host.example.com/10.1.2.3`), ends in a digit
    /// (`client1/198.51.100.20`) or is one letter (`a/10.1.2.3`):
    /// Java writes every socket address that way. `http://1.2.3.4` and `/ip/1.2.3.4` are not
    /// product tokens either.
    private static func followsProductToken(_ p: UnsafePointer<UInt8>, slash: Int) -> Bool {
        var k = slash
        var sawLetter = false
        while k > 0 && slash - k <= 64 {
            let b = p[k - 1]
            if ByteClass.isLetter(b) {
                sawLetter = true
            } else if b == UInt8(ascii: "-") || b == UInt8(ascii: ".") {
                return false   // a host name
            } else if !(ByteClass.isDigit(b) || b == UInt8(ascii: "_")) {
                break
            }
            k -= 1
        }
        guard sawLetter && slash - k >= 2 else { return false }
        // `client1/198.51.100.20`, `node03/10.1.2.3`: a name ending in a digit is a host's
        // (product tokens end in a letter: `Chrome/`, `Safari/`, `Trident/`).
        if ByteClass.isDigit(p[slash - 1]) { return false }
        if k == 0 { return true }
        let b = p[k - 1]
        return b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "(")
            || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }

    /// False when no version word can end right before the quad at `start`: the common
    /// `from 1.2.3.4` decided inline, without the call.
    @inline(__always)
    private static func mayFollowVersionWord(_ p: UnsafePointer<UInt8>, start: Int) -> Bool {
        guard start >= 2 else { return true }
        let b = p[start - 2] | 0x20
        // A letter right before the one separator: it must be one that a version word ends in.
        guard b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") else { return true }
        return b == UInt8(ascii: "d") || b == UInt8(ascii: "e") || b == UInt8(ascii: "n") || b == UInt8(ascii: "r")
            || b == UInt8(ascii: "v")
    }

    /// Whether a version key or word comes right before the quad at `start`: `version=4.12.0.8`,
    /// `"version": "1.2.3.4"`, `wcp.dll version 0.0.0.6`, `ver 1.2.3.4`, `build 10.0.19041.1`.
    @inline(__always)
    private static func followsVersionWord(_ p: UnsafePointer<UInt8>, start: Int) -> Bool {
        var k = start - 1
        var skipped = 0
        // `version=`, `ver `, and JSON's `"version": "` (quote, colon, blank, quote).
        while k >= 0 && skipped < 6 {
            let b = p[k]
            guard b == UInt8(ascii: "=") || b == UInt8(ascii: ":") || b == UInt8(ascii: " ") || b == UInt8(ascii: "\"")
                || b == UInt8(ascii: "'") else { break }
            k -= 1
            skipped += 1
        }
        guard skipped > 0, k >= 0, ByteClass.isLetter(p[k]) else { return false }
        // The words below end in d, e, n, r or v: most quads follow `from`, `host=`, `to`.
        switch p[k] | 0x20 {
        case UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "v"): break
        default: return false
        }
        let end = k + 1
        while k >= 0 && end - k <= 9 && ByteClass.isLetter(p[k]) { k -= 1 }
        let length = end - k - 1
        if k >= 0 && ByteClass.isAlnum(p[k]) { return false }
        switch length {
        case 3: return Bytes.equalsLowercased(p + end - 3, "ver") || Bytes.equalsLowercased(p + end - 3, "rev")
        case 5: return Bytes.equalsLowercased(p + end - 5, "build")
        case 7: return Bytes.equalsLowercased(p + end - 7, "version") || Bytes.equalsLowercased(p + end - 7, "release")
        case 8: return Bytes.equalsLowercased(p + end - 8, "firmware") || Bytes.equalsLowercased(p + end - 8, "revision")
        default: return false
        }
    }
}
