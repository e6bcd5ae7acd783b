@testable import AnonLogCore
import Testing

/// ipcrypt-deterministic and ipcrypt-pfx against every test vector of draft-denis-ipcrypt
/// (Appendix A.1 and A.2), the AES-128 core against FIPS-197 and SP 800-38A, and the
/// properties the pseudonyms rely on: determinism, IPv4 staying IPv4, shared prefixes kept.
@Suite struct IPCryptTests {
    // MARK: AES-128 core

    /// (key, plaintext, ciphertext): FIPS-197 appendices B and C.1, SP 800-38A F.1.1 (ECB-AES128).
    static let aesVectors: [(String, String, String)] = [
        ("2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32"),
        ("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"),
        ("2b7e151628aed2a6abf7158809cf4f3c", "6bc1bee22e409f96e93d7e117393172a", "3ad77bb40d7a3660a89ecaf32466ef97"),
        ("2b7e151628aed2a6abf7158809cf4f3c", "ae2d8a571e03ac9c9eb76fac45af8e51", "f5d3d58503b9699de785895a96fdbaaf"),
        ("2b7e151628aed2a6abf7158809cf4f3c", "30c81c46a35ce411e5fbc1191a0a52ef", "43b1cd7f598ece23881b00e3ed030688"),
        ("2b7e151628aed2a6abf7158809cf4f3c", "f69f2445df4f9b17ad2b417be66c3710", "7b0c785e27e8ad3f8223207104725dd4"),
    ]

    @Test(arguments: aesVectors)
    func aesKnownAnswers(key: String, plaintext: String, ciphertext: String) {
        let aes = AES128Key(key: hex(key))
        let block = IPAddress16(bytes: hex(plaintext))
        let expected = IPAddress16(bytes: hex(ciphertext))
        #expect(aes.encrypt(block) == expected)
        #expect(aes.encrypt(bytes: block, portable: false) == expected)
        #expect(aes.encrypt(bytes: block, portable: true) == expected)
    }

