/// Where detectors append their matches: the scanner's `SpanBuffer` in a scan, a `[Span]` in
/// the tests that call detectors one by one.
protocol SpanAppending {
    /// Adds `span` at the end.
    mutating func append(_ span: Span)
    /// How many spans there are.
    var count: Int { get }
}

extension Array: SpanAppending where Element == Span {}

/// The scanner's matches, in memory its `SpanStorage` owns.
///
/// An append is a capacity test and a store: `[Span].append` called out of line twice per
/// match (to make the buffer unique, then to check its capacity), and an app log's chunk has
/// hundreds of thousands of matches.
///
/// `@unchecked Sendable`: it is a pointer into memory a `SpanStorage` owns, held by one
/// scanner; a scanner that finds its storage shared (a copy) takes a new one before writing.
struct SpanBuffer: SpanAppending, @unchecked Sendable {
    /// The first span.
    private(set) var base: UnsafeMutablePointer<Span>
    /// Room for this many before a `grow`.
    private(set) var capacity: Int
    /// Spans held.
    var count = 0

    /// A buffer with room for `capacity` spans (at least one).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// Adds `span` at the end.
    @inline(__always)
    mutating func append(_ span: Span) {
        if count == capacity { grow() }
        (base + count).initialize(to: span)
        count += 1
    }

    /// Doubles the room, keeping the spans.
    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Span>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Span `index` (below `count`).
    @inline(__always)
    subscript(index: Int) -> Span {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// The spans as a buffer (valid until the next append or `free`).
    var view: UnsafeBufferPointer<Span> { UnsafeBufferPointer(start: base, count: count) }

    /// Keeps the first `count` spans.
    @inline(__always)
    mutating func truncate(to count: Int) { self.count = count }

    /// Frees the memory (the storage's last act).
    func free() { base.deallocate() }
}

/// Owns a scanner's `SpanBuffer` between scans, and frees it with the scanner. A class only
/// for the `deinit`: the scanner that holds one is per-worker state and replaces a shared one
/// before scanning (as it does its candidate batch), which is what `@unchecked Sendable` means.
final class SpanStorage: @unchecked Sendable {
    /// The spans of the last scan.
    var buffer = SpanBuffer(capacity: 4096)

    deinit { buffer.free() }
}
