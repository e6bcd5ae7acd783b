@testable import AnonLogCore
import Foundation
import Testing

/// The pipeline's output equals the single-threaded whole-input reference for every format
/// pair, thread count and chunk size.
@Suite struct PipelineTests {
    static let formatPairs: [(CompressionFormat, CompressionFormat)] =
        CompressionFormat.allCases.flatMap { input in CompressionFormat.allCases.map { (input, $0) } }

    @Test(arguments: formatPairs)
    func roundTripEveryFormatPair(input: CompressionFormat, output: CompressionFormat) throws {
        let plain = RandomInput.make(length: 300_000, seed: 7)
        let options = PipelineOptions(threads: 2, chunkSize: 10_000, inputFormat: nil,
                                      outputFormat: output, plan: TestSupport.redactPlan)
        let (bytes, stats) = try TestSupport.runPipeline(try TestSupport.encode(plain, as: input), options: options)
        let decoded = try #require(try TestSupport.decode(bytes, as: output))
        #expect(decoded == TestSupport.reference(plain))
        #expect(stats.decodedBytes == plain.count)
        #expect(stats.counts[.ipv4] > 0)
    }

    @Test(arguments: [1, 2, 8], [1, 7, 64, 4096, 1 << 20])
    func identicalForAnyThreadCountAndChunkSize(threads: Int, chunkSize: Int) throws {
        let plain = RandomInput.make(length: chunkSize < 64 ? 6_000 : 200_000, seed: UInt64(chunkSize))
        let options = PipelineOptions(threads: threads, chunkSize: chunkSize, plan: TestSupport.redactPlan)
        let (bytes, _) = try TestSupport.runPipeline(plain, options: options)
        #expect(bytes == TestSupport.reference(plain))
    }

    @Test(arguments: [1, 5, 13, 100, 1000])
    func linesLongerThanAChunkWithoutSeparators(chunkSize: Int) throws {
        // No newline and no separator: chunks are cut inside addresses, which the lookahead
        // and the writer's seam check must put back together.
        let plain = RandomInput.make(length: chunkSize < 10 ? 4_000 : 20_000, seed: UInt64(chunkSize) + 100, separatorFree: true)
        for threads in [1, 3] {
            let options = PipelineOptions(threads: threads, chunkSize: chunkSize, plan: TestSupport.redactPlan)
            let (bytes, stats) = try TestSupport.runPipeline(plain, options: options)
            #expect(bytes == TestSupport.reference(plain))
            #expect(stats.counts[.ipv4] == TestSupport.referenceCounts(plain)[.ipv4])
        }
    }

    /// gzip output is one member per chunk, each announcing its length (`AL`), and every
    /// common reader takes the file whole: zlib, `gzip -t`/`-dc`, `zcat`, `pigz -t`, Python.
    @Test func gzipOutputIsOneMemberPerChunkReadableByEveryGzipReader() throws {
        let plain = RandomInput.make(length: 500_000, seed: 3)
        let options = PipelineOptions(threads: 2, chunkSize: 50_000, outputFormat: .gzip, plan: TestSupport.redactPlan)
        let (bytes, _) = try TestSupport.runPipeline(plain, options: options)
        let expected = TestSupport.reference(plain)
        #expect(TestSupport.gunzip(bytes) == expected)
        var members = 0
        _ = TestSupport.gunzip(bytes, members: &members)
        #expect(members >= 10)
        // Walk the members by their announced lengths: they tile the file exactly.
        var offset = 0, walked = 0
        while offset < bytes.count {
            let length = bytes[offset...].withUnsafeBytes { ChunkDeflater.announcedLength($0) }
            guard let length else { break }
            offset += length
            walked += 1
        }
        #expect(offset == bytes.count && walked == members)
        #expect(try TestSupport.runTool("/bin/gzip", ["-t"], input: bytes).status == 0)
        #expect(try TestSupport.runTool("/bin/gzip", ["-dc"], input: bytes).output == expected)
        #expect(try TestSupport.runTool("/bin/zcat", [], input: bytes).output == expected)
        #expect(try TestSupport.runTool("/usr/bin/pigz", ["-dc"], input: bytes).output == expected)
        #expect(try TestSupport.runTool("/usr/bin/pigz", ["-t"], input: bytes).status == 0)
        let python = try TestSupport.runTool("/usr/bin/python3", ["-c", "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))"],
                                             input: bytes)
        #expect(python.status == 0 && python.output == expected)
    }

