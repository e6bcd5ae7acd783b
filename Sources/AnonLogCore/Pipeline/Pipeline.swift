// The pipeline: reader -> workers -> ordered writer.
//
// One reader thread reads and decodes the input (inflate, liblzma and zstd are inherently
// serial per stream, except anonlog's own gzip members, which `ParallelGzipDecoder` inflates
// on several threads; ISA-L's inflate is rarely the limit) and cuts the decoded stream into chunks of
// about 1 MiB that end at a newline. Each chunk travels in a `ChunkSlot` with the 4 KiB before
// it (lookbehind, so a worker sees the context and word boundary before its first byte) and the
// 4 KiB after it (lookahead, so a match that runs past a cut without newline is still seen
// whole). 1 MiB is large enough that the per-chunk costs (a queue hand-off, a gzip member's header
// and trailer, ~8 KiB of lookaround) are small next to the chunk's own work, and
// small enough that 2N+4 slots keep memory near 3 MiB per slot whatever the input size: a
// 50 GB log and a 50 MB log need the same memory.
//
// A single plain input file of at least 1 MiB (owned by root or the invoking user) is mapped
// (`MappedFile`): a chunk is then a window into the page cache, lookbehind and lookahead
// included, and the reader only chooses cuts and asks the kernel to map the next pages ahead of
// the worker. That saves the `read` copy of every byte. A mapped file is read up to its size
// at opening (lines appended later wait for the next run); one truncated under us ends the run
// with exit 2 and a line naming it (`MapGuard.h`). Inputs known to fit in one chunk skip the
// threads altogether (`driveInline`): starting them and allocating the slot pool costs more
// than scanning a small file, and scans and sweeps meet thousands of those.
//
// What happens to a chunk is a `PipelineJob`: a rewrite (`RewriteJob`) or a scan (`ScanJob`).
// N worker threads (`-j`, default one per core) take work from one FIFO queue: "process this
// chunk" from the reader and, for gzip output, "compress this chunk" from the writer. Each
// worker owns its `ChunkWorker` (scanner, sink, caches) and deflate state for its whole life
// (share nothing, as pigz gives each thread its own compressor), so the hot
// path takes no lock per match. A worker runs a `ChunkSearcher` over the chunk's window into
// its sink: a rewrite copies and replaces, a scan masks and records findings.
//
// The writer (the calling thread) receives finished work in any order and puts it back in
// sequence (`OrderedWriter`). For each chunk in order it checks the seam: the chunk assumed
// that a match straddling its start belonged to the previous chunk; if the previous chunk's
// range in fact ended elsewhere (only possible when a chunk had to be cut mid-line, inside a
// run of 1 MiB without a newline), the writer processes the chunk again with the true start.
// This makes the output independent of the chunk size and the thread count. Then the job
// takes the chunk: a scan numbers its findings' lines and reports them; a rewrite writes
// plain and xz output through a serial encoder, and hands gzip chunks back to the workers to
// compress, each into a gzip member of its own (`ParallelGzip`), before writing them in order.
//
// The reader, worker and writer steps are the functions `read`, `work` and `write` below:
// `driveThreads` runs them on threads joined by queues, `driveInline` calls them in sequence
// on one thread for an input of one chunk.
//
// Backpressure: the reader must take a free slot from the pool before it reads, and a slot
// returns only after its chunk is written, so at most 2N+4 chunks are in flight. An error on
// any thread closes every queue; the other threads see nil from their next pop and exit, and
// `run` throws the first error.

import CMapGuard
import Crypto
import Foundation

/// The streaming, multi-threaded filter: inputs -> decode -> rewrite -> encode -> output.
public struct Pipeline: Sendable {
    /// Bytes of context before and after each chunk body; longer than any match and its context.
    public static let lookaround = 4096

    /// The number of cores this process may use.
    public static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The validated options.
    public let options: PipelineOptions

    /// Creates a pipeline with `options`.
    public init(options: PipelineOptions) { self.options = options }

    /// Runs the named inputs (concatenated; empty or `-` means stdin) to `outputDescriptor`.
    public func run(inputs: [String], outputDescriptor: Int32, outputName: String) throws -> PipelineStats {
        try run(sources: inputs.map(InputSource.init(argument:)), outputDescriptor: outputDescriptor, outputName: outputName)
    }

