/// Finds the date a log line carries near its start: Common Log Format `[26/Nov/2026:…`,
/// ISO 8601 `2026-11-26…`, or syslog `Nov 26 …` (no year: the fallback year).
enum LineDate {
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func find(_ p: UnsafePointer<UInt8>, _ count: Int, fallbackYear: Int) -> CalendarDay? {
        if let day = syslog(p, count, year: fallbackYear) { return day }
        var i = 0
        while i + 10 <= count {
            let b = p[i]
            if b == UInt8(ascii: "["), let day = clf(p + i + 1, count - i - 1) { return day }
            if ByteClass.isDigit(b) && (i == 0 || !ByteClass.isDigit(p[i - 1])), let day = iso(p + i, count - i) { return day }
            i += 1
        }
        return nil
    }

    private static func number(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var value = 0
        for k in 0..<count {
            guard ByteClass.isDigit(p[k]) else { return nil }
            value = value * 10 + Int(p[k] &- 48)
        }
        return value
    }

    private static func month(_ p: UnsafePointer<UInt8>) -> Int? {
        for (index, name) in months.enumerated() where Bytes.equals(p, name) { return index + 1 }
        return nil
    }

    /// `26/Nov/2026`
    private static func clf(_ p: UnsafePointer<UInt8>, _ count: Int) -> CalendarDay? {
        guard count >= 11, p[2] == UInt8(ascii: "/"), p[6] == UInt8(ascii: "/"),
              let day = number(p, 2), let month = month(p + 3), let year = number(p + 7, 4) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// `2026-11-26`
    private static func iso(_ p: UnsafePointer<UInt8>, _ count: Int) -> CalendarDay? {
        guard count >= 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
              let year = number(p, 4), let month = number(p + 5, 2), let day = number(p + 8, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// `Nov 26 11:37:17` or `Nov  6 11:37:17` at the line start.
    private static func syslog(_ p: UnsafePointer<UInt8>, _ count: Int, year: Int) -> CalendarDay? {
        guard count >= 15, p[3] == UInt8(ascii: " "), let month = month(p) else { return nil }
        let tens = p[4] == UInt8(ascii: " ") ? 0 : Int(p[4] &- 48)
        guard tens <= 3, ByteClass.isDigit(p[5]), p[6] == UInt8(ascii: " ") else { return nil }
        return CalendarDay(year: year, month: month, day: tens * 10 + Int(p[5] &- 48))
    }
}
