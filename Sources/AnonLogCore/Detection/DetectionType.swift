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

    /// The count for `type`: indexed by its raw value, without a branch (on a mixed log the type
    /// changes at nearly every match, so a jump table over it would mispredict).
    public subscript(type: DetectionType) -> Int {
        @inline(__always) get {
            withUnsafeBytes(of: values) { $0.load(fromByteOffset: type.rawValue &* MemoryLayout<Int>.stride, as: Int.self) }
        }
        @inline(__always) set {
            withUnsafeMutableBytes(of: &values) {
                $0.storeBytes(of: newValue, toByteOffset: type.rawValue &* MemoryLayout<Int>.stride, as: Int.self)
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
