import CByteMasks

/// Finds e-mail addresses (SPEC.md, `email` row): a practical addr-spec with `@` or its URL
/// encoding `%40`; the domain has at least two labels and a letter TLD. Addresses in the
/// reserved `.invalid` TLD (anonlog's own pseudonyms and placeholders) are not PII.
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
        var lastLabelAllLetters = true
        var firstLabelEnd = i
        var end = i
        let domainByte = UInt8(ANONLOG_BYTE_DOMAIN), letterByte = UInt8(ANONLOG_BYTE_LETTER)
        while i < n && i - at < 256 {
            let labelStart = i
            // A label's class bits ANDed together: the letter bit survives only if all are letters.
            var common = letterByte
            while i < n {
                let bits = anonlog_byte_class(p[i])
                if bits & domainByte == 0 { break }
                common &= bits
                i += 1
            }
            let allLetters = common != 0
            guard i > labelStart, p[labelStart] != UInt8(ascii: "-"), p[i - 1] != UInt8(ascii: "-") else { break }
            labels += 1
            if labels == 1 { firstLabelEnd = i }
            lastLabelStart = labelStart
            lastLabelAllLetters = allLetters
            end = i
            guard i + 1 < n, p[i] == UInt8(ascii: "."), ByteClass.isAlnum(p[i + 1]) else { break }
            i += 1
        }
        guard labels >= 2, lastLabelAllLetters, end - lastLabelStart >= 2 else { return nil }
        if end < n && (p[end] == UInt8(ascii: "_") || p[end] == UInt8(ascii: "@")) { return nil }
        // An image density, not a domain: `logo@2x.png`, `icon@3x.webp`.
        if labels == 2 && isDensity(p, at + atLength, firstLabelEnd) { return nil }
        if !includeTokens && isInvalidTLD(p, lastLabelStart, end) { return nil }
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
