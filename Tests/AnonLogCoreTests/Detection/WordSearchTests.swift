import CByteMasks
import Testing

/// The SIMD byte searches behind username spreading give exactly what a byte loop gives, at
/// every length and alignment (their last step overlaps and masks, the easy place for an
/// off-by-one).
@Suite struct WordSearchTests {
    static func naiveLineStart(_ p: [UInt8], floor: Int, at: Int) -> Int {
        var k = at
        while k > floor && p[k - 1] != UInt8(ascii: "\n") { k -= 1 }
        return k
    }

    /// The first occurrence of `needle` at or after `from` that starts before the line's
    /// newline, else that newline's offset (or the end).
    static func naiveFindInLine(_ hay: [UInt8], from: Int, _ needle: [UInt8]) -> (Int, Bool) {
        var i = from
        while i < hay.count && hay[i] != UInt8(ascii: "\n") {
            if i + needle.count <= hay.count && Array(hay[i..<(i + needle.count)]) == needle { return (i, true) }
            i += 1
        }
        return (i, false)
    }

    @Test(arguments: 0..<40)
    func findInLineEqualsAByteLoop(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 31 &+ 7)
        for _ in 0..<200 {
            // A small alphabet, so that first and last bytes match often, and some newlines.
            let hay = (0..<Int.random(in: 0...150, using: &generator)).map { _ in
                Int.random(in: 0..<60, using: &generator) == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "a") + UInt8.random(in: 0...3, using: &generator)
            }
            let needle = (0..<Int.random(in: 1...9, using: &generator)).map { _ in UInt8(ascii: "a") + UInt8.random(in: 0...3, using: &generator) }
            let from = Int.random(in: 0...hay.count, using: &generator)
            let expected = Self.naiveFindInLine(hay, from: from, needle)
            for level in Int32(0)...2 {
                var found: Int32 = 0
                let at = hay.withUnsafeBufferPointer { h in
                    needle.withUnsafeBufferPointer { anonlog_find_in_line_level(level, h.baseAddress, from, hay.count, $0.baseAddress, needle.count, &found) }
                }
                #expect(at == expected.0 && (found != 0) == expected.1, "level \(level): \(hay) from \(from) \(needle)")
            }
        }
    }

    @Test(arguments: 0..<40)
    func lineStartEqualsAByteLoop(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 17 &+ 3)
        for _ in 0..<200 {
            let p = (0..<Int.random(in: 1...200, using: &generator)).map { _ in
                Int.random(in: 0..<40, using: &generator) == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "x")
            }
            let at = Int.random(in: 0...p.count, using: &generator)
            let floor = Int.random(in: 0...at, using: &generator)
            for level in Int32(0)...2 {
                let found = p.withUnsafeBufferPointer { anonlog_line_start_level(level, $0.baseAddress, floor, at) }
                #expect(found == Self.naiveLineStart(p, floor: floor, at: at), "level \(level): floor \(floor) at \(at)")
            }
        }
    }
}
