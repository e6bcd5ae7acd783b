/// How often pseudonyms change (`--key-epoch`): with an epoch, the same value gets unlinkable
/// pseudonyms in different months or days.
public enum KeyEpoch: String, CaseIterable, Sendable {
    case none, monthly, daily

    /// The epoch label of `day` ("2026-11" or "2026-11-23"), nil for `none`.
    public func label(_ day: CalendarDay) -> String? {
        switch self {
        case .none: return nil
        case .monthly: return Padded.four(day.year) + "-" + Padded.two(day.month)
        case .daily: return Padded.four(day.year) + "-" + Padded.two(day.month) + "-" + Padded.two(day.day)
        }
    }
}

/// Everything the actions need besides the plan, fixed before the pipeline starts.
public struct TransformConfig: Sendable {
    /// The 32-byte secret; nil when no action needs one.
    public var key: [UInt8]?
    /// Key epochs.
    public var epoch: KeyEpoch = .none
    /// Take each line's own date for its epoch (off for `anonlog pseudonym`, where the
    /// value is not a line).
    public var useLineDates = true
    /// The date used for the epoch when a line carries no timestamp (the file's mtime, or today).
    public var fallbackDate: CalendarDay = .today
    /// Bits kept by `truncate` for IPv4 (default /24).
    public var ipv4Prefix = 24
    /// Bits kept by `truncate` for IPv6 (default /48).
    public var ipv6Prefix = 48
    /// "Today", for the century of 10-digit personnummer in canonical forms.
    public var today: CalendarDay = .today

    /// Creates a configuration.
    public init(key: [UInt8]? = nil) { self.key = key }
}

/// Zero-padded decimal numbers for epoch labels.
enum Padded {
    static func four(_ value: Int) -> String {
        let text = "\(value)"
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