    /// Runs the sources (concatenated; empty means stdin) to `outputDescriptor`.
    /// The output format is `options.outputFormat`, else the first input's. `reopen`, when
    /// given, closes the output and returns a new descriptor for it; a reopen request
    /// (SIGHUP/SIGUSR1 with `followsSignals`) then finishes the stream, reopens and goes on.
    public func run(sources: [InputSource], outputDescriptor: Int32, outputName: String,
                    reopen: (() throws -> Int32)? = nil) throws -> PipelineStats {
        let started = DispatchTime.now()
        let reader = try ChunkReader(sources: sources, options: options)
        let format = options.outputFormat ?? reader.firstFormat
        let output = OutputFile(fd: outputDescriptor, name: outputName)
        let encoder = try OutputEncoder.make(format, level: options.level ?? format.defaultLevel,
                                             threads: options.threads, output: output)
        let reopenOutput: (() throws -> Void)? = reopen.map { reopen in
            {
                try encoder.finish()
                output.replace(descriptor: try reopen())
                try encoder.restart()
            }
        }
        var job = RewriteJob(options: options, encoder: encoder, hashes: options.digests ? (SHA256(), SHA256()) : nil,
                             reopenOutput: reopenOutput)
        var stats = try drive(reader: reader, job: &job)
        if let digests = job.digests() {
            stats.inputDigest = digests.input
            stats.outputDigest = digests.output
        }
        try encoder.finish()
        stats.bytesOut = output.bytesWritten
        Self.record(reader, since: started, followsSignals: options.followsSignals, in: &stats)
        return stats
    }

    /// Byte counts and wall time of a finished run.
    static func record(_ reader: ChunkReader, since started: DispatchTime, followsSignals: Bool, in stats: inout PipelineStats) {
        stats.rawBytesIn = reader.rawBytesRead
        stats.decodedBytes = reader.decodedBytes
        stats.streamError = reader.streamError
        if reader.streamError != nil { stats.droppedPartialLine = reader.droppedBytes }
        if followsSignals && anonlog_stream_stop_level() > 0 {
            stats.stoppedBySignal = anonlog_stream_stop_signal()
            stats.inputCutShort = reader.totalSize.map { reader.rawBytesRead < $0 } ?? false
            stats.droppedPartialLine = reader.droppedBytes
        }
        stats.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    }

    private enum Job {
        case process(ChunkSlot)
        case compress(ChunkSlot)
    }

    private enum Done {
        case processed(ChunkSlot)
        case compressed(ChunkSlot)
        case inputEnded(chunks: Int)
        case failed(AnonLogError)
    }

    /// Runs the input through reader, workers and writer, delivering every chunk to `job` in
    /// order; an input known to fit in one chunk runs on this thread alone.
    func drive<J: PipelineJob>(reader: ChunkReader, job: inout J) throws -> PipelineStats {
        // The seam worker sees a few chunks per run at most: its caches are the smallest.
        var writer = OrderedWriter(job: job, seamWorker: job.makeWorker(inputBytes: 0))
        defer { job = writer.job }
        // A compressed file may decode to ten times its size; only a small one is one chunk.
        let inlineLimit = reader.firstFormat == .plain ? options.chunkSize : options.chunkSize / 16
        if let size = reader.totalSize, size <= inlineLimit {
            return try driveInline(reader: reader, writer: &writer, size: size)
        }
        return try driveThreads(reader: reader, writer: &writer)
    }

    /// Whether a second SIGTERM/SIGINT asked to stop at once.
    private var abandonRequested: Bool { options.followsSignals && anonlog_stream_stop_level() >= 2 }

    /// The reader step: fills `slot` with the next chunk and numbers it; false at the end.
    private static func read(_ reader: ChunkReader, into slot: ChunkSlot, sequence: inout Int) throws -> Bool {
        guard try reader.fill(slot) else { return false }
        slot.sequence = sequence
        sequence += 1
        return true
    }

    /// The worker step: one piece of work done with this thread's worker and deflater.
    private static func work<W: ChunkWorker>(_ job: Job, worker: inout W, deflater: ChunkDeflater?) -> Done {
        switch job {
        case .process(let slot):
            slot.result = worker.process(slot, startAt: nil)
            return .processed(slot)
        case .compress(let slot):
            ParallelGzip.compress(slot, with: deflater!)
            return .compressed(slot)
        }
    }

    /// The writer step: takes finished work; chunks that go on to be compressed are passed to
    /// `schedule`, chunks that are done to `release`.
    private static func write<J: PipelineJob>(_ done: Done, writer: inout OrderedWriter<J>, compressing: Bool,
                                              schedule: (Job) -> Void, release: (ChunkSlot) -> Void) throws {
        switch done {
        case .processed(let slot):
            try writer.accept(processed: slot) { ready in
                if compressing { schedule(.compress(ready)) } else { release(ready) }
            }
        case .compressed(let slot):
            try writer.accept(compressed: slot, release: release)
        case .inputEnded(let chunks):
            writer.totalChunks = chunks
        case .failed(let error):
            throw error
        }
    }

