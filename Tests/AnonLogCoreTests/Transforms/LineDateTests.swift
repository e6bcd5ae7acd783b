@testable import AnonLogCore
import Testing

/// The date a line carries, for key epochs: CLF, ISO 8601 and syslog (with the fallback year).
@Suite struct LineDateTests {
    static func find(_ line: String, fallbackYear: Int = 2026) -> CalendarDay? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { LineDate.find($0.baseAddress!, bytes.count, fallbackYear: fallbackYear) }
    }

    @Test(arguments: [
        ("192.0.2.1 - - [26/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1", CalendarDay(year: 2026, month: 11, day: 26)),
        ("2025-02-28T23:59:59Z level=info msg=x", CalendarDay(year: 2025, month: 2, day: 28)),
        ("{\"@timestamp\":\"2024-12-31T10:37:18.366Z\"}", CalendarDay(year: 2024, month: 12, day: 31)),
        ("Nov  6 11:37:17 web sshd[1]: x", CalendarDay(year: 2026, month: 11, day: 6)),
        ("Jan 31 00:00:01 web cron[2]: y", CalendarDay(year: 2026, month: 1, day: 31)),
    ])
    func findsTheDate(line: String, day: CalendarDay) {
        #expect(Self.find(line) == day)
    }

    @Test func noDateIsNil() {
        #expect(Self.find("no date here, just 12345 and 2026-13-01") == nil)
        #expect(Self.find("Foo 26 11:37:17 not a month") == nil)
        #expect(Self.find("") == nil)
    }

    @Test func syslogTakesTheFallbackYear() {
        #expect(Self.find("Dec 31 23:59:59 h k: x", fallbackYear: 2019) == CalendarDay(year: 2019, month: 12, day: 31))
    }
}
