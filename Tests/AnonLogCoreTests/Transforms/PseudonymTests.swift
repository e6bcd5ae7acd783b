@testable import AnonLogCore
import Foundation
import Testing

/// Keys, sub-keys and tokens exactly as SPEC.md fixes them. Expected values come from an
/// independent implementation (Python's hmac/hashlib/base64 over the same text).
@Suite struct PseudonymTests {
    static let key = Array(UInt8(0)...UInt8(31))
    static let today = CalendarDay(year: 2026, month: 11, day: 26)

    static func hex(_ text: String) -> [UInt8] { Hex.decode(Array(text.utf8))! }

    @Test func hkdfMatchesRFC5869() {
        // Test case 1.
        let okm1 = SubKeys.hkdf([UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9), count: 42)
        #expect(okm1 == Self.hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
        // Test case 3: empty salt and info.
        let okm3 = SubKeys.hkdf([UInt8](repeating: 0x0b, count: 22), salt: [], info: [], count: 42)
        #expect(okm3 == Self.hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }

    @Test func subKeysUseTheFixedInfoStrings() {
        let sub = SubKeys(key: Self.key, epoch: nil)
        #expect(sub.token == Self.hex("258840a76d89b8d1fdd9fa5d6aeadb33ca5ccb34f389456d9ced4715fec40ff3"))
        #expect(sub.ipcryptPfx == Self.hex("c7394bf1574bcd177472e63cb5cb89f52f6d8cf62e557bd4369d5050ff9359e3"))
        #expect(sub.ipcryptDeterministic == Self.hex("dd1fe4c1cc10c898304aca0c910b7de5"))
    }

    static func pseudonym(_ value: String, _ type: DetectionType, epoch: KeyEpoch = .none, date: CalendarDay = today) throws -> String {
        var config = TransformConfig(key: key)
        config.today = today
        config.epoch = epoch
        config.fallbackDate = date
        config.useLineDates = false
        return try Pseudonyms.pseudonym(of: value, type: type, config: config)
    }

    @Test func tokensAreFixed() throws {
        #expect(try Self.pseudonym("anna@example.se", .email) == "tp65cuxqrf35@anon.invalid")
        #expect(try Self.pseudonym("erik", .username) == "u-rmtrk5bqqh6y")
        #expect(try Self.pseudonym("19850709-9805", .personnummer) == "pnr-3jyws2g5au47")
        #expect(try Self.pseudonym("anna@example.se", .email, epoch: .monthly, date: CalendarDay(year: 2026, month: 11, day: 3))
                == "x2rnrihyzdbq@anon.invalid")
    }

    @Test(arguments: ["850709-9805", "19850709-9805", "8507099805", "198507099805"])
    func everyWrittenFormOfOnePersonnummerGivesOneToken(form: String) throws {
        #expect(try Self.pseudonym(form, .personnummer) == "pnr-3jyws2g5au47")
    }

    /// Regression (issue 14): interim numbers keep their letter in the canonical form, so every
    /// written form of one gives one pseudonym, and it differs from the digit-only number.
    @Test(arguments: ["000101-T220", "20000101T220", "000101T220"])
    func everyFormOfAnInterimNumberGivesOneToken(form: String) throws {
        let token = try Self.pseudonym(form, .personnummer)
        #expect(token == (try Self.pseudonym("20000101T220", .personnummer)))
        #expect(token.hasPrefix("pnr-") && token.count == 16)
    }

