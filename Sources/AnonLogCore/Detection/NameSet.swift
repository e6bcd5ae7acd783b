/// A set of short byte strings (user names) with a membership test that allocates nothing.
///
/// A 64 Ki-bit filter on the first two bytes rejects almost every word in one load, so
/// checking every word of a log against a `--users-file` of thousands of names stays cheap;
/// only words that pass it are hashed and looked up in an open-addressing table.
public struct NameSet: Sendable {
    private var storage: [UInt8] = []
    /// (offset, length) of each name in `storage`, by hash slot; length 0 = empty slot.
    private var slots: [(offset: Int32, length: Int32)]
    private var prefixFilter: [UInt64]
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
        prefixFilter = Array(repeating: 0, count: 1024)
        for name in unique {
            let bytes = Array(name.utf8)
            let offset = storage.count
            storage.append(contentsOf: bytes)
            var slot = NameSet.hash(bytes) & mask
            while slots[slot].length != 0 { slot = (slot + 1) & mask }
            slots[slot] = (Int32(offset), Int32(bytes.count))
            let key = NameSet.prefixKey(bytes[0], bytes.count > 1 ? bytes[1] : 0)
            prefixFilter[key >> 6] |= 1 << UInt64(key & 63)
        }
    }

    /// True when the set has no names.
    public var isEmpty: Bool { count == 0 }

    @inline(__always)
    private static func prefixKey(_ a: UInt8, _ b: UInt8) -> Int { Int(a) << 8 | Int(b) }

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
        let key = NameSet.prefixKey(p[start], length > 1 ? p[start + 1] : 0)
        guard prefixFilter[key >> 6] & (1 << UInt64(key & 63)) != 0 else { return false }
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
