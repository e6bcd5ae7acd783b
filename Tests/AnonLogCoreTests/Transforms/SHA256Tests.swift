import Crypto
import CSHA256
import Testing

/// The allocation-free HMAC-SHA256 behind pseudonym tokens agrees with RFC 4231 and with
/// swift-crypto, for keys and messages of every length around the block boundaries.
@Suite struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func ours(key: [UInt8], _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        var prepared = AnonLogHMACKey()
        key.withUnsafeBufferPointer { anonlog_hmac_sha256_prepare(&prepared, $0.baseAddress, $0.count) }
        var out = [UInt8](repeating: 0, count: 32)
        first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { anonlog_hmac_sha256(&prepared, a.baseAddress, a.count, b.baseAddress, b.count, $0.baseAddress) }
            }
        }
        return out
    }

    static func theirs(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    @Test func rfc4231Vectors() {
        #expect(Self.hex(Self.ours(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi ".utf8), Array("There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Self.hex(Self.ours(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), []))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func agreesWithSwiftCrypto() {
        var generator = SeededGenerator(seed: 4231)
        for keyLength in [0, 1, 32, 63, 64, 65, 131] {
            for length in [0, 1, 13, 55, 56, 63, 64, 65, 119, 120, 200, 300] {
                let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let split = length / 3
                #expect(Self.ours(key: key, Array(message[..<split]), Array(message[split...])) == Self.theirs(key: key, message),
                        "key \(keyLength) bytes, message \(length) bytes")
            }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        anonlog_sha256(Array("abc".utf8), 3, &digest)
        #expect(digest == Array(SHA256.hash(data: Array("abc".utf8))))
    }
}
