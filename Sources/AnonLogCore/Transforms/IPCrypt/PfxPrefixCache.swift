import CByteMasks

/// A per-worker memo of ipcrypt-pfx keystream prefixes, so that an address whose network was
/// seen before costs only the AES calls of its remaining bits.
///
/// Keystream bit p depends only on the address's first p bits (`IPCryptPfx`), so the bits
/// before a prefix length L are the same for every address in that /L. Logs are full of
/// neighbours: clients of one ISP, one office NAT range, and above all IPv6 privacy
/// addresses, a new random interface identifier under the same /64 every day. Remembered
/// lengths: /24, /16 and /8 of an IPv4 address (then 8, 16 or 24 of its 32 bits are computed:
/// 16, 32 or 48 AES calls instead of 64), /64, /48 and /32 of an IPv6 address (128, 160 or 192
/// calls instead of 256). Whole addresses are the job of `ReplacementCache`, which runs first.
///
/// Direct-mapped, 4,096 entries of 32 bytes (128 KiB, mapped from zero pages), keyed by the
/// prefix, its length and the epoch generation. Owned by one worker, never shared, which is
/// what `@unchecked Sendable` stands for.
struct PfxPrefixCache: @unchecked Sendable {
    /// One remembered prefix. For IPv4-mapped lengths (above 96) the prefix and its keystream
    /// bits lie in the address's low word, for IPv6 lengths (64 and below) in its high word.
    private struct Entry {
        var prefix: UInt64
        var keystream: UInt64
        var length: UInt32
        /// The epoch generation (`Replacer`); 0: empty.
        var generation: UInt32
        /// Pads an entry to 32 bytes, two per cache line.
        var unused: UInt64 = 0
    }

    /// Keeps `entries` alive; never touched on the hot path.
    private let memory: ReplacementCacheMemory
    /// The table, direct-mapped.
    private let entries: UnsafeMutablePointer<Entry>
    /// Entry count minus one (a power of two minus one).
    private let indexMask: Int
    /// Lookups that found a prefix (tests check that neighbours hit).
    private(set) var hits = 0

    /// An empty cache of `entryCount` entries (a power of two; tests use tiny ones).
    init(entryCount: Int = 1 << 12) {
        precondition(entryCount > 0 && entryCount & (entryCount - 1) == 0, "entry count must be a power of two")
        memory = ReplacementCacheMemory(byteCount: entryCount * MemoryLayout<Entry>.stride)
        entries = memory.slots.bindMemory(to: Entry.self, capacity: entryCount)
        indexMask = entryCount - 1
    }

    /// The prefix lengths remembered for an address, longest first, as keystream positions:
    /// /24, /16, /8 of an IPv4 address, /64 (a host's privacy addresses), /48 (a site) and /32
    /// (an ISP) of an IPv6 one.
    @inline(__always)
    private static func lengths(mapped: Bool) -> (Int, Int, Int) { mapped ? (120, 112, 104) : (64, 48, 32) }

    /// The word of `address` (or of a keystream) that holds positions below `length`, with the
    /// positions from `length` on cleared.
    @inline(__always)
    private static func word(_ value: IPAddress16, below length: Int) -> UInt64 {
        length > 64 ? value.low & ~(UInt64.max >> (length - 64)) : value.high & ~(UInt64.max >> length)
    }

    /// The entry for a prefix of `length` bits in `generation`: a full avalanche of all three,
    /// so IPv6 prefixes (in a word's high bits) and nearby generations spread like the rest.
    @inline(__always)
    private func slot(_ prefix: UInt64, _ length: Int, _ generation: UInt32) -> UnsafeMutablePointer<Entry> {
        var h = prefix ^ UInt64(length) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(generation) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return entries + Int(truncatingIfNeeded: h) & indexMask
    }

    /// The keystream of `address` under `cipher`: the remembered bits of its longest known
    /// prefix, the rest computed; every remembered length it did not know is stored.
    mutating func keystream(_ address: IPAddress16, cipher: IPCryptPfx, generation: UInt32) -> IPAddress16 {
        let mapped = address.isIPv4Mapped
        let first = mapped ? 96 : 0
        let (l0, l1, l2) = Self.lengths(mapped: mapped)
        // Each length's prefix and entry, worked out once (a tuple walked by index: an array
        // literal may allocate). The three lines load together: one wait instead of up to three
        // in a row, since beside the pseudonym cache's misses this table does not stay in L2.
        @inline(__always) func length(_ k: Int) -> Int { k == 0 ? l0 : k == 1 ? l1 : l2 }
        let prefixes = (Self.word(address, below: l0), Self.word(address, below: l1), Self.word(address, below: l2))
        @inline(__always) func prefix(_ k: Int) -> UInt64 { k == 0 ? prefixes.0 : k == 1 ? prefixes.1 : prefixes.2 }
        let slots = (slot(prefixes.0, l0, generation), slot(prefixes.1, l1, generation), slot(prefixes.2, l2, generation))
        @inline(__always) func entry(_ k: Int) -> UnsafeMutablePointer<Entry> { k == 0 ? slots.0 : k == 1 ? slots.1 : slots.2 }
        for k in 0..<3 { anonlog_prefetch(entry(k)) }
        // Longest first: the first hit gives the most bits.
        var known: UInt64 = 0
        var from = first
        for k in 0..<3 {
            let found = entry(k).pointee
            if found.generation == generation && found.length == UInt32(length(k)) && found.prefix == prefix(k) {
                known = found.keystream
                from = length(k)
                hits += 1
                break
            }
        }
        var stream = cipher.keystream(address, firstBit: UInt32(from))
        // Every remembered length lies in one word, the one `known` belongs to.
        if mapped { stream.low |= known } else { stream.high |= known }
        for k in 0..<3 where length(k) > from {
            entry(k).pointee = Entry(prefix: prefix(k), keystream: Self.word(stream, below: length(k)),
                                     length: UInt32(length(k)), generation: generation)
        }
        return stream
    }
}
