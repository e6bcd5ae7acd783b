@testable import AnonLogCore
import CByteMasks
import Testing

/// The fast scanner (64-byte masks, candidate filters, skipping past rejected runs) finds
/// exactly what a brute-force scanner finds that tries every detector at every byte.
@Suite struct ScannerPropertyTests {
    static let config: DetectionConfig = {
        var config = DetectionConfig(today: CalendarDay(year: 2026, month: 11, day: 26))
        config.types = [.ipv4, .ipv6, .email, .personnummer]
        return config
    }()

    /// What the scanner finds in `bytes` with each candidate stage this CPU can run, so that a
    /// machine picking another one (CI without AVX-512, say) runs tested code.
    static func spansOfEveryStage(_ bytes: [UInt8], config: DetectionConfig) -> [(String, [Span])] {
        ["avx512", "avx2", "sse2", "scalar"].compactMap { name in
            guard let stage = anonlog_candidates_function_named(name) else { return nil }
            var scanner = Scanner(config: config)
            return (name, bytes.withUnsafeBytes { raw -> [Span] in
                scanner.scan(raw, startsLine: true, stage: stage)
                return scanner.spans
            })
        }
    }

    /// Tries every detector at every position; no masks, no candidate filters, no skipping.
    static func bruteForce(_ bytes: [UInt8]) -> [Span] {
        bytes.withUnsafeBufferPointer { buffer -> [Span] in
            guard let p = buffer.baseAddress else { return [] }
            let n = buffer.count
            var spans: [Span] = []
            var ignored = 0
            var rules = config.personnummerRules
            for i in 0..<n {
                if p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "-"), i > 0, p[i - 1] &- 48 < 10,
                   let span = IPv4Detector.match(p, count: n, dot: i, resume: &ignored) { spans.append(span) }
                if p[i] == UInt8(ascii: ":"), let span = IPv6Detector.match(p, count: n, colon: i, resume: &ignored) { spans.append(span) }
                if p[i] == UInt8(ascii: "@"), let span = EmailDetector.match(p, count: n, at: i, atLength: 1, resume: &ignored) { spans.append(span) }
                if p[i] == UInt8(ascii: "%"), i + 2 < n, p[i + 1] == UInt8(ascii: "4"), p[i + 2] == UInt8(ascii: "0"),
                   let span = EmailDetector.match(p, count: n, at: i, atLength: 3, resume: &ignored) { spans.append(span) }
                if p[i] &- 48 < 10, i == 0 || p[i - 1] &- 48 >= 10,
                   let span = PersonnummerDetector.match(p, count: n, start: i, config: config, rules: &rules, resume: &ignored) { spans.append(span) }
            }
            // Same overlap rule as the scanner: the higher-priority type wins.
            let priority: [DetectionType: Int] = [.email: 5, .ipv6: 4, .personnummer: 3, .ipv4: 2, .username: 1]
            spans.sort { ($0.start, priority[$1.type]!) < ($1.start, priority[$0.type]!) }
            var kept: [Span] = []
            for span in spans {
                if let last = kept.last, span.start < last.end {
                    if priority[span.type]! > priority[last.type]! {
                        while let previous = kept.last, span.start < previous.end { kept.removeLast() }
                        kept.append(span)
                    }
                    continue
                }
                kept.append(span)
            }
            return kept
        }
    }

    static let fragments: [String] = [
        "1.2.3.4", "10.0.0.255", "256.1.1.1", "01.2.3.4", ".", ":", "::", "::1", "fe80::1", "2001:db8::",
        "::ffff:", "192.0.2.1", "a", "b", "f", "z", "@", "%40", "anna", "example.se", ".se", "x.", "-", "+",
        "850709-9805", "8507099805", "19850709", "9805", "000229-2381", "556703-7485", "0", "7", "12", "123456",
        " ", " ", "\n", "/", "Chrome/", "_", "[", "]", "%", "4", "0.0", "1.1.1.1.1", "deadbeef",
    ]

    @Test(arguments: 0..<300)
    func fastScannerEqualsBruteForce(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let length = Int.random(in: 1...3000, using: &generator)
        let bytes = generator.text(from: Self.fragments, atLeast: length)
        let reference = Self.bruteForce(bytes)
        func show(_ span: Span) -> String {
            let from = max(0, span.start - 12), to = min(bytes.count, span.end + 12)
            return "\(span.type) \(String(decoding: bytes[span.start..<span.end], as: UTF8.self).debugDescription) in \(String(decoding: bytes[from..<to], as: UTF8.self).debugDescription)"
        }
        for (name, fast) in Self.spansOfEveryStage(bytes, config: Self.config) {
            let missing = reference.filter { !fast.contains($0) }, extra = fast.filter { !reference.contains($0) }
            #expect(missing.isEmpty && extra.isEmpty, "\(name) missed: \(missing.map(show)) extra: \(extra.map(show))")
        }
    }

    /// Username contexts only: the keys of `key=value` and JSON (which the candidate stage
    /// compares as words before any detector runs), `for NAME`, home directories and `~NAME`.
    static let userConfig: DetectionConfig = {
        var config = DetectionConfig(today: CalendarDay(year: 2026, month: 11, day: 26))
        config.types = [.username]
        return config
    }()

    /// Username contexts, near misses (`"users"`, `"logger"`, `usernames=`, `"User"`) and
    /// the bytes around them, joined at random by the tests below.
    static let userFragments: [String] = [
        "\"user\":\"", "\"username\":\"", "\"login\": \"", "\"login\":\"", "\"owner\":\"", "\"group\" : \"",
        "\"group\":\"", "\"users\":\"", "\"xuser\":\"", "\"logger\":\"", "\"User\":\"", "\"user\"", ":", " : ", "\"",
        "=", "user=", "USER=", "Login=", "ruser=", "logname=<", "sasl_username=", "xsasl_username=", "Username=",
        "username=", "usernames=", " : TTY=", "name=", "alice", "bob9", "x", " ", ",", "<", ">", "&", "{", "}", "_",
        "e", "r", "p", " for ", " from ", "/home/", "/~", "/Users/", "C:\\Users\\", "\\", "uid=", ",ou=people",
        " invalid user ", "USER ", ": Login successful", "\n", " password for ", " port 22",
        "\n" + "192.0.2.1 - ", " [30/Nov/2026:10:00:00 +0100] ", "\n" + "www.example.se:443 192.0.2.1 - ",
        // A record whose group is its owner's own (the only group that names a person).
        "{\"owner\":\"alice\",\"group\":\"alice\"}", "{\"user\":\"bob9\",\"group\" : \"bob9\"}",
    ]

    /// Tries every username context detector at every byte it could apply to.
    static func bruteForceUsers(_ bytes: [UInt8]) -> [Span] {
        bytes.withUnsafeBufferPointer { buffer -> [Span] in
            guard let p = buffer.baseAddress else { return [] }
            let n = buffer.count
            var spans: [Span] = []
            UsernameDetector.lineStart(p, n, 0, config: userConfig, into: &spans)
            for i in 0..<n {
                if i > 0 && p[i - 1] == UInt8(ascii: "\n") { UsernameDetector.lineStart(p, n, i, config: userConfig, into: &spans) }
                switch p[i] {
                case UInt8(ascii: "="): UsernameDetector.keyValue(p, n, equals: i, config: userConfig, into: &spans)
                case UInt8(ascii: ":"): UsernameDetector.jsonKey(p, n, colon: i, config: userConfig, into: &spans)
                case UInt8(ascii: " "): UsernameDetector.afterWord(p, n, space: i, config: userConfig, into: &spans)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"): UsernameDetector.path(p, n, slash: i, config: userConfig, into: &spans)
                case UInt8(ascii: "~"): UsernameDetector.tilde(p, n, at: i, config: userConfig, into: &spans)
                default: break
                }
            }
            // A found name (any a context found, kept in the end or not), everywhere else on
            // its line as a whole word; the copies lose to every span a context found.
            var spread: [Span] = []
            for span in spans where UsernameDetector.isPropagatable(p, span.start, span.end) {
                let word = Array(buffer[span.start..<span.end])
                var lineStart = span.start, lineEnd = span.end
                while lineStart > 0 && p[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
                while lineEnd < n && p[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                for at in lineStart..<lineEnd where at + word.count <= lineEnd && at != span.start
                    && Array(buffer[at..<(at + word.count)]) == word
                    && (at == lineStart || !UsernameDetector.isNameByte(p[at - 1])) {
                    let end = at + word.count
                    if end < lineEnd && (UsernameDetector.isNameByte(p[end]) || p[end] == UInt8(ascii: "$")) { continue }
                    spread.append(Span(start: at, end: end, type: .username))
                }
            }
            spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            var kept: [Span] = []
            for span in spans where kept.last.map({ span.start >= $0.end }) ?? true { kept.append(span) }
            let found = kept
            for span in spread where !found.contains(where: { $0.start < span.end && span.start < $0.end }) { kept.append(span) }
            kept.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            var unique: [Span] = []
            for span in kept where unique.last.map({ span.start >= $0.end }) ?? true { unique.append(span) }
            return unique
        }
    }

    @Test(arguments: 0..<200)
    func usernameContextsEqualBruteForce(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
        let bytes = generator.text(from: Self.userFragments, atLeast: Int.random(in: 1...3000, using: &generator))
        let reference = Self.bruteForceUsers(bytes)
        for (name, fast) in Self.spansOfEveryStage(bytes, config: Self.userConfig) {
            let text = { (span: Span) in String(decoding: bytes[max(0, span.start - 16)..<span.start], as: UTF8.self).debugDescription + " [" + String(decoding: bytes[span.start..<span.end], as: UTF8.self) + "]" }
            #expect(fast == reference, "\(name) missed: \(reference.filter { !fast.contains($0) }.map(text)) extra: \(fast.filter { !reference.contains($0) }.map(text))")
        }
    }

    /// A name on a line more often than one repeat search reports (eight) spreads to every
    /// whole-word occurrence, and to none glued to `.`, `_` or `$`.
    @Test func aNameRepeatedManyTimesSpreadsToEveryWholeWord() {
        let bytes = Array(("user=bob9" + String(repeating: " bob9", count: 11) + " x.bob9 bob9_ bob9$ (bob9)\nbob9\n").utf8)
        let reference = Self.bruteForceUsers(bytes)
        #expect(reference.count == 13)   // the key's value, 11 repeats and `(bob9)`; not the next line's
        for (name, fast) in Self.spansOfEveryStage(bytes, config: Self.userConfig) {
            #expect(fast == reference, "\(name)")
        }
    }

    /// The fragments make names in every context, so the test above compares something: each
    /// context below is found right before (or, for sudo's `NAME : TTY=`, right after) a name.
    @Test func userFragmentsProduceNamesInEveryContext() {
        var generator = SeededGenerator(seed: 7)
        let bytes = generator.text(from: Self.userFragments, atLeast: 200_000)
        let found = Self.bruteForceUsers(bytes)
        let before = ["\"user\":\"", "\"username\":\"", "\"login\":\"", "\"login\": \"", "\"owner\":\"", "\"group\":\"",
                      "\"group\" : \"", "user=", "USER=", "Login=", "ruser=", "logname=<", "sasl_username=", "username=",
                      "Username=", " password for ", "/home/", "/~", "/Users/", "C:\\Users\\", "uid=", " invalid user ", "USER "]
        var seen: Set<String> = []
        for span in found {
            let head = Array(bytes[max(0, span.start - 16)..<span.start]), tail = Array(bytes[span.end..<min(bytes.count, span.end + 8)])
            for context in before where head.count >= context.utf8.count && Array(head.suffix(context.utf8.count)) == Array(context.utf8) {
                seen.insert(context)
            }
            if tail.starts(with: Array(" : TTY=".utf8)) { seen.insert(" : TTY=") }
        }
        #expect(seen == Set(before + [" : TTY="]), "missing: \(Set(before + [" : TTY="]).subtracting(seen).sorted())")
        #expect(found.count > 1000)
    }
}
