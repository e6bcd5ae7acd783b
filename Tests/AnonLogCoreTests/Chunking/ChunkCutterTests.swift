@testable import AnonLogCore
import Testing

/// Chunk cuts prefer a newline, then a byte no match contains, then the limit.
@Suite struct ChunkCutterTests {
    @Test(arguments: [
        ("abc\ndef ghi", 0, 11, 4),
        ("abc def.ghi", 0, 11, 4),
        ("abc.def:ghi", 0, 11, 11),
        ("abc\ndef\nghi", 0, 6, 4),
        ("", 0, 0, 0),
    ])
    func cut(text: String, from: Int, limit: Int, expected: Int) {
        let bytes = Array(text.utf8)
        let cut = bytes.withUnsafeBytes { ChunkCutter.cut($0, from: from, limit: limit) }
        #expect(cut == expected)
    }
}