    @Test func aesBatchMatchesSingleBlocks() {
        var rng = SeededGenerator(seed: 1)
        let aes = AES128Key(key: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        // Counts around the 8-block stride of the AES-NI batch, including a partial tail.
        for count in [0, 1, 7, 8, 9, 16, 23, 64] {
            let input = (0..<count * 16).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var output = [UInt8](repeating: 0, count: count * 16)
            input.withUnsafeBufferPointer { i in
                output.withUnsafeMutableBufferPointer { o in
                    aes.encryptBlocks(i.baseAddress!, o.baseAddress!, count: count)
                }
            }
            for b in 0..<count {
                let block = IPAddress16(bytes: input[b * 16..<b * 16 + 16])
                #expect(IPAddress16(bytes: output[b * 16..<b * 16 + 16]) == aes.encryptPortable(block))
            }
        }
    }

    @Test func pfxKeystreamMatchesPortable() {
        var rng = SeededGenerator(seed: 6)
        let key1 = AES128Key(key: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let key2 = AES128Key(key: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        // Start bits off the 4-prefix stride of the AES-NI kernel too, though ipcrypt only
        // uses 0 and 96.
        for firstBit: UInt32 in [0, 1, 3, 63, 64, 65, 96, 97, 125, 127, 128] {
            for _ in 0..<20 {
                let ip = randomAddress(&rng, ipv4: false)
                let fast = AES128Key.pfxKeystream(key1, key2, ip, firstBit: firstBit)
                #expect(fast == AES128Key.pfxKeystream(key1, key2, ip, firstBit: firstBit, portable: true))
                // Bits before firstBit are never set.
                #expect(commonPrefixLength(fast, IPAddress16(high: 0, low: 0)) >= Int(firstBit))
            }
        }
    }

    /// The dispatch picks AES instructions exactly when the CPU has them (Linux: the `aes`
    /// flag in /proc/cpuinfo), and both paths agree block for block.
    @Test func theHardwarePathIsUsedWhenTheCPUHasItAndAgreesWithThePortableOne() throws {
        #if os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") || $0.hasPrefix("Features") } ?? ""
        let hasAES = flags.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains("aes")
        #expect(AES128Key.usesHardware == hasAES)
        #endif
        let key = AES128Key(key: (0..<16).map { UInt8($0 * 17 & 255) })
        var block = IPAddress16(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)
        for _ in 0..<1_000 {
            let dispatched = key.encrypt(block)
            #expect(dispatched == key.encryptPortable(block))
            block = dispatched
        }
    }

    // MARK: ipcrypt-deterministic

    /// Draft Appendix A.1: (key, input, encrypted).
    static let deterministicVectors: [(String, String, String)] = [
        ("0123456789abcdeffedcba9876543210", "0.0.0.0", "bde9:6789:d353:824c:d7c6:f58a:6bd2:26eb"),
        ("1032547698badcfeefcdab8967452301", "255.255.255.255", "aed2:92f6:ea23:58c3:48fd:8b8:74e8:45d8"),
        ("2b7e151628aed2a6abf7158809cf4f3c", "192.0.2.1", "1dbd:c1b9:fff1:7586:7d0b:67b4:e76e:4777"),
    ]

    @Test(arguments: deterministicVectors)
    func deterministicVector(key: String, input: String, encrypted: String) {
        let cipher = IPCryptDeterministic(key: hex(key))
        #expect(cipher.encrypt(address(input)) == address(encrypted))
        var inPlace = address(input)
        cipher.encrypt(&inPlace)
        #expect(inPlace == address(encrypted))
    }

    @Test func deterministicIsDeterministicAndKeyed() {
        var rng = SeededGenerator(seed: 2)
        let key = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var otherKey = key
        otherKey[0] ^= 1
        let a = IPCryptDeterministic(key: key)
        let b = IPCryptDeterministic(key: key)
        let c = IPCryptDeterministic(key: otherKey)
        var outputs = Set<IPAddress16>()
        for _ in 0..<500 {
            let ip = randomAddress(&rng, ipv4: Bool.random(using: &rng))
            #expect(a.encrypt(ip) == a.encrypt(ip))
            #expect(a.encrypt(ip) == b.encrypt(ip))
            #expect(a.encrypt(ip) != c.encrypt(ip))
            #expect(a.encrypt(ip) == a.key.encryptPortable(ip))
            outputs.insert(a.encrypt(ip))
        }
        #expect(outputs.count > 490)  // a permutation: only repeated random inputs collide
    }

    // MARK: ipcrypt-pfx

    static let pfxKeyBasic = "0123456789abcdeffedcba98765432101032547698badcfeefcdab8967452301"
    static let pfxKeyPrefix = "2b7e151628aed2a6abf7158809cf4f3ca9f5ba40db214c3798f2e1c23456789a"

    /// Draft Appendix A.2.1 and A.2.2: (key, input, encrypted).
    static let pfxVectors: [(String, String, String)] = [
        (pfxKeyBasic, "0.0.0.0", "151.82.155.134"),
        (pfxKeyBasic, "255.255.255.255", "94.185.169.89"),
        (pfxKeyBasic, "192.0.2.1", "100.115.72.131"),
        (pfxKeyBasic, "2001:db8::1", "c180:5dd4:2587:3524:30ab:fa65:6ab6:f88"),
        // Same /24.
        (pfxKeyPrefix, "10.0.0.47", "19.214.210.244"),
        (pfxKeyPrefix, "10.0.0.129", "19.214.210.80"),
        (pfxKeyPrefix, "10.0.0.234", "19.214.210.30"),
        // Same /16, different /24.
        (pfxKeyPrefix, "172.16.5.193", "210.78.229.136"),
        (pfxKeyPrefix, "172.16.97.42", "210.78.179.241"),
        (pfxKeyPrefix, "172.16.248.177", "210.78.121.215"),
        // Same /64.
        (pfxKeyPrefix, "2001:db8::a5c9:4e2f:bb91:5a7d", "7cec:702c:1243:f70:1956:125:b9bd:1aba"),
        (pfxKeyPrefix, "2001:db8::7234:d8f1:3c6e:9a52", "7cec:702c:1243:f70:a3ef:c8e:95c1:cd0d"),
        (pfxKeyPrefix, "2001:db8::f1e0:937b:26d4:8c1a", "7cec:702c:1243:f70:443c:c8e:6a62:b64d"),
        // Same /32, different /48.
        (pfxKeyPrefix, "2001:db8:3a5c:0:e7d1:4b9f:2c8a:f673", "7cec:702c:3503:bef:e616:96bd:be33:a9b9"),
        (pfxKeyPrefix, "2001:db8:9f27:0:b4e2:7a3d:5f91:c8e6", "7cec:702c:a504:b74e:194a:3d90:b047:2d1a"),
        (pfxKeyPrefix, "2001:db8:d8b4:0:193c:a5e7:8b2f:46d1", "7cec:702c:f840:aa67:1b8:e84f:ac9d:77fb"),
    ]

    @Test(arguments: pfxVectors)
    func pfxVector(key: String, input: String, encrypted: String) {
        let cipher = IPCryptPfx(key: hex(key))
        #expect(cipher.encrypt(address(input)) == address(encrypted))
        var inPlace = address(input)
        cipher.encrypt(&inPlace)
        #expect(inPlace == address(encrypted))
    }

    @Test func pfxKeepsIPv4InTheMappedRange() {
        var rng = SeededGenerator(seed: 3)
        let cipher = IPCryptPfx(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        for _ in 0..<2000 {
            let ip = randomAddress(&rng, ipv4: true)
            #expect(cipher.encrypt(ip).isIPv4Mapped)
        }
        // Edges of the mapped range: ::ffff:0.0.0.0 and ::ffff:255.255.255.255 stay inside it,
        // while neighbours just outside it are IPv6 and may land anywhere.
        #expect(cipher.encrypt(IPAddress16(ipv4: 0)).isIPv4Mapped)
        #expect(cipher.encrypt(IPAddress16(ipv4: .max)).isIPv4Mapped)
    }

    @Test func pfxPreservesExactlyTheSharedPrefix() {
        // Two inputs whose first n bits agree and bit n differs give outputs with the same
        // property: the first n output bits are equal (same PRF inputs) and bit n differs (same
        // PRF bit XOR different plaintext bits).
        var rng = SeededGenerator(seed: 4)
        let cipher = IPCryptPfx(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        for _ in 0..<1000 {
            let ipv4 = Bool.random(using: &rng)
            let a = randomAddress(&rng, ipv4: ipv4)
            let shared = ipv4 ? Int.random(in: 96...127, using: &rng) : Int.random(in: 0...127, using: &rng)
            let b = flip(a, bit: shared, randomizingAfter: true, &rng)
            #expect(commonPrefixLength(a, b) == shared)
            #expect(commonPrefixLength(cipher.encrypt(a), cipher.encrypt(b)) == shared)
        }
    }

    @Test func pfxSharesNetworksOfTheDraftsExamples() {
        let cipher = IPCryptPfx(key: hex(Self.pfxKeyPrefix))
        // Same /24 -> same first 24 bits of the IPv4 address (bits 96..<120 of the 16 bytes).
        let v4 = ["10.0.0.1", "10.0.0.77", "10.0.0.254"].map { cipher.encrypt(address($0)) }
        for e in v4 { #expect(commonPrefixLength(e, v4[0]) >= 96 + 24) }
        // Same /64.
        let v6 = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::", "2001:db8:1:2:dead:beef:1:2"].map { cipher.encrypt(address($0)) }
        for e in v6 { #expect(e.high == v6[0].high) }
        #expect(commonPrefixLength(v6[1], v6[2]) >= 64)
    }

    @Test func pfxIsDeterministicAndHardwareMatchesPortable() {
        var rng = SeededGenerator(seed: 5)
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let a = IPCryptPfx(key: key)
        let b = IPCryptPfx(key: key)
        for _ in 0..<300 {
            let ip = randomAddress(&rng, ipv4: Bool.random(using: &rng))
            #expect(a.encrypt(ip) == b.encrypt(ip))
            #expect(a.encrypt(ip) == referencePfx(key: key, ip))
        }
    }

    /// The prefix cache changes only the cost: addresses in a few networks, under two epochs'
    /// keys that alternate, encrypt exactly as without it, and neighbours do hit.
    @Test func pfxPrefixCacheGivesTheSameAddresses() {
        var rng = SeededGenerator(seed: 6)
        let ciphers = (0..<2).map { _ in IPCryptPfx(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        let networks = (0..<12).map { _ in randomAddress(&rng, ipv4: Bool.random(using: &rng)) }
        // The default size, and a single entry that every prefix and epoch shares (there only
        // the entry's prefix, length and generation tell them apart).
        var cache = PfxPrefixCache(), tiny = PfxPrefixCache(entryCount: 1)
        for _ in 0..<3000 {
            // A network, then a random tail after one of the cached lengths or anywhere.
            let network = networks.randomElement(using: &rng)!
            let first = network.isIPv4Mapped ? 96 : 0
            let shared = [first + 8, first + 16, first + 24, 32, 48, 64, Int.random(in: first...127, using: &rng)]
                .filter { $0 >= first && $0 < 128 }.randomElement(using: &rng)!
            let ip = flip(network, bit: shared, randomizingAfter: true, &rng)
            let epoch = Int.random(in: 0...1, using: &rng)
            #expect(ciphers[epoch].encrypt(ip, cache: &cache, generation: UInt32(epoch + 1)) == ciphers[epoch].encrypt(ip))
            #expect(ciphers[epoch].encrypt(ip, cache: &tiny, generation: UInt32(epoch + 1)) == ciphers[epoch].encrypt(ip))
        }
        #expect(cache.hits > 1000)
        #expect(tiny.hits > 20)
    }

    @Test func pfxRejectsBadKeys() async {
        // Equal halves would cancel in the PRF and leave every address unencrypted.
        await #expect(processExitsWith: .failure) {
            _ = IPCryptPfx(key: [UInt8](repeating: 7, count: 32))
        }
        await #expect(processExitsWith: .failure) {
            _ = IPCryptPfx(key: [UInt8](repeating: 7, count: 16))
        }
        await #expect(processExitsWith: .failure) {
            _ = IPCryptDeterministic(key: [UInt8](repeating: 7, count: 32))
        }
    }

    @Test func ipv4MappedDetection() {
        #expect(address("1.2.3.4").isIPv4Mapped)
        #expect(address("::ffff:0:0").isIPv4Mapped)
        #expect(address("::ffff:ffff:ffff").isIPv4Mapped)
        #expect(!address("::1").isIPv4Mapped)
        #expect(!address("::fffe:1:2").isIPv4Mapped)
        #expect(!address("1::ffff:1:2").isIPv4Mapped)
        #expect(!address("64:ff9b::1:2").isIPv4Mapped)
        #expect(address("192.0.2.1").ipv4 == 0xc000_0201)
        #expect(address("2001:db8::1").ipv4 == nil)
        #expect(IPAddress16(ipv4: 0xc000_0201) == address("192.0.2.1"))
        #expect(IPAddress16(bytes: address("2001:db8::1").bytes) == address("2001:db8::1"))
        // The word form is the raw memory of the bytes: byte 0 first, whatever the CPU's order.
        let v6 = address("2001:db8::1")
        var words = v6.networkOrderWords
        #expect(withUnsafeBytes(of: &words) { Array($0) } == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(IPAddress16(networkOrderWords: words) == v6)
    }
}

// MARK: - Helpers

/// ipcrypt-pfx written straight from the draft's pseudocode (section 9.6.1): bit by bit, with
/// a shifted padded prefix, using the portable single-block AES. The production code batches;
/// this one does not, so agreement checks the batching and bit placement.
private func referencePfx(key: [UInt8], _ input: IPAddress16) -> IPAddress16 {
    let k1 = AES128Key(key: key[0..<16])
    let k2 = AES128Key(key: key[16..<32])
    let start = input.isIPv4Mapped ? 96 : 0
    var out = IPAddress16(high: input.high & (start == 96 ? ~0 : 0), low: start == 96 ? input.low & ~0xffff_ffff : 0)
    var padded = start == 96 ? IPAddress16(high: 1 << 32, low: 0xffff) : IPAddress16(high: 0, low: 1)
    for p in start..<128 {
        let e1 = k1.encryptPortable(padded)
        let e2 = k2.encryptPortable(padded)
        let cipherBit = (e1.low ^ e2.low) & 1
        let bit = input.bit(msbFirst: p)
        let result = cipherBit ^ bit
        if p < 64 { out.high |= result << (63 - p) } else { out.low |= result << (127 - p) }
        padded = IPAddress16(high: padded.high << 1 | padded.low >> 63, low: padded.low << 1 | bit)
    }
    return out
}

private func commonPrefixLength(_ a: IPAddress16, _ b: IPAddress16) -> Int {
    a.high != b.high ? (a.high ^ b.high).leadingZeroBitCount : 64 + (a.low ^ b.low).leadingZeroBitCount
}

/// `a` with bit `n` (from the most significant) flipped and, optionally, random bits after it.
private func flip(_ a: IPAddress16, bit n: Int, randomizingAfter: Bool, _ rng: inout SeededGenerator) -> IPAddress16 {
    var high = a.high
    var low = a.low
    if n < 64 {
        high ^= 1 << (63 - n)
        if randomizingAfter {
            let keep: UInt64 = n == 63 ? ~0 : ~(~0 >> (n + 1))
            high = high & keep | rng.next() & ~keep
            low = rng.next()
        }
    } else {
        low ^= 1 << (127 - n)
        if randomizingAfter, n < 127 {
            let keep: UInt64 = ~(~0 >> (n - 63))
            low = low & keep | rng.next() & ~keep
        }
    }
    return IPAddress16(high: high, low: low)
}

private func randomAddress(_ rng: inout SeededGenerator, ipv4: Bool) -> IPAddress16 {
    ipv4 ? IPAddress16(ipv4: UInt32(truncatingIfNeeded: rng.next())) : IPAddress16(high: rng.next(), low: rng.next())
}

private func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

/// Test-only text to address: dotted IPv4 (as `::ffff:a.b.c.d`) or IPv6 with `::` and hex groups.
private func address(_ text: String) -> IPAddress16 {
    if !text.contains(":") {
        let octets = text.split(separator: ".").map { UInt32($0)! }
        precondition(octets.count == 4)
        return IPAddress16(ipv4: octets.reduce(0) { $0 << 8 | $1 })
    }
    func groups(_ part: Substring) -> [UInt16] {
        part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false).map { UInt16($0, radix: 16)! }
    }
    var words: [UInt16]
    if let gap = text.firstRange(of: "::") {
        let head = groups(text[..<gap.lowerBound])
        let tail = groups(text[gap.upperBound...])
        words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    } else {
        words = groups(text[...])
    }
    precondition(words.count == 8)
    let bytes = words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    return IPAddress16(bytes: bytes)
}
