/// Which key epoch each match belongs to (`--key-epoch`): the date of its line when the line
/// carries one, else the fallback date. Exists only when epochs are on.
struct EpochSelector {
    private let epoch: KeyEpoch
    private let useLineDates: Bool
    private let fallbackDate: CalendarDay
    /// Cache generations by epoch label: one epoch's pseudonyms never serve another's.
    private var generationByEpoch: [String: UInt32] = [:]
    /// The line whose date was last read, so a line's spans share one parse.
    private var lastLineStart = -1
    private var lastLineEpoch: String?
    private var lastWindow = 0

    /// A selector for `config`'s epochs; nil when there are none.
    init?(config: TransformConfig) {
        guard config.epoch != .none else { return nil }
        epoch = config.epoch
        useLineDates = config.useLineDates
        fallbackDate = config.fallbackDate
    }

    /// Forgets the last line's date: the next chunk may reuse the same buffer.
    mutating func startChunk() {
        lastLineStart = -1
        lastLineEpoch = nil
    }

    /// The epoch of `span`: its label and its cache generation (from 1, in order of first use).
    mutating func select(for span: Span, in window: UnsafeRawBufferPointer) -> (label: String, generation: UInt32) {
        let label = label(for: span, in: window)
        if let generation = generationByEpoch[label] { return (label, generation) }
        let generation = UInt32(generationByEpoch.count + 1)
        generationByEpoch[label] = generation
        return (label, generation)
    }

    private mutating func label(for span: Span, in window: UnsafeRawBufferPointer) -> String {
        let p = window.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var lineStart = span.start
        while lineStart > 0 && span.start - lineStart < 4096 && p[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        if lineStart == lastLineStart && Int(bitPattern: window.baseAddress) == lastWindow, let label = lastLineEpoch { return label }
        let lineEnd = min(window.count, lineStart + 256)
        let found = useLineDates ? LineDate.find(p + lineStart, lineEnd - lineStart, fallbackYear: fallbackDate.year) : nil
        let label = epoch.label(found ?? fallbackDate) ?? ""
        lastLineStart = lineStart
        lastWindow = Int(bitPattern: window.baseAddress)
        lastLineEpoch = label
        return label
    }
}
