import Crypto

/// Keyed tokens for e-mail, username and personnummer (SPEC.md): the first 12 characters of
/// `base32lower(HMAC-SHA256(token key, type + ":" + canonical))`.
public struct TokenMaker: Sendable {
    private let key: SymmetricKey

    /// Creates a token maker for the token sub-key.
    public init(tokenKey: [UInt8]) { key = SymmetricKey(data: tokenKey) }

    /// The 12-character token of `canonical` bytes of `type`, written into `out` (12 bytes).
    public func token(type: StaticString, canonical: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: UnsafeRawBufferPointer(start: type.utf8Start, count: type.utf8CodeUnitCount))
        var colon = UInt8(ascii: ":")
        withUnsafeBytes(of: &colon) { mac.update(data: $0) }
        mac.update(data: canonical)
        let code = mac.finalize()
        code.withUnsafeBytes { Base32.encodeLower(UnsafeRawBufferPointer($0), count: 12, into: out) }
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
