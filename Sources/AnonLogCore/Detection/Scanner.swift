import CByteMasks
#if canImport(Glibc)
import Glibc
#endif

/// The single pass over a window of bytes that finds every detected type.
///
/// The window is classified 64 bytes at a time into bit masks (`anonlog_byte_masks`, SSE2).
/// Shifts and ANDs of those masks give the candidate positions of every detector at once (a
/// dot between digits with another dot soon after, a colon, `@`/`%`/`=`/`~`, the start of a run
/// of six or more digits, a line start, a space after `r`, a slash), and only candidates are
/// verified, in place and in position order. Bytes that cannot start a match cost a fraction of
/// an instruction each. A scanner is per-worker state: `spans` is reused, so after warm-up a
/// scan allocates nothing.
public struct Scanner: Sendable {
    /// The spans of the last `scan`, sorted by start and non-overlapping; reused between calls.
    public private(set) var spans: [Span] = []
    /// What to look for.
    public let config: DetectionConfig

    /// Creates a scanner for `config`.
    public init(config: DetectionConfig = DetectionConfig()) {
        self.config = config
        spans.reserveCapacity(4096)
    }

    /// Bits 59–63: candidates whose confirming neighbours lie in the next block are kept (the
    /// filters may pass too much, never too little; verification decides).
    private static let lastBits: UInt64 = 0xF800_0000_0000_0000

    /// The byte-mask kernel for this CPU (AVX2 or SSE2), chosen once.
    private static let masksKernel: AnonLogByteMasksFunction = anonlog_byte_masks_kernel()

