@testable import AnonLogCore
import Testing

/// The leaf helpers: hex, calendar days from the clock, JSON string literals.
@Suite struct TextTests {
    @Test func hexRoundTripsAndRefusesNonHex() {
        let bytes: [UInt8] = [0x00, 0x7f, 0x80, 0xff, 0x12]
        #expect(Hex.encode(bytes) == "007f80ff12")
        #expect(Hex.decode(Array("007F80fF12".utf8)) == bytes)
        #expect(Hex.decode(Array("0g".utf8)) == nil)
        #expect(Hex.decode(Array("abc".utf8)) == nil)
        #expect("0123456789abcdefABCDEF".utf8.allSatisfy(Hex.isDigit))
        #expect(!"gG:/@`".utf8.contains(where: Hex.isDigit))
    }

    @Test func calendarDaysAreUTC() {
        #expect(CalendarDay(epochSeconds: 0) == CalendarDay(year: 1970, month: 1, day: 1))
        #expect(CalendarDay(epochSeconds: 951_782_400) == CalendarDay(year: 2000, month: 2, day: 29))
        #expect(CalendarDay(epochSeconds: 1_796_083_199) == CalendarDay(year: 2026, month: 11, day: 30))
        #expect(CalendarDay.today == CalendarDay(epochSeconds: Clock.now()) || CalendarDay.today == CalendarDay(epochSeconds: Clock.now() - 1))
    }

    @Test func personnummerDatesKnowLeapYears() {
        #expect(PersonnummerDate.isValid(year: 2000, month: 2, day: 29))
        #expect(!PersonnummerDate.isValid(year: 1900, month: 2, day: 29))
        #expect(!PersonnummerDate.isValid(year: 2026, month: 4, day: 31))
        #expect(!PersonnummerDate.isValid(year: 2026, month: 0, day: 1))
    }

    @Test func jsonStringsEscapeQuotesBackslashesAndControls() {
        #expect(JSONText.quote("a\"b\\c\nd\u{1}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }
}
