/// What to do with a match of one type (SPEC.md, "What it does to a match").
public enum Action: String, CaseIterable, Sendable {
    case pseudonymize, encrypt, truncate, redact, keep

    /// Whether SPEC.md defines this action for `type` (encrypt is for IPs, truncate not for usernames).
    public func isDefined(for type: DetectionType) -> Bool {
        switch self {
        case .pseudonymize, .redact, .keep: return true
        case .encrypt: return type == .ipv4 || type == .ipv6
        case .truncate: return type != .username
        }
    }


    /// Whether the action needs the secret key.
    public var needsKey: Bool { self == .pseudonymize || self == .encrypt }
}

/// The named action sets of `--profile`.
public enum Profile: String, CaseIterable, Sendable {
    case pseudonymize, redact
}

/// The action for every type, validated once before the pipeline runs.
public struct ActionPlan: Sendable, Equatable {
    /// Actions indexed by `DetectionType.rawValue`.
    private var actions: [Action]

    /// Builds the plan from a profile and per-type overrides, refusing combinations SPEC.md
    /// does not define or this build does not implement.
    public init(profile: Profile, overrides: [DetectionType: Action] = [:]) throws {
        let base: Action = profile == .redact ? .redact : .pseudonymize
        actions = DetectionType.allCases.map { overrides[$0] ?? base }
        for type in DetectionType.allCases {
            let action = actions[type.rawValue]
            guard action.isDefined(for: type) else {
                throw AnonLogError(.usage, "action '\(action.rawValue)' is not defined for \(type)")
            }
        }
    }

    /// Every type kept: a plan for runs that change nothing (a scan).
    public static let keepAll = ActionPlan(actions: DetectionType.allCases.map { _ in .keep })

    private init(actions: [Action]) { self.actions = actions }

    /// Whether any type's action needs the secret key.
    public var needsKey: Bool { actions.contains { $0.needsKey } }

    /// The types whose matches change; `keep` types need not be looked for at all.
    public var changedTypes: Set<DetectionType> { Set(DetectionType.allCases.filter { self[$0] != .keep }) }

    /// The action for `type`.
    @inline(__always)
    public subscript(type: DetectionType) -> Action { actions[type.rawValue] }
}
