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
/// Two-way set-associative, its size fixed when made (`slotCount(forInput:)`: 512 KiB to
/// 32 MiB by the input's size), allocated once: a miss overwrites the less recently used slot
/// of its set, so memory never grows and no lookup allocates. Keys are the raw match bytes plus
/// the type and the epoch generation; values are the replacement bytes. Matches or
/// replacements longer than 56 bytes bypass it.
///
/// Why two ways: direct-mapped, two frequent values that share a slot evict each other for the
/// whole run; with two ways both stay.
///
/// A struct over a raw pointer, with the memory owned by `ReplacementCacheMemory`: as a class,
/// every hit would retain and release it around the copy of the value, atomic operations on the
/// hot path. Owned by one worker (never shared), which is what `@unchecked Sendable` stands for.
struct ReplacementCache: @unchecked Sendable {
    /// The fewest slots a cache has (512 KiB): enough for a file of one chunk.
    static let minSlotCount = 1 << 12
    /// The most slots a cache has (32 MiB): room for the distinct values of a large log, where
    /// each miss costs 64-256 AES blocks.
    static let maxSlotCount = 1 << 18
    /// Caches of at least this many bytes ask for 2 MiB pages (`ReplacementCacheMemory`).
    static let hugePageThreshold = 8 << 20
    static let maxLength = 56
    /// Bytes per set of two slots: four cache lines, [meta 0 (8) | key 0 (56)], [meta 1 | key 1],
    /// [value 0 (56) | unused], [value 1 | unused]. A lookup decides from the first two lines
    /// (adjacent, so the hardware fetches them as a pair) and copies from one of the others.
    private static let setSize = 256
    /// Offset of way `w`'s meta and key in a set: `64 * w`; of its value: `valueOffset + 64 * w`.
    private static let valueOffset = 128
    /// Keeps `sets` alive; never touched on the hot path.
    private let memory: ReplacementCacheMemory
    /// Set count minus one: a hash's low bits pick the set.
    private let indexMask: Int
    /// The sets, 64-byte aligned.
    private let sets: UnsafeMutableRawPointer
    /// Lookups that found their replacement.
    private(set) var hits = 0
    /// Lookups that had to compute it.
    private(set) var misses = 0

    /// The metadata of a slot, in its first 8 bytes. `victim` is used in way 0 only: the way
    /// the set's next miss overwrites (the one not used last).
    private struct Meta {
        var keyLength: UInt8
        var valueLength: UInt8
        var type: UInt8
        var victim: UInt8 = 0
        /// The epoch generation of the entry; 0: empty.
        var generation: UInt32
    }

    /// Offset of `Meta.victim` in a set: a literal, since a stored `static let` is read through
    /// `swift_once` on every cache hit (`init` checks it against the layout).
    private static var victimOffset: Int { 3 }

    /// An empty cache of `slotCount` slots (a power of two, clamped to the allowed range).
    init(slotCount: Int) {
        let count = max(Self.minSlotCount, min(Self.maxSlotCount, slotCount))
        precondition(count & (count - 1) == 0, "slot count must be a power of two")
        precondition(MemoryLayout<Meta>.offset(of: \Meta.victim) == Self.victimOffset, "Meta.victim moved")
        memory = ReplacementCacheMemory(byteCount: count / 2 * Self.setSize)
        sets = memory.slots
        indexMask = count / 2 - 1
    }

    /// The slot count for an input of about `bytes` decoded bytes (nil: unknown, as for a
    /// pipe): one slot per 128 input bytes, a power of two in the allowed range. A large cache
    /// for a small file would cost page faults (and with 2 MiB pages, zeroing) for nothing.
    static func slotCount(forInput bytes: Int?) -> Int {
        guard let bytes else { return maxSlotCount }
        var count = minSlotCount
        while count < maxSlotCount && count * 128 < bytes { count <<= 1 }
        return count
    }

    /// The bit of a `Span.tag` that says it holds hash bits (the set index is their low bits).
    static let hintValid: UInt32 = 1 << 31

