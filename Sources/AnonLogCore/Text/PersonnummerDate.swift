/// Calendar rules for personnummer dates.
enum PersonnummerDate {
    /// Whether the date exists (leap years included).
    @inline(__always)
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let days: Int
        switch month {
        case 2: days = isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return day <= days
    }

    @inline(__always)
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// The full year of a 10-digit number: the latest year ending in `yy` whose date is not in
    /// the future (today's date), and 100 years earlier again for the `+` separator.
    static func fullYear(yy: Int, month: Int, day: Int, plus: Bool, today: CalendarDay) -> Int {
        var year = today.year - today.year % 100 + yy
        if (year, month, day) > (today.year, today.month, today.day) { year -= 100 }
        if plus { year -= 100 }
        return year
    }
}
