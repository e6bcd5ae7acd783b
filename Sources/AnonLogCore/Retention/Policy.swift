/// A retention policy (`anonlog sweep --policy FILE`): where state and audit go, and rules that
/// say when matching files are pseudonymised, redacted and deleted.
public struct Policy: Sendable {
    /// The key file for pseudonymisation; nil: the default key rules.
    public var keyFile: String?
    /// Where the sweep records what it did to which file.
    public var stateFile: String
    /// One JSON line per action.
    public var auditLog: String
    /// Rules in file order; the first rule whose globs match a file owns it.
    public var rules: [Rule]
}

/// The stages a file moves through, forward only.
public enum Stage: Int, Comparable, Sendable, CaseIterable {
    case raw, pseudonymized, redacted, deleted

    /// The name used in the state file, audit log and plan.
    public var name: String {
        switch self {
        case .raw: return "raw"
        case .pseudonymized: return "pseudonymized"
        case .redacted: return "redacted"
        case .deleted: return "deleted"
        }
    }

    public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
}

/// One `[[rule]]`.
public struct Rule: Sendable {
    /// A label for plans and the audit log.
    public var name: String
    /// Globs of files the rule covers.
    public var paths: [String]
    /// Globs (base name or whole path) the rule leaves out.
    public var exclude: [String]
    /// Age from the file's mtime, or from a date in its name (`2026-11-26` or `20261126`).
    public var ageFromName: Bool
    /// Seconds of age after which each stage is due; a stage may be left out.
    public var after: [Stage: Int]
    /// Per-stage action overrides (`[rule.pseudonymize]`, `[rule.redact]`: ip/email/user/pnr).
    public var overrides: [Stage: [DetectionType: Action]]
    /// The rule may reach system trees (`/etc`, `/usr`, …, `/*`): `allow_system_paths = true`.
    public var allowSystemPaths = false
}
