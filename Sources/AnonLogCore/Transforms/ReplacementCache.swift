import CByteMasks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-worker memo of recent replacements: logs repeat the same addresses and names, and a
/// keyed pseudonym (64-256 AES blocks for ipcrypt-pfx, an HMAC for a token) costs far more than
/// a lookup.
///
/// Direct-mapped, fixed size (8 MiB), allocated once: a miss overwrites its slot, so memory never grows
/// and no lookup allocates. Keys are the raw match bytes plus the type and the epoch
/// generation; values are the replacement bytes. Matches or replacements longer than 56 bytes
/// bypass it.
///
/// A struct over a raw pointer, with the memory owned by `ReplacementCacheMemory`: as a class,
/// every hit retained and released it around the copy of the value (2% of a pseudonymising
/// run). Owned by one worker (never shared), which is what `@unchecked Sendable` stands for.
struct ReplacementCache: @unchecked Sendable {
    static let slotCount = 1 << 16
    static let maxLength = 56
    /// Bytes per slot: two cache lines, [meta (8) | key (56)] then [value (56) | unused (8)], so a
    /// lookup touches one line to decide and the adjacent one on a hit (three separate arrays
    /// cost three cache misses per lookup in a cache this size).
    private static let slotSize = 128
    /// Offset of the value in a slot.
    private static let valueOffset = 64
    /// Bytes of all slots.
    fileprivate static let byteCount = slotCount * slotSize
    /// Keeps `slots` alive; never touched on the hot path.
    private let memory = ReplacementCacheMemory()
    /// The slots, 64-byte aligned. Meta: key length, value length, type, generation (0 = empty).
    private let slots: UnsafeMutableRawPointer
    /// Lookups that found their replacement.
    private(set) var hits = 0
    /// Lookups that had to compute it.
    private(set) var misses = 0

    /// The metadata of a slot, in its first 8 bytes.
    private struct Meta {
        var keyLength: UInt8
        var valueLength: UInt8
        var type: UInt8
        var unused: UInt8 = 0
        var generation: UInt32
    }

    /// An empty cache.
    init() { slots = memory.slots }

    /// The bit of a `Span.cacheSlot` that says it holds a slot index.
    static let hintValid: UInt32 = 1 << 31

    /// The slot hint for `p[0..<count]` of `type`: its index with `hintValid`, or 0 when the
    /// key is too long to be cached.
    @inline(__always)
    static func hint(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32 {
        count <= maxLength ? UInt32(slot(p, count, type)) | hintValid : 0
    }

    /// The slot index of a key: from its hint when the scanner computed one.
    @inline(__always)
    private static func index(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType, hint: UInt32) -> Int {
        hint & hintValid != 0 ? Int(hint & (hintValid - 1)) : slot(p, count, type)
    }

    /// Starts loading the slot of a hint, so that its `lookup` a little later finds it in
    /// cache: a slot is a random pair of lines in 8 MiB, and on an access log the wait for its
    /// first line was an eighth of the time of pseudonymising.
    @inline(__always)
    func prefetch(hint: UInt32) {
        guard hint & Self.hintValid != 0 else { return }
        let slot = slots + Int(hint & (Self.hintValid - 1)) * Self.slotSize
        anonlog_prefetch(slot)
        anonlog_prefetch(slot + Self.valueOffset)
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
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, hint: UInt32,
                         into out: ChunkBuffer) -> Bool {
        guard count <= Self.maxLength else { return false }
        let slot = slots + Self.index(p, count, type, hint: hint) * Self.slotSize
        let entry = slot.load(as: Meta.self)
        if entry.generation == generation && Int(entry.keyLength) == count && entry.type == UInt8(type.rawValue)
            && Self.equal((slot + 8).assumingMemoryBound(to: UInt8.self), p, count) {
            hits += 1
            out.append(slot + Self.valueOffset, Int(entry.valueLength))
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
    func store(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, hint: UInt32,
               replacement: UnsafeRawBufferPointer) {
        guard count <= Self.maxLength, replacement.count <= Self.maxLength, let source = replacement.baseAddress else { return }
        let slot = slots + Self.index(p, count, type, hint: hint) * Self.slotSize
        (slot + 8).copyMemory(from: p, byteCount: count)
        (slot + Self.valueOffset).copyMemory(from: source, byteCount: replacement.count)
        slot.storeBytes(of: Meta(keyLength: UInt8(count), valueLength: UInt8(replacement.count), type: UInt8(type.rawValue),
                                 generation: generation), as: Meta.self)
    }
}

/// The memory of a `ReplacementCache`, mapped from the kernel's zero pages so that a cache
/// costs memory only for the slots a run touches: every pipeline (every file of a scan or
/// sweep, each worker and the seam rewriter) makes one, and zeroing 8 MiB each time cost
/// ~3 ms per file, most of the time of scanning a tree of small files.
final class ReplacementCacheMemory: @unchecked Sendable {
    /// The zeroed slots; immutable after init (the cache writes through it, from one worker).
    let slots: UnsafeMutableRawPointer
    /// Whether `slots` came from `mmap` (else from the allocator).
    private let mapped: Bool

    init() {
        let byteCount = ReplacementCache.byteCount
        let memory = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let memory, memory != MAP_FAILED {
            slots = memory
            mapped = true
        } else {
            slots = .allocate(byteCount: byteCount, alignment: 64)
            slots.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
            mapped = false
        }
    }

    deinit {
        if mapped { munmap(slots, ReplacementCache.byteCount) } else { slots.deallocate() }
    }
}
