import CByteMasks
#if canImport(Glibc)
import Glibc
#endif

/// 10-digit runs in a column of epoch-second time stamps are times, not personnummer
/// (SPEC.md, `personnummer`): `node-12 status 1111074926 0 running` passes the checksum and
/// the date rule, but the lines around it hold 1111074990 and 1111075002 in the same column.
///
/// Evidence comes from the line before and the line after (within the scanned window): a
/// 10-digit run there, no more than a day apart in value, that is not a personnummer. A
/// column of personnummer (a register, a CSV export) never qualifies, since its neighbours
/// all pass the checksum; an epoch column's neighbours fail it nine times in ten.
enum EpochColumn {
    /// 2001-09-09, the first 10-digit epoch second.
    static let earliest = 1_000_000_000
    /// 2038-01-19, the last second a signed 32-bit `time_t` holds.
    static let latest = 2_147_483_647
    /// How far apart in value two time stamps of one column may be: a day.
    static let spread = 86_400
    /// How far to look for the neighbouring lines' ends.
    static let lineLimit = 4096

    /// Whether the 10-digit run at `start` (already a valid personnummer) is a time stamp in
    /// a column of them.
    static func contains(_ p: UnsafePointer<UInt8>, _ n: Int, start: Int, config: DetectionConfig) -> Bool {
        let value = number(p, start)
        guard value >= earliest && value <= latest else { return false }
        // The line before: from the start of the line before this one to this line's start.
        let lineStart = anonlog_line_start(p, max(0, start - lineLimit), start)
        if lineStart > 0 && p[lineStart - 1] == UInt8(ascii: "\n") {
            let previousStart = anonlog_line_start(p, max(0, lineStart - 1 - lineLimit), lineStart - 1)
            if hasNeighbour(p, from: previousStart, n, value: value, config: config) { return true }
        }
        // The line after.
        guard let newline = memchr(p + start + 10, Int32(UInt8(ascii: "\n")), min(n - start - 10, lineLimit)) else { return false }
        let next = UnsafeRawPointer(newline).assumingMemoryBound(to: UInt8.self) - p + 1
        return hasNeighbour(p, from: next, n, value: value, config: config)
    }

    /// Whether the line from `from` holds a 10-digit run within a day of `value` that is not
    /// a personnummer. Such a run starts with the same four digits as `value - spread` or
    /// `value + spread` (a day is less than 10^6 seconds), so only those are searched for.
    private static func hasNeighbour(_ p: UnsafePointer<UInt8>, from: Int, _ n: Int, value: Int, config: DetectionConfig) -> Bool {
        let low = max(earliest, value - spread) / 1_000_000, high = min(latest, value + spread) / 1_000_000
        for prefix in low...high {
            // The four digits as the bytes a search needs, in memory order.
            var digits = UInt32(48 + prefix / 1000) | UInt32(48 + prefix / 100 % 10) << 8
                | UInt32(48 + prefix / 10 % 10) << 16 | UInt32(48 + prefix % 10) << 24
            let hit = withUnsafeBytes(of: &digits) { needle -> Bool in
                let needle = needle.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var i = from
                while true {
                    var found: Int32 = 0
                    let at = anonlog_find_in_line(p, i, n, needle, 4, &found)
                    guard found != 0 else { return false }
                    i = at + 1
                    // A run of exactly ten digits, not inside a word.
                    if at > from && (ByteClass.isDigit(p[at - 1]) || ByteClass.isLetter(p[at - 1])) { continue }
                    guard at + 10 <= n else { return false }
                    var digitsOnly = true
                    for k in 4..<10 where !ByteClass.isDigit(p[at + k]) { digitsOnly = false; break }
                    if !digitsOnly || (at + 10 < n && ByteClass.isDigit(p[at + 10])) { continue }
                    if abs(number(p, at) - value) <= spread && !PersonnummerDetector.isValidTenDigits(p, at: at, config: config) {
                        return true
                    }
                }
            }
            if hit { return true }
        }
        return false
    }

    /// The ten digits at `at` as a number.
    @inline(__always)
    private static func number(_ p: UnsafePointer<UInt8>, _ at: Int) -> Int {
        var value = 0
        for k in 0..<10 { value = value &* 10 &+ Int(p[at + k] &- 48) }
        return value
    }
}
