import CByteMasks
import Testing
@testable import AnonLogCore

/// The branch-free personnummer check (`Personnummer.h`) gives exactly what the rules give
/// when written the plain way, one `if` per rule (this file's reference, the Swift detector
/// before the check moved to C), for every written form, boundary, date and checksum.
@Suite struct PersonnummerRulesTests {
    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 }
    static func isJoiner(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "_")
    }
    static func isInterim(_ b: UInt8) -> Bool { Array("TRSUWXJKLMN".utf8).contains(b) }
    static func digit(_ p: [UInt8], _ at: Int) -> Int { Int(p[at]) - 48 }
    static func doubled(_ b: UInt8) -> Int { let twice = (Int(b) - 48) * 2; return twice > 9 ? twice - 9 : twice }

    /// The reference: the end of the number whose digit run starts at `start`, or nil; and
    /// the run's length (at most 13).
    static func reference(_ p: [UInt8], start: Int, today: CalendarDay, organisations: Bool) -> (end: Int?, run: Int) {
        let n = p.count
        var i = start
        while i < n && i - start < 13 && isDigit(p[i]) { i += 1 }
        let run = i - start
        if start > 0 {
            let before = p[start - 1]
            if isLetter(before) { return (nil, run) }
            if isJoiner(before) && start > 1 && isDigit(p[start - 2]) { return (nil, run) }
        }
        var end: Int, digitsStart = start, serialAt: Int, long = false, plus = false
        switch run {
        case 6, 8:
            guard i + 4 <= n else { return (nil, run) }
            let next = p[i]
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                guard i + 5 <= n, isDigit(p[i + 1]) || isInterim(p[i + 1]) else { return (nil, run) }
                for k in 2...4 where !isDigit(p[i + k]) { return (nil, run) }
                serialAt = i + 1
                end = i + 5
            } else if isInterim(next) {
                for k in 1...3 where !isDigit(p[i + k]) { return (nil, run) }
                serialAt = i
                end = i + 4
            } else {
                return (nil, run)
            }
            if run == 8 { digitsStart = start + 2; long = true } else { plus = next == UInt8(ascii: "+") }
        case 10:
            serialAt = start + 6
            end = i
        case 12:
            digitsStart = start + 2
            serialAt = start + 8
            end = i
            long = true
        default:
            return (nil, run)
        }
        if end < n {
            let after = p[end]
            if isDigit(after) || isLetter(after) { return (nil, run) }
            if after == UInt8(ascii: "_") {
                if end + 1 < n && isDigit(p[end + 1]) && start > 0
                    && (p[start - 1] == UInt8(ascii: "_") || p[start - 1] == UInt8(ascii: "-")) { return (nil, run) }
            } else if isJoiner(after) && end + 1 < n && isDigit(p[end + 1]) {
                return (nil, run)
            }
        }
        let ok = valid(p, d: digitsStart, s: serialAt, yearAt: long ? start : nil, plus: plus, today: today, organisations: organisations)
        return (ok ? end : nil, run)
    }

    /// The date, serial and checksum rules, one `if` each.
    static func valid(_ p: [UInt8], d: Int, s: Int, yearAt: Int?, plus: Bool, today: CalendarDay, organisations: Bool) -> Bool {
        let serialFirst = isDigit(p[s]) ? doubled(p[s]) : 2
        let sum = doubled(p[d]) + digit(p, d + 1) + doubled(p[d + 2]) + digit(p, d + 3) + doubled(p[d + 4]) + digit(p, d + 5)
            + serialFirst + digit(p, s + 1) + doubled(p[s + 2]) + digit(p, s + 3)
        guard sum % 10 == 0 else { return false }
        let month = digit(p, d + 2) * 10 + digit(p, d + 3)
        if month >= 20 {
            guard organisations else { return false }
            if let yearAt = yearAt { return digit(p, yearAt) == 1 && digit(p, yearAt + 1) == 6 }
            return true
        }
        guard p[s] != UInt8(ascii: "0") || digit(p, s + 1) != 0 || digit(p, s + 2) != 0 else { return false }
        var day = digit(p, d + 4) * 10 + digit(p, d + 5)
        let coordination = day >= 60
        if coordination { day -= 60 }
        let yy = digit(p, d) * 10 + digit(p, d + 1)
        if let yearAt = yearAt {
            let century = digit(p, yearAt) * 10 + digit(p, yearAt + 1)
            guard century >= 18 && century <= 20 else { return false }
        }
        if coordination { return month <= 12 && day <= 31 }
        var year: Int
        if let yearAt = yearAt {
            year = (digit(p, yearAt) * 10 + digit(p, yearAt + 1)) * 100 + yy
        } else {
            year = today.year - today.year % 100 + yy
            if (year, month, day) > (today.year, today.month, today.day) { year -= 100 }
            if plus { year -= 100 }
        }
        guard month >= 1 && month <= 12 && day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = month == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
        return day <= days
    }

    static func rules(_ today: CalendarDay, _ organisations: Bool) -> AnonLogPersonnummerRules {
        var config = DetectionConfig(today: today, matchOrganisationsnummer: organisations)
        config.includeTokens = false
        return config.personnummerRules
    }

    /// A number with a checksum that passes about half the time, in a random form and date
    /// (months 00-13 and 20-29, days 00-32 and 60-92), with random bytes around it.
    static func fragment(_ g: inout SeededGenerator) -> String {
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &g))) }) }
        let month = [Int.random(in: 0...13, using: &g), Int.random(in: 20...29, using: &g)].randomElement(using: &g)!
        let day = [Int.random(in: 0...32, using: &g), Int.random(in: 60...92, using: &g)].randomElement(using: &g)!
        let yy = Int.random(in: 0...99, using: &g)
        let date = String(format2(yy)) + format2(month) + format2(day)
        var serial = digits(3)
        if Int.random(in: 0..<6, using: &g) == 0 { serial = String(Array("TRSUWXJKLMNAZ")[Int.random(in: 0..<13, using: &g)]) + digits(2) }
        // The check digit that makes the Luhn sum a multiple of ten, half the time.
        let ten = Array((date + serial + "0").utf8)
        let weights = [2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
        var sum = 0
        for k in 0..<9 {
            let value = isDigit(ten[k]) ? Int(ten[k]) - 48 : 1
            let product = value * weights[k]
            sum += product > 9 ? product - 9 : product
        }
        let check = Int.random(in: 0..<2, using: &g) == 0 ? (10 - sum % 10) % 10 : Int.random(in: 0...9, using: &g)
        serial += String(check)
        let century = ["19", "20", "18", "16", "17", "21"].randomElement(using: &g)!
        let separator = ["-", "+", ""].randomElement(using: &g)!
        let body: String
        switch Int.random(in: 0..<4, using: &g) {
        case 0: body = date + separator + serial
        case 1: body = century + date + separator + serial
        case 2: body = date + serial
        default: body = century + date + serial
        }
        let around = ["", " ", ",", ";", "_", "-", ".", "+", "a", "1", "_1", "-2", ".3", "x", "\"", "0,", "id="]
        return around.randomElement(using: &g)! + body + around.randomElement(using: &g)!
    }

    static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test(arguments: 0..<40)
    func checkEqualsThePlainRules(seed: Int) {
        var g = SeededGenerator(seed: UInt64(seed) &* 97 &+ 11)
        for _ in 0..<40 {
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &g) { text += Self.fragment(&g) }
            let p = Array(text.utf8)
            let today = CalendarDay(year: Int.random(in: 2000...2099, using: &g), month: Int.random(in: 1...12, using: &g),
                                    day: Int.random(in: 1...28, using: &g))
            let organisations = Int.random(in: 0..<3, using: &g) == 0
            var rules = Self.rules(today, organisations)
            // Every digit that starts a run, and (as the detector may be asked) the ones inside runs.
            for start in p.indices where Self.isDigit(p[start]) {
                let expected = Self.reference(p, start: start, today: today, organisations: organisations)
                var run = 0
                let end = p.withUnsafeBufferPointer { anonlog_personnummer_end($0.baseAddress, p.count, start, &rules, &run) }
                #expect(run == expected.run && (end == 0 ? nil : end) == expected.end,
                        "\(text.debugDescription) at \(start), today \(today), orgnr \(organisations)")
            }
            // The ten-digit check the epoch rule asks.
            for start in p.indices where start + 10 <= p.count && (start..<(start + 10)).allSatisfy({ Self.isDigit(p[$0]) }) {
                let expected = Self.valid(p, d: start, s: start + 6, yearAt: nil, plus: false, today: today, organisations: organisations)
                let found = p.withUnsafeBufferPointer { anonlog_personnummer_ten_digits_valid($0.baseAddress! + start, &rules) } != 0
                #expect(found == expected, "\(text.debugDescription) ten digits at \(start)")
            }
        }
    }

    /// Every calendar day of 1600-2400 against the plain leap-year rule, and the century rule
    /// around today (the day after today is a century back).
    @Test func calendar() {
        for year in 1600...2400 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            for month in 0...14 {
                for day in 0...32 {
                    let days = month == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
                    let exists = month >= 1 && month <= 12 && day >= 1 && day <= days
                    #expect(PersonnummerDate.isValid(year: year, month: month, day: day) == exists, "\(year)-\(month)-\(day)")
                }
            }
        }
        let today = CalendarDay(year: 2026, month: 11, day: 30)
        #expect(PersonnummerDate.fullYear(yy: 26, month: 11, day: 30, plus: false, today: today) == 2026)
        #expect(PersonnummerDate.fullYear(yy: 26, month: 12, day: 1, plus: false, today: today) == 1926)
        #expect(PersonnummerDate.fullYear(yy: 26, month: 11, day: 30, plus: true, today: today) == 1926)
        #expect(PersonnummerDate.fullYear(yy: 99, month: 1, day: 1, plus: false, today: today) == 1999)
    }

    /// Every interim letter and no other byte.
    @Test func interimLetters() {
        for b in 0...255 {
            #expect((anonlog_is_interim_letter(UInt8(b)) != 0) == Self.isInterim(UInt8(b)), "byte \(b)")
        }
    }
}
