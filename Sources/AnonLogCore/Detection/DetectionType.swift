/// The kinds of personal data anonlog detects (SPEC.md, "What it detects").
public enum DetectionType: Int, CaseIterable, Sendable, CustomStringConvertible {
    case ipv4, ipv6, email, username, personnummer

    /// The name used on the command line, in reports and in `--stats`.
    public var description: String {
        switch self {
        case .ipv4: return "ipv4"
        case .ipv6: return "ipv6"
        case .email: return "email"
        case .username: return "username"
        case .personnummer: return "personnummer"
        }
    }
}

/// Per-type match counters, indexed by `DetectionType.rawValue`; plain value, no allocation.
public struct TypeCounts: Sendable, Equatable {
    /// Counts in `DetectionType.allCases` order.
    public var values: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)

    /// Creates all-zero counts.
    public init() {}

    /// The count for `type`.
    public subscript(type: DetectionType) -> Int {
        get {
            switch type {
            case .ipv4: return values.0
            case .ipv6: return values.1
            case .email: return values.2
            case .username: return values.3
            case .personnummer: return values.4
            }
        }
        set {
            switch type {
            case .ipv4: values.0 = newValue
            case .ipv6: values.1 = newValue
            case .email: values.2 = newValue
            case .username: values.3 = newValue
            case .personnummer: values.4 = newValue
            }
        }
    }

    /// Adds `other` into these counts.
    public mutating func add(_ other: TypeCounts) {
        for type in DetectionType.allCases { self[type] += other[type] }
    }

    public static func == (a: TypeCounts, b: TypeCounts) -> Bool {
        DetectionType.allCases.allSatisfy { a[$0] == b[$0] }
    }
}
