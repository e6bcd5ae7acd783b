@testable import AnonLogCore
import Foundation
import Testing

/// The embedding API (`AnonLog`): the same bytes and findings as the command line.
@Suite struct AnonLogAPITests {
    static let key = [UInt8](repeating: 7, count: 32)
    static let text = "Nov 30 10:01:02 web sshd[1]: Failed password for anna from 192.0.2.7 port 22\n"
        + "{\"user\":\"olle\",\"mail\":\"olle@example.se\",\"pnr\":\"850709-9805\"}\n"

    @Test func rewriteInMemoryRedactsEveryType() throws {
        let out = AnonLog.rewrite(Array(Self.text.utf8), options: try .init(profile: .redact))
        #expect(String(decoding: out, as: UTF8.self) == "Nov 30 10:01:02 web sshd[1]: Failed password for - from 0.0.0.0 port 22\n"
            + "{\"user\":\"-\",\"mail\":\"redacted@anon.invalid\",\"pnr\":\"000000-0000\"}\n")
    }

    @Test func aKeyedPlanWithoutAKeyIsRefused() {
        #expect(throws: AnonLogError.self) { try AnonLog.Options(profile: .pseudonymize) }
    }

    @Test func rewriteInMemoryMatchesTheStreamingRewrite() throws {
        let options = try AnonLog.Options(profile: .pseudonymize, key: Self.key)
        let inMemory = AnonLog.rewrite(Array(Self.text.utf8), options: options)
        #expect(inMemory != Array(Self.text.utf8))
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputPath = directory.appendingPathComponent("in.log").path
        let outputPath = directory.appendingPathComponent("out.log").path
        try Self.text.write(toFile: inputPath, atomically: false, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let input = try #require(FileHandle(forReadingAtPath: inputPath))
        let output = try #require(FileHandle(forWritingAtPath: outputPath))
        let stats = try AnonLog.rewrite(from: input, to: output, options: options)
        try output.close()
        #expect(stats.counts[.ipv4] == 1 && stats.counts[.username] == 2)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: outputPath))) == inMemory)
    }

    @Test func scanInMemoryGivesLinesColumnsAndMaskedValues() {
        let findings = AnonLog.scan(Array(Self.text.utf8))
        #expect(findings.map(\.type) == [.username, .ipv4, .username, .email, .personnummer])
        #expect(findings.map(\.line) == [1, 1, 2, 2, 2])
        #expect(findings[1].column == 60 && findings[1].masked == "192.0.2.*")
        #expect(findings.allSatisfy { $0.raw == nil })
    }

    @Test func scanOfAStreamYieldsTheSameFindingsInOrder() async throws {
        let directory = try TestSupport.makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.log").path
        // Several chunks' worth, so the stream is cut and reassembled.
        let big = String(repeating: Self.text, count: 30_000)
        try big.write(toFile: path, atomically: false, encoding: .utf8)
        var streamed: [Finding] = []
        for try await finding in AnonLog.scan(try #require(FileHandle(forReadingAtPath: path))) { streamed.append(finding) }
        #expect(streamed.count == 150_000)
        #expect(streamed == AnonLog.scan(Array(big.utf8)))
    }
}
