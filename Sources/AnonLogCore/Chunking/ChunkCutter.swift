import CByteMasks

/// Chooses where a chunk ends, so that chunks are line-aligned whenever lines allow it.
enum ChunkCutter {
    /// The end of the body within `bytes[from..<limit]`: just after the last newline; failing
    /// that just after the last byte no match can contain (space, quote, comma, …); failing that
    /// `limit` itself (a token may then straddle the cut, which the chunk's lookahead and the
    /// pipeline's seam check handle).
    public static func cut(_ bytes: UnsafeRawBufferPointer, from: Int, limit: Int) -> Int {
        precondition(from <= limit && limit <= bytes.count)
        guard limit > from, let base = bytes.baseAddress else { return limit }
        // The last newline: usually a few hundred bytes back, but in a line longer than a chunk
        // the whole chunk is searched, so 64 bytes at a time (`WordSearch.h`).
        let lineStart = anonlog_line_start(base.assumingMemoryBound(to: UInt8.self), from, limit)
        if lineStart > from { return lineStart }
        let separators = ByteClass.separators
        var i = limit
        while i > from {
            if separators[Int(bytes[i - 1])] { return i }
            i -= 1
        }
        return limit
    }
}
