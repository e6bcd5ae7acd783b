import CByteMasks

/// The single pass over a window of bytes that finds every detected type.
///
/// The window is classified 64 bytes at a time into bit masks (`anonlog_byte_masks`, SSE2);
/// shifts and ANDs of those masks give the candidate positions (for IPv4: a `.` right after a
/// digit), and only candidates are verified, in place, by the detectors. Bytes that cannot
/// start a match cost a fraction of an instruction each. Spans come out sorted and
/// non-overlapping. A scanner is per-worker state: `spans` is reused, so after warm-up a scan
/// allocates nothing.
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
        var resume = 0
        var previousDigit: UInt64 = 0
        var block = 0
        while block < n {
            let masks = block + 64 <= n
                ? anonlog_byte_masks(p + block)
                : anonlog_byte_masks_partial(p + block, Int32(n - block))
            // Where a dotted quad's first dot can be: a digit before it, a digit after it and
            // another dot 2-4 bytes on. Bits whose neighbours lie in the next block are kept
            // (the filter may pass too much, never too little); verification decides.
            let digitBefore = (masks.digit << 1) | previousDigit
            let digitAfter = (masks.digit >> 1) | (1 << 63)
            let dotSoon = (masks.dot >> 2) | (masks.dot >> 3) | (masks.dot >> 4) | (0xF << 60)
            var candidates = masks.dot & digitBefore & digitAfter & dotSoon
            previousDigit = masks.digit >> 63
            while candidates != 0 {
                let position = block + candidates.trailingZeroBitCount
                candidates &= candidates &- 1
                if position < resume { continue }
                var next = position + 1
                if let span = IPv4Detector.match(p, count: n, dot: position, resume: &next) {
                    spans.append(span)
                }
                resume = next
            }
            block += 64
        }
    }
}
