// Micro-benchmarks of the detection hot path through the embedding API: `AnonLog.Detector`
// (the scanner) and `AnonLog.Rewriter` (scanner, rewrite sink and output buffer) over one
// 1 MiB chunk per iteration, with their state reused across iterations as the pipeline's
// workers reuse theirs. After the warm-up iterations
// have grown those buffers to their working size, a chunk must cost 0 mallocs: nothing may
// allocate per match. `mallocCountTotal` is counted by package-benchmark's malloc interposer.

import AnonLogCore
import Benchmark
import Foundation

/// A fixed "today", so the century of 10-digit personnummer, and so the match counts, never drift.
let detection = DetectionConfig(today: CalendarDay(year: 2026, month: 11, day: 26))

/// One benchmark's state, built at registration and filled in `setup` (outside the measurement):
/// the chunk in a 64-byte-aligned buffer, a scanner and a rewriter whose buffers are reused.
final class Fixture: @unchecked Sendable {
    private let source: @Sendable () -> [UInt8]
    private(set) var window = UnsafeRawBufferPointer(start: nil, count: 0)
    var detector = AnonLog.Detector(detection: detection)
    /// Its output buffer starts at 4 KiB: the warm-up iterations grow it to the chunk's output size.
    var rewriter = AnonLog.Rewriter(options: try! AnonLog.Options(profile: .redact, detection: detection))

    init(_ source: @escaping @Sendable () -> [UInt8]) {
        self.source = source
    }

    /// Copies the chunk into place (once per process).
    func prepare() {
        guard window.baseAddress == nil else { return }
        let bytes = source()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        window = UnsafeRawBufferPointer(buffer)
    }

    /// Spans per type of one scan (setup only: allocates).
    func countsByType() -> [DetectionType: Int] {
        var probe = AnonLog.Detector(detection: detection)
        let found = probe.count(window)
        var counts: [DetectionType: Int] = [:]
        for type in DetectionType.allCases { counts[type] = found[type] }
        return counts
    }

    /// With ANONLOG_BENCH_VERBOSE set, prints the chunk's match counts to stderr; with
    /// ANONLOG_BENCH_DUMP_DIR set, writes the chunk to DIR/NAME.log to look at.
    func describe(_ name: String) {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["ANONLOG_BENCH_DUMP_DIR"], !directory.isEmpty {
            FileManager.default.createFile(atPath: "\(directory)/\(name).log", contents: Data(window))
        }
        guard environment["ANONLOG_BENCH_VERBOSE"] != nil else { return }
        let counts = countsByType()
        let text = DetectionType.allCases.map { "\($0)=\(counts[$0, default: 0])" }.joined(separator: " ")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a, to see when the corpus changes
        for byte in window { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let line = "\(name): \(window.count) bytes, fnv1a \(String(hash, radix: 16)), spans \(text)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        // Enough for the span array (reserved 4096) and the output buffer (4 KiB) to reach their
        // working size; the warm-up is not measured.
        warmupIterations: 10,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 1_000,
        // Tolerance 0 for mallocs, used by `benchmark thresholds check` against the p90 values
        // in Thresholds/ScannerBenchmark.*.p90.json (all 0) and by `baseline check`.
        thresholds: [.mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict)]
    )

    // MARK: Access log (generated like `scripts/gen-corpus --kind access`, or ANONLOG_BENCH_ACCESS_LOG), all types.

    let access = Fixture { accessLogChunk }

    Benchmark("scan-access-1MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(access.detector.count(access.window))
        }
    } setup: {
        access.prepare()
        access.describe("access")
    }

    Benchmark("rewrite-redact-access-1MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(access.rewriter.rewrite(access.window) { $0.count })
        }
    } setup: {
        access.prepare()
    }

    // MARK: App log, an e-mail and a personnummer on every line.

    let app = Fixture { appLog.bytes }

    /// Fails the run unless the scanner finds exactly the e-mails and personnummer written.
    let checkAppLog: @Sendable () -> Void = {
        let counts = app.countsByType()
        precondition(counts[.personnummer, default: 0] == appLog.personnummer,
                     "app log: \(counts[.personnummer, default: 0]) personnummer found, \(appLog.personnummer) written")
        precondition(counts[.email, default: 0] == appLog.emails,
                     "app log: \(counts[.email, default: 0]) e-mails found, \(appLog.emails) written")
    }

    Benchmark("scan-applog-pnr-email-1MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(app.detector.count(app.window))
        }
    } setup: {
        app.prepare()
        checkAppLog()
        app.describe("applog")
    }

    Benchmark("rewrite-redact-applog-pnr-email-1MiB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(app.rewriter.rewrite(app.window) { $0.count })
        }
    } setup: {
        app.prepare()
    }

    // MARK: Control: fresh state per chunk.

    // The app-log rewrite with a new rewriter (scanner, span array, output buffer) for every
    // chunk: what the reuse above saves, and proof that the malloc counter is live (the zeros
    // above are measured, not the counter being off). No threshold.
    let options = try! AnonLog.Options(profile: .redact, detection: detection)

    Benchmark("control-rewrite-applog-fresh-state") { benchmark in
        for _ in benchmark.scaledIterations {
            var rewriter = AnonLog.Rewriter(options: options)
            blackHole(rewriter.rewrite(app.window) { $0.count })
        }
    } setup: {
        app.prepare()
    }
}
