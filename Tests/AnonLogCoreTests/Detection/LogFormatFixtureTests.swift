@testable import AnonLogCore
import Foundation
import Testing

/// The format catalogue (`docs/log-formats.md`): lines written from each daemon's own format
/// strings, with what must be found marked (`[[user:anna]]`, `[[ipv4:…]]`, `[[ipv6:…]]`,
/// `[[email:…]]`, `[[pnr:…]]`). Everything marked is found and nothing else is.
@Suite struct LogFormatFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/formats")

    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".log") }.sorted() ?? []

    /// A fixture line without its markers, and the marked spans.
    struct Line {
        var text: [UInt8] = []
        var expected: [(type: DetectionType, start: Int, end: Int)] = []
    }

    static let markerTypes: [(String, DetectionType)] = [
        ("user", .username), ("ipv4", .ipv4), ("ipv6", .ipv6), ("email", .email), ("pnr", .personnummer),
    ]

    /// Strips the markers of `raw`, remembering where each marked value lies.
    static func parse(_ raw: Substring) -> Line {
        var line = Line()
        let bytes = Array(raw.utf8)
        var i = 0
        outer: while i < bytes.count {
            if bytes[i] == UInt8(ascii: "["), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                for (name, type) in markerTypes {
                    let head = Array("[[\(name):".utf8)
                    guard bytes.count - i > head.count, Array(bytes[i..<(i + head.count)]) == head else { continue }
                    var close = i + head.count
                    while close + 1 < bytes.count && !(bytes[close] == UInt8(ascii: "]") && bytes[close + 1] == UInt8(ascii: "]")) { close += 1 }
                    let value = bytes[(i + head.count)..<close]
                    line.expected.append((type, line.text.count, line.text.count + value.count))
                    line.text += value
                    i = close + 2
                    continue outer
                }
            }
            line.text.append(bytes[i])
            i += 1
        }
        return line
    }

    @Test(arguments: files)
    func everyMarkedItemIsFoundAndNothingElse(file: String) throws {
        let content = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        var label = ""
        var checked = 0
        var config = DetectionConfig(today: CalendarDay(year: 2026, month: 11, day: 30))
        config.types = [.ipv4, .ipv6, .email, .username, .personnummer]
        for raw in content.split(separator: "\n", omittingEmptySubsequences: true) {
            if raw.hasPrefix("#") {
                if !raw.hasPrefix("# UNCOVERED") { label = String(raw) }
                continue
            }
            let line = Self.parse(raw)
            var scanner = Scanner(config: config)
            let text = line.text + [UInt8(ascii: "\n")]
            text.withUnsafeBytes { scanner.scan($0) }
            let found = scanner.spans.map { ($0.type, $0.start, $0.end) }
            func show(_ spans: [(DetectionType, Int, Int)]) -> String {
                spans.map { "\($0.0):\(String(decoding: text[$0.1..<$0.2], as: UTF8.self))" }.joined(separator: ", ")
            }
            let matches = found.count == line.expected.count && zip(found, line.expected).allSatisfy { f, e in
                f.0 == e.type && f.1 == e.start && (f.2 == e.end
                    || (e.type == .ipv4 && String(decoding: text[e.end..<f.2], as: UTF8.self) == ".in-addr.arpa"))
            }
            #expect(matches, "\(file): \(label)\n  line: \(String(decoding: line.text, as: UTF8.self))\n  found: \(show(found))\n  expected: \(show(line.expected.map { ($0.type, $0.start, $0.end) }))")
            checked += 1
        }
        #expect(checked >= 5, "\(file) has too few lines")
    }

    @Test func everyDaemonHasItsFile() {
        #expect(Self.files.count >= 15, "\(Self.files)")
    }
}
