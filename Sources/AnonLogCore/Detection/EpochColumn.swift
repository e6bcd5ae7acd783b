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
        // The line before.
        var lineStart = start
        while lineStart > 0 && start - lineStart < lineLimit && p[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        if lineStart > 0 && p[lineStart - 1] == UInt8(ascii: "\n") {
            let previousEnd = lineStart - 1
            var previousStart = previousEnd
            while previousStart > 0 && previousEnd - previousStart < lineLimit && p[previousStart - 1] != UInt8(ascii: "\n") { previousStart -= 1 }
            if hasNeighbour(p, from: previousStart, to: previousEnd, value: value, config: config) { return true }
        }
        // The line after.
        var lineEnd = start + 10
        while lineEnd < n && lineEnd - start < lineLimit && p[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        guard lineEnd < n, p[lineEnd] == UInt8(ascii: "\n") else { return false }
        var nextEnd = lineEnd + 1
        while nextEnd < n && nextEnd - lineEnd < lineLimit && p[nextEnd] != UInt8(ascii: "\n") { nextEnd += 1 }
        return hasNeighbour(p, from: lineEnd + 1, to: nextEnd, value: value, config: config)
    }

    /// Whether `p[from..<to]` holds a 10-digit run within a day of `value` that is not a
    /// personnummer.
    private static func hasNeighbour(_ p: UnsafePointer<UInt8>, from: Int, to: Int, value: Int, config: DetectionConfig) -> Bool {
        var i = from
        while i < to {
            guard ByteClass.isDigit(p[i]) else {
                i += 1
                continue
            }
            var j = i
            while j < to && ByteClass.isDigit(p[j]) { j += 1 }
            if j - i == 10 && !(i > from && ByteClass.isLetter(p[i - 1])) && abs(number(p, i) - value) <= spread
                && !PersonnummerDetector.isValidTenDigits(p, at: i, config: config) {
                return true
            }
            i = j
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
