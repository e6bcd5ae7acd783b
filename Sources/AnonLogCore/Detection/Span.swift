/// One detected item: a byte range of the scanned window and its type.
public struct Span: Sendable, Equatable {
    /// Offset of the first byte, relative to the scanned window.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int
    /// What was found.
    public var type: DetectionType

    /// Creates a span covering `start..<end`.
    public init(start: Int, end: Int, type: DetectionType) {
        self.start = start
        self.end = end
        self.type = type
    }
}
