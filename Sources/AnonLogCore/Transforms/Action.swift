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
    private let actions: [Action]
    /// The same, one byte per type (`code`), so that the rewrite reads a match's action from a
    /// register instead of an array.
    private let packed: UInt64

    /// Builds the plan from a profile and per-type overrides, refusing combinations SPEC.md
    /// does not define or this build does not implement.
    public init(profile: Profile, overrides: [DetectionType: Action] = [:]) throws {
        let base: Action = profile == .redact ? .redact : .pseudonymize
        actions = DetectionType.allCases.map { overrides[$0] ?? base }
        packed = ActionPlan.pack(actions)
        for type in DetectionType.allCases {
            let action = actions[type.rawValue]
            guard action.isDefined(for: type) else {
                throw AnonLogError(.usage, "action '\(action.rawValue)' is not defined for \(type)")
            }
        }
    }

    /// Every type kept: a plan for runs that change nothing (a scan).
    public static let keepAll = ActionPlan(actions: DetectionType.allCases.map { _ in .keep })

    private init(actions: [Action]) {
        self.actions = actions
        packed = ActionPlan.pack(actions)
    }

    private static func pack(_ actions: [Action]) -> UInt64 {
        var packed: UInt64 = 0
        for (type, action) in actions.enumerated() { packed |= code(action) << (8 * UInt64(type)) }
        return packed
    }

    /// An action's byte in `packed`; `action(code:)` is its inverse (kept side by side, so
    /// that neither depends on the order of `Action`'s cases).
    private static func code(_ action: Action) -> UInt64 {
        switch action {
        case .pseudonymize: return 0
        case .encrypt: return 1
        case .truncate: return 2
        case .redact: return 3
        case .keep: return 4
        }
    }

    /// The action whose `code` is `code`, as a switch (no array to load).
    @inline(__always)
    private static func action(code: UInt64) -> Action {
        switch code {
        case 0: return .pseudonymize
        case 1: return .encrypt
        case 2: return .truncate
        case 3: return .redact
        default: return .keep
        }
    }

    /// Whether any type's action needs the secret key.
    public var needsKey: Bool { actions.contains { $0.needsKey } }

    /// The types whose matches change; `keep` types need not be looked for at all.
    public var changedTypes: Set<DetectionType> { Set(DetectionType.allCases.filter { self[$0] != .keep }) }

    /// The action for `type`.
    @inline(__always)
    public subscript(type: DetectionType) -> Action { ActionPlan.action(code: packed >> (8 * UInt64(type.rawValue)) & 0xFF) }
}
