/// One detected item: a byte range of the scanned window and its type.
struct Span: Sendable, Equatable {
    /// Offset of the first byte, relative to the scanned window.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int
    /// What was found.
    public var type: DetectionType
    /// Whether a username span was spread from another occurrence of the name on its line
    /// (not found by a context itself); any span found by a detector wins over it. Declared
    /// here, beside the one-byte `type`, so a span stays 24 bytes.
    var spread = false
    /// A word the scan's `SpanTagger` gave the span (the rewrite's pseudonym cache hint);
    /// 0 when there is none. Not part of the span's identity.
    var tag: UInt32 = 0

    /// Creates a span covering `start..<end`.
    public init(start: Int, end: Int, type: DetectionType) {
        self.start = start
        self.end = end
        self.type = type
    }

    /// Spans are equal when they cover the same bytes as the same type.
    public static func == (a: Span, b: Span) -> Bool { a.start == b.start && a.end == b.end && a.type == b.type }
}

/// Gives each new span a word while its bytes are still in cache (`Span.tag`): what a rewrite
/// needs of them later (the pseudonym cache's set), computed before they leave the cache.
protocol SpanTagger {
    /// Whether spans get tags at all.
    var tagsSpans: Bool { get }
    /// The tag of the `count` bytes at `p`, a match of `type`.
    func tag(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32
}

/// No tags.
struct NoTags: SpanTagger {
    var tagsSpans: Bool { false }
    func tag(_ p: UnsafePointer<UInt8>, _ count: Int, _ type: DetectionType) -> UInt32 { 0 }
}
