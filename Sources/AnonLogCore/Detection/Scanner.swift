import CByteMasks
#if canImport(Glibc)
import Glibc
#endif

/// The single pass over a window of bytes that finds every detected type.
///
/// The C candidate stage (`Candidates.h`) classifies the window 64 bytes at a time into bit
/// masks (AVX-512BW, AVX2 or SSE2) and combines them, across block seams, into the positions
/// each detector must look at: the first dot of a dotted-quad shape, a colon that can start an
/// IPv6 address, `@`/`%`/`~`, `=` after a username key, a digit run of personnummer length, a
/// line start that may be CLF with a user, and so on. Only those are verified here, in place,
/// 4 KiB of input per batch. Bytes that cannot start a match cost a fraction of an
/// instruction each. A scanner is per-worker state: its spans and the batch's mask buffer are
/// reused, so after warm-up a scan allocates nothing.
struct Scanner: Sendable {
    /// The spans of the last `scan`, sorted by start and non-overlapping; reused between calls
    /// (memory owned by `storage`).
    private var found: SpanBuffer
    /// Owns `found`'s memory; shared by copies of this scanner until one of them scans.
    private var storage = SpanStorage()

    /// The spans of the last `scan`, sorted by start and non-overlapping (a copy).
    var spans: [Span] { Array(found.view) }

    /// The same, in place: valid until this scanner (or a copy sharing its storage) scans again.
    var spanView: UnsafeBufferPointer<Span> { found.view }
    /// What to look for.
    public let config: DetectionConfig

    /// Where the candidate stage writes one batch's masks; reused, so a scan allocates nothing.
    private var batch = CandidateBatch()

    /// The repeat search for spreading names (`WordSearch.h`), chosen for this CPU; held here
    /// because a `static let` is read through `swift_once` on every use.
    private let nameRepeats: AnonLogNameRepeatsFunction = anonlog_name_repeats_function()

    /// Creates a scanner for `config`.
    public init(config: DetectionConfig = DetectionConfig()) {
        self.config = config
        found = storage.buffer
    }

    /// The candidate stage for this CPU (AVX-512BW, AVX2 or SSE2), chosen once.
    private static let candidateStage: AnonLogCandidatesFunction = anonlog_candidates_function()

    /// Finds all matches in `window`, replacing `spans`. `startsLine` says whether the window's
    /// first byte starts a line (the stream's start); otherwise line starts are after newlines.
    public mutating func scan(_ window: UnsafeRawBufferPointer, startsLine: Bool = true) {
        scan(window, startsLine: startsLine, stage: Scanner.candidateStage, tagger: NoTags())
    }

    /// `scan`, each new span tagged by `tagger` while its bytes are still in cache.
    mutating func scan<Tagger: SpanTagger>(_ window: UnsafeRawBufferPointer, startsLine: Bool, tagger: Tagger) {
        scan(window, startsLine: startsLine, stage: Scanner.candidateStage, tagger: tagger)
    }

    /// `scan` with a given candidate stage (the tests run every stage the CPU has).
    mutating func scan(_ window: UnsafeRawBufferPointer, startsLine: Bool, stage: AnonLogCandidatesFunction) {
        scan(window, startsLine: startsLine, stage: stage, tagger: NoTags())
    }

