/// A per-worker memo of recent replacements: logs repeat the same addresses and names, and a
/// keyed pseudonym (64-256 AES blocks for ipcrypt-pfx, an HMAC for a token) costs far more than
/// a lookup.
///
/// Direct-mapped, fixed size, allocated once: a miss overwrites its slot, so memory never grows
/// and no lookup allocates. Keys are the raw match bytes plus the type and the epoch
/// generation; values are the replacement bytes. Matches or replacements longer than 56 bytes
/// bypass it. Owned by one worker (never shared), which is what `@unchecked Sendable` stands
/// for here: the class only exists so the buffers are freed.
final class ReplacementCache: @unchecked Sendable {
    static let slotCount = 1 << 16
    static let maxLength = 56
    private let keys: UnsafeMutablePointer<UInt8>
    private let values: UnsafeMutablePointer<UInt8>
    /// Per slot: key length, value length, type, generation (0 = empty).
    private let meta: UnsafeMutablePointer<(UInt8, UInt8, UInt8, UInt32)>
    /// Lookups that found their replacement.
    private(set) var hits = 0
    /// Lookups that had to compute it.
    private(set) var misses = 0

    init() {
        keys = .allocate(capacity: Self.slotCount * Self.maxLength)
        values = .allocate(capacity: Self.slotCount * Self.maxLength)
        meta = .allocate(capacity: Self.slotCount)
        meta.initialize(repeating: (0, 0, 0, 0), count: Self.slotCount)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        meta.deallocate()
    }

    @inline(__always)
    private static func slot(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count &+ 31 &* type.rawValue &+ 1)
        var i = 0
        while i + 8 <= count {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        while i < count {
            h = (h ^ UInt64(p[i])) &* 0x94D0_49BB_1331_11EB
            i += 1
        }
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & (slotCount - 1)
    }

    /// Appends the cached replacement of `p[0..<count]` to `out` and returns true, or returns
    /// false (then call `store` after computing it).
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, into out: ChunkBuffer) -> Bool {
        guard count <= Self.maxLength else { return false }
        let index = Self.slot(p, count, type)
        let entry = meta[index]
        if entry.3 == generation && Int(entry.0) == count && entry.2 == UInt8(type.rawValue)
            && Self.equal(keys + index * Self.maxLength, p, count) {
            hits += 1
            out.append(values + index * Self.maxLength, Int(entry.1))
            return true
        }
        misses += 1
        return false
    }

    /// Whether `count` bytes at `a` and `b` are equal: 8 at a time, inlined (a libc `memcmp`
    /// call per lookup cost more than the compare for these short keys).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        var difference: UInt64 = 0
        while i + 8 <= count {
            difference |= UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < count {
            difference |= UInt64(a[i] ^ b[i])
            i += 1
        }
        return difference == 0
    }

    /// Remembers that `p[0..<count]` became `replacement`.
    @inline(__always)
    func store(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, replacement: UnsafeRawBufferPointer) {
        guard count <= Self.maxLength, replacement.count <= Self.maxLength, let source = replacement.baseAddress else { return }
        let index = Self.slot(p, count, type)
        (keys + index * Self.maxLength).update(from: p, count: count)
        UnsafeMutableRawPointer(values + index * Self.maxLength).copyMemory(from: source, byteCount: replacement.count)
        meta[index] = (UInt8(count), UInt8(replacement.count), UInt8(type.rawValue), generation)
    }
}

