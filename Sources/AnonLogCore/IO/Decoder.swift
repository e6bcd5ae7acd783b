/// A stream of decoded bytes: plain text, or what a gzip or xz container holds.
protocol Decoder: AnyObject {
    /// Decodes up to `capacity` bytes into `destination`; 0 only at the clean end of the stream.
    /// Throws an `.io` error naming the file when the data is truncated or corrupt.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int
}

/// Plain input: bytes pass straight from the file.
final class PlainDecoder: Decoder {
    private let input: InputFile

    init(_ input: InputFile) { self.input = input }

    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        try input.read(into: destination, capacity: capacity)
    }
}

/// Opens inputs with the right decoder.
enum DecoderFactory {
    /// Detects (or takes) the format of `input` and returns its decoder.
    static func make(_ input: InputFile, format forced: CompressionFormat?, threads: Int,
                     xzMemoryLimit: Int = XzDecoder.defaultMemoryLimit) throws
        -> (Decoder, CompressionFormat)
    {
        try input.fill(atLeast: 6)
        if forced == nil, let name = CompressionFormat.unreadable(input.available) {
            throw AnonLogError(.unreadableFormat, "\(input.name): is \(name) data, which anonlog cannot read; left untouched")
        }
        let format = forced ?? CompressionFormat.detect(input.available)
        switch format {
        case .plain: return (PlainDecoder(input), .plain)
        case .gzip:
            // anonlog's own members announce their length: those inflate on several threads.
            try input.fill(atLeast: ChunkDeflater.headerLength)
            if ChunkDeflater.announcedLength(input.available) != nil { return (ParallelGzipDecoder(input, threads: threads), .gzip) }
            return (try GzipDecoder(input), .gzip)
        case .xz: return (try XzDecoder(input, threads: threads, memoryLimit: xzMemoryLimit), .xz)
        case .zstd: return (try ZstdDecoder(input, memoryLimit: xzMemoryLimit), .zstd)
        }
    }
}
