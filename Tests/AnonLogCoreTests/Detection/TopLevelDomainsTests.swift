import Testing
@testable import AnonLogCore

/// Whether the whole of `label` is a delegated TLD, asked through the pointer API.
private func delegated(_ label: String) -> Bool {
    delegated(Array(label.utf8))
}

/// Whether the whole of `bytes` is a delegated TLD, asked through the pointer API.
private func delegated(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        TopLevelDomains.isDelegated(buffer.baseAddress!, 0, buffer.count)
    }
}

/// The embedded IANA list of delegated top-level domains (SPEC.md's `email` row), checked
/// against entries verified in the list it was generated from.
struct TopLevelDomainsTests {
    /// Delegated TLDs are found in any letter case: country codes, generics, IDNs, the longest.
    @Test(arguments: [
        "se", "SE", "Se", "com", "COM", "Com", "cOm", "org", "net", "uk", "pg", "museum", "MUSEUM",
        "xn--p1ai", "XN--P1AI", "Xn--P1ai", "zip", "mov", "xn--vermgensberatung-pwb",
        "XN--VERMGENSBERATUNG-PWB",
    ])
    func delegatedLabels(_ label: String) {
        #expect(delegated(label), "\(label) is in IANA's list")
    }

    /// Reserved, special-use, private and file-extension names are not delegated.
    @Test(arguments: [
        "invalid", "INVALID", "localhost", "local", "internal", "lan", "corp", "home", "example", "test",
        "onion", "png", "jpg", "jpeg", "gif", "webp", "svg", "log", "txt", "json", "html",
        "s", "c", "co2", "comm", "xn--p1a", "xn--p1aii", "xn-p1ai", "xn--vermgensberatung-pwbx",
    ])
    func undelegatedLabels(_ label: String) {
        #expect(!delegated(label), "\(label) is not in IANA's list")
    }

    /// Only ASCII letters are folded: a byte that becomes `-` when 0x20 is or-ed in (CR) never matches.
    @Test func foldsOnlyLetters() {
        #expect(!delegated([0x78, 0x6E, 0x0D, 0x0D, 0x70, 0x31, 0x61, 0x69]))  // "xn\r\rp1ai"
        #expect(!delegated([0x63, 0x6F, 0xCD]))  // "co" and "M" with the high bit set
        #expect(!delegated([0x73, 0xC3]))  // "s" and a UTF-8 lead byte
        #expect(!delegated(Array("s\u{E9}".utf8)))
        #expect(!delegated(Array("s@".utf8)))
    }

    /// Empty, one-byte and over-long labels are refused at once, as is a reversed range.
    @Test func lengthBounds() {
        let bytes = Array("se".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            #expect(!TopLevelDomains.isDelegated(p, 0, 0))
            #expect(!TopLevelDomains.isDelegated(p, 1, 1))
            #expect(!TopLevelDomains.isDelegated(p, 0, 1))
            #expect(!TopLevelDomains.isDelegated(p, 2, 0))
            #expect(TopLevelDomains.isDelegated(p, 0, 2))
        }
        #expect(TopLevelDomains.shortest == 2)
        #expect(TopLevelDomains.longest == "xn--vermgensberatung-pwb".utf8.count)
        #expect(!delegated(String(repeating: "a", count: TopLevelDomains.longest + 1)))
        #expect(!delegated(String(repeating: "com", count: 100)))
    }

    /// The label is read at `start..<end` of a larger buffer, not from its beginning.
    @Test func labelInsideALine() {
        let line = Array("mail anna@example.se, bob@host.lan.".utf8)
        line.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            #expect(TopLevelDomains.isDelegated(p, 18, 20))  // "se"
            #expect(!TopLevelDomains.isDelegated(p, 17, 20))  // ".se"
            #expect(!TopLevelDomains.isDelegated(p, 18, 21))  // "se,"
            #expect(TopLevelDomains.isDelegated(p, 26, 30))  // "host" (a gTLD too)
            #expect(!TopLevelDomains.isDelegated(p, 31, 34))  // "lan"
        }
    }

    /// The table holds the whole list: IANA has delegated about 1,400 to 1,600 TLDs since 2015.
    @Test func tableSize() {
        #expect((1400...1600).contains(TopLevelDomains.count))
    }
}

/// The inline answer for two and three letters (bitmaps) and the binary search over the sorted
/// tables agree on every such label, in either case: the bitmaps are indexed right.
struct TopLevelDomainsBitmapTests {
    @Test(arguments: [2, 3])
    func bitmapsEqualTheSearch(length: Int) {
        var label = [UInt8](repeating: 0, count: length)
        var delegatedCount = 0
        for value in 0..<(length == 2 ? 26 * 26 : 26 * 26 * 26) {
            var rest = value
            for k in (0..<length).reversed() {
                label[k] = UInt8(ascii: "a") + UInt8(rest % 26)
                rest /= 26
            }
            for upper in [false, true] {
                let bytes = upper ? label.map { $0 - 32 } : label
                bytes.withUnsafeBufferPointer { buffer in
                    let p = buffer.baseAddress!
                    let inline = TopLevelDomains.isDelegated(p, 0, length)
                    #expect(inline == TopLevelDomains.isDelegatedBySearch(p, 0, length), "\(String(decoding: bytes, as: UTF8.self))")
                    if inline && !upper { delegatedCount += 1 }
                }
            }
        }
        // Every two-letter TLD is a country code (about 250); three letters are generics (about 200).
        #expect((200...300).contains(delegatedCount))
    }
}
