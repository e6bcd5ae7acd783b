import CByteMasks

/// Finds IPv6 addresses in every RFC 4291 text form (SPEC.md, `ipv6` row): full,
/// `::`-compressed, mixed with a dotted quad, any case, inside brackets, with a `%zone` (kept
/// outside the match). Not MAC addresses, clock times, hex hashes, UUIDs or `std::` scopes.
enum IPv6Detector {
    /// Tries to match an address containing the colon at `colon`, the first colon of its run
    /// not yet looked at. `resume` is set past what was examined.
    @inline(__always)
    static func match(_ p: UnsafePointer<UInt8>, count n: Int, colon: Int, resume: inout Int) -> Span? {
        guard colon >= 5 && colon + 59 <= n else { return matchBytes(p, count: n, colon: colon, resume: &resume) }
        // Away from the window's edges the structure comes from masks (C, SSE2).
        resume = colon + 1
        var start = 0
        let end = anonlog_ipv6_address(p, n, colon, &start)
        guard end >= 0 else { return nil }
        resume = max(resume, Int(end))
        return Span(start: start, end: Int(end), type: .ipv6)
    }

    /// `match` byte by byte: for the window's edges, and the reference of the C parser's test.
    static func matchBytes(_ p: UnsafePointer<UInt8>, count n: Int, colon: Int, resume: inout Int) -> Span? {
        resume = colon + 1
        var start = colon
        while start > 0 && colon - start < 5 && Hex.isDigit(p[start - 1]) { start -= 1 }
        guard colon - start <= 4 else { return nil }
        if start > 0 {
            let before = p[start - 1]
            if ByteClass.isAlnum(before) || before == UInt8(ascii: ".") || before == UInt8(ascii: ":") { return nil }
        }
        var i = start
        var groups = 0
        var compressed = false
        var end = start
        // Parse groups; `end` is the end of the last complete part.
        while i < n {
            if p[i] == UInt8(ascii: ":") && i + 1 < n && p[i + 1] == UInt8(ascii: ":") {
                if compressed { break }  // a second "::" ends the address before it
                compressed = true
                i += 2
                end = i
                continue
            }
            let groupStart = i
            while i < n && i - groupStart < 5 && Hex.isDigit(p[i]) { i += 1 }
            let length = i - groupStart
            if length == 0 || length > 4 {
                i = groupStart
                break
            }
            if i < n && p[i] == UInt8(ascii: ".") {
                // A trailing dotted quad counts as two groups.
                if groups <= 6, let quad = IPv4Detector.matchQuad(p, count: n, start: groupStart) {
                    groups += 2
                    end = quad
                    i = quad
                } else {
                    i = groupStart
                }
                break
            }
            groups += 1
            end = i
            if groups == 8 { break }
            if i < n && p[i] == UInt8(ascii: ":") && !(i + 1 < n && p[i + 1] == UInt8(ascii: ":")) {
                // A single colon must be followed by another group.
                if i + 1 < n && Hex.isDigit(p[i + 1]) { i += 1; continue }
                break
            }
            if !(i + 1 < n && p[i] == UInt8(ascii: ":")) { break }
        }
        guard compressed ? (groups <= 7 && groups >= 1) : groups == 8 else { return nil }
        if end < n {
            let after = p[end]
            if ByteClass.isAlnum(after) { return nil }
            if after == UInt8(ascii: ".") && end + 1 < n && ByteClass.isAlnum(p[end + 1]) { return nil }
            if after == UInt8(ascii: ":") && end + 1 < n && Hex.isDigit(p[end + 1]) && !compressed { return nil }
        }
        resume = max(resume, end)
        return Span(start: start, end: end, type: .ipv6)
    }
}
