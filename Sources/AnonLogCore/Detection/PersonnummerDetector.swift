import CByteMasks

/// Finds Swedish personnummer and samordningsnummer in every written form (SPEC.md,
/// `personnummer` row): the form, its boundaries, the date, the serial and the Luhn check
/// digit are decided in C (`Personnummer.h`, one AND of all rules instead of a branch each);
/// the machine-number rules, which look further afield, run here for the numbers that pass.
enum PersonnummerDetector {
    /// Tries to match a number whose digit run starts at `start` (the byte before is not a
    /// digit), under `rules` (from `DetectionConfig.personnummerRules`). `resume` is set past
    /// the digit run, or past the number when it matches.
    @inline(__always)
    static func match(_ p: UnsafePointer<UInt8>, count n: Int, start: Int, config: DetectionConfig,
                      rules: UnsafePointer<AnonLogPersonnummerRules>, resume: inout Int) -> Span? {
        var run = 0
        let end = anonlog_personnummer_end(p, n, start, rules, &run)
        resume = start + run
        guard end != 0 else { return nil }
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
        var rules = config.personnummerRules
        return anonlog_personnummer_ten_digits_valid(p + at, &rules) != 0
    }

    /// The letters of interim numbers (`TRSUWXJKLMN`), which stand in for the first serial digit.
    @inline(__always)
    static func isInterimLetter(_ b: UInt8) -> Bool { anonlog_is_interim_letter(b) != 0 }
}
