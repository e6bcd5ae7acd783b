import CByteMasks
import CMapGuard
import Dispatch
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
    /// Set when a stop signal ended the reading before the input's end.
    private(set) var stoppedBySignal = false
    /// The error that ended a live stream early (its data up to then is written).
    private(set) var streamError: AnonLogError?
    private var reportedDrop = false
    /// Bytes of an unfinished last line dropped after a stop (see `completeOrDropLastLine`).
    private(set) var droppedBytes = 0
    /// Bytes read from a pipe after a stop signal (what it held then).
    private var drainedAfterStop = 0
    /// The most read after a stop: more than a pipe holds (`PipeSize` enlarges pipes to 1 MiB).
    private static let drainLimit = 2 << 20
    /// Reopen requests already passed on to a chunk.
    private var reopensSeen: UInt32 = anonlog_stream_reopen_count()

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
        let (decoder, format) = try DecoderFactory.make(file, format: options.inputFormat, threads: options.threads,
                                                        xzMemoryLimit: options.xzMemoryLimit)
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
    ///
    /// From a pipe, the chunk is also cut early (after its last complete line) when the input
    /// has been quiet for `flushInterval` since the first complete line arrived, or when a
    /// reopen is requested; a stop signal ends the stream with everything read so far.
    func fill(_ slot: ChunkSlot) throws -> Bool {
        slot.flushAfter = false
        slot.reopenAfter = false
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
        var atEnd = stoppedBySignal || streamError != nil
        var cutEarly = false
        let follows = options.followsSignals
        // When the body's first complete line arrived (nanoseconds), for the flush deadline.
        var lineSince: UInt64? = memchr(input.base + lookbehind, Int32(UInt8(ascii: "\n")), input.count - lookbehind) == nil
            ? nil : DispatchTime.now().uptimeNanoseconds
        while !atEnd && input.count < wanted {
            if follows {
                if anonlog_stream_stop_level() > 0 {
                    // Stop reading, but take what a pipe already holds: lines the writer sent
                    // before the signal are not lost with the pipe. At most a pipe's worth, so
                    // a writer that never pauses (`yes |`) cannot keep the drain going.
                    if drainedAfterStop >= Self.drainLimit {
                        stoppedBySignal = true
                        atEnd = true
                        break
                    } else if let file = current?.file, file.isStream, file.available.isEmpty,
                       case .readable = StreamWait.wait(input: file.descriptor, wake: -1, timeout: 0) {
                        // Falls through to the read, which will not wait.
                    } else if let file = current?.file, file.isStream, !file.available.isEmpty {
                        // Buffered bytes: read them.
                    } else {
                        stoppedBySignal = true
                        atEnd = true
                        break
                    }
                    let n = try read(into: input.base + input.count, capacity: wanted - input.count)
                    if n == 0 {
                        stoppedBySignal = true
                        atEnd = true
                        break
                    }
                    input.count += n
                    drainedAfterStop += n
                    continue
                }
                let reopens = anonlog_stream_reopen_count()
                if reopens != reopensSeen {
                    reopensSeen = reopens
                    slot.reopenAfter = true
                    cutEarly = true
                    break
                }
            }
            if let file = current?.file, file.isStream, file.available.isEmpty, follows || lineSince != nil {
                // Nothing buffered: wait for input, a signal, or the flush deadline.
                var timeout: Int32 = -1
                if let lineSince {
                    let deadline = lineSince &+ UInt64(max(0, options.flushInterval) * 1e9)
                    let now = DispatchTime.now().uptimeNanoseconds
                    timeout = now >= deadline ? 0 : Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
                }
                switch StreamWait.wait(input: file.descriptor, wake: follows ? anonlog_stream_wake_fd() : -1, timeout: timeout) {
                case .timeout:
                    slot.flushAfter = true
                    cutEarly = true
                case .woken:
                    anonlog_stream_drain_wake()
                    continue
                case .readable:
                    break
                }
                if cutEarly { break }
            }
            let n: Int
            do {
                n = try read(into: input.base + input.count, capacity: wanted - input.count)
            } catch let error as AnonLogError where follows && current?.file.isStream == true {
                // A live stream that turns out corrupt or truncated (a gzip producer killed)
                // ends here: what was read is written, so lines already flushed stay, and the
                // run reports the error afterwards.
                streamError = error
                atEnd = true
                break
            }
            if n == 0 { atEnd = true; break }
            if lineSince == nil && current?.file.isStream == true
                && memchr(input.base + input.count, Int32(UInt8(ascii: "\n")), n) != nil {
                lineSince = DispatchTime.now().uptimeNanoseconds
            }
            input.count += n
        }
        if stoppedBySignal && input.count > lookbehind && input.base.load(fromByteOffset: input.count - 1, as: UInt8.self) != UInt8(ascii: "\n") {
            try completeOrDropLastLine(input, lookbehind: lookbehind)
        } else if streamError != nil && !reportedDrop {
            // The data ends inside a line: keep whole lines only.
            reportedDrop = true
            let end = anonlog_line_start(input.base.assumingMemoryBound(to: UInt8.self), lookbehind, input.count)
            droppedBytes += input.count - end
            input.count = end
        }
        let dataEnd = input.count
        if cutEarly {
            // After the last complete line; a partial one waits in the carry. The body may be
            // empty (a reopen with no complete line read): the chunk still carries the request.
            let cut = anonlog_line_start(input.base.assumingMemoryBound(to: UInt8.self), lookbehind, dataEnd)
            finish(slot, lookbehind: lookbehind, cut: cut, dataEnd: dataEnd)
            return true
        }
        guard dataEnd > lookbehind else { return false }
        let limit = min(lookbehind + options.chunkSize, dataEnd)
        let cut = atEnd && dataEnd <= limit
            ? dataEnd
            : input.withBytes { ChunkCutter.cut($0, from: lookbehind, limit: limit) }
        finish(slot, lookbehind: lookbehind, cut: cut, dataEnd: dataEnd)
        return true
    }

    /// After a stop, the data read ends inside a line. Its rest is read when it is there (the
    /// rest of a file; a pipe's next bytes within 100 ms); a line still unfinished is dropped
    /// and counted: cut off, an address or name may no longer be recognised, and it would go
    /// out raw.
    private func completeOrDropLastLine(_ input: ChunkBuffer, lookbehind: Int) throws {
        let limit = input.count + (1 << 20)
        var ended = false
        while !ended && input.count < limit, let (file, decoder) = current {
            if file.isStream && file.available.isEmpty {
                guard case .readable = StreamWait.wait(input: file.descriptor, wake: -1, timeout: 100) else { break }
            }
            input.reserve(extra: 64 << 10)
            let n = try decoder.read(into: input.base + input.count, capacity: min(64 << 10, limit - input.count))
            if n == 0 { break }
            ended = memchr(input.base + input.count, Int32(UInt8(ascii: "\n")), n) != nil
            input.count += n
        }
        // Keep whole lines only.
        let end = anonlog_line_start(input.base.assumingMemoryBound(to: UInt8.self), lookbehind, input.count)
        droppedBytes += input.count - end
        input.count = end
    }

    /// Sets the slot's window for a body ending at `cut`; what follows goes to the carry.
    private func finish(_ slot: ChunkSlot, lookbehind: Int, cut: Int, dataEnd: Int) {
        let input = slot.input
        slot.windowStart = streamOffset - lookbehind
        slot.body = lookbehind..<cut
        slot.windowCount = min(cut + Pipeline.lookaround, dataEnd)
        carry.append(input.base + cut, dataEnd - cut)
        // The next lookbehind: the last `lookaround` bytes up to the cut.
        let keep = min(Pipeline.lookaround, cut)
        history.count = 0
        history.append(input.base + cut - keep, keep)
        streamOffset += cut - lookbehind
        progress.store(rawBytesRead, ordering: .relaxed)
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
        if options.followsSignals && anonlog_stream_stop_level() > 0 {
            stoppedBySignal = true
            return false
        }
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
