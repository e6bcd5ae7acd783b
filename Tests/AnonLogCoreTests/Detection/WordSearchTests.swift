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

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || ((b | 0x20) >= 97 && (b | 0x20) <= 122) || b == 46 || b == 95 || b == 45
    }

    /// The whole-word repeats of `p[start..<end)` on its line, and the line's bounds, by byte loops.
    static func naiveRepeats(_ p: [UInt8], floor: Int, start: Int, end: Int) -> (Int, Int, [Int]) {
        let line = naiveLineStart(p, floor: floor, at: start)
        var lineEnd = start
        while lineEnd < p.count && p[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let needle = Array(p[start..<end])
        var found: [Int] = []
        var at = line
        while at + needle.count <= lineEnd {
            defer { at += 1 }
            guard at != start, Array(p[at..<(at + needle.count)]) == needle else { continue }
            if at > floor && isNameByte(p[at - 1]) { continue }
            let after = at + needle.count
            if after < p.count && (isNameByte(p[after]) || p[after] == UInt8(ascii: "$")) { continue }
            found.append(at)
        }
        return (line, lineEnd, found)
    }

    /// The one-pass repeat search behind spreading gives what byte loops give: line bounds and
    /// every whole-word repeat, with names next to `.`, `_`, `-`, `$`, newlines and the
    /// window's edges, and more repeats than the buffer holds.
    @Test(arguments: 0..<40)
    func nameRepeatsEqualByteLoops(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 13 &+ 5)
        let alphabet: [UInt8] = Array("ab ab.-_$ \n".utf8)
        for _ in 0..<200 {
            let p = (0..<Int.random(in: 1...300, using: &generator)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            // A name: a run of name bytes somewhere in `p`.
            let start = Int.random(in: 0..<p.count, using: &generator)
            guard Self.isNameByte(p[start]) else { continue }
            var end = start
            while end < p.count && Self.isNameByte(p[end]) && end - start < Int.random(in: 1...6, using: &generator) { end += 1 }
            let floor = Self.naiveLineStart(p, floor: 0, at: Int.random(in: 0...start, using: &generator))
            let expected = Self.naiveRepeats(p, floor: floor, start: start, end: end)
            for capacity in [2, 64] {
                for level in Int32(0)...2 {
                    var lineStart = -1, lineEnd = -1
                    var found = [Int](repeating: -1, count: capacity)
                    let count = p.withUnsafeBufferPointer { b in
                        found.withUnsafeMutableBufferPointer {
                            anonlog_name_repeats_level(level, b.baseAddress, p.count, floor, start, end, &lineStart, &lineEnd, $0.baseAddress, capacity)
                        }
                    }
                    let context = "level \(level) capacity \(capacity): \(String(decoding: p, as: UTF8.self).debugDescription) floor \(floor) name \(start)..<\(end)"
                    #expect(lineStart == expected.0 && lineEnd == expected.1, "\(context)")
                    if expected.2.count > capacity {
                        #expect(count < 0, "\(context)")
                    } else {
                        #expect(count == expected.2.count && Array(found[0..<max(0, count)]).sorted() == expected.2, "\(context)")
                    }
                }
            }
        }
    }
}