    /// The pipeline's steps in sequence on this thread, with one slot sized to the input.
    ///
    /// For a file of one chunk the threads buy no parallelism, and starting two of them and
    /// allocating 2N+4 slots of 2 MiB costs more than scanning a small file, and a scan or
    /// sweep meets thousands of those. The steps are those of `driveThreads`, so the output is
    /// the same byte for byte.
    private func driveInline<J: PipelineJob>(reader: ChunkReader, writer: inout OrderedWriter<J>, size: Int) throws -> PipelineStats {
        let slot = ChunkSlot(chunkSize: max(size, 4096))
        var worker = writer.job.makeWorker(inputBytes: reader.expectedBytes)
        let gzip = writer.job.parallelGzip
        let deflater = gzip.map { ChunkDeflater(level: $0.level) }
        var sequence = 0
        while try Pipeline.read(reader, into: slot, sequence: &sequence) {
            if abandonRequested {
                var stats = writer.stats
                stats.abandoned = true
                return stats
            }
            var pending = [Job.process(slot)]
            while let job = pending.popLast() {
                let done = Pipeline.work(job, worker: &worker, deflater: deflater)
                try Pipeline.write(done, writer: &writer, compressing: gzip != nil, schedule: { pending.append($0) }, release: { _ in })
            }
        }
        try Pipeline.write(.inputEnded(chunks: sequence), writer: &writer, compressing: gzip != nil, schedule: { _ in }, release: { _ in })
        if !writer.isComplete { throw AnonLogError(.internal, "pipeline stopped before the end of the input") }
        return writer.stats
    }

    /// Starts the reader and the workers and runs the ordered writer on this thread.
    private func driveThreads<J: PipelineJob>(reader: ChunkReader, writer: inout OrderedWriter<J>) throws -> PipelineStats {
        let threads = options.threads
        let pool = BlockingQueue<ChunkSlot>()
        for _ in 0..<(2 * threads + 4) { pool.push(ChunkSlot(chunkSize: options.chunkSize)) }
        let jobs = BlockingQueue<Job>()
        let done = BlockingQueue<Done>()
        let running = DispatchGroup()
        let gzip = writer.job.parallelGzip
        let compressing = gzip != nil
        let level = gzip?.level ?? 0

        let readerBox = UncheckedBox(reader)
        running.enter()
        let readerThread = Thread {
            defer { running.leave() }
            let reader = readerBox.value
            var sequence = 0
            do {
                while let slot = pool.pop() {
                    guard try Pipeline.read(reader, into: slot, sequence: &sequence) else {
                        pool.push(slot)
                        break
                    }
                    guard jobs.push(.process(slot)) else { return }
                }
                done.push(.inputEnded(chunks: sequence))
            } catch let error as AnonLogError {
                done.push(.failed(error))
            } catch {
                done.push(.failed(AnonLogError(.internal, "\(error)")))
            }
        }
        readerThread.name = "anonlog-reader"
        readerThread.start()

        for index in 0..<threads {
            running.enter()
            // Made here, moved into the thread that owns it from then on.
            let workerBox = UncheckedBox(writer.job.makeWorker(inputBytes: reader.expectedBytes))
            let worker = Thread {
                defer { running.leave() }
                var worker = workerBox.value
                let deflater = compressing ? ChunkDeflater(level: level) : nil
                while let job = jobs.pop() { done.push(Pipeline.work(job, worker: &worker, deflater: deflater)) }
            }
            worker.name = "anonlog-worker-\(index)"
            worker.start()
        }

        let started = DispatchTime.now()
        var lastProgress = 0.0
        var failure: AnonLogError?
        var abandoned = false
        while let message = done.pop() {
            if abandonRequested {
                abandoned = true
                break
            }
            do {
                try Pipeline.write(message, writer: &writer, compressing: compressing, schedule: { jobs.push($0) }, release: { pool.push($0) })
            } catch let error as AnonLogError {
                failure = error
                break
            }
            if writer.isComplete { break }
            if let progress = options.progress {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                if seconds > 2 && seconds - lastProgress >= 0.5 {
                    lastProgress = seconds
                    progress(reader.progress.load(ordering: .relaxed), reader.totalSize, seconds)
                }
            }
        }
        jobs.close()
        pool.close()
        done.close()
        running.wait()
        if let failure { throw failure }
        if abandoned {
            var stats = writer.stats
            stats.abandoned = true
            return stats
        }
        if !writer.isComplete { throw AnonLogError(.internal, "pipeline stopped before the end of the input") }
        return writer.stats
    }
}

/// Moves a non-Sendable reference into the one thread that uses it from then on.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