    /// anonlog reads its own members on several threads and gets the same bytes, also when a
    /// foreign member follows them.
    @Test func ownMembersAndAForeignTailAreReadWhole() throws {
        let plain = RandomInput.make(length: 300_000, seed: 5)
        let options = PipelineOptions(threads: 2, chunkSize: 20_000, outputFormat: .gzip, plan: TestSupport.redactPlan)
        let (own, _) = try TestSupport.runPipeline(plain, options: options)
        let tail = Array("one more line from 192.0.2.77\n".utf8)
        let mixed = own + TestSupport.gzip(tail)
        let keep = try ActionPlan(profile: .redact, overrides: [.ipv4: .keep, .ipv6: .keep, .email: .keep, .username: .keep, .personnummer: .keep])
        let (decoded, _) = try TestSupport.runPipeline(mixed, options: PipelineOptions(threads: 3, chunkSize: 7_000, outputFormat: .plain, plan: keep))
        #expect(decoded == TestSupport.reference(plain) + tail)
    }

    /// A member whose trailer claims gigabytes is corrupt data, one error line, not an
    /// allocation of that size (adversarial input: the length field is only input).
    @Test func aMemberAnnouncingAHugeLengthIsAnError() throws {
        let plain = RandomInput.make(length: 100_000, seed: 9)
        let options = PipelineOptions(threads: 2, chunkSize: 20_000, outputFormat: .gzip, plan: TestSupport.redactPlan)
        var (bytes, _) = try TestSupport.runPipeline(plain, options: options)
        let first = try #require(bytes.withUnsafeBytes { ChunkDeflater.announcedLength($0) })
        for k in 0..<4 { bytes[first - 4 + k] = 0xF0 }
        let keep = try ActionPlan(profile: .redact, overrides: [.ipv4: .keep, .ipv6: .keep, .email: .keep, .username: .keep, .personnummer: .keep])
        #expect {
            try TestSupport.runPipeline(bytes, options: PipelineOptions(threads: 2, outputFormat: .plain, plan: keep))
        } throws: { error in
            (error as? AnonLogError)?.message.contains("corrupt gzip data (a member's length does not fit its data)") == true
        }
    }

    /// A member whose announced length covers more than its deflate data and trailer (bytes
    /// hidden after it) is corrupt: those bytes would otherwise vanish from a rewrite.
    @Test func bytesHiddenInsideAnAnnouncedMemberAreAnError() throws {
        let plain = Array("login from 192.0.2.7\n".utf8)
        let options = PipelineOptions(threads: 1, outputFormat: .gzip, plan: TestSupport.redactPlan)
        var (bytes, _) = try TestSupport.runPipeline(plain, options: options)
        let length = try #require(bytes.withUnsafeBytes { ChunkDeflater.announcedLength($0) })
        #expect(length == bytes.count)
        // Ten raw bytes after the trailer, and the announced length grown to cover them.
        bytes += Array("anna@x.se\n".utf8)
        let grown = UInt32(bytes.count)
        for k in 0..<4 { bytes[16 + k] = UInt8(truncatingIfNeeded: grown >> (8 * UInt32(k))) }
        let keep = try ActionPlan(profile: .redact, overrides: [.ipv4: .keep, .ipv6: .keep, .email: .keep, .username: .keep, .personnummer: .keep])
        #expect(throws: AnonLogError.self) {
            try TestSupport.runPipeline(bytes, options: PipelineOptions(threads: 1, outputFormat: .plain, plan: keep))
        }
    }

    /// At every level the output is no larger than zlib's (`gzip -L`) on realistic log text.
    @Test(arguments: [1, 6, 9])
    func gzipOutputIsNoLargerThanGzip(level: Int) throws {
        var text: [UInt8] = []
        var generator = SeededGenerator(seed: 11)
        let paths = ["/index.php", "/wp-login.php", "/static/app.js", "/api/v1/orders", "/favicon.ico"]
        while text.count < 3_000_000 {
            let ip = "\(Int.random(in: 1...223, using: &generator)).\(Int.random(in: 0...255, using: &generator)).\(Int.random(in: 0...9, using: &generator)).\(Int.random(in: 1...254, using: &generator))"
            let line = "\(ip) - - [26/Nov/2026:11:37:\(Int.random(in: 10...59, using: &generator)) +0100] \"GET \(paths.randomElement(using: &generator)!) HTTP/1.1\" 200 \(Int.random(in: 100...99999, using: &generator)) \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0\"\n"
            text.append(contentsOf: line.utf8)
        }
        let options = PipelineOptions(threads: 2, chunkSize: 1 << 20, outputFormat: .gzip, level: level, plan: try ActionPlan(profile: .redact, overrides: [.ipv4: .keep]))
        let (bytes, _) = try TestSupport.runPipeline(text, options: options)
        let reference = try TestSupport.runTool("/bin/gzip", ["-\(level)", "-c", "-n"], input: text).output
        #expect(TestSupport.gunzip(bytes) == text)
        #expect(bytes.count <= reference.count, "level \(level): anonlog \(bytes.count) bytes vs gzip \(reference.count)")
    }

    @Test func awkwardBytesPassThroughUnchanged() throws {
        let cases: [[UInt8]] = [
            [], [0x0a], Array("no final newline 1.2.3.4".utf8), Array("crlf 1.2.3.4\r\nnext\r\n".utf8),
            [0x00, 0x31, 0x2e, 0x32, 0x2e, 0x33, 0x2e, 0x34, 0x00, 0xff, 0xfe, 0x0a],
        ]
        for input in cases {
            for format in CompressionFormat.allCases {
                let options = PipelineOptions(threads: 2, chunkSize: 4, outputFormat: format, plan: TestSupport.redactPlan)
                let (bytes, _) = try TestSupport.runPipeline(try TestSupport.encode(input, as: format), options: options)
                #expect(try TestSupport.decode(bytes, as: format) == TestSupport.reference(input))
            }
        }
    }

    @Test func multiMemberGzipInputIsReadWhole() throws {
        let first = Array("first 1.2.3.4\n".utf8), second = Array("second 5.6.7.8\n".utf8)
        let encoded = TestSupport.gzip(first) + TestSupport.gzip(second) + [0, 0, 0, 0]
        let options = PipelineOptions(threads: 1, outputFormat: .plain, plan: TestSupport.redactPlan)
        let (bytes, stats) = try TestSupport.runPipeline(encoded, options: options)
        #expect(bytes == Array("first 0.0.0.0\nsecond 0.0.0.0\n".utf8))
        #expect(stats.counts[.ipv4] == 2)
    }

    @Test func gzipHeaderWithEveryFlagIsRead() throws {
        // FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT, built by hand around a zlib raw deflate body.
        let text = Array("flagged 9.9.9.9\n".utf8)
        let member = TestSupport.gzip(text)
        let deflateBody = member[10..<(member.count - 8)]
        let trailer = member[(member.count - 8)...]
        var header: [UInt8] = [0x1f, 0x8b, 8, 0x1f, 0, 0, 0, 0, 0, 3]
        header += [5, 0, 0x41, 0x42, 0x01, 0x00, 0x7a]    // XLEN=5: subfield "AB", 1 byte
        header += Array("name.log".utf8) + [0]
        header += Array("a comment".utf8) + [0]
        let crc = header.withUnsafeBufferPointer { UInt32(CZlibCRC.crc($0)) }
        header += [UInt8(crc & 0xff), UInt8((crc >> 8) & 0xff)]
        let encoded = header + deflateBody + trailer
        let options = PipelineOptions(threads: 1, outputFormat: .plain, plan: TestSupport.redactPlan)
        let (bytes, _) = try TestSupport.runPipeline(encoded, options: options)
        #expect(bytes == Array("flagged 0.0.0.0\n".utf8))
    }

    @Test(arguments: [CompressionFormat.gzip, .xz])
    func truncatedInputIsAnErrorNamingTheFile(format: CompressionFormat) throws {
        let plain = RandomInput.make(length: 100_000, seed: 5)
        let encoded = try TestSupport.encode(plain, as: format)
        let truncated = Array(encoded[0..<(encoded.count / 2)])
        let options = PipelineOptions(threads: 2, plan: TestSupport.redactPlan)
        #expect {
            _ = try TestSupport.runPipeline(truncated, options: options)
        } throws: { error in
            guard let error = error as? AnonLogError else { return false }
            return error.exitCode == 2 && error.message.contains("/in: ") && error.message.contains("truncated")
        }
    }

    @Test(arguments: [CompressionFormat.gzip, .xz])
    func corruptInputIsAnError(format: CompressionFormat) throws {
        let plain = RandomInput.make(length: 100_000, seed: 6)
        var encoded = try TestSupport.encode(plain, as: format)
        for i in stride(from: 40, to: encoded.count - 40, by: 97) { encoded[i] ^= 0x5a }
        let options = PipelineOptions(threads: 2, plan: TestSupport.redactPlan)
        #expect {
            _ = try TestSupport.runPipeline(encoded, options: options)
        } throws: { error in
            guard let error = error as? AnonLogError else { return false }
            return error.exitCode == 2 && error.message.contains("corrupt")
        }
    }
}