    /// The scan itself, with a candidate stage and a tagger.
    mutating func scan<Tagger: SpanTagger>(_ window: UnsafeRawBufferPointer, startsLine: Bool, stage: AnonLogCandidatesFunction,
                                           tagger: Tagger) {
        // A copy of this scanner shares the storage until one of them scans: copy on write.
        if !isKnownUniquelyReferenced(&storage) {
            storage = SpanStorage()
            found = storage.buffer
        }
        found.count = 0
        // The storage frees what `found` holds at the end, even after a `grow`.
        defer { storage.buffer = found }
        guard let raw = window.baseAddress, window.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = window.count
        // One copy per chunk: reading `self.config` next to the `&found` inout access would copy
        // (and retain its arrays) at every candidate.
        let config = self.config
        let types = config.types
        var want: UInt32 = 0
        if types.contains(.ipv4) { want |= UInt32(ANONLOG_WANT_IPV4) }
        if types.contains(.ipv6) { want |= UInt32(ANONLOG_WANT_IPV6) }
        if types.contains(.email) || types.contains(.username) { want |= UInt32(ANONLOG_WANT_SPECIAL) }
        if types.contains(.username) { want |= UInt32(ANONLOG_WANT_USERS) }
        if types.contains(.personnummer) { want |= UInt32(ANONLOG_WANT_PERSONNUMMER) }
        if types.contains(.username) && !config.knownUsers.isEmpty { want |= UInt32(ANONLOG_WANT_WORDS) }
        let email = types.contains(.email), users = types.contains(.username)
        let tags = tagger.tagsSpans
        if want != 0 {
            // A copy of this scanner shares the buffer until one of them scans: copy on write.
            if !isKnownUniquelyReferenced(&batch) { batch = CandidateBatch() }
            let masks = batch.masks
            let rules = batch.personnummerRules
            rules.pointee = config.personnummerRules
            let blocks = (n + 63) / 64
            let batchBlocks = Int(ANONLOG_BATCH_BLOCKS)
            var resume = Resume(userRanges: batch.userRanges)
            var line = LineBounds()
            var first = 0
            while first < blocks {
                let count = min(batchBlocks, blocks - first)
                // Only blocks with a candidate are looked at.
                var blocksWithCandidates = stage(p, n, first, count, want, startsLine ? 1 : 0, masks)
                resume.userRangeCount = 0
                while blocksWithCandidates != 0 {
                    let index = blocksWithCandidates.trailingZeroBitCount
                    blocksWithCandidates &= blocksWithCandidates &- 1
                    let before = found.count
                    verify(Candidates(masks + index), block: (first + index) * 64, p, n, config: config,
                           rules: rules, email: email, users: users, resume: &resume)
                    if tags && found.count > before { tag(p, from: before, with: tagger) }
                }
                // While the batch's lines are still in cache; only the spans a username context
                // added (an access log's batches are mostly addresses, and most hold no name).
                if resume.userRangeCount > 0 { spreadUsernames(p, n, ranges: resume.userRanges, count: resume.userRangeCount, line: &line) }
                first += count
            }
        }
        if config.includeTokens && types.contains(.personnummer) { findPersonnummerTokens(p, n) }
        normalise()
    }

    /// The line the last spread name was on (`end` is its newline or the window's end).
    private struct LineBounds {
        var start = 0, end = -1
    }

    /// Once a name is found on a line, every other occurrence of that exact word (a maximal
    /// run of name bytes) on the line is that username too (SPEC.md): `user=- auth=lizdy …
    /// lizdy` must not keep the second. Only words of two or more name bytes with a letter
    /// spread (a CLF user field `:` or `x` must not take every colon or `x` of the line).
    ///
    /// Runs for the names a batch's verification just found, while their line is in cache (a
    /// pass over the chunk afterwards would re-read every such line from memory), and only
    /// over the spans a username context added (`ranges`: `count` bounds as start, end pairs;
    /// a loop over every span asking its type mispredicted at nearly every one). The copies
    /// are marked `spread`, so `normalise` lets any span a detector found win over them.
    @inline(never)
    private mutating func spreadUsernames(_ p: UnsafePointer<UInt8>, _ n: Int, ranges: UnsafeMutablePointer<Int>, count: Int,
                                          line: inout LineBounds) {
        for pair in stride(from: 0, to: count, by: 2) {
            for index in ranges[pair]..<ranges[pair + 1] {
                let span = found[index]
                guard span.end > span.start else { continue }
                // Spans mostly arrive in order: search back no further than the last line searched.
                let floor = span.start > line.end ? line.end + 1 : span.start >= line.start ? line.start : 0
                var lineStart = 0, lineEnd = 0
                let repeats = withUnsafeMutablePointer(to: &repeatOffsets) { buffer in
                    buffer.withMemoryRebound(to: Int.self, capacity: Scanner.repeatCapacity) { offsets in
                        nameRepeats(p, n, floor, span.start, span.end, &lineStart, &lineEnd, offsets, Scanner.repeatCapacity)
                    }
                }
                line = LineBounds(start: lineStart, end: lineEnd)
                if repeats != 0 { spread(span, repeats: repeats, p, n, line: line) }
            }
        }
    }

    /// Adds the copies of a name that occurs again on its line (`repeats` from the search).
    /// Apart from the loop above, which runs for every name, so that the loop stays small.
    @inline(never)
    private mutating func spread(_ span: Span, repeats: Int, _ p: UnsafePointer<UInt8>, _ n: Int, line: LineBounds) {
        // Whether the name may spread at all, asked only once it occurs again (most never do).
        guard UsernameDetector.isPropagatable(p, span.start, span.end) else { return }
        guard repeats < 0 else {
            for k in 0..<repeats { addSpread(span, at: repeatOffset(k)) }
            return
        }
        // SIZE_MAX (here -1): more repeats than the inline buffer holds. Search again into one
        // as long as the line, which no number of occurrences can overflow.
        let capacity = max(1, line.end - line.start)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { offsets in
            var lineStart = 0, lineEnd = 0
            let all = nameRepeats(p, n, line.start, span.start, span.end, &lineStart, &lineEnd, offsets.baseAddress!, capacity)
            for k in 0..<max(0, all) { addSpread(span, at: offsets[k]) }
        }
    }

