import CAES

/// ipcrypt-pfx (draft-denis-ipcrypt, sections 6.2 and 9.6): prefix-preserving encryption, so two
/// addresses that share their first n bits give pseudonyms that share their first n bits, and
/// an IPv4 address (`::ffff:a.b.c.d`) stays IPv4.
///
/// Bit i of the output (from the most significant) is bit i of the input XOR a PRF of the
/// input's first i bits. The PRF input is the prefix padded to a block, `0...0 || 1 || prefix`;
/// the PRF is `lsb(AES(K1, block) XOR AES(K2, block))` with K1, K2 the two halves of the key.
/// IPv4-mapped addresses start at bit 96, leaving `::ffff:` as it is. Every PRF input depends
/// only on the plaintext, so all 32 (IPv4) or 128 (IPv6) pairs of AES calls run interleaved.
///
/// Immutable after init; `encrypt` allocates nothing and may run on any number of threads.
struct IPCryptPfx: Sendable {
    private let key1: AES128Key
    private let key2: AES128Key

    /// A cipher under a 32-byte key (SPEC: the HKDF sub-key `ipcrypt-pfx`), split into K1 || K2.
    public init<C: Collection>(key: C) where C.Element == UInt8 {
        let bytes = Array(key)
        precondition(bytes.count == 32, "ipcrypt-pfx needs a 32-byte key")
        // Equal halves cancel in the XOR and would return every address unchanged (draft 6.2.2).
        precondition(bytes[0..<16] != bytes[16..<32], "ipcrypt-pfx key halves must differ")
        key1 = AES128Key(key: bytes[0..<16])
        key2 = AES128Key(key: bytes[16..<32])
    }

    /// The encrypted address; IPv4-mapped input gives IPv4-mapped output.
    public func encrypt(_ address: IPAddress16) -> IPAddress16 {
        let mask = keystream(address, firstBit: address.isIPv4Mapped ? 96 : 0)
        return IPAddress16(high: address.high ^ mask.high, low: address.low ^ mask.low)
    }

    /// Replaces `address` with its encryption.
    public func encrypt(_ address: inout IPAddress16) {
        address = encrypt(address)
    }

    /// The encrypted address, with the keystream bits of a known network taken from `cache`
    /// (entries of epoch `generation`: one generation must never be used with two keys).
    func encrypt(_ address: IPAddress16, cache: inout PfxPrefixCache, generation: UInt32) -> IPAddress16 {
        let mask = cache.keystream(address, cipher: self, generation: generation)
        return IPAddress16(high: address.high ^ mask.high, low: address.low ^ mask.low)
    }

    /// The PRF bits for prefix lengths `firstBit..<128`, each at the bit it encrypts.
    @inline(__always)
    func keystream(_ address: IPAddress16, firstBit: UInt32) -> IPAddress16 {
        // The prefix loop lives in C next to the AES calls, so the 32 or 128 padded prefixes
        // are built in registers, never stored to memory as blocks and loaded back.
        let words = caes128_pfx_keystream(
            key1.schedule, key2.schedule, CAES128Words(high: address.high, low: address.low), firstBit)
        return IPAddress16(high: words.high, low: words.low)
    }
}