    /// Regression (issue 14): a client's address inside its reverse-DNS name gets the address's
    /// pseudonym in the name's own separators and order, so one client is one name everywhere.
    @Test func anAddressInAHostNameGetsTheAddressesPseudonym() throws {
        let input = Array("52.80.34.196 ec2-52-80-34-196.compute-1.amazonaws.com 196.34.80.52.in-addr.arpa\n".utf8)
        var transform = TransformConfig(key: Self.key)
        transform.today = Self.today
        transform.useLineDates = false
        let options = PipelineOptions(threads: 1, plan: try ActionPlan(profile: .pseudonymize), transform: transform)
        let (out, _) = try TestSupport.runPipeline(input, options: options)
        let words = String(decoding: out, as: UTF8.self).dropLast().split(separator: " ").map(String.init)
        try #require(words.count == 3)
        let octets = words[0].split(separator: ".").map(String.init)
        #expect(words[0] != "52.80.34.196" && octets.count == 4)
        #expect(words[0] == (try Self.pseudonym("52.80.34.196", .ipv4)))
        #expect(words[1] == "ec2-" + octets.joined(separator: "-") + ".compute-1.amazonaws.com")
        #expect(words[2] == octets.reversed().joined(separator: ".") + ".in-addr.arpa")
        #expect(try Self.pseudonym("196.34.80.52.in-addr.arpa", .ipv4) == words[2])
    }

    @Test func plusFormIsACenturyEarlier() throws {
        #expect(try Self.pseudonym("121212+1212", .personnummer) == "pnr-sxvaomj4xxtx")
        #expect(try Self.pseudonym("19121212-1212", .personnummer) == "pnr-sxvaomj4xxtx")
    }

    @Test func emailCaseAndURLEncodingGiveOneToken() throws {
        #expect(try Self.pseudonym("Anna@Example.SE", .email) == "tp65cuxqrf35@anon.invalid")
        #expect(try Self.pseudonym("anna%40example.se", .email) == "tp65cuxqrf35%40anon.invalid")
    }

    @Test func invalidValuesAreRefused() {
        #expect(throws: AnonLogError.self) { try Self.pseudonym("850709-9806", .personnummer) }
        #expect(throws: AnonLogError.self) { try Self.pseudonym("not an address", .email) }
    }

