@testable import AnonLogCore
import CZlib
import Foundation
import Testing

/// Helpers shared by the core tests: temp files, running the pipeline, decoding output.
enum TestSupport {
    /// A fresh temp directory, removed by the caller with `removeTree`.
    static func makeTempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("anonlog-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The redact-everything plan used by most tests.
    static var redactPlan: ActionPlan { try! ActionPlan(profile: .redact) }

    /// Runs `input` (already encoded as `inputFormat`) through the pipeline and returns the raw output.
    static func runPipeline(_ encodedInput: [UInt8], options: PipelineOptions) throws -> (bytes: [UInt8], stats: PipelineStats) {
        let directory = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputPath = directory.appendingPathComponent("in").path
        let outputPath = directory.appendingPathComponent("out").path
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(encodedInput))
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let stats = try Pipeline(options: options).run(inputs: [inputPath], outputDescriptor: fd, outputName: outputPath)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: outputPath)))
        return (bytes, stats)
    }

    /// The reference result: the whole input rewritten as one chunk on this thread.
    static func reference(_ input: [UInt8], plan: ActionPlan = redactPlan) -> [UInt8] {
        var rewriter = ChunkRewriter(plan: plan)
        let out = ChunkBuffer(capacity: input.count + 16)
        input.withUnsafeBytes { _ = rewriter.rewrite(window: $0, body: 0..<input.count, into: out) }
        return out.bytes
    }

    /// The reference per-type counts of `input`.
    static func referenceCounts(_ input: [UInt8]) -> TypeCounts {
        var rewriter = ChunkRewriter(plan: redactPlan)
        let out = ChunkBuffer(capacity: input.count + 16)
        return input.withUnsafeBytes { rewriter.rewrite(window: $0, body: 0..<input.count, into: out).counts }
    }

    /// gzip-compresses with zlib (one member, default header).
    static func gzip(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// Decodes gzip (all members) with zlib, independently of anonlog's decoder.
    static func gunzip(_ input: [UInt8]) -> [UInt8]? {
        var members = 0
        return gunzip(input, members: &members)
    }

    /// Decodes gzip with zlib and counts the members.
    static func gunzip(_ input: [UInt8], members: inout Int) -> [UInt8]? {
        var stream = z_stream()
        inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer { inflateEnd(&stream) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        return input.withUnsafeMutableBufferPointer { inBuffer -> [UInt8]? in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                result.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END {
                    members += 1
                    if stream.avail_in == 0 { return result }
                    inflateReset(&stream)
                    continue
                }
                if status != Z_OK { return nil }
            }
        }
    }

    /// Runs an external program with `input` on stdin; returns its stdout and exit status.
    static func runTool(_ path: String, _ arguments: [String], input: [UInt8]) throws -> (output: [UInt8], status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdinPipe = Pipe(), stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = Thread {
            stdinPipe.fileHandleForWriting.write(Data(input))
            try? stdinPipe.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ([UInt8](output), process.terminationStatus)
    }

    /// xz-compresses with the `xz` program.
    static func xz(_ input: [UInt8]) throws -> [UInt8] {
        try runTool("/usr/bin/xz", ["-c", "-T1"], input: input).output
    }

    /// Encodes `input` as `format`.
    static func encode(_ input: [UInt8], as format: CompressionFormat) throws -> [UInt8] {
        switch format {
        case .plain: return input
        case .gzip: return gzip(input)
        case .xz: return try xz(input)
        case .zstd: return try runTool("/usr/bin/zstd", ["-c", "-q", "-3"], input: input).output
        }
    }

    /// Decodes `output` of `format` with reference decoders (zlib, the xz and zstd programs).
    static func decode(_ output: [UInt8], as format: CompressionFormat) throws -> [UInt8]? {
        switch format {
        case .plain: return output
        case .gzip: return gunzip(output)
        case .xz:
            let result = try runTool("/usr/bin/xz", ["-dc"], input: output)
            return result.status == 0 ? result.output : nil
        case .zstd:
            let result = try runTool("/usr/bin/zstd", ["-dc", "-q"], input: output)
            return result.status == 0 ? result.output : nil
        }
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Random fragments joined until the text is at least `length` bytes (the property tests'
    /// inputs: addresses, near misses and their neighbours in random order).
    mutating func text(from fragments: [String], atLeast length: Int) -> [UInt8] {
        var text = ""
        while text.utf8.count < length { text += fragments.randomElement(using: &self)! }
        return Array(text.utf8)
    }
}

/// Random inputs built from fragments that stress the pipeline: addresses, near-misses,
/// awkward bytes (NUL, invalid UTF-8, CRLF), long lines and lines without a final newline.
enum RandomInput {
    static let fragments: [[UInt8]] = [
        "1.2.3.4", "10.0.0.255:8080", "192.168.100.200", "0.0.0.0", "255.255.255.255",
        "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "Chrome/120.0.0.0", "http://120.0.0.1/",
        "v1.2.3.4", "a.b.c", "GET /index.html HTTP/1.1", " ", " ", " - ", "\"", "/", ".", ":",
        "\n", "\n", "\r\n", "\t", "word", "x", "12345", "2026.11.26",
    ].map { Array($0.utf8) } + [[0x00], [0xff, 0xfe], [0xc3, 0x28], [0xe2, 0x82]]

    /// About `length` bytes of fragments; `separatorFree` leaves out the bytes a cut prefers,
    /// so that chunks must be cut mid-token.
    static func make(length: Int, seed: UInt64, separatorFree: Bool = false) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        let pool = separatorFree
            ? [Array("1.2.3.4".utf8), Array("/".utf8), Array("10.20.30.40".utf8), Array(".".utf8), Array("9".utf8), Array("a".utf8)]
            : fragments
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 32)
        while bytes.count < length {
            bytes.append(contentsOf: pool[Int.random(in: 0..<pool.count, using: &generator)])
        }
        return bytes
    }
}
