/// One match reported by `scan`: where it is and its masked form, never the raw value
/// (unless the operator asked for `--show-values`).
public struct Finding: Sendable, Equatable {
    /// 1-based line number in the decoded stream.
    public var line: Int
    /// 1-based byte column.
    public var column: Int
    /// Length in bytes.
    public var length: Int
    /// What was found.
    public var type: DetectionType
    /// The masked value, e.g. `850709-****`.
    public var masked: String
    /// The raw value, only when `--show-values` asked for it.
    public var raw: String?
}

/// A chunk's findings, with positions relative to the chunk until the writer knows the line
/// numbers before it. Reused from chunk to chunk (one per slot).
public final class FindingList: @unchecked Sendable {
    /// A finding before line numbering: its line within the chunk and that line's start.
    struct Pending {
        var windowOffset: Int
        var lineInChunk: Int
        /// Window offset of the start of its line, or nil when the line began before the chunk.
        var lineStart: Int?
        var length: Int
        var type: DetectionType
        var masked: String
        var raw: String?
    }

    /// Keep raw values (`--show-values`).
    let keepRaw: Bool
    private(set) var pending: [Pending] = []
    /// Newlines in the chunk's output range.
    private(set) var newlines = 0
    /// Window offset just after the chunk's last newline, if any.
    private(set) var lastLineStart: Int?
    private var cursor = 0

    /// Creates an empty list.
    public init(keepRaw: Bool) { self.keepRaw = keepRaw }

    /// Starts a new chunk whose output range begins at `offset`.
    func start(at offset: Int) {
        pending.removeAll(keepingCapacity: true)
        newlines = 0
        lastLineStart = nil
        cursor = offset
    }

    /// Counts newlines from the cursor up to `limit`.
    private func advance(in window: UnsafeRawBufferPointer, to limit: Int) {
        guard cursor < limit, let base = window.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var i = cursor
        while i < limit {
            guard let hit = memchr(p + i, Int32(UInt8(ascii: "\n")), limit - i) else { break }
            let at = UnsafeRawPointer(hit) - base
            newlines += 1
            lastLineStart = at + 1
            i = at + 1
        }
        cursor = max(cursor, limit)
    }

    /// Records `span` (a match the chunk owns).
    func record(_ span: Span, in window: UnsafeRawBufferPointer) {
        advance(in: window, to: span.start)
        let bytes = UnsafeRawBufferPointer(rebasing: window[span.start..<span.end])
        pending.append(Pending(windowOffset: span.start, lineInChunk: newlines, lineStart: lastLineStart,
                               length: span.end - span.start, type: span.type,
                               masked: Masking.mask(bytes, type: span.type),
                               raw: keepRaw ? String(decoding: bytes, as: UTF8.self) : nil))
    }

    /// Counts the rest of the chunk's newlines.
    func finishLines(in window: UnsafeRawBufferPointer, upTo end: Int) {
        advance(in: window, to: end)
    }
}

#if canImport(Glibc)
import Glibc
#endif
