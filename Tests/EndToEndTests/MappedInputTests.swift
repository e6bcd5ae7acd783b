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

    /// Regression: with the input mapped, every page of it stayed resident, so the process's
    /// peak RSS grew with the file (1 GiB for a 1 GiB log). Pages of written chunks are now
    /// released: a 96 MiB file must run well under its own size. The peak (VmHWM) is read from
    /// /proc while the run is still alive, after 80% of its output: by then it has touched at
    /// least that much of the file (wait4's figure would include this test process's own
    /// memory, which a spawned child inherits as its starting peak).
    @Test func residentMemoryDoesNotGrowWithAMappedFile() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let size = 96 << 20
        let path = try MappedInputTests.bigLog(in: directory, size: size)
        let process = Process()
        process.executableURL = Anonlog.binary
        process.arguments = ["--profile", "redact", "-j", "1", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var received = 0
        while received < size / 10 * 8, let data = try output.fileHandleForReading.read(upToCount: 1 << 20), !data.isEmpty {
            received += data.count
        }
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        let peakKiB = Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        #expect(peakKiB > 0, "no VmHWM in /proc: \(line)")
        #expect(peakKiB < 64 << 10, "peak RSS \(peakKiB / 1024) MiB after 80% of a 96 MiB input")
    }
}
