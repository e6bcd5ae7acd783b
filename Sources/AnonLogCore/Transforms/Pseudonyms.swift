/// The pseudonym of one value, exactly as the filter writes it (`anonlog pseudonym`), so an
/// operator can find one person's records in pseudonymised logs.
public enum Pseudonyms {
    /// The pseudonymised form of `value` of `type` under `config`'s key and epoch.
    public static func pseudonym(of value: String, type: DetectionType, config: TransformConfig) throws -> String {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { throw AnonLogError(.usage, "the value is empty") }
        try validate(bytes, type: type, today: config.today)
        let plan = try ActionPlan(profile: .redact, overrides: [type: .pseudonymize])
        var replacer = Replacer(plan: plan, config: config, cacheSlots: ReplacementCache.minSlotCount)
        let out = ChunkBuffer(capacity: 64)
        bytes.withUnsafeBytes { window in
            replacer.write(Span(start: 0, end: bytes.count, type: type), of: window, into: out)
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Refuses values the detector would not match as `type` (a username is any word).
    private static func validate(_ bytes: [UInt8], type: DetectionType, today: CalendarDay) throws {
        var config = DetectionConfig(today: today)
        config.types = [type]
        var scanner = Scanner(config: config)
        let whole: Bool = bytes.withUnsafeBytes { raw in
            scanner.scan(raw)
            return scanner.spans.count == 1 && scanner.spans[0].start == 0 && scanner.spans[0].end == bytes.count
        }
        if type == .username {
            guard bytes.allSatisfy({ $0 > 32 && $0 != UInt8(ascii: "\"") }) else {
                throw AnonLogError(.usage, "a username cannot contain spaces or quotes")
            }
            return
        }
        guard whole else { throw AnonLogError(.usage, "the value is not a valid \(type)") }
    }
}
