@testable import AnonLogCore
import CByteMasks
import Testing

/// The one table of username contexts (`UsernameContexts`) and the C candidate stage agree:
/// every row's trigger byte is a candidate for every kernel this CPU runs, and the scanner
/// finds the name after every row. A row the C stage does not trigger on fails here, not
/// silently in production.
@Suite struct UsernameContextTests {
    static let config: DetectionConfig = {
        var config = DetectionConfig(today: CalendarDay(year: 2026, month: 11, day: 26))
        config.types = [.username, .ipv4]
        return config
    }()

    /// A line with `text` after a syslog prefix, and the offset of `text` in it.
    static func line(_ text: String) -> (bytes: [UInt8], offset: Int) {
        let prefix = "Nov 30 10:01:02 web1 daemon[812]: "
        return (Array((prefix + text + "\n").utf8), prefix.utf8.count)
    }

    /// Whether every candidate stage sets `kind` at byte `position` of `bytes`.
    static func stagesTrigger(_ bytes: [UInt8], kind: Int32, at position: Int) -> [String: Bool] {
        var result: [String: Bool] = [:]
        for name in ["avx512", "avx2", "sse2", "scalar"] {
            guard let stage = anonlog_candidates_function_named(name) else { continue }
            let blocks = (bytes.count + 63) / 64
            var out = [UInt64](repeating: 0, count: Int(ANONLOG_KINDS) * Int(ANONLOG_BATCH_BLOCKS))
            bytes.withUnsafeBufferPointer { p in
                _ = stage(p.baseAddress, bytes.count, 0, blocks, 0xFF, 1, &out)
            }
            let mask = out[Int(kind) * Int(ANONLOG_BATCH_BLOCKS) + position / 64]
            result[name] = mask & (1 << UInt64(position % 64)) != 0
        }
        return result
    }

