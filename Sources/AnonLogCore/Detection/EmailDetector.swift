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
        // Most `@` that start no address (`"@timestamp"`) have no local byte before them: no call.
        guard at > 0, anonlog_byte_class(p[at - 1]) & UInt8(ANONLOG_BYTE_EMAIL_LOCAL) != 0 else { return nil }
        // The local part and the domain's labels (`EmailShape.h`).
        var shape = AnonLogEmailShape()
        guard anonlog_email_shape(p, n, at, atLength, &shape) != 0 else { return nil }
        let start = shape.start
        var labels = shape.labels, lastLabelStart = shape.lastLabelStart, end = shape.end
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
        if labels == 2 && isDensity(p, at + atLength, shape.firstLabelEnd) { return nil }
        resume = max(resume, end)
        return Span(start: start, end: end, type: .email)
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
