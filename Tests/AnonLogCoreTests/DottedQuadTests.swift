@testable import AnonLogCore
import CByteMasks
import Testing

/// The mask-based dotted-quad parser (C) finds exactly the quads the byte-by-byte parser finds,
/// at every dot of random text built from digits, dots and their neighbours.
@Suite struct DottedQuadTests {
    static let fragments: [String] = [
        "0", "1", "2", "5", "9", "00", "25", "255", "256", "199", "300", "1234", ".", ".", "..", "a", " ", "/", ":", "-",
        "1.2.3.4", "10.0.0.255", "192.168.001.1", "8.8.8.8.",
    ]

    @Test(arguments: 0..<40)
    func masksAgreeWithBytes(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
        var text = ""
        while text.utf8.count < 2000 { text += Self.fragments.randomElement(using: &generator)! }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!, n = buffer.count
            var checked = 0
            for dot in 4..<(n - 28) where p[dot] == UInt8(ascii: ".") {
                var start = 0
                let end = anonlog_dotted_quad(p, n, dot, &start)
                let fast: (Int, Int)? = end < 0 ? nil : (start, Int(end))
                let slow = IPv4Detector.quadAround(p, count: n, dot: dot)
                #expect(fast?.0 == slow?.0 && fast?.1 == slow?.1, "at \(dot): \(String(decoding: bytes[(dot - 4)..<(dot + 16)], as: UTF8.self))")
                if slow != nil { checked += 1 }
            }
            #expect(checked > 0, "the random text should hold some quads")
        }
    }
}
