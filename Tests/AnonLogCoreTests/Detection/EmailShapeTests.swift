import CByteMasks
import Testing

/// The e-mail shape search (`EmailShape.h`) gives exactly what the byte loops it replaced give,
/// at every vector level this CPU runs: local parts cut at 64 bytes, leading dots, labels that
/// start or end with `-`, double dots, the 256-byte domain limit, and buffers that end inside
/// the address (the masked loads' edges, the easy place for an off-by-one).
@Suite struct EmailShapeTests {
    /// The shape as the byte loops computed it, or nil where they found no address.
    struct Shape: Equatable {
        var start = 0, end = 0, lastLabelStart = 0, firstLabelEnd = 0, labels = 0
    }

    static func isLocal(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    static func isAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
            || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    /// The byte loops of `EmailDetector.match` before the shape moved to C.
    static func naiveShape(_ p: [UInt8], at: Int, atLength: Int) -> Shape? {
        let n = p.count
        var start = at
        while start > 0 && at - start < 64 && isLocal(p[start - 1]) { start -= 1 }
        while start < at && p[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at, p[at - 1] != UInt8(ascii: ".") else { return nil }
        if start > 0 && at - start >= 64 && isLocal(p[start - 1]) { return nil }
        var i = at + atLength
        var shape = Shape(start: start, end: i, lastLabelStart: i, firstLabelEnd: i, labels: 0)
        while i < n && i - at < 256 {
            let labelStart = i
            while i < n && (isAlnum(p[i]) || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i > labelStart, p[labelStart] != UInt8(ascii: "-"), p[i - 1] != UInt8(ascii: "-") else { break }
            shape.labels += 1
            if shape.labels == 1 { shape.firstLabelEnd = i }
            shape.lastLabelStart = labelStart
            shape.end = i
            guard i + 1 < n, p[i] == UInt8(ascii: "."), isAlnum(p[i + 1]) else { break }
            i += 1
        }
        return shape.labels >= 2 ? shape : nil
    }

    static func shape(level: Int32, _ p: [UInt8], at: Int, atLength: Int) -> Shape? {
        var found = AnonLogEmailShape()
        let ok = p.withUnsafeBufferPointer { anonlog_email_shape_level(level, $0.baseAddress, p.count, at, atLength, &found) }
        guard ok != 0 else { return nil }
        return Shape(start: found.start, end: found.end, lastLabelStart: found.lastLabelStart,
                     firstLabelEnd: found.firstLabelEnd, labels: found.labels)
    }

    /// Checks every `@` and `%40` of `p` at every level.
    static func checkAll(_ p: [UInt8]) {
        for at in p.indices {
            let atLength: Int
            if p[at] == UInt8(ascii: "@") {
                atLength = 1
            } else if p[at] == UInt8(ascii: "%") && at + 3 <= p.count && p[at + 1] == UInt8(ascii: "4") && p[at + 2] == UInt8(ascii: "0") {
                atLength = 3
            } else {
                continue
            }
            let expected = naiveShape(p, at: at, atLength: atLength)
            for level in Int32(0)...2 {
                let found = shape(level: level, p, at: at, atLength: atLength)
                #expect(found == expected, "level \(level), @ at \(at) of \(String(decoding: p, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Random text over the bytes that decide a shape, with long runs now and then so that the
    /// 64-byte local limit and the 256-byte domain limit are crossed.
    @Test(arguments: 0..<40)
    func shapeEqualsTheByteLoops(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 41 &+ 5)
        let alphabet = Array("aZ9.-_%+@ \n\"".utf8)
        for _ in 0..<60 {
            var p: [UInt8] = []
            let pieces = Int.random(in: 1...12, using: &generator)
            for _ in 0..<pieces {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    p += Array(repeating: UInt8(ascii: "a"), count: Int.random(in: 50...80, using: &generator))
                case 1:
                    let label = Array(repeating: UInt8(ascii: "b"), count: Int.random(in: 1...70, using: &generator))
                    for _ in 0..<Int.random(in: 1...6, using: &generator) { p += label + [UInt8(ascii: ".")] }
                case 2:
                    p += Array("%40".utf8)
                default:
                    p += (0..<Int.random(in: 1...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                }
            }
            Self.checkAll(p)
        }
    }

    /// Hand-written edges: addresses at the buffer's start and end, dots and dashes in every place.
    @Test(arguments: [
        "anna@example.se", "@example.se", "a@b.c", ".anna@example.se", "..a@x.se", "anna.@example.se",
        "anna@-example.se", "anna@example-.se", "anna@example..se", "anna@example.se.", "anna@example.-se",
        "anna@example.se-", "anna@ex", "anna@", "a%40example.se", "a%40b", "x\"anna@example.se\"y",
        "anna@example.se@other.se", "anna@a.b.c.d.e.f.g.h", "\nanna@example.se\n",
    ])
    func edges(_ text: String) {
        Self.checkAll(Array(text.utf8))
        // And as the last bytes of a longer buffer and the first of one.
        Self.checkAll(Array(String(repeating: "x ", count: 40).utf8) + Array(text.utf8))
        Self.checkAll(Array(text.utf8) + Array(String(repeating: " y", count: 40).utf8))
    }

    /// A local part of exactly 64 bytes is one; one byte more and it is not (at every level).
    @Test func localPartLimit() {
        for length in 62...66 {
            for lead in ["", " ", "."] {
                let p = Array((lead + String(repeating: "a", count: length) + "@example.se").utf8)
                let at = p.firstIndex(of: UInt8(ascii: "@"))!
                let expected = Self.naiveShape(p, at: at, atLength: 1)
                if lead.isEmpty { #expect((expected != nil) == (length <= 64), "\(length) bytes") }
                for level in Int32(0)...2 {
                    #expect(Self.shape(level: level, p, at: at, atLength: 1) == expected, "level \(level), \(length) after \(lead.debugDescription)")
                }
            }
        }
    }
}
