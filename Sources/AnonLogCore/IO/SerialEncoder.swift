/// An encoder that takes the output bytes in order on the writer thread (plain, xz).
protocol SerialEncoder: AnyObject {
    /// Encodes and writes rewritten bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes and writes the trailer.
    func finish() throws
    /// Makes everything written so far readable from the output now (xz: ends the block);
    /// used when a quiet pipe's lines are written early.
    func flush() throws
    /// Starts a new stream (a new xz stream) after `finish`, on the output as it is now (a
    /// reopened file).
    func restart() throws
}

/// Plain output: bytes go straight to the file.
final class PlainEncoder: SerialEncoder {
    private let output: OutputFile
    init(_ output: OutputFile) { self.output = output }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try output.write(bytes) }
    func finish() throws {}
    func flush() throws {}
    func restart() throws {}
}

/// The output side of a rewrite: bytes encoded in order on the writer thread, or gzip, whose
/// chunks the workers compress in parallel (`ParallelGzip`).
enum OutputEncoder {
    case serial(SerialEncoder)
    case parallelGzip(ParallelGzip)

    /// Builds the encoder for `format` writing to `output` (the counterpart of `DecoderFactory`).
    static func make(_ format: CompressionFormat, level: Int, threads: Int, output: OutputFile) throws -> OutputEncoder {
        switch format {
        case .plain: return .serial(PlainEncoder(output))
        case .gzip: return .parallelGzip(ParallelGzip(output, level: level))
        case .xz: return .serial(try XzEncoder(output, level: level, threads: threads))
        }
    }

    /// Flushes and writes the trailer.
    func finish() throws {
        switch self {
        case .serial(let encoder): try encoder.finish()
        case .parallelGzip(let gzip): try gzip.finish()
        }
    }

    /// Makes everything written so far readable now.
    func flush() throws {
        switch self {
        case .serial(let encoder): try encoder.flush()
        case .parallelGzip: break   // every piece already ends with a sync flush
        }
    }

    /// Starts a new stream after `finish`.
    func restart() throws {
        switch self {
        case .serial(let encoder): try encoder.restart()
        case .parallelGzip(let gzip): gzip.restart()
        }
    }
}
