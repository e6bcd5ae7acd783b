import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The reader thread's work: open each input in turn, decode it, cut the concatenated stream
/// into line-aligned chunks and hand them to the workers.
final class ChunkReader {
    /// Raw bytes read so far, published for the progress line on another thread.
    let progress = Atomic<Int>(0)
    /// The inputs' total size on disk, when every input is a regular file (for % and ETA).
    let totalSize: Int?
    private let sources: [InputSource]
    private let options: PipelineOptions
    private var current: (file: InputFile, decoder: Decoder)?
    private var nextPath = 0
    /// The last `lookaround` bytes before the next body, its lookbehind.
    private let history = ChunkBuffer(capacity: Pipeline.lookaround)
    /// Decoded bytes not yet in a body, copied from the previous slot.
    private let carry = ChunkBuffer(capacity: 1 << 16)
    private var streamOffset = 0
    private var finishedFiles: [InputFile] = []
    /// Decoded bytes produced (for `--stats`).
    private(set) var decodedBytes = 0
    /// The input, when it is one plain regular file: chunks are then windows into it.
    private let mapped: MappedFile?

    /// The format of the first input, which is the default output format.
    let firstFormat: CompressionFormat

    /// Opens the first input now, so that a missing file or its format is known before any
    /// thread starts.
    init(sources: [InputSource], options: PipelineOptions) throws {
        self.sources = sources.isEmpty ? [.standardInput] : sources
        self.options = options
        let opened = try ChunkReader.open(self.sources[0], options: options)
        var total = opened.file.regularSize ?? 0
        var known = opened.file.regularSize != nil
        for source in self.sources.dropFirst() {
            // Later inputs are opened when reached; their size here only sizes caches and the ETA.
            if let size = source.sizeEstimate { total += size } else { known = false }
        }
        totalSize = known ? total : nil
        current = (opened.file, opened.decoder)
        firstFormat = opened.format
        nextPath = 1
        // Only a single input: a window must be contiguous, and concatenated files are not.
        mapped = self.sources.count == 1 && opened.format == .plain ? opened.file.mapWhole() : nil
    }

    /// About how many bytes the inputs decode to (nil: unknown, as for a pipe): their size on
    /// disk, or ten times it when the first is compressed; sizes the per-worker caches.
    var expectedBytes: Int? {
        guard let totalSize else { return nil }
        return firstFormat == .plain ? totalSize : totalSize.multipliedReportingOverflow(by: 10).partialValue
    }

    /// Raw bytes read from all inputs so far.
    var rawBytesRead: Int {
        if mapped != nil { return decodedBytes }
        return finishedFiles.reduce(0) { $0 + $1.bytesRead } + (current?.file.bytesRead ?? 0)
    }

    private static func open(_ source: InputSource, options: PipelineOptions) throws
        -> (file: InputFile, decoder: Decoder, format: CompressionFormat)
    {
        let file: InputFile
        switch source {
        case .standardInput: file = InputFile(standardInputWithBufferSize: 1 << 20)
        case .named(let path): file = InputFile(try PathResolver.openForReading(path))
        case .opened(let opened): file = InputFile(opened)
        }
        let (decoder, format) = try DecoderFactory.make(file, format: options.inputFormat, threads: options.threads)
        return (file, decoder, format)
    }

    /// Decodes into `destination`, moving on to the next input at the end of one; 0 at the end
    /// of the last.
    private func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while let (file, decoder) = current {
            let n = try decoder.read(into: destination, capacity: capacity)
            if n > 0 {
                decodedBytes += n
                return n
            }
            finishedFiles.append(file)
            current = nil
            if nextPath < sources.count {
                let opened = try ChunkReader.open(sources[nextPath], options: options)
                current = (opened.file, opened.decoder)
                nextPath += 1
            }
        }
        return 0
    }

    /// Fills `slot` with the next chunk; false when the stream has ended (slot unused).
    func fill(_ slot: ChunkSlot) throws -> Bool {
        if let mapped { return fill(slot, from: mapped) }
        slot.mappedWindow = nil
        let lookaround = Pipeline.lookaround
        let input = slot.input
        input.count = 0
        input.append(UnsafeRawBufferPointer(start: history.base, count: history.count))
        let lookbehind = input.count
        input.append(UnsafeRawBufferPointer(start: carry.base, count: carry.count))
        carry.count = 0
        let wanted = lookbehind + options.chunkSize + lookaround
        input.reserve(extra: wanted - input.count)
        var atEnd = false
        while input.count < wanted {
            let n = try read(into: input.base + input.count, capacity: wanted - input.count)
            if n == 0 { atEnd = true; break }
            input.count += n
        }
        let dataEnd = input.count
        guard dataEnd > lookbehind else { return false }
        let limit = min(lookbehind + options.chunkSize, dataEnd)
        let cut = atEnd && dataEnd <= limit
            ? dataEnd
            : input.withBytes { ChunkCutter.cut($0, from: lookbehind, limit: limit) }
        slot.windowStart = streamOffset - lookbehind
        slot.body = lookbehind..<cut
        slot.windowCount = min(cut + lookaround, dataEnd)
        carry.append(input.base + cut, dataEnd - cut)
        // The next lookbehind: the last `lookaround` bytes up to the cut.
        let keep = min(lookaround, cut)
        history.count = 0
        history.append(input.base + cut - keep, keep)
        streamOffset += cut - lookbehind
        progress.store(rawBytesRead, ordering: .relaxed)
        return true
    }

    /// `fill` for a mapped input: the window is the file's own bytes around the body, so there
    /// is no copy, no carry and no history to keep.
    private func fill(_ slot: ChunkSlot, from mapped: MappedFile) -> Bool {
        // A slot comes back only after its chunk was written: its pages may go.
        if let finished = slot.mappedWindow {
            mapped.release(finished)
            slot.mappedWindow = nil
        }
        let file = mapped.bytes
        let bodyStart = decodedBytes
        guard bodyStart < file.count else { return false }
        let limit = min(bodyStart + options.chunkSize, file.count)
        let cut = limit == file.count ? limit : ChunkCutter.cut(file, from: bodyStart, limit: limit)
        let windowStart = max(0, bodyStart - Pipeline.lookaround)
        let windowEnd = min(file.count, cut + Pipeline.lookaround)
        mapped.prefault(bodyStart..<windowEnd)
        slot.mappedWindow = UnsafeRawBufferPointer(rebasing: file[windowStart..<windowEnd])
        slot.windowStart = windowStart
        slot.body = (bodyStart - windowStart)..<(cut - windowStart)
        slot.windowCount = windowEnd - windowStart
        decodedBytes = cut
        streamOffset = cut
        progress.store(cut, ordering: .relaxed)
        return true
    }
}
