import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

/// Prints `--stats` to stderr.
enum StatsReport {
    static func print(_ stats: PipelineStats) {
        var lines: [String] = []
        for type in DetectionType.allCases {
            lines.append("\(type): \(stats.counts[type])")
        }
        let megabytes = Double(stats.decodedBytes) / 1e6
        let rate = stats.seconds > 0 ? megabytes / stats.seconds : 0
        lines.append("bytes in: \(stats.rawBytesIn) (decoded \(stats.decodedBytes)), bytes out: \(stats.bytesOut)")
        lines.append("time: \(format(stats.seconds)) s, \(format(rate)) MB/s")
        if stats.seamReruns > 0 {
            lines.append("chunks cut inside a match and rewritten at the seam: \(stats.seamReruns)")
        }
        let lookups = stats.cacheHits + stats.cacheMisses
        if lookups > 0 {
            lines.append("pseudonym cache: \(format(100 * Double(stats.cacheHits) / Double(lookups)))% hits (\(stats.cacheHits) of \(lookups))")
        }
        writeToStderr(lines.map { "anonlog: " + $0 }.joined(separator: "\n") + "\n")
    }

    private static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return "\(scaled)"
    }
}

extension PipelineStats {
    /// Adds another run's numbers (for several files rewritten in place).
    mutating func merge(_ other: PipelineStats) {
        counts.add(other.counts)
        rawBytesIn += other.rawBytesIn
        decodedBytes += other.decodedBytes
        bytesOut += other.bytesOut
        seconds += other.seconds
        seamReruns += other.seamReruns
        cacheHits += other.cacheHits
        cacheMisses += other.cacheMisses
    }
}
