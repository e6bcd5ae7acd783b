import Crypto

/// The keys derived from the secret for one epoch (SPEC.md): HKDF-SHA256 with an empty salt and
/// info `"anonlog-v1 " + purpose [+ " " + epoch]`.
struct SubKeys: Sendable {
    /// ipcrypt-pfx key (32 bytes).
    public let ipcryptPfx: [UInt8]
    /// ipcrypt-deterministic key (16 bytes).
    public let ipcryptDeterministic: [UInt8]
    /// HMAC key for tokens (32 bytes).
    public let token: [UInt8]

    /// Derives the three sub-keys of `key` for `epoch` (nil: no epoch).
    public init(key: [UInt8], epoch: String?) {
        ipcryptPfx = SubKeys.derive(key, purpose: "ipcrypt-pfx", epoch: epoch, count: 32)
        ipcryptDeterministic = SubKeys.derive(key, purpose: "ipcrypt-deterministic", epoch: epoch, count: 16)
        token = SubKeys.derive(key, purpose: "token", epoch: epoch, count: 32)
    }

    /// HKDF-SHA256(ikm: key, salt: empty, info: "anonlog-v1 PURPOSE[ EPOCH]").
    public static func derive(_ key: [UInt8], purpose: String, epoch: String?, count: Int) -> [UInt8] {
        var info = "anonlog-v1 " + purpose
        if let epoch { info += " " + epoch }
        return hkdf(key, salt: [], info: Array(info.utf8), count: count)
    }

    /// HKDF-SHA256 (RFC 5869), extract and expand.
    static func hkdf(_ key: [UInt8], salt: [UInt8], info: [UInt8], count: Int) -> [UInt8] {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: key), salt: salt,
                                             info: info, outputByteCount: count)
        return derived.withUnsafeBytes { Array($0) }
    }
}