    /// The slot hint for `p[0..<count]` of `type`: its hash's low 31 bits with `hintValid`
    /// (any cache size takes its index from them), or 0 when the key is too long to be cached.
    @inline(__always)
    static func hint(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32 {
        count <= maxLength ? UInt32(truncatingIfNeeded: hash(p, count, type)) & (hintValid - 1) | hintValid : 0
    }

    /// The set of a key: from its hint when the scanner computed one.
    @inline(__always)
    private func set(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType, hint: UInt32) -> UnsafeMutableRawPointer {
        sets + ((hint & Self.hintValid != 0 ? Int(hint) : Self.hash(p, count, type)) & indexMask) * Self.setSize
    }

    /// Starts loading the set of a hint, so that its `lookup` a little later finds it in
    /// cache: a set is four random lines in up to 32 MiB, and waiting for them at the lookup
    /// would stall the rewrite at every match. One prefetch per pair of lines: the L2's
    /// adjacent-line prefetcher fetches the aligned 128-byte pair.
    @inline(__always)
    func prefetch(hint: UInt32) {
        guard hint & Self.hintValid != 0 else { return }
        let set = sets + (Int(hint) & indexMask) * Self.setSize
        anonlog_prefetch(set)
        anonlog_prefetch(set + Self.valueOffset)
    }

    /// A 64-bit hash of a key: its length and type, then its bytes as whole words, the last
    /// word overlapping the one before. Word loads only: a byte-at-a-time tail would be a chain
    /// of dependent multiplies and a mispredicted loop exit per key, and the scanner hashes every
    /// match it finds.
    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count &+ 31 &* type.rawValue &+ 1)
        @inline(__always) func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        let raw = UnsafeRawPointer(p)
        if count >= 8 {
            var i = 0
            while i + 8 < count {
                mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            mix(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        } else if count >= 4 {
            mix(UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32)
        } else if count > 0 {
            mix(UInt64(p[0]) | UInt64(p[count / 2]) << 8 | UInt64(p[count - 1]) << 16)
        }
        // Finish with a full avalanche (MurmurHash3's fmix64): the set index is the low bits,
        // and without it the key's last two bytes would reach only a few of them, so the clients
        // of one /24 (or user01...user99) would share a handful of sets and evict each other.
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    /// Whether the slot at `slot` holds `p[0..<count]` of `type` in `generation`.
    @inline(__always)
    private static func holds(_ slot: UnsafeMutableRawPointer, _ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType,
                              generation: UInt32) -> Bool {
        let entry = slot.load(as: Meta.self)
        return entry.generation == generation && Int(entry.keyLength) == count && entry.type == UInt8(type.rawValue)
            && equal((slot + 8).assumingMemoryBound(to: UInt8.self), p, count)
    }

    /// Appends the cached replacement of `p[0..<count]` to `out` and returns true, or returns
    /// false (then call `store` after computing it).
    @inline(__always)
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, hint: UInt32,
                         into out: ChunkBuffer) -> Bool {
        guard count <= Self.maxLength else { return false }
        let set = set(p, count, type, hint: hint)
        var way = 0
        if !Self.holds(set, p, count, type: type, generation: generation) {
            guard Self.holds(set + 64, p, count, type: type, generation: generation) else {
                misses += 1
                return false
            }
            way = 1
        }
        hits += 1
        // The other way becomes the victim; written only when that changes, so a set whose
        // hits all go to one way is only ever read.
        let victim = set + Self.victimOffset
        if victim.load(as: UInt8.self) == UInt8(way) { victim.storeBytes(of: UInt8(1 - way), as: UInt8.self) }
        // The value's line is 64 readable bytes: copied whole, counted to its length.
        out.appendPadded64(set + Self.valueOffset + 64 * way, length: Int((set + 64 * way).load(as: Meta.self).valueLength))
        return true
    }

    /// Whether `count` bytes at `a` and `b` are equal: 8 at a time, inlined (a libc `memcmp`
    /// call per lookup costs more than the compare for these short keys).
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

    /// Remembers that `p[0..<count]` became `replacement`, in its set's empty slot if it has
    /// one, else in a slot of another epoch, else in the victim (the less recently used).
    @inline(__always)
    func store(_ p: UnsafePointer<UInt8>, _ count: Int, type: DetectionType, generation: UInt32, hint: UInt32,
               replacement: UnsafeRawBufferPointer) {
        guard count <= Self.maxLength, replacement.count <= Self.maxLength, let source = replacement.baseAddress else { return }
        let set = set(p, count, type, hint: hint)
        let first = set.load(as: Meta.self), second = (set + 64).load(as: Meta.self)
        let way: Int
        if first.generation == 0 || (second.generation != 0 && first.generation != generation) {
            way = 0
        } else if second.generation == 0 || second.generation != generation {
            way = 1
        } else {
            way = Int(first.victim & 1)
        }
        let slot = set + 64 * way
        (slot + 8).copyMemory(from: p, byteCount: count)
        (set + Self.valueOffset + 64 * way).copyMemory(from: source, byteCount: replacement.count)
        // Way 0's meta carries the victim byte: rewriting it names way 1 in the same store.
        slot.storeBytes(of: Meta(keyLength: UInt8(count), valueLength: UInt8(replacement.count), type: UInt8(type.rawValue),
                                 victim: way == 0 ? 1 : first.victim, generation: generation), as: Meta.self)
        if way == 1 { (set + Self.victimOffset).storeBytes(of: 0, as: UInt8.self) }
    }
}

/// The memory of a `ReplacementCache`, mapped from the kernel's zero pages so that a cache
/// costs memory only for the slots a run touches: every pipeline (every file of a scan or
/// sweep, each worker and the seam rewriter) makes one, and zeroing the whole cache each time
/// would cost more than scanning a small file.
///
/// A large cache is aligned to 2 MiB and advised to use transparent huge pages: its lookups
/// land on random slots, and with 4 KiB pages nearly every one would also miss the TLB. Where
/// the kernel has no THP the advice is ignored.
final class ReplacementCacheMemory: @unchecked Sendable {
    /// The zeroed slots; immutable after init (the cache writes through it, from one worker).
    let slots: UnsafeMutableRawPointer
    /// What `mmap` returned and its length (nil: `slots` came from the allocator).
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?

    private static let hugePage = 2 << 20

    init(byteCount: Int) {
        let huge = byteCount >= ReplacementCache.hugePageThreshold
        let length = huge ? byteCount + Self.hugePage : byteCount
        let memory = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let memory, memory != MAP_FAILED {
            mapping = (memory, length)
            if huge {
                let aligned = (Int(bitPattern: memory) + Self.hugePage - 1) & ~(Self.hugePage - 1)
                slots = UnsafeMutableRawPointer(bitPattern: aligned)!
                #if os(Linux)
                _ = madvise(slots, byteCount, MADV_HUGEPAGE)
                #endif
            } else {
                slots = memory
            }
        } else {
            mapping = nil
            slots = .allocate(byteCount: byteCount, alignment: 64)
            slots.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        }
    }

    deinit {
        if let mapping { munmap(mapping.start, mapping.length) } else { slots.deallocate() }
    }
}
