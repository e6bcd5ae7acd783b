#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single pass over a window of bytes that finds every detected type.
///
/// It searches for cheap trigger bytes with `memchr` (vectorised in libc) and verifies each
/// candidate in place, so bytes that cannot start a match are looked at once. Spans come out
/// sorted and non-overlapping. A scanner is per-worker state: `spans` is reused, so after
/// warm-up a scan allocates nothing.
public struct Scanner: Sendable {
    /// The spans of the last `scan`, sorted by start; reused between calls.
    public private(set) var spans: [Span] = []

    /// Creates a scanner with room for a typical chunk's matches.
    public init() { spans.reserveCapacity(4096) }

    /// Finds all matches in `window`, replacing `spans`.
    public mutating func scan(_ window: UnsafeRawBufferPointer) {
        spans.removeAll(keepingCapacity: true)
        guard let raw = window.baseAddress, window.count > 0 else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = window.count
        var i = 0
        while i < n {
            guard let hit = memchr(p + i, Int32(UInt8(ascii: ".")), n - i) else { break }
            let dot = UnsafeRawPointer(hit) - raw
            var resume = dot + 1
            if let span = IPv4Detector.match(p, count: n, dot: dot, resume: &resume) {
                spans.append(span)
            }
            i = resume
        }
    }
}
