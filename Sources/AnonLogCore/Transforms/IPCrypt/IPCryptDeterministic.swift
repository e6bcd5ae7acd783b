/// ipcrypt-deterministic (draft-denis-ipcrypt, section 5.1): one AES-128 encryption of the
/// 16-byte address, so equal addresses give equal pseudonyms and the output is a full 16-byte
/// value (written as IPv4 only if it happens to land in `::ffff:0:0/96`).
///
/// Immutable after init; `encrypt` allocates nothing and may run on any number of threads.
struct IPCryptDeterministic: Sendable {
    /// Internal rather than private so tests can run the portable AES path on the same key.
    let key: AES128Key

    /// A cipher under a 16-byte key (SPEC: the HKDF sub-key `ipcrypt-deterministic`).
    public init<C: Collection>(key: C) where C.Element == UInt8 {
        precondition(key.count == 16, "ipcrypt-deterministic needs a 16-byte key")
        self.key = AES128Key(key: key)
    }

    /// The encrypted address: AES-128 of its 16 bytes.
    public func encrypt(_ address: IPAddress16) -> IPAddress16 {
        key.encrypt(address)
    }

    /// Replaces `address` with its encryption.
    public func encrypt(_ address: inout IPAddress16) {
        address = key.encrypt(address)
    }
}
