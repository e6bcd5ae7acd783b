/// A set of short byte strings (user names) with a membership test that allocates nothing.
///
/// A 64 Ki-bit filter on the first and last bytes and the length rejects almost every word in
/// one load (the first two bytes alone let through every name that starts like `daemon` or
/// `mail`, and a log's names often do), so
/// checking every word of a log against a `--users-file` of thousands of names stays cheap;
/// only words that pass it are hashed and looked up in an open-addressing table.
public struct NameSet: Sendable {
    private var storage: [UInt8] = []
    /// (offset, length) of each name in `storage`, by hash slot; length 0 = empty slot.
    private var slots: [(offset: Int32, length: Int32)]
    private var quickFilter: [UInt64]
    private let mask: Int
    /// The number of names.
    public let count: Int

    /// Builds the set from `names` (empty names are ignored).
    public init(_ names: [String]) {
        let unique = Array(Set(names.filter { !$0.isEmpty }))
        count = unique.count
        var capacity = 16
        while capacity < unique.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = Array(repeating: (0, 0), count: capacity)
        quickFilter = Array(repeating: 0, count: 1024)
        for name in unique {
            let bytes = Array(name.utf8)
            let offset = storage.count
            storage.append(contentsOf: bytes)
            var slot = NameSet.hash(bytes) & mask
            while slots[slot].length != 0 { slot = (slot + 1) & mask }
            slots[slot] = (Int32(offset), Int32(bytes.count))
            let key = NameSet.filterKey(bytes[0], bytes[bytes.count - 1], bytes.count)
            quickFilter[key >> 6] |= 1 << UInt64(key & 63)
        }
    }

    /// True when the set has no names.
    public var isEmpty: Bool { count == 0 }

    /// The filter's bit for a name: its first and last bytes and its length, in 16 bits.
    @inline(__always)
    private static func filterKey(_ first: UInt8, _ last: UInt8, _ length: Int) -> Int {
        (Int(first) << 8 | Int(last)) ^ (length &* 0x9E37 & 0xFFFF)
    }

    private static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h >> 1)
    }

    /// Whether `p[start..<end]` is one of the names.
    @inline(__always)
    public func contains(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard count > 0, length > 0 else { return false }
        let key = NameSet.filterKey(p[start], p[end - 1], length)
        guard quickFilter[key >> 6] & (1 << UInt64(key & 63)) != 0 else { return false }
        return lookup(p, start, length)
    }

    private func lookup(_ p: UnsafePointer<UInt8>, _ start: Int, _ length: Int) -> Bool {
        let word = UnsafeBufferPointer(start: p + start, count: length)
        var slot = NameSet.hash(word) & mask
        while slots[slot].length != 0 {
            let entry = slots[slot]
            if Int(entry.length) == length {
                let offset = Int(entry.offset)
                var same = true
                for k in 0..<length where storage[offset + k] != word[k] {
                    same = false
                    break
                }
                if same { return true }
            }
            slot = (slot + 1) & mask
        }
        return false
    }
}