    /// Occurrences one repeat search reports; a line with more is searched word by word.
    private static let repeatCapacity = 8

    /// Where the repeat search writes (a tuple: inline storage, no allocation).
    private var repeatOffsets: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// Occurrence `k` of the last repeat search.
    private func repeatOffset(_ k: Int) -> Int {
        withUnsafeBytes(of: repeatOffsets) { $0.load(fromByteOffset: k * MemoryLayout<Int>.stride, as: Int.self) }
    }

    /// Appends a copy of `span` at `at`, marked as spread.
    private mutating func addSpread(_ span: Span, at: Int) {
        var copy = Span(start: at, end: at + (span.end - span.start), type: .username)
        copy.tag = span.tag
        copy.spread = true
        found.append(copy)
    }

    /// Tags the spans from `first` on, from bytes the block's verification has just read
    /// (later, in the rewrite, they are often out of cache).
    private mutating func tag<Tagger: SpanTagger>(_ p: UnsafePointer<UInt8>, from first: Int, with tagger: Tagger) {
        for k in first..<found.count {
            let span = found[k]
            found[k].tag = tagger.tag(p + span.start, span.end - span.start, span.type)
        }
    }

    /// The candidate stage's output buffer: one row of 64 masks per kind (`Candidates.h`).
    ///
    /// A class only so the memory is freed; the scanner that owns it is per-worker state and
    /// replaces a shared one before writing (see `scan`), which is what `@unchecked Sendable`
    /// stands for here.
    private final class CandidateBatch: @unchecked Sendable {
        let masks: UnsafeMutablePointer<UInt64>
        /// Where `Resume` notes the spans username contexts added (`Resume.userRanges`).
        let userRanges: UnsafeMutablePointer<Int>
        /// The scan's personnummer rules, where the C check can read them without a copy.
        let personnummerRules: UnsafeMutablePointer<AnonLogPersonnummerRules>
        init() {
            let count = ANONLOG_KINDS * Int(ANONLOG_BATCH_BLOCKS)
            masks = .allocate(capacity: count)
            masks.initialize(repeating: 0, count: count)
            userRanges = .allocate(capacity: Resume.userRangeCapacity)
            personnummerRules = .allocate(capacity: 1)
            personnummerRules.initialize(to: AnonLogPersonnummerRules())
        }
        deinit {
            masks.deallocate()
            userRanges.deallocate()
            personnummerRules.deallocate()
        }
    }

    /// One block's candidate masks, read from the batch's rows (`Candidates.h`).
    private struct Candidates {
        let row: UnsafeMutablePointer<UInt64>
        init(_ row: UnsafeMutablePointer<UInt64>) { self.row = row }
        @inline(__always) subscript(_ kind: Int) -> UInt64 { row[kind * Int(ANONLOG_BATCH_BLOCKS)] }
    }

    /// Where each detector may look next: past its last match, so that one address is not
    /// matched again from its second dot or colon.
    private struct Resume {
        var ipv4 = 0, ipv6 = 0, email = 0, personnummer = 0
        /// The batch's ranges of spans that username contexts added, as start, end pairs of
        /// indices into `spans`: what spreading looks at.
        let userRanges: UnsafeMutablePointer<Int>
        /// How many of `userRanges`' entries (two per range) the batch has written.
        var userRangeCount = 0

        /// Room for every range a batch can note: one per `=` or `~` (at most one per byte)
        /// and two per block (the JSON colons', and the other username contexts').
        static let userRangeCapacity = 2 * (Int(ANONLOG_BATCH_BLOCKS) * 64 + 2 * Int(ANONLOG_BATCH_BLOCKS))

        /// Notes that a username context added the spans `start..<end`.
        @inline(__always)
        mutating func usernames(_ start: Int, _ end: Int) {
            userRanges[userRangeCount] = start
            userRanges[userRangeCount + 1] = end
            userRangeCount += 2
        }
    }

