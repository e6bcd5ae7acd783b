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
        let bytes = generator.text(from: Self.fragments, atLeast: 2000)
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

/// The mask-based IPv6 parser (C) finds exactly the addresses the byte-by-byte parser finds, at
/// every colon of random text built from address parts and their near misses.
@Suite struct IPv6TextTests {
    static let fragments: [String] = [
        "2001:db8::1", "fe80::1%eth0", "::ffff:192.0.2.1", "64:ff9b::192.0.2.1", "1:2:3:4:5:6:7:8", "::", ":", ":::",
        "a", "f", "g", "0", "12", "abcd", "12345", ".", "1.2.3.4", " ", "[", "]", "-", "std::", "11:37:17", "de:ad:be:ef:00:01",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "1::2::3", "x:", "::1.2.3", "1:2:3:4:5:6:1.2.3.4",
    ]

    @Test(arguments: 0..<60)
    func masksAgreeWithBytes(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 7_919 &+ 11)
        let bytes = generator.text(from: Self.fragments, atLeast: 3000)
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!, n = buffer.count
            var matched = 0
            for colon in 5..<(n - 59) where p[colon] == UInt8(ascii: ":") {
                var fastResume = 0, slowResume = 0
                let fast = IPv6Detector.match(p, count: n, colon: colon, resume: &fastResume)
                let slow = IPv6Detector.matchBytes(p, count: n, colon: colon, resume: &slowResume)
                #expect(fast == slow, "at \(colon): \(String(decoding: bytes[(colon - 5)..<(colon + 45)], as: UTF8.self))")
                if slow != nil {
                    matched += 1
                    #expect(fastResume == slowResume)
                }
            }
            #expect(matched > 0, "the random text should hold some addresses")
        }
    }
}
