import CByteMasks

/// Calendar rules for personnummer dates (`Personnummer.h` holds them, for the detector's sake;
/// canonical forms and tests ask here).
enum PersonnummerDate {
    /// Whether the date exists (leap years included).
    @inline(__always)
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        anonlog_personnummer_date_exists(year, month, day) != 0
    }

    /// The full year of a 10-digit number: the latest year ending in `yy` whose date is not in
    /// the future (today's date), and 100 years earlier again for the `+` separator.
    static func fullYear(yy: Int, month: Int, day: Int, plus: Bool, today: CalendarDay) -> Int {
        var rules = AnonLogPersonnummerRules(century: today.year - today.year % 100,
                                             key: today.year * 10000 + today.month * 100 + today.day, organisations: 0)
        return anonlog_personnummer_full_year(yy, month, day, plus ? 1 : 0, &rules)
    }
}