    /// Verifies one block's candidates, appending matches to `spans`.
    ///
    /// One loop per detector: each loop's branches are predictable (a single jump on the
    /// trigger byte would mispredict on most candidates). Spans of different loops interleave
    /// within a block; `normalise` restores order and settles overlaps by priority, which is
    /// what trying every detector at every byte would give (the brute-force property test
    /// checks exactly that).
    @inline(__always)
    private mutating func verify(_ c: Candidates, block: Int, _ p: UnsafePointer<UInt8>, _ n: Int,
                                 config: DetectionConfig, rules: UnsafePointer<AnonLogPersonnummerRules>,
                                 email: Bool, users: Bool, resume: inout Resume) {
        var bits = c[ANONLOG_IPV4]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            if position < resume.ipv4 { continue }
            var next = position + 1
            if let span = IPv4Detector.match(p, count: n, dot: position, resume: &next) { found.append(span) }
            resume.ipv4 = next
        }
        var before = found.count
        bits = c[ANONLOG_JSON_COLON]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            UsernameDetector.jsonKey(p, n, colon: position, config: config, into: &found)
        }
        if found.count > before { resume.usernames(before, found.count) }
        bits = c[ANONLOG_IPV6]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            if position < resume.ipv6 { continue }
            var next = position + 1
            if let span = IPv6Detector.match(p, count: n, colon: position, resume: &next) { found.append(span) }
            resume.ipv6 = next
        }
        bits = c[ANONLOG_SPECIAL]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            before = found.count
            Scanner.scanSpecial(p, n, position, config: config, email: email, users: users,
                                resume: &resume.email, into: &found)
            // `=` and `~` are username contexts (`@` and `%40` are e-mail).
            if found.count > before && p[position] != UInt8(ascii: "@") && p[position] != UInt8(ascii: "%") {
                resume.usernames(before, found.count)
            }
        }
        bits = c[ANONLOG_PERSONNUMMER]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            if position < resume.personnummer { continue }
            var next = position + 1
            if let span = PersonnummerDetector.match(p, count: n, start: position, config: config, rules: rules, resume: &next) {
                found.append(span)
            }
            resume.personnummer = next
        }
        before = found.count
        bits = c[ANONLOG_AFTER_R]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            UsernameDetector.afterWord(p, n, space: position, config: config, into: &found)
        }
        bits = c[ANONLOG_HOME_SLASH]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            UsernameDetector.path(p, n, slash: position, config: config, into: &found)
        }
        bits = c[ANONLOG_WORD]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            UsernameDetector.knownWord(p, n, start: position, config: config, into: &found)
        }
        // Last: the CLF user fields it finds lie after the line's address in the same block, so
        // fewer spans arrive out of order for `normalise` to move (those whose address starts
        // in the next block still do).
        bits = c[ANONLOG_LINE_START]
        while bits != 0 {
            let position = block + bits.trailingZeroBitCount
            bits &= bits &- 1
            UsernameDetector.lineStart(p, n, position, config: config, into: &found)
        }
        // AFTER_R, HOME_SLASH, WORD and LINE_START add usernames only.
        if found.count > before { resume.usernames(before, found.count) }
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
                found.append(Span(start: start, end: start + 16, type: .personnummer))
                i = start + 16
            }
        }
    }

    /// `@` and `%40` (e-mail), `=` (key=value usernames), `~` (user directories).
    @inline(__always)
    private static func scanSpecial(_ p: UnsafePointer<UInt8>, _ n: Int, _ position: Int, config: DetectionConfig,
                                    email: Bool, users: Bool, resume: inout Int, into spans: inout SpanBuffer) {
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
    ///
    /// Both steps start where they are first needed: on an access log nearly every chunk has a
    /// span out of order somewhere (a CLF user field found from its line start, before the
    /// line's address), and sorting and compacting from index 0 would rewrite every span.
    private mutating func normalise() {
        let kept = { (spans: UnsafeMutableBufferPointer<Span>) -> Int in
            let count = spans.count
            // Everything before the first span that starts before its predecessor is in order.
            var first = 1
            while first < count && spans[first].start >= spans[first - 1].start { first += 1 }
            if first < count {
                // Out of order only locally (a line-start detector runs ahead of the line's
                // other matches), so insertion sort is linear in practice.
                for index in first..<count {
                    let span = spans[index]
                    var k = index
                    // Before an earlier start, or before a weaker match at the same start.
                    while k > 0 && (spans[k - 1].start > span.start || (spans[k - 1].start == span.start
                        && Scanner.priority(span) > Scanner.priority(spans[k - 1]))) {
                        spans[k] = spans[k - 1]
                        k -= 1
                    }
                    if k != index { spans[k] = span }
                }
            }
            // Everything before the first overlap stays where it is.
            guard count > 1 else { return count }
            var kept = 1
            while kept < count && spans[kept].start >= spans[kept - 1].end { kept += 1 }
            guard kept < count else { return count }
            for index in kept..<count {
                let span = spans[index]
                if span.start < spans[kept - 1].end {
                    if Scanner.priority(span) > Scanner.priority(spans[kept - 1]) {
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
            return kept
        }(UnsafeMutableBufferPointer(mutating: found.view))
        found.truncate(to: kept)
    }

    private static func priority(_ span: Span) -> Int {
        switch span.type {
        case .email: return 5
        case .ipv6: return 4
        case .personnummer: return 3
        case .ipv4: return 2
        case .username: return span.spread ? 0 : 1
        }
    }
}
