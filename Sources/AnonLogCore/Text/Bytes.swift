/// Small byte-string helpers for the detectors; no allocation.
enum Bytes {
    /// Four ASCII bytes as the little-endian `UInt32` an unaligned load of them gives.
    @inline(__always)
    static func word(_ text: StaticString) -> UInt32 {
        let b = text.utf8Start
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    /// Whether the bytes at `p` equal `word` (ASCII), ignoring the case of letters in `p`.
    @inline(__always)
    static func equalsLowercased(_ p: UnsafePointer<UInt8>, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where p[k] | (ByteClass.isLetter(p[k]) ? 0x20 : 0) != w[k] { return false }
        return true
    }

    /// Whether the bytes at `p` equal `word` exactly.
    @inline(__always)
    static func equals(_ p: UnsafePointer<UInt8>, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where p[k] != w[k] { return false }
        return true
    }

    /// Whether `p[start..<end]` holds `word` ending exactly at `end` (bounds-checked).
    @inline(__always)
    static func endsWith(_ p: UnsafePointer<UInt8>, _ end: Int, _ word: StaticString, from lowest: Int = 0) -> Bool {
        let length = word.utf8CodeUnitCount
        return end - length >= lowest && equals(p + end - length, word)
    }

    /// Whether the bytes from `start` begin with `word` (bounds-checked against `n`).
    @inline(__always)
    static func startsWith(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ word: StaticString) -> Bool {
        start + word.utf8CodeUnitCount <= n && equals(p + start, word)
    }
}
