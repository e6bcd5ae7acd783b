import CByteMasks

/// Finds e-mail addresses (SPEC.md, `email` row): a practical addr-spec with `@` or its URL
/// encoding `%40`; the domain has at least two labels and ends in a TLD delegated in the DNS
/// root zone (`TopLevelDomains`, IANA's list): `nas.local`, `x.example` and `a@b.c` are not
/// addresses. Addresses in the reserved `.invalid` TLD (anonlog's own pseudonyms and
/// placeholders) count only when tokens are asked for (the redact stage of a sweep).
enum EmailDetector {
    /// Tries to match an address whose `@` (or `%40`, `atLength` 3) is at `at`.
    @inline(__always)
    static func match(_ p: UnsafePointer<UInt8>, count n: Int, at: Int, atLength: Int, includeTokens: Bool = false,
                      resume: inout Int) -> Span? {
        resume = at + atLength
        var start = at
        while start > 0 && at - start < 64 && isLocal(p[start - 1]) { start -= 1 }
        while start < at && p[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at, p[at - 1] != UInt8(ascii: ".") else { return nil }
        if start > 0 && at - start >= 64 && isLocal(p[start - 1]) { return nil }
        // Domain: labels of letters, digits and '-', separated by single dots.
        var i = at + atLength
        var labels = 0
        var lastLabelStart = i
        var firstLabelEnd = i
        var end = i
        let domainByte = UInt8(ANONLOG_BYTE_DOMAIN)
        while i < n && i - at < 256 {
            let labelStart = i
            while i < n && anonlog_byte_class(p[i]) & domainByte != 0 { i += 1 }
            guard i > labelStart, p[labelStart] != UInt8(ascii: "-"), p[i - 1] != UInt8(ascii: "-") else { break }
            labels += 1
            if labels == 1 { firstLabelEnd = i }
            lastLabelStart = labelStart
            end = i
            guard i + 1 < n, p[i] == UInt8(ascii: "."), ByteClass.isAlnum(p[i + 1]) else { break }
            i += 1
        }
        // anonlog's own tokens and placeholders (`u-…@anon.invalid`): no address, unless asked.
        if isInvalidTLD(p, lastLabelStart, end) && !includeTokens { return nil }
        // The domain ends at its last label that is a TLD: `anna@example.se.mbox` (a mailbox
        // file) is `anna@example.se` and its extension.
        while labels >= 2 && !(TopLevelDomains.isDelegated(p, lastLabelStart, end)
                               || (includeTokens && isInvalidTLD(p, lastLabelStart, end))) {
            end = lastLabelStart - 1
            labels -= 1
            lastLabelStart = end
            while lastLabelStart > at + atLength && p[lastLabelStart - 1] != UInt8(ascii: ".") { lastLabelStart -= 1 }
        }
        guard labels >= 2 else { return nil }
        if end < n && (p[end] == UInt8(ascii: "_") || p[end] == UInt8(ascii: "@")) { return nil }
        // An image density, not a domain: `logo@2x.png`, `icon@3x.webp`.
        if labels == 2 && isDensity(p, at + atLength, firstLabelEnd) { return nil }
        resume = max(resume, end)
        return Span(start: start, end: end, type: .email)
    }

    /// Local-part bytes: letters, digits and `. _ % + -` (the atext that appears in practice;
    /// `=`, `/`, `?` and `&` would swallow query-string keys).
    @inline(__always)
    private static func isLocal(_ b: UInt8) -> Bool {
        anonlog_byte_class(b) & UInt8(ANONLOG_BYTE_EMAIL_LOCAL) != 0
    }

    /// Digits then `x` (`2x`, `3x`, `10x`): the density suffix of retina image names.
    @inline(__always)
    private static func isDensity(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2, end - start <= 3, p[end - 1] | 0x20 == UInt8(ascii: "x") else { return false }
        for k in start..<(end - 1) where !ByteClass.isDigit(p[k]) { return false }
        return true
    }

    private static func isInvalidTLD(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        end - start == 7 && Bytes.equalsLowercased(p + start, "invalid")
    }
}
