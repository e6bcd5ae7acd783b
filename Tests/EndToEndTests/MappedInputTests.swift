import Foundation
import Testing

/// A plain input file is read through mmap; these pin what that must not change.
@Suite struct MappedInputTests {
    /// Writes copies of Samples/access.log, `size` bytes or a little more, to a new file and
    /// returns its path.
    static func bigLog(in directory: URL, size: Int) throws -> String {
        let sample = try Data(contentsOf: Anonlog.packageRoot.appendingPathComponent("Samples/access.log"))
        var data = Data(capacity: size + sample.count)
        while data.count < size { data.append(sample) }
        let path = directory.appendingPathComponent("access.log").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func mappedFileGivesTheSameBytesAsStdin() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try MappedInputTests.bigLog(in: directory, size: 4 << 20)
        let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for jobs in ["1", "2"] {
            let fromFile = try Anonlog.run(["--profile", "redact", "-j", jobs, "--chunk-size", "65536", path])
            let fromStdin = try Anonlog.run(["--profile", "redact", "-j", jobs, "--chunk-size", "65536"], stdin: input)
            #expect(fromFile.status == 0 && fromStdin.status == 0)
            #expect(fromFile.stdout == fromStdin.stdout)
            #expect(fromFile.stdout.count > input.count / 2)
        }
    }

    /// Regression: a log truncated while anonlog read it (logrotate's copytruncate) killed the
    /// run with a bare "Bus error" once plain files were mapped. Deterministic: anonlog blocks
    /// on the full stdout pipe after at most ~10 MiB of the 60 MiB file, and the file is
    /// truncated only after the first output byte proves it was mapped.
    @Test func fileTruncatedWhileMappedIsOneClearLine() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try MappedInputTests.bigLog(in: directory, size: 60 << 20)
        let process = Process()
        process.executableURL = Anonlog.binary
        process.arguments = ["--profile", "redact", "-j", "1", path]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let first = try output.fileHandleForReading.read(upToCount: 1) ?? Data()
        #expect(first.count == 1)
        #expect(truncate(path, 0) == 0)
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 2)
        #expect(message == "anonlog: \(path): the file shrank while it was being read (truncated, e.g. by copytruncate rotation); the output is incomplete\n")
        #expect(rest.count < 60 << 20)
    }
}