    /// Runs `text` through the rewriter with `plan`.
    static func rewrite(_ text: String, plan: ActionPlan, epoch: KeyEpoch = .none) -> String {
        var config = TransformConfig(key: key)
        config.today = today
        config.epoch = epoch
        config.fallbackDate = today
        var rewriter = ChunkRewriter(plan: plan, detection: DetectionConfig(today: today), transform: config)
        let out = ChunkBuffer(capacity: 1024)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = rewriter.rewrite(window: $0, body: 0..<bytes.count, into: out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// A pseudonymised chunk and its cache counts, with the cache sized for `inputBytes`.
    static func rewriteCounting(_ bytes: [UInt8], inputBytes: Int?) -> (bytes: [UInt8], hits: Int, misses: Int) {
        var config = TransformConfig(key: key)
        config.today = today
        config.fallbackDate = today
        let plan = try! ActionPlan(profile: .pseudonymize, overrides: [:])
        var rewriter = ChunkRewriter(plan: plan, detection: DetectionConfig(today: today), transform: config, inputBytes: inputBytes)
        let out = ChunkBuffer(capacity: bytes.count * 2)
        let result = bytes.withUnsafeBytes { rewriter.rewrite(window: $0, body: 0..<bytes.count, into: out) }
        return (out.bytes, result.cacheHits, result.cacheMisses)
    }

    /// `ReplacementCache.store` then `lookup` of `key` (type IPv4) in `generation`; the value is
    /// the key with a `v-` prefix. Returns what a lookup gives, or nil on a miss.
    static func cached(_ cache: inout ReplacementCache, _ key: String, generation: UInt32) -> String? {
        let bytes = Array(key.utf8), out = ChunkBuffer(capacity: 256)
        return bytes.withUnsafeBufferPointer { p -> String? in
            let hint = ReplacementCache.hint(p.baseAddress!, p.count, .ipv4)
            guard cache.lookup(p.baseAddress!, p.count, type: .ipv4, generation: generation, hint: hint, into: out) else { return nil }
            return String(decoding: out.bytes, as: UTF8.self)
        }
    }

    static func store(_ cache: inout ReplacementCache, _ key: String, generation: UInt32) {
        let bytes = Array(key.utf8), value = Array(("v-" + key).utf8)
        bytes.withUnsafeBufferPointer { p in
            value.withUnsafeBytes { v in
                cache.store(p.baseAddress!, p.count, type: .ipv4, generation: generation,
                            hint: ReplacementCache.hint(p.baseAddress!, p.count, .ipv4), replacement: v)
            }
        }
    }

    /// Keys that differ only in their last bytes (one /24 of clients) spread over the sets:
    /// all 256 fit a 4,096-slot cache at once.
    @Test func neighbouringKeysDoNotShareSets() {
        var cache = ReplacementCache(slotCount: ReplacementCache.minSlotCount)
        let keys = (0..<256).map { "192.168.10.\($0)" }
        for key in keys { Self.store(&cache, key, generation: 1) }
        let found = keys.filter { Self.cached(&cache, $0, generation: 1) == "v-" + $0 }
        #expect(found.count >= 250)
    }

    /// Two ways per set, the less recently used one replaced, and an entry of another epoch
    /// replaced before a live one of this epoch.
    @Test func aSetHoldsTwoAndEvictsTheOlderOrAnotherEpochs() {
        // Three keys of one set (the set index is the hash's low bits; 2,048 sets).
        let sets = ReplacementCache.minSlotCount / 2
        func set(_ key: String) -> UInt32 {
            Array(key.utf8).withUnsafeBufferPointer { ReplacementCache.hint($0.baseAddress!, $0.count, .ipv4) } & UInt32(sets - 1)
        }
        let target = set("10.0.0.0")
        let same = (0..<65_536).lazy.map { "10.0.\($0 >> 8).\($0 & 255)" }.filter { set($0) == target }.prefix(3)
        let (a, b, c) = (same[same.startIndex], same[same.index(after: same.startIndex)], same[same.index(same.startIndex, offsetBy: 2)])

        var cache = ReplacementCache(slotCount: ReplacementCache.minSlotCount)
        Self.store(&cache, a, generation: 1)
        Self.store(&cache, b, generation: 1)
        #expect(Self.cached(&cache, a, generation: 1) == "v-" + a)   // both ways hold; a is now the newer
        #expect(Self.cached(&cache, b, generation: 1) == "v-" + b)   // and now b
        #expect(Self.cached(&cache, a, generation: 1) == "v-" + a)   // b is the victim
        Self.store(&cache, c, generation: 1)
        #expect(Self.cached(&cache, b, generation: 1) == nil)
        #expect(Self.cached(&cache, a, generation: 1) == "v-" + a)
        #expect(Self.cached(&cache, c, generation: 1) == "v-" + c)
        #expect(Self.cached(&cache, a, generation: 2) == nil)        // another epoch's entry is not a hit

        // a (epoch 2) in way 0, b (epoch 1) in way 1; the victim is a, yet c (epoch 2)
        // replaces b, the other epoch's entry.
        var epochs = ReplacementCache(slotCount: ReplacementCache.minSlotCount)
        Self.store(&epochs, a, generation: 2)
        Self.store(&epochs, b, generation: 1)
        #expect(Self.cached(&epochs, b, generation: 1) == "v-" + b)
        Self.store(&epochs, c, generation: 2)
        #expect(Self.cached(&epochs, a, generation: 2) == "v-" + a)
        #expect(Self.cached(&epochs, c, generation: 2) == "v-" + c)
        #expect(Self.cached(&epochs, b, generation: 1) == nil)
    }

    @Test func theCacheSizeFollowsTheInputAndNeverChangesTheOutput() {
        #expect(ReplacementCache.slotCount(forInput: nil) == ReplacementCache.maxSlotCount)
        #expect(ReplacementCache.slotCount(forInput: 0) == ReplacementCache.minSlotCount)
        #expect(ReplacementCache.slotCount(forInput: 2 << 20) == 1 << 14)
        #expect(ReplacementCache.slotCount(forInput: 1 << 30) == ReplacementCache.maxSlotCount)
        // 40,000 lines over 12,000 addresses and 3,000 users: the smallest cache (4,096 slots)
        // must evict and recompute, the largest keeps nearly all; the bytes must not differ.
        var random = SeededGenerator(seed: 11)
        var text = ""
        for _ in 0..<40_000 {
            let address = Int(random.next() % 12_000)
            let user = Int(random.next() % 3_000)
            if address % 5 == 0 {
                text += "2001:db8::\(String(address, radix: 16)) - u\(user) [26/Nov/2026:11:37:17 +0100] \"GET / HTTP/1.1\" 200 5\n"
            } else {
                text += "10.\(address >> 8).\(address & 255).7 - u\(user) [26/Nov/2026:11:37:17 +0100] \"GET / HTTP/1.1\" 200 5\n"
            }
        }
        let bytes = Array(text.utf8)
        let small = Self.rewriteCounting(bytes, inputBytes: 0)
        let large = Self.rewriteCounting(bytes, inputBytes: nil)
        #expect(small.bytes == large.bytes)
        #expect(small.hits + small.misses == 80_000 && large.hits + large.misses == 80_000)
        #expect(large.misses < 17_000)   // about one per distinct value (at most 15,000)
        #expect(small.misses > 2 * large.misses)
        // And every line pseudonymised: no address or user field kept.
        let before = text.split(separator: "\n"), after = String(decoding: large.bytes, as: UTF8.self).split(separator: "\n")
        #expect(before.count == after.count)
        for (old, new) in zip(before, after) {
            let oldFields = old.split(separator: " "), newFields = new.split(separator: " ")
            #expect(oldFields[0] != newFields[0] && oldFields[2] != newFields[2])
            if oldFields[0] == newFields[0] || oldFields[2] == newFields[2] { break }
        }
    }

    static let tokenPlan = try! ActionPlan(profile: .redact, overrides: [.email: .pseudonymize, .username: .pseudonymize, .personnummer: .pseudonymize, .ipv4: .keep, .ipv6: .keep])

    @Test func aSecondPassLeavesTokensUnchanged() {
        let text = "192.0.2.1 - erik [26/Nov/2026:11:37:17 +0100] \"GET /?email=anna%40example.se&user=lena&pnr=850709-9805 HTTP/1.1\" 200 5\n{\"user\": \"nils\", \"email\": \"nils@example.com\"}\n"
        let once = Self.rewrite(text, plan: Self.tokenPlan)
        #expect(once != text)
        #expect(Self.rewrite(once, plan: Self.tokenPlan) == once)
    }

    @Test func structureIsKeptForJSONCSVAndCLF() throws {
        let json = "{\"user\": \"erik\", \"email\": \"anna@example.se\", \"pnr\": \"19850709-9805\", \"note\": \"x\"}"
        let rewrittenJSON = Self.rewrite(json, plan: Self.tokenPlan)
        let before = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: String]
        let after = try JSONSerialization.jsonObject(with: Data(rewrittenJSON.utf8)) as! [String: String]
        #expect(Set(before.keys) == Set(after.keys))
        #expect(after["user"] == "u-rmtrk5bqqh6y")
        let csv = "1;850709-9805;anna@example.se;\"a, b\"\n2;x;y;z\n"
        let rewrittenCSV = Self.rewrite(csv, plan: Self.tokenPlan)
        #expect(rewrittenCSV.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).count } == [4, 4])
        let clf = "192.0.2.1 - erik [26/Nov/2026:11:37:17 +0100] \"GET /~lena/ HTTP/1.1\" 200 5 \"-\" \"curl/8\""
        let rewrittenCLF = Self.rewrite(clf, plan: Self.tokenPlan)
        #expect(rewrittenCLF.split(separator: " ").count == clf.split(separator: " ").count)
        #expect(rewrittenCLF.split(separator: "\"").count == clf.split(separator: "\"").count)
    }

    @Test func truncateKeepsPrefixesDomainAndBirthYear() throws {
        let plan = try ActionPlan(profile: .redact, overrides: [.ipv4: .truncate, .ipv6: .truncate, .email: .truncate, .personnummer: .truncate])
        #expect(Self.rewrite("a 192.0.2.77 b", plan: plan) == "a 192.0.2.0 b")
        #expect(Self.rewrite("a 2001:db8:1234:5678::9 b", plan: plan) == "a 2001:db8:1234:: b")
        #expect(Self.rewrite("a ::ffff:192.0.2.77 b", plan: plan) == "a ::ffff:192.0.2.0 b")
        #expect(Self.rewrite("mail anna@example.se", plan: plan) == "mail redacted@example.se")
        #expect(Self.rewrite("pnr 850709-9805", plan: plan) == "pnr 1985")
    }

    @Test(arguments: [
        ("2001:0DB8:0000:0000:0000:FF00:0042:8329", "2001:db8::ff00:42:8329"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("fe80::", "fe80::"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),
    ])
    func ipv6IsWrittenInRFC5952Form(input: String, canonical: String) throws {
        // Truncating to /128 keeps every bit: the output is the address in canonical form.
        var config = TransformConfig(key: Self.key)
        config.ipv6Prefix = 128
        config.ipv4Prefix = 32   // mapped addresses truncate by the IPv4 prefix
        let plan = try ActionPlan(profile: .redact, overrides: [.ipv6: .truncate])
        var rewriter = ChunkRewriter(plan: plan, detection: DetectionConfig(today: Self.today), transform: config)
        let out = ChunkBuffer(capacity: 64)
        let bytes = Array(input.utf8)
        bytes.withUnsafeBytes { _ = rewriter.rewrite(window: $0, body: 0..<bytes.count, into: out) }
        #expect(String(decoding: out.bytes, as: UTF8.self) == canonical)
    }

    @Test func epochsComeFromEachLinesOwnDate() {
        let plan = Self.tokenPlan
        let november = Self.rewrite("2026-11-03T10:00:00Z mail anna@example.se\n", plan: plan, epoch: .monthly)
        let october = Self.rewrite("2026-10-03T10:00:00Z mail anna@example.se\n", plan: plan, epoch: .monthly)
        #expect(november == "2026-11-03T10:00:00Z mail x2rnrihyzdbq@anon.invalid\n")
        #expect(october != november)
        let clf = Self.rewrite("192.0.2.1 - - [03/Nov/2026:10:00:00 +0100] \"GET /?e=anna%40example.se\"\n", plan: plan, epoch: .monthly)
        #expect(clf.contains("x2rnrihyzdbq%40anon.invalid"))
    }
}

/// The key file rules: format, permissions, creation, no overwrite.
@Suite struct KeyFileTests {
    @Test func writeReadAndRefusals() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sub/key").path
        try KeyFile.write(PseudonymTests.key, to: path, overwrite: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(try KeyFile.read(path).bytes == PseudonymTests.key)
        #expect(throws: AnonLogError.self) { try KeyFile.write(KeyFile.newKey(), to: path, overwrite: false) }
        chmod(path, 0o644)
        #expect(throws: AnonLogError.self) { try KeyFile.read(path) }
        chmod(path, 0o600)
        try Data("abc\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        #expect(throws: AnonLogError.self) { try KeyFile.read(path) }
    }

    @Test func defaultPathRules() {
        #expect(KeyFile.resolvePath(explicit: "/k", environment: ["ANONLOG_KEY_FILE": "/e"]).path == "/k")
        #expect(KeyFile.resolvePath(explicit: nil, environment: ["ANONLOG_KEY_FILE": "/e"]).path == "/e")
        #expect(KeyFile.resolvePath(explicit: nil, environment: ["XDG_CONFIG_HOME": "/x"]) == ("/x/anonlog/key", true))
    }

    @Test func defaultKeyIsCreatedOnceWithANotice() throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("anonlog/key").path
        var notices: [String] = []
        let first = try KeyFile.load(path: path, createIfMissing: true) { notices.append($0) }
        let second = try KeyFile.load(path: path, createIfMissing: true) { notices.append($0) }
        #expect(first.bytes == second.bytes)
        #expect(notices.count == 1)
        #expect(!notices[0].contains(Hex.encode(first.bytes)))
    }
}