    /// The names the scanner finds in `bytes`.
    static func names(_ bytes: [UInt8]) -> [String] {
        var scanner = Scanner(config: config)
        bytes.withUnsafeBytes { scanner.scan($0) }
        return scanner.spans.filter { $0.type == .username }.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    /// What to write after the name for a phrase with `followers`.
    static func sample(after followers: UsernameContexts.Followers) -> String {
        if followers.contains(.from) { return " from 192.0.2.7 port 52814 ssh2" }
        if followers.contains(.colon) { return ": Login successful." }
        if followers.contains(.uid) { return "(uid=1000) by (uid=0)" }
        return ""
    }

    @Test(arguments: UsernameContexts.phrases.map { $0.words.description })
    func everyPhraseTriggersTheCandidateStageAndIsFound(words: String) throws {
        let phrase = try #require(UsernameContexts.phrases.first { $0.words.description == words })
        let name = phrase.followers.contains(.quoted) ? "\"karin_l\"" : "karin_l"
        let (bytes, offset) = Self.line(words + " " + name + Self.sample(after: phrase.followers))
        let space = offset + words.utf8.count
        for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_AFTER_R), at: space) {
            #expect(triggered, "\(stage): no candidate at the blank after '\(words)'")
        }
        #expect(Self.names(bytes) == ["karin_l"], "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test(arguments: UsernameContexts.keys.map { $0.description })
    func everyKeyTriggersTheCandidateStageAndIsFound(key: String) {
        for spelling in [key, key.uppercased()] {
            let (bytes, offset) = Self.line("auth: " + spelling + "=karin_l,ou=people rhost=x")
            let equals = offset + 6 + spelling.utf8.count
            for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_SPECIAL), at: equals) {
                #expect(triggered, "\(stage): no candidate at '\(spelling)='")
            }
            #expect(Self.names(bytes) == ["karin_l"], "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test(arguments: UsernameContexts.jsonKeys.map { $0.description })
    func everyJSONKeyTriggersTheCandidateStageAndIsFound(key: String) {
        // `"group"` counts only as the owner's own group, so the record has its owner too.
        let text = "{\"owner\":\"karin_l\",\"\(key)\":\"karin_l\"}"
        let (bytes, offset) = Self.line(text)
        let colon = offset + 19 + key.utf8.count + 2
        #expect(bytes[colon] == UInt8(ascii: ":"))
        for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_JSON_COLON), at: colon) {
            #expect(triggered, "\(stage): no candidate at '\"\(key)\":'")
        }
        #expect(Self.names(bytes) == ["karin_l", "karin_l"])
    }

    /// JSON allows blanks between a key and its colon: a tab, a tab and a space, two tabs (the
    /// candidate stage's key-length check must not drop these: it did for `"username"\t:`).
    @Test(arguments: UsernameContexts.jsonKeys.map { $0.description })
    func everyJSONKeyIsFoundWithBlanksBeforeItsColon(key: String) {
        for blanks in ["\t", " \t", "\t\t", " "] {
            let (bytes, _) = Self.line("{\"owner\"\(blanks):\"karin_l\",\"\(key)\"\(blanks): \"karin_l\"}")
            #expect(Self.names(bytes) == ["karin_l", "karin_l"], "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test(arguments: UsernameContexts.homeDirectories.map { "/" + $0.description + "/" } + ["C:\\Users\\"])
    func everyHomeDirectoryTriggersTheCandidateStageAndIsFound(directory: String) {
        let (bytes, offset) = Self.line("opened " + directory + "karin_l" + (directory.hasSuffix("\\") ? "\\" : "/") + "notes.txt")
        let slash = offset + 7 + directory.utf8.count - 1
        for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_HOME_SLASH), at: slash) {
            #expect(triggered, "\(stage): no candidate at the separator after '\(directory)'")
        }
        #expect(Self.names(bytes) == ["karin_l"])
    }

    /// Words near the keys: each key, its upper-case form, one letter changed, one added or
    /// dropped at either end. The C prefilter may let more through, never less.
    static func nearKeys(_ keys: [String]) -> [String] {
        var words: Set<String> = []
        for key in keys.map(\.description) {
            words.insert(key)
            words.insert(key.uppercased())
            words.insert(String(key.dropFirst()))
            words.insert(String(key.dropLast()))
            words.insert("x" + key)
            words.insert(key + "s")
            for index in key.indices {
                words.insert(key.replacingCharacters(in: index...index, with: "q"))
            }
        }
        return words.sorted()
    }

    @Test func theCandidateStageNeverRejectsAKeyTheDetectorAccepts() {
        for word in Self.nearKeys(UsernameContexts.keys) {
            let (bytes, offset) = Self.line("auth: " + word + "=karin_l rhost=x")
            let equals = offset + 6 + word.utf8.count
            let accepted = !Self.names(bytes).isEmpty
            for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_SPECIAL), at: equals) where accepted {
                #expect(triggered, "\(stage): '\(word)=' is a username key but the stage passes over it")
            }
            let listed = UsernameContexts.keys.contains { $0.description == word.lowercased() }
            #expect(accepted == listed, "'\(word)=': the detector and the table disagree")
        }
        // `"group"` names a user only beside an equal owner: left to the test above.
        for word in Self.nearKeys(UsernameContexts.jsonKeys) where word != "group" {
            let (bytes, offset) = Self.line("{\"\(word)\":\"karin_l\"}")
            let colon = offset + 1 + word.utf8.count + 2
            #expect(bytes[colon] == UInt8(ascii: ":"))
            let accepted = Self.names(bytes) == ["karin_l"]
            for (stage, triggered) in Self.stagesTrigger(bytes, kind: Int32(ANONLOG_JSON_COLON), at: colon) where accepted {
                #expect(triggered, "\(stage): '\"\(word)\":' is a username key but the stage passes over it")
            }
            let listed = UsernameContexts.jsonKeys.contains { $0.description == word }
            #expect(accepted == listed, "'\"\(word)\":': the detector and the table disagree")
        }
    }

    /// The catalogue row of each phrase says where it comes from.
    @Test func everyRowNamesItsSource() {
        for phrase in UsernameContexts.phrases { #expect(phrase.source.utf8CodeUnitCount > 5, "\(phrase.words)") }
    }
}
