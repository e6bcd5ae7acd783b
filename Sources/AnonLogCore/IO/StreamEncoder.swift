/// The output side of the pipeline, called by the writer thread in input order.
protocol StreamEncoder: AnyObject {
    /// Whether workers compress chunks (gzip) before `writeCompressed`, instead of `write`.
    var compressesInWorkers: Bool { get }
    /// Encodes and writes rewritten bytes (plain and xz).
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Writes one chunk a worker compressed (gzip).
    func writeCompressed(_ piece: CompressedPiece) throws
    /// Flushes and writes the trailer.
    func finish() throws
    /// Makes everything written so far readable from the output now (xz: ends the block);
    /// used when a quiet pipe's lines are written early.
    func flush() throws
    /// Starts a new stream (a new gzip member, a new xz stream) after `finish`, on the output
    /// as it is now (a reopened file).
    func restart() throws
}

/// One chunk compressed by a worker: raw deflate bytes ending on a byte boundary (sync flush),
/// plus what the gzip trailer needs.
struct CompressedPiece {
    /// The deflate bytes.
    var bytes: UnsafeRawBufferPointer
    /// CRC-32 of the uncompressed chunk.
    var crc: UInt32
    /// Uncompressed length.
    var length: Int
}

/// Plain output: bytes go straight to the file.
final class PlainEncoder: StreamEncoder {
    private let output: OutputFile
    init(_ output: OutputFile) { self.output = output }
    var compressesInWorkers: Bool { false }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try output.write(bytes) }
    func writeCompressed(_ piece: CompressedPiece) throws { try output.write(piece.bytes) }
    func finish() throws {}
    func flush() throws {}
    func restart() throws {}
}

/// Opens outputs with the right encoder (the counterpart of `DecoderFactory`).
enum EncoderFactory {
    /// Builds the encoder for `format` writing to `output`.
    static func make(_ format: CompressionFormat, level: Int, threads: Int, output: OutputFile) throws
        -> StreamEncoder
    {
        switch format {
        case .plain: return PlainEncoder(output)
        case .gzip: return GzipEncoder(output, level: level)
        case .xz: return try XzEncoder(output, level: level, threads: threads)
        }
    }
}
