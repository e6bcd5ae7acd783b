/// Finds Swedish personnummer and samordningsnummer in every written form (SPEC.md,
/// `personnummer` row), validating the date, the serial and the Luhn check digit.
enum PersonnummerDetector {
    /// The written form of a match, which decides how the century is found.
    enum Form {
        /// `YYMMDD-NNNN`, `YYMMDD+NNNN` or `YYMMDDNNNN`: century from the separator and today.
        case short(plus: Bool)
        /// `YYYYMMDD-NNNN`, `YYYYMMDD+NNNN` or `YYYYMMDDNNNN`.
        case long
    }

    /// Tries to match a number whose digit run starts at `start` (the byte before is not a
    /// digit). `resume` is set past the digit run.
    @inline(__always)
    static func match(_ p: UnsafePointer<UInt8>, count n: Int, start: Int, config: DetectionConfig,
                      resume: inout Int) -> Span? {
        var i = start
        while i < n && i - start < 13 && ByteClass.isDigit(p[i]) { i += 1 }
        let run = i - start
        resume = i
        if start > 0 {
            let before = p[start - 1]
            if ByteClass.isLetter(before) { return nil }
            // Part of a decimal or of digit groups joined into one identifier (1.8507091234,
            // 12-850709-1234, job_200811092030). A comma or semicolon is a field boundary: CSV
            // and SQL dumps put the number right after an id column (`0,19820325-2385,`).
            if Self.isJoiner(before) && start > 1 && ByteClass.isDigit(p[start - 2]) { return nil }
        }
        var end: Int
        var digitsStart = start           // first of the 10 Luhn digits
        let form: Form
        var serialAt: Int                 // where NNNN starts (its first may be an interim letter)
        switch run {
        case 6, 8:
            guard i + 4 <= n else { return nil }
            let next = p[i]
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                // YYMMDD-NNNN, YYYYMMDD+NNNN, and interim YYMMDD-TNNN.
                guard i + 5 <= n, ByteClass.isDigit(p[i + 1]) || Self.isInterimLetter(p[i + 1]) else { return nil }
                for k in 2...4 where !ByteClass.isDigit(p[i + k]) { return nil }
                serialAt = i + 1
                end = i + 5
            } else if Self.isInterimLetter(next) {
                // Interim without separator: YYMMDDTNNN, YYYYMMDDTNNN.
                for k in 1...3 where !ByteClass.isDigit(p[i + k]) { return nil }
                serialAt = i
                end = i + 4
            } else {
                return nil
            }
            if run == 8 {
                digitsStart = start + 2
                form = .long
            } else {
                form = .short(plus: next == UInt8(ascii: "+"))
            }
        case 10:
            serialAt = start + 6
            end = i
            form = .short(plus: false)
        case 12:
            digitsStart = start + 2
            serialAt = start + 8
            end = i
            form = .long
        default:
            return nil
        }
        if end < n {
            let after = p[end]
            if ByteClass.isAlnum(after) { return nil }
            if after == UInt8(ascii: "_") {
                // `_task_200811092030_0001`: joined on both sides; `19820325-2385_1.pdf` is a name.
                if end + 1 < n && ByteClass.isDigit(p[end + 1]) && start > 0
                    && (p[start - 1] == UInt8(ascii: "_") || p[start - 1] == UInt8(ascii: "-")) { return nil }
            } else if Self.isJoiner(after) && end + 1 < n && ByteClass.isDigit(p[end + 1]) {
                return nil
            }
        }
        guard valid(p, digitsStart: digitsStart, serialAt: serialAt, fullYearAt: run == 8 || run == 12 ? start : nil,
                    form: form, config: config) else { return nil }
        // Machine numbers that pass the checksum by chance (one in ten does): a time stamp or
        // an id right after its key. Only bare digit runs: no machine writes YYYYMMDD-NNNN.
        if (run == 10 || run == 12) && MachineNumberKey.precedes(p, start) { return nil }
        // And epoch seconds in a column of them (`node-12 status 1111074926 0 running`).
        if run == 10 && EpochColumn.contains(p, n, start: start, config: config) { return nil }
        resume = end
        return Span(start: start, end: end, type: .personnummer)
    }

    /// Whether the ten digits at `at` (YYMMDDNNNN) pass the date and checksum rules.
    static func isValidTenDigits(_ p: UnsafePointer<UInt8>, at: Int, config: DetectionConfig) -> Bool {
        valid(p, digitsStart: at, serialAt: at + 6, fullYearAt: nil, form: .short(plus: false), config: config)
    }

    /// `.`, `-`, `+` and `_`: bytes that join digit groups into one longer number.
    @inline(__always)
    static func isJoiner(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "_")
    }

    /// The letters of interim numbers (`TRSUWXJKLMN`), which stand in for the first serial digit.
    @inline(__always)
    static func isInterimLetter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "T"), UInt8(ascii: "R"), UInt8(ascii: "S"), UInt8(ascii: "U"), UInt8(ascii: "W"), UInt8(ascii: "X"),
             UInt8(ascii: "J"), UInt8(ascii: "K"), UInt8(ascii: "L"), UInt8(ascii: "M"), UInt8(ascii: "N"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    private static func digit(_ p: UnsafePointer<UInt8>, _ at: Int) -> Int { Int(p[at] &- 48) }

    /// A Luhn-doubled digit: twice its value, minus 9 when that has two digits.
    @inline(__always)
    private static func doubled(_ b: UInt8) -> Int {
        let twice = Int(b &- 48) &* 2
        return twice > 9 ? twice &- 9 : twice
    }

    /// Date, serial and checksum rules; organisationsnummer only when configured.
    private static func valid(_ p: UnsafePointer<UInt8>, digitsStart d: Int, serialAt s: Int, fullYearAt: Int?,
                              form: Form, config: DetectionConfig) -> Bool {
        // The ten Luhn digits are YYMMDD (from d) and NNNN (from s); every other one doubled.
        // Written out with wrapping arithmetic: no loop and no overflow checks on a path every
        // candidate takes.
        // An interim number's letter counts as 1 (doubled: 2).
        let serialFirst = ByteClass.isDigit(p[s]) ? doubled(p[s]) : 2
        let sum = doubled(p[d]) &+ digit(p, d + 1) &+ doubled(p[d + 2]) &+ digit(p, d + 3) &+ doubled(p[d + 4])
            &+ digit(p, d + 5) &+ serialFirst &+ digit(p, s + 1) &+ doubled(p[s + 2]) &+ digit(p, s + 3)
        guard sum % 10 == 0 else { return false }
        let month = digit(p, d + 2) * 10 + digit(p, d + 3)
        if month >= 20 {
            // Organisationsnummer: month digits >= 20; 12-digit form prefixed "16".
            guard config.matchOrganisationsnummer else { return false }
            if let yearAt = fullYearAt { return digit(p, yearAt) == 1 && digit(p, yearAt + 1) == 6 }
            return true
        }
        guard p[s] != UInt8(ascii: "0") || digit(p, s + 1) != 0 || digit(p, s + 2) != 0 else { return false }
        var day = digit(p, d + 4) * 10 + digit(p, d + 5)
        let coordination = day >= 60
        if coordination { day -= 60 }   // samordningsnummer
        let yy = digit(p, d) * 10 + digit(p, d + 1)
        if let yearAt = fullYearAt {
            let century = digit(p, yearAt) * 10 + digit(p, yearAt + 1)
            guard century >= 18 && century <= 20 else { return false }
        }
        if coordination {
            // Samordningsnummer: month 00 and/or day 60 when the birth date is unknown, and
            // Skatteverket's own test numbers include days a month does not have (19200491,
            // 19300290): any month 00-12 and day 60-91 is one.
            return month <= 12 && day <= 31
        }
        let year: Int
        if let yearAt = fullYearAt {
            year = (digit(p, yearAt) * 10 + digit(p, yearAt + 1)) * 100 + yy
        } else {
            guard case .short(let plus) = form else { return false }
            year = PersonnummerDate.fullYear(yy: yy, month: month, day: day, plus: plus, today: config.today)
        }
        return PersonnummerDate.isValid(year: year, month: month, day: day)
    }
}