    /// Finds all matches in `window`, replacing `spans`. `startsLine` says whether the window's
    /// first byte starts a line (the stream's start); otherwise line starts are after newlines.
    public mutating func scan(_ window: UnsafeRawBufferPointer, startsLine: Bool = true) {
        spans.removeAll(keepingCapacity: true)
        guard let raw = window.baseAddress, window.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = window.count
        let kernel = Scanner.masksKernel
        // One copy per chunk: reading `self.config` next to the `&spans` inout access would copy
        // (and retain its arrays) at every candidate.
        let config = self.config
        let types = config.types
        let wantIPv4: UInt64 = types.contains(.ipv4) ? ~0 : 0
        let wantIPv6 = types.contains(.ipv6)
        let wantEmail = types.contains(.email)
        let wantUsers: UInt64 = types.contains(.username) ? ~0 : 0
        let wantPersonnummer: UInt64 = types.contains(.personnummer) ? ~0 : 0
        let wantColon: UInt64 = wantIPv6 || wantUsers != 0 ? ~0 : 0
        let wantSpecial: UInt64 = wantEmail || wantUsers != 0 ? ~0 : 0
        let wantWords = !config.knownUsers.isEmpty && wantUsers != 0
        var resumeIPv4 = 0, resumeIPv6 = 0, resumeEmail = 0, resumePersonnummer = 0
        var previousDigit: UInt64 = 0
        var previousAlnum: UInt64 = 0
        var previousLetter: UInt64 = 0
        var previousR: UInt64 = 0
        var previousNewline: UInt64 = startsLine ? 1 : 0
        var m = AnonLogByteMasks()
        // The next block's masks too: an IPv6 address starting in this block ends by the next.
        var next = AnonLogByteMasks()
        Scanner.masks(kernel, p, n, at: 0, into: &next)
        var block = 0
        while block < n {
            m = next
            Scanner.masks(kernel, p, n, at: block + 64, into: &next)
            let digitBefore = (m.digit << 1) | previousDigit
            let digitRunStart = m.digit & ~digitBefore
            let sixDigits = m.digit & (m.digit >> 1) & (m.digit >> 2) & (m.digit >> 3) & (m.digit >> 4) & (m.digit >> 5)
            let personnummer = digitRunStart & (sixDigits | (m.digit & Scanner.lastBits))
            let ipv4 = Scanner.quadFirstDots(m, next, previousDigit: previousDigit)
            let lineStart = (m.newline << 1) | previousNewline
            let afterR = m.space & ((m.r << 1) | previousR)
            // Home-directory paths: a slash right after "home", "Users" or "mail".
            let slashAfterLetter = m.slash & ((m.esl << 1) | previousLetter)
            // An IPv6 address has a "::" or at least six colons (seven, or six and a dotted
            // quad): without either in this block and the next, no colon here starts one.
            // (Worked out only for blocks with a colon; `nonzeroBitCount` is no single
            // instruction on baseline x86-64, so clearing the lowest bit five times counts.)
            var ipv6Possible = false
            if m.colon != 0 {
                let doubleColon = (m.colon & (m.colon >> 1)) | (next.colon & (next.colon >> 1)) | ((m.colon >> 63) & next.colon & 1)
                if doubleColon != 0 {
                    ipv6Possible = true
                } else {
                    var low = m.colon, high = next.colon
                    for _ in 0..<5 {
                        if low != 0 { low &= low &- 1 } else { high &= high &- 1 }
                    }
                    ipv6Possible = (low | high) != 0
                }
            }
            let alnum = m.digit | m.letter
            let words = wantWords ? alnum & ~((alnum << 1) | previousAlnum) : 0
            previousDigit = m.digit >> 63
            previousNewline = m.newline >> 63
            previousR = m.r >> 63
            previousAlnum = alnum >> 63
            previousLetter = m.esl >> 63

            // One loop per detector: each loop's branches are predictable (a single jump on
            // the trigger byte mispredicted on most candidates and cost ~15% of the scan).
            // Spans of different loops interleave within a block; `normalise` restores order
            // and settles overlaps by priority, which is what trying every detector at every
            // byte would give (the brute-force property test checks exactly that).
            var bits = lineStart & wantUsers
            while bits != 0 {
                let offset = bits.trailingZeroBitCount
                let position = block + offset
                bits &= bits &- 1
                guard position < n else { continue }
                let spaces = Scanner.ahead(m.space, next.space, offset)
                if spaces != 0 && !UsernameDetector.lineMayNameUser(p, n, start: position,
                                                                      firstSpace: position + spaces.trailingZeroBitCount) { continue }
                UsernameDetector.lineStart(p, n, position, config: config, into: &spans)
            }
            bits = ipv4 & wantIPv4
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                if position < resumeIPv4 { continue }
                var next = position + 1
                if let span = IPv4Detector.match(p, count: n, dot: position, resume: &next) { spans.append(span) }
                resumeIPv4 = next
            }
            bits = m.colon & wantColon
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                // A JSON key ends in a quote, perhaps followed by blanks, right before the colon.
                if wantUsers != 0 && position > 0 {
                    let before = p[position - 1]
                    if before == UInt8(ascii: "\"") || before == UInt8(ascii: " ") || before == UInt8(ascii: "\t") {
                        UsernameDetector.jsonKey(p, n, colon: position, config: config, into: &spans)
                    }
                }
                if !wantIPv6 || !ipv6Possible || position < resumeIPv6 { continue }
                var next = position + 1
                if let span = IPv6Detector.match(p, count: n, colon: position, resume: &next) { spans.append(span) }
                resumeIPv6 = next
            }
            bits = m.special & wantSpecial
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                Scanner.scanSpecial(p, n, position, config: config, email: wantEmail, users: wantUsers != 0,
                                    resume: &resumeEmail, into: &spans)
            }
            bits = personnummer & wantPersonnummer
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                if position < resumePersonnummer { continue }
                // The run's length from the masks: only 10 and 12 digits, or 6 and 8 followed
                // by `-`/`+`, can be a personnummer, which rejects most runs without a call.
                let offset = position - block
                let run = (~Scanner.ahead(m.digit, next.digit, offset)).trailingZeroBitCount
                if run != 10 && run != 12 {
                    guard run == 6 || run == 8, position + run < n,
                          p[position + run] == UInt8(ascii: "-") || p[position + run] == UInt8(ascii: "+") else { continue }
                }
                var next = position + 1
                if let span = PersonnummerDetector.match(p, count: n, start: position, config: config, resume: &next) {
                    spans.append(span)
                }
                resumePersonnummer = next
            }
            bits = afterR & wantUsers
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                UsernameDetector.afterWord(p, n, space: position, config: config, into: &spans)
            }
            bits = slashAfterLetter & wantUsers
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                if UsernameDetector.mayEndHomeDirectory(p, slash: position) {
                    UsernameDetector.path(p, n, slash: position, config: config, into: &spans)
                }
            }
            bits = words
            while bits != 0 {
                let position = block + bits.trailingZeroBitCount
                bits &= bits &- 1
                UsernameDetector.knownWord(p, n, start: position, config: config, into: &spans)
            }
            block += 64
        }
        if config.includeTokens && types.contains(.personnummer) { findPersonnummerTokens(p, n) }
        normalise()
    }

    /// `pnr-` and 12 base32 characters: anonlog's personnummer tokens (redact stage only).
    private mutating func findPersonnummerTokens(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            guard let hit = memchr(p + i, Int32(UInt8(ascii: "-")), n - i) else { return }
            let dash = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - p
            i = dash + 1
            guard dash >= 3, Bytes.equals(p + dash - 3, "pnr") else { continue }
            let start = dash - 3
            guard start + 16 <= n, start == 0 || !ByteClass.isAlnum(p[start - 1]) else { continue }
            var ok = true
            for k in (start + 4)..<(start + 16) {
                let b = p[k]
                if !((b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "2") && b <= UInt8(ascii: "7"))) { ok = false; break }
            }
            if ok && (start + 16 == n || !ByteClass.isAlnum(p[start + 16])) {
                spans.append(Span(start: start, end: start + 16, type: .personnummer))
                i = start + 16
            }
        }
    }

    /// The first dots of every possible dotted quad in block `m`: a dot with digits on both
    /// sides (`d.d`) followed 2–4 bytes later by another such dot, which is itself followed 2–4
    /// bytes later by a third. Exact across the seam with `next`, since a quad's third dot is at
    /// most 8 bytes after its first; only these dots are handed to `IPv4Detector.match`, which
    /// leaves out the version numbers (`537.36`, `116.0.2650.46`) that dominate access logs.
    @inline(__always)
    private static func quadFirstDots(_ m: AnonLogByteMasks, _ next: AnonLogByteMasks, previousDigit: UInt64) -> UInt64 {
        let here = dottedDigits(dot: m.dot, digit: m.digit, digitBeforeFirst: previousDigit, digitAfterLast: next.digit & 1)
        let there = dottedDigits(dot: next.dot, digit: next.digit, digitBeforeFirst: m.digit >> 63, digitAfterLast: 1)
        let secondHere = here & within2to4(here, there)
        let secondThere = there & within2to4(there, 0)
        return here & within2to4(secondHere, secondThere)
    }

    /// The 64 mask bits from bit `offset` of `low` on, continued by `high`: what lies ahead of
    /// a position, across the block seam.
    @inline(__always)
    private static func ahead(_ low: UInt64, _ high: UInt64, _ offset: Int) -> UInt64 {
        offset == 0 ? low : (low &>> UInt64(offset)) | (high &<< UInt64(64 - offset))
    }

    /// Dots with a digit right before and right after (the bits beyond the block come in).
    @inline(__always)
    private static func dottedDigits(dot: UInt64, digit: UInt64, digitBeforeFirst: UInt64, digitAfterLast: UInt64) -> UInt64 {
        dot & ((digit << 1) | digitBeforeFirst) & ((digit >> 1) | (digitAfterLast << 63))
    }

    /// Bits whose position plus 2, 3 or 4 is set in the 128-bit mask `low`, `high`.
    @inline(__always)
    private static func within2to4(_ low: UInt64, _ high: UInt64) -> UInt64 {
        (low >> 2) | (high << 62) | (low >> 3) | (high << 61) | (low >> 4) | (high << 60)
    }

    /// The masks of the block at `offset` (zeros past the end).
    @inline(__always)
    private static func masks(_ kernel: AnonLogByteMasksFunction, _ p: UnsafePointer<UInt8>, _ n: Int, at offset: Int,
                              into m: inout AnonLogByteMasks) {
        if offset + 64 <= n {
            kernel(p + offset, &m)
        } else if offset < n {
            anonlog_byte_masks_partial(kernel, p + offset, Int32(n - offset), &m)
        } else {
            m = AnonLogByteMasks()
        }
    }

    /// `@` and `%40` (e-mail), `=` (key=value usernames), `~` (user directories).
    @inline(__always)
    private static func scanSpecial(_ p: UnsafePointer<UInt8>, _ n: Int, _ position: Int, config: DetectionConfig,
                                    email: Bool, users: Bool, resume: inout Int, into spans: inout [Span]) {
        switch p[position] {
        case UInt8(ascii: "@") where email && position >= resume:
            var next = position + 1
            if let span = EmailDetector.match(p, count: n, at: position, atLength: 1, includeTokens: config.includeTokens, resume: &next) {
                spans.append(span)
                resume = next
            }
        case UInt8(ascii: "%") where email && position >= resume:
            guard Bytes.startsWith(p, position, n, "%40") else { return }
            var next = position + 3
            if let span = EmailDetector.match(p, count: n, at: position, atLength: 3, includeTokens: config.includeTokens, resume: &next) {
                spans.append(span)
                resume = next
            }
        case UInt8(ascii: "=") where users:
            UsernameDetector.keyValue(p, n, equals: position, config: config, into: &spans)
        case UInt8(ascii: "~") where users:
            UsernameDetector.tilde(p, n, at: position, config: config, into: &spans)
        default:
            break
        }
    }

    /// Sorts spans by start (context detectors may append out of order) and resolves
    /// overlaps: e-mail over username, IPv6 over the IPv4 inside it.
    private mutating func normalise() {
        var sorted = true
        var overlapping = false
        var index = 1
        while index < spans.count {
            if spans[index].start < spans[index - 1].start { sorted = false }
            if spans[index].start < spans[index - 1].end { overlapping = true }
            index += 1
        }
        if sorted && !overlapping { return }
        if !sorted {
            // Out of order only locally (a line-start detector runs ahead of the line's other
            // matches), so insertion sort is linear in practice.
            for index in 1..<spans.count {
                let span = spans[index]
                var k = index
                while k > 0 && (spans[k - 1].start, Scanner.priority(span.type)) > (span.start, Scanner.priority(spans[k - 1].type)) {
                    spans[k] = spans[k - 1]
                    k -= 1
                }
                spans[k] = span
            }
        }
        var kept = 0
        for index in 0..<spans.count {
            let span = spans[index]
            if kept > 0 && span.start < spans[kept - 1].end {
                if Scanner.priority(span.type) > Scanner.priority(spans[kept - 1].type) {
                    // The stronger match replaces the weaker and any earlier one it overlaps.
                    while kept > 0 && span.start < spans[kept - 1].end { kept -= 1 }
                    spans[kept] = span
                    kept += 1
                }
                continue
            }
            spans[kept] = span
            kept += 1
        }
        spans.removeLast(spans.count - kept)
    }

    private static func priority(_ type: DetectionType) -> Int {
        switch type {
        case .email: return 5
        case .ipv6: return 4
        case .personnummer: return 3
        case .ipv4: return 2
        case .username: return 1
        }
    }
}
