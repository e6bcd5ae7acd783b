import CSHA256

/// Keyed tokens for e-mail, username and personnummer (SPEC.md): the first 12 characters of
/// `base32lower(HMAC-SHA256(token key, type + ":" + canonical))`.
struct TokenMaker: Sendable {
    /// The token key's HMAC states, prepared once (`CSHA256`: no allocation per token).
    private let key: AnonLogHMACKey

    /// Creates a token maker for the token sub-key.
    public init(tokenKey: [UInt8]) {
        var prepared = AnonLogHMACKey()
        tokenKey.withUnsafeBufferPointer { anonlog_hmac_sha256_prepare(&prepared, $0.baseAddress, $0.count) }
        key = prepared
    }

    /// The 12-character token of `canonical` bytes of `type`, written into `out` (12 bytes).
    public func token(type: StaticString, canonical: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        // "type:" then the canonical bytes; the longest type is "personnummer".
        var prefix = (UInt64(0), UInt64(0))
        var code = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &prefix) { prefixBytes in
            let typeLength = type.utf8CodeUnitCount
            prefixBytes.baseAddress!.copyMemory(from: type.utf8Start, byteCount: typeLength)
            prefixBytes[typeLength] = UInt8(ascii: ":")
            withUnsafeMutableBytes(of: &code) { codeBytes in
                withUnsafePointer(to: key) { key in
                    anonlog_hmac_sha256(key, prefixBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), typeLength + 1,
                                        canonical.baseAddress?.assumingMemoryBound(to: UInt8.self), canonical.count,
                                        codeBytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                Base32.encodeLower(UnsafeRawBufferPointer(codeBytes), count: 12, into: out)
            }
        }
    }

    /// The token as a String (for `anonlog pseudonym` and tests).
    public func token(type: StaticString, canonical: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 12)
        canonical.withUnsafeBytes { bytes in out.withUnsafeMutableBufferPointer { token(type: type, canonical: bytes, into: $0.baseAddress!) } }
        return String(decoding: out, as: UTF8.self)
    }
}

/// RFC 4648 base32, lower case, no padding.
enum Base32 {
    private static let alphabet: StaticString = "abcdefghijklmnopqrstuvwxyz234567"

    /// Writes the first `count` characters of the encoding of `bytes` into `out`.
    static func encodeLower(_ bytes: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<UInt8>) {
        let letters = alphabet.utf8Start
        var buffer: UInt64 = 0
        var bits = 0
        var written = 0
        var index = 0
        while written < count {
            if bits < 5 {
                buffer = (buffer << 8) | UInt64(index < bytes.count ? bytes[index] : 0)
                index += 1
                bits += 8
            }
            let value = Int((buffer >> UInt64(bits - 5)) & 31)
            bits -= 5
            out[written] = letters[value]
            written += 1
        }
    }
}
