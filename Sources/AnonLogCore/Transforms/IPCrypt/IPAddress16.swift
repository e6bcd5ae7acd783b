/// An IP address as its 16-byte ipcrypt representation: IPv6 in network byte order, IPv4 as the
/// IPv4-mapped IPv6 address `::ffff:a.b.c.d`.
///
/// Two integers rather than an array so that an address lives in registers and costs no heap
/// allocation; `high` holds bytes 0...7 and `low` bytes 8...15, each read big-endian, so the
/// 128-bit value `high << 64 | low` is the address with bit 127 its first bit.
public struct IPAddress16: Hashable, Sendable {
    /// The 16 bytes of an address, in network order, as a fixed-size value.
    public typealias Bytes = (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    )

    /// Bytes 0...7 of the address as a big-endian integer (its most significant half).
    public var high: UInt64
    /// Bytes 8...15 of the address as a big-endian integer (its least significant half).
    public var low: UInt64

    /// The address whose two big-endian halves are `high` and `low`.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4-mapped form `::ffff:a.b.c.d` of the IPv4 address `a << 24 | b << 16 | c << 8 | d`.
    @inlinable
    public init(ipv4: UInt32) {
        self.init(high: 0, low: 0xffff_0000_0000 | UInt64(ipv4))
    }

    /// The address made of 16 bytes in network order.
    @inlinable
    public init(bytes: Bytes) {
        var copy = bytes
        // Raw loads of the tuple's memory: the only way to read 8 bytes at once from a tuple.
        self = withUnsafeBytes(of: &copy) { raw in
            IPAddress16(
                high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
    }

    /// The address made of exactly 16 bytes in network order (e.g. `[UInt8]`, `Data`, a slice).
    @inlinable
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 16, "an IPAddress16 needs exactly 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (i, byte) in bytes.enumerated() {
            if i < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// The address from two words whose memory holds its 16 bytes in network order (the raw
    /// layout of a `(UInt64, UInt64)` byte buffer), converted with two byte swaps, not a loop.
    @inlinable
    public init(networkOrderWords words: (UInt64, UInt64)) {
        self.init(high: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1))
    }

    /// Two words whose memory holds the 16 bytes in network order: the inverse of
    /// `init(networkOrderWords:)`.
    @inlinable
    public var networkOrderWords: (UInt64, UInt64) {
        (high.bigEndian, low.bigEndian)
    }

    /// The 16 bytes of the address in network order.
    @inlinable
    public var bytes: Bytes {
        var result: Bytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &result) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return result
    }

    /// True for `::ffff:0:0/96`, the range that holds IPv4 addresses (and is written as IPv4).
    @inlinable
    public var isIPv4Mapped: Bool {
        high == 0 && low >> 32 == 0xffff
    }

    /// The IPv4 address `a << 24 | b << 16 | c << 8 | d` when the address is IPv4-mapped, else nil.
    @inlinable
    public var ipv4: UInt32? {
        isIPv4Mapped ? UInt32(truncatingIfNeeded: low) : nil
    }

    /// Bit `index` of the address counted from its first (most significant) bit, as 0 or 1.
    @inlinable
    func bit(msbFirst index: Int) -> UInt64 {
        index < 64 ? (high >> (63 - index)) & 1 : (low >> (127 - index)) & 1
    }
}
