/// One detected item: a byte range of the scanned window and its type.
public struct Span: Sendable, Equatable {
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
    /// The pseudonym cache hash of the span's bytes (its low bits pick the cache set), with
    /// `ReplacementCache.hintValid` set, when the scanner computed it while the bytes were in
    /// cache; 0 otherwise. Not part of the span's identity.
    var cacheSlot: UInt32 = 0

    /// Creates a span covering `start..<end`.
    public init(start: Int, end: Int, type: DetectionType) {
        self.start = start
        self.end = end
        self.type = type
    }

    /// Spans are equal when they cover the same bytes as the same type.
    public static func == (a: Span, b: Span) -> Bool { a.start == b.start && a.end == b.end && a.type == b.type }
}
