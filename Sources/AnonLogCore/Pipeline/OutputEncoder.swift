/// The output side of a rewrite: bytes encoded in order on the writer thread, or gzip, whose
/// chunks the workers compress in parallel (`ParallelGzip`).
enum OutputEncoder {
    case serial(SerialEncoder)
    case parallelGzip(ParallelGzip)

    /// Builds the encoder for `format` writing to `output` (the counterpart of `DecoderFactory`).
    static func make(_ format: CompressionFormat, level: Int, threads: Int, output: OutputFile) throws -> OutputEncoder {
        guard format.levels.contains(level) else {
            throw AnonLogError(.usage, "\(format) output takes levels \(format.levels.lowerBound)-\(format.levels.upperBound), not \(level)")
        }
        switch format {
        case .plain: return .serial(PlainEncoder(output))
        case .gzip: return .parallelGzip(ParallelGzip(output, level: level))
        case .xz: return .serial(try XzEncoder(output, level: level, threads: threads))
        case .zstd: return .serial(try ZstdEncoder(output, level: level, threads: threads))
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
