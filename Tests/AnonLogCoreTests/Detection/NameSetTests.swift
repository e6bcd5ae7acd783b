@testable import AnonLogCore
import Testing

/// `NameSet`: exact, case-sensitive membership of byte ranges.
@Suite struct NameSetTests {
    static func contains(_ set: NameSet, _ text: String) -> Bool {
        let bytes = Array(("<" + text + ">").utf8)
        return bytes.withUnsafeBufferPointer { set.contains($0.baseAddress!, 1, bytes.count - 1) }
    }

    @Test func membersAreFoundExactly() {
        let set = NameSet(["root", "www-data", "postgres", "a", "ab"])
        for name in ["root", "www-data", "postgres", "a", "ab"] { #expect(Self.contains(set, name), "\(name)") }
        for name in ["Root", "roots", "roo", "www", "data", "b", "abc", ""] { #expect(!Self.contains(set, name), "\(name)") }
    }

    @Test func anEmptySetHoldsNothing() {
        let set = NameSet([])
        #expect(set.isEmpty)
        #expect(!Self.contains(set, "root"))
    }

    @Test func aLargeSetHasNoFalseHits() {
        let names = (0..<5_000).map { "user\($0)" }
        let set = NameSet(names)
        for name in names.prefix(200) { #expect(Self.contains(set, name)) }
        for k in 5_000..<5_200 { #expect(!Self.contains(set, "user\(k)")) }
    }
}
