#if canImport(Glibc)
import Glibc
#endif

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

extension Finding {
    /// `path:line:column: type masked` (and the raw value with `showValues`): `scan`'s text line.
    public func textLine(path: String, showValues: Bool = false) -> String {
        var line = "\(path):\(self.line):\(column): \(type) \(masked)"
        if showValues, let raw { line += " \(raw)" }
        return line
    }

    /// The finding as one JSON object (`scan --json`); `value` only with `showValues`.
    public func jsonLine(path: String, showValues: Bool = false) -> String {
        var object = "{\"path\":\(JSONText.quote(path)),\"line\":\(line),\"column\":\(column),"
            + "\"length\":\(length),\"type\":\"\(type)\",\"masked\":\(JSONText.quote(masked))"
        if showValues, let raw { object += ",\"value\":\(JSONText.quote(raw))" }
        return object + "}"
    }
}

/// A chunk's findings, with positions relative to the chunk until the writer knows the line
/// numbers before it: a scan's product in a `ChunkSlot`, reused with the slot.
final class ChunkFindings {
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

    var pending: [Pending] = []
    /// Newlines in the chunk's owned range.
    var newlines = 0
    /// Window offset just after the chunk's last newline, if any.
    var lastLineStart: Int?
}

/// The sink of a scan: masks each match and counts the lines before it.
struct FindingSink: ChunkSink {
    /// Keep raw values (`--show-values`).
    let keepRaw: Bool
    /// Where the chunk's findings go; set per chunk.
    var list = ChunkFindings()
    /// Newlines are counted up to here.
    private var cursor = 0

    init(keepRaw: Bool) { self.keepRaw = keepRaw }

    /// Starts a chunk whose owned range begins at `offset`, into `list`.
    mutating func start(at offset: Int, into list: ChunkFindings) {
        list.pending.removeAll(keepingCapacity: true)
        list.newlines = 0
        list.lastLineStart = nil
        self.list = list
        cursor = offset
    }

    mutating func unchanged(_ range: Range<Int>, of window: UnsafeRawBufferPointer) {}

    mutating func matched(_ span: Span, of window: UnsafeRawBufferPointer) {
        countLines(in: window, upTo: span.start)
        let bytes = UnsafeRawBufferPointer(rebasing: window[span.start..<span.end])
        list.pending.append(ChunkFindings.Pending(windowOffset: span.start, lineInChunk: list.newlines, lineStart: list.lastLineStart,
                                                  length: span.end - span.start, type: span.type,
                                                  masked: Masking.mask(bytes, type: span.type),
                                                  raw: keepRaw ? String(decoding: bytes, as: UTF8.self) : nil))
    }

    mutating func finished(upTo end: Int, of window: UnsafeRawBufferPointer) {
        countLines(in: window, upTo: end)
    }

    /// Counts newlines from the cursor up to `limit`.
    private mutating func countLines(in window: UnsafeRawBufferPointer, upTo limit: Int) {
        guard cursor < limit, let base = window.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var i = cursor
        while i < limit {
            guard let hit = memchr(p + i, Int32(UInt8(ascii: "\n")), limit - i) else { break }
            let at = UnsafeRawPointer(hit) - base
            list.newlines += 1
            list.lastLineStart = at + 1
            i = at + 1
        }
        cursor = max(cursor, limit)
    }
}
