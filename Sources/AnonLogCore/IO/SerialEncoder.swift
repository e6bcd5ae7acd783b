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
