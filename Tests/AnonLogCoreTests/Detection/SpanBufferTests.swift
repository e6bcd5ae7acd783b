import Testing
@testable import AnonLogCore

/// The scanner's span buffer grows past its first allocation without losing a span, and
/// copies of a scanner keep their own results when another copy scans.
@Suite struct SpanBufferTests {
    static func scan(_ scanner: inout Scanner, _ text: String) {
        Array(text.utf8).withUnsafeBytes { scanner.scan($0) }
    }

    @Test func growsPastItsFirstAllocation() {
        // 10,000 addresses: more than the 4,096 spans a buffer starts with, twice over.
        let addresses = (0..<10_000).map { "10.\($0 / 65_536).\($0 / 256 % 256).\($0 % 256)" }
        let text = addresses.joined(separator: " ") + "\n"
        var scanner = Scanner(config: DetectionConfig())
        Self.scan(&scanner, text)
        let bytes = Array(text.utf8)
        let found = scanner.spans.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        // (Compared by count and first difference: a failure should not print 10,000 addresses.)
        #expect(found.count == addresses.count)
        let firstDifference = found.indices.first { found[$0] != addresses[$0] }
        #expect(firstDifference == nil, "first different span: \(firstDifference ?? -1)")
        #expect(scanner.spans.allSatisfy { $0.type == .ipv4 })
        // And again, on the grown buffer, with fewer spans.
        Self.scan(&scanner, "anna@example.se 10.1.2.3\n")
        #expect(scanner.spans.map(\.type) == [.email, .ipv4])
    }

    @Test func copiesKeepTheirOwnSpans() {
        var first = Scanner(config: DetectionConfig())
        Self.scan(&first, "from 10.1.2.3 user=anna\n")
        var second = first
        Self.scan(&second, "anna@example.se\n")
        #expect(first.spans.map(\.type) == [.ipv4, .username])
        #expect(second.spans.map(\.type) == [.email])
        Self.scan(&first, (0..<5_000).map { "10.0.\($0 / 256).\($0 % 256)" }.joined(separator: " ") + "\n")
        #expect(first.spans.count == 5_000)
        #expect(second.spans.map(\.type) == [.email])
    }
}
