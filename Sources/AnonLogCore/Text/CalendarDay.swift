#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one clock: every "now" and "today" anonlog uses comes from here (or from a time the
/// operator gave, such as `sweep --now` or `--today`), so a run sees a single date.
public enum Clock {
    /// Seconds since the epoch, now.
    public static func now() -> Int { Int(time(nil)) }
}

/// A date without time, used as "today" for the century of 10-digit personnummer.
public struct CalendarDay: Sendable, Equatable {
    /// Full year, e.g. 2026.
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int

    /// Creates a day.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC day of `seconds` since the epoch.
    public init(epochSeconds seconds: Int) {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        self.init(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    /// Today in UTC.
    public static var today: CalendarDay { CalendarDay(epochSeconds: Clock.now()) }
}
