import CByteMasks
import Testing

/// Every byte-mask kernel this CPU can run (AVX-512BW, AVX2, SSE2) classifies every byte
/// exactly as the one-line-per-class definitions in `ByteMasks.h` say, so the scanner finds
/// the same matches whichever kernel the machine picks.
@Suite struct ByteMaskKernelTests {
    /// The definitions, one byte at a time.
    static func reference(_ block: [UInt8]) -> AnonLogByteMasks {
        var m = AnonLogByteMasks()
        for (i, b) in block.enumerated() {
            let bit: UInt64 = 1 << UInt64(i)
            if b &- 48 < 10 { m.digit |= bit }
            if (b | 0x20) &- 97 < 26 { m.letter |= bit }
            if b == UInt8(ascii: ".") { m.dot |= bit }
            if b == UInt8(ascii: ":") { m.colon |= bit }
            if "@%~".utf8.contains(b) { m.special |= bit }
            if b == UInt8(ascii: "=") { m.equals |= bit }
            if "rRnNeEpYdD".utf8.contains(b) { m.keyEnd |= bit }
            if b == UInt8(ascii: "\n") { m.newline |= bit }
            if b == UInt8(ascii: " ") { m.space |= bit }
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") { m.slash |= bit }
            if b | 0x20 == UInt8(ascii: "r") { m.phraseEnd |= bit }
            if "eslESL".utf8.contains(b) { m.contextTail |= bit }
            if (b | 0x20) &- 97 < 6 { m.hexLetter |= bit }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\t") { m.quoteTab |= bit }
            if b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { m.dashPlus |= bit }
            if "homaiU".utf8.contains(b) { m.contextHead |= bit }
        }
        return m
    }

    static func fields(_ m: AnonLogByteMasks) -> [UInt64] {
        [m.digit, m.letter, m.dot, m.colon, m.special, m.equals, m.keyEnd, m.newline, m.space, m.slash, m.phraseEnd, m.contextTail, m.hexLetter, m.quoteTab, m.dashPlus, m.contextHead]
    }

    @Test(arguments: ["avx512", "avx2", "sse2", "scalar"])
    func kernelMatchesDefinition(name: String) throws {
        guard let kernel = anonlog_byte_masks_kernel_named(name) else { return }   // not on this CPU
        var generator = SeededGenerator(seed: 42)
        // Every byte value in every lane, then random blocks biased towards the trigger bytes.
        var blocks: [[UInt8]] = (0..<4).map { lane in (0..<64).map { UInt8((lane * 64 + $0) & 0xFF) } }
        let triggers = Array("0189:./@%=~\n rsleEL aAzZfFgGmMhHoOiIuUnNpPyY-+`{/\u{7F}\"\t".utf8) + [0x80, 0xFF, 0x00, 0x2F, 0x3A, 0x40, 0x5B]
        for _ in 0..<2000 {
            blocks.append((0..<64).map { _ in
                Bool.random(using: &generator) ? triggers.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            })
        }
        for block in blocks {
            var m = AnonLogByteMasks()
            block.withUnsafeBufferPointer { kernel($0.baseAddress!, &m) }
            #expect(Self.fields(m) == Self.fields(Self.reference(block)), "kernel \(name) on \(block)")
        }
    }

    /// The byte-class table (ByteTable.h) says of every byte value what its definition says.
    @Test func byteTableMatchesItsDefinition() {
        for value in 0...255 {
            let b = UInt8(value)
            let digit = b >= 48 && b <= 57
            let letter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            let local = digit || letter || "._%+-".utf8.contains(b)
            let domain = digit || letter || b == UInt8(ascii: "-")
            let bits = anonlog_byte_class(b)
            #expect((bits & UInt8(ANONLOG_BYTE_DIGIT) != 0) == digit, "byte \(value)")
            #expect((bits & UInt8(ANONLOG_BYTE_LETTER) != 0) == letter, "byte \(value)")
            #expect((bits & UInt8(ANONLOG_BYTE_EMAIL_LOCAL) != 0) == local, "byte \(value)")
            #expect((bits & UInt8(ANONLOG_BYTE_DOMAIN) != 0) == domain, "byte \(value)")
        }
    }
}
