import CAES

/// An expanded AES-128 key in memory that never moves, so each call hands C a pointer instead
/// of copying 176 bytes of round keys; immutable after init, hence safe to share across threads.
final class AES128Key: @unchecked Sendable {
    /// The 11 round keys; allocated once, read-only until deinit.
    let schedule: UnsafeMutablePointer<CAES128Key>

    /// Expands a 16-byte key.
    init<C: Collection>(key: C) where C.Element == UInt8 {
        precondition(key.count == 16, "an AES-128 key is 16 bytes")
        schedule = .allocate(capacity: 1)
        let bytes = Array(key)
        bytes.withUnsafeBufferPointer { caes128_expand($0.baseAddress!, schedule) }
    }

    deinit {
        // Wipe the round keys (from which the key is recoverable) before the memory is reused.
        UnsafeMutableRawPointer(schedule).initializeMemory(
            as: UInt8.self, repeating: 0, count: MemoryLayout<CAES128Key>.size)
        schedule.deallocate()
    }

    /// True when encryption runs on AES instructions (AES-NI, ARMv8 AES), false for portable code.
    static var usesHardware: Bool { caes_hardware_available() != 0 }

    /// AES-128 encryption of one block held as an address (the ipcrypt-deterministic core).
    @inline(__always)
    func encrypt(_ block: IPAddress16) -> IPAddress16 {
        let words = caes128_encrypt_words(schedule, CAES128Words(high: block.high, low: block.low))
        return IPAddress16(high: words.high, low: words.low)
    }

    /// The same encryption through the C byte interface, on the dispatched path or, with
    /// `portable`, on the portable one whatever the CPU; for tests that compare the paths.
    func encrypt(bytes block: IPAddress16, portable: Bool) -> IPAddress16 {
        var bytes = block.bytes
        withUnsafeMutablePointer(to: &bytes) { tuple in
            tuple.withMemoryRebound(to: UInt8.self, capacity: 16) {
                if portable {
                    caes128_encrypt_portable(schedule, $0, $0)
                } else {
                    caes128_encrypt(schedule, $0, $0)
                }
            }
        }
        return IPAddress16(bytes: bytes)
    }

    /// The portable path, whatever the CPU.
    func encryptPortable(_ block: IPAddress16) -> IPAddress16 {
        encrypt(bytes: block, portable: true)
    }

    /// Batch encryption of consecutive 16-byte blocks (`count * 16` bytes at each pointer).
    func encryptBlocks(_ input: UnsafePointer<UInt8>, _ output: UnsafeMutablePointer<UInt8>, count: Int) {
        caes128_encrypt_blocks(schedule, input, output, count)
    }

    /// `caes128_pfx_keystream` on the dispatched path or, with `portable`, on the portable one;
    /// for tests that compare the two.
    static func pfxKeystream(
        _ key1: AES128Key, _ key2: AES128Key, _ address: IPAddress16, firstBit: UInt32, portable: Bool = false
    ) -> IPAddress16 {
        let input = CAES128Words(high: address.high, low: address.low)
        let words = portable
            ? caes128_pfx_keystream_portable(key1.schedule, key2.schedule, input, firstBit)
            : caes128_pfx_keystream(key1.schedule, key2.schedule, input, firstBit)
        return IPAddress16(high: words.high, low: words.low)
    }
}
