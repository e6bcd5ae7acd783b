/// Reads the policy file: the subset of TOML it needs (string values, arrays of strings,
/// `[[rule]]` and `[rule.STAGE]` tables, comments), with errors that name the line.
public enum PolicyParser {
    /// Parses `text` read from `path` (the path only appears in messages).
    public static func parse(_ text: String, path: String) throws -> Policy {
        var top: [String: String] = [:]
        var rules: [Rule] = []
        var table = ""          // "", "rule", "rule.pseudonymize", "rule.redact"
        var pendingKey: (key: String, line: Int)?
        var pendingArray = ""
        func fail(_ line: Int, _ message: String) -> AnonLogError {
            AnonLogError(.usage, "\(path):\(line): \(message)")
        }
        func assign(_ key: String, _ value: TOMLValue, line: Int) throws {
            switch table {
            case "":
                guard ["key_file", "state_file", "audit_log"].contains(key) else { throw fail(line, "unknown key '\(key)' (key_file, state_file, audit_log, [[rule]])") }
                guard case .string(let string) = value else { throw fail(line, "'\(key)' wants a string") }
                guard string.hasPrefix("/") else { throw fail(line, "'\(key)' must be an absolute path (a cron job's working directory is anyone's guess)") }
                top[key] = string
            case "rule":
                guard !rules.isEmpty else { throw fail(line, "key outside a [[rule]]") }
                try setRuleKey(&rules[rules.count - 1], key, value, line: line, fail: fail)
            default:
                let stage: Stage = table == "rule.pseudonymize" ? .pseudonymized : .redacted
                let types: [String: [DetectionType]] = ["ip": [.ipv4, .ipv6], "email": [.email], "user": [.username], "pnr": [.personnummer]]
                guard let targets = types[key] else { throw fail(line, "unknown type '\(key)' (ip, email, user, pnr)") }
                guard case .string(let name) = value, let action = Action(rawValue: name) else {
                    throw fail(line, "'\(key)' wants an action: pseudonymize, encrypt, truncate, redact or keep")
                }
                for type in targets {
                    guard action.isDefined(for: type) else { throw fail(line, "action '\(name)' is not defined for \(type)") }
                    rules[rules.count - 1].overrides[stage, default: [:]][type] = action
                }
            }
        }

        // "\r\n" is one Character in Swift: split on it too, or a CRLF file is one long line.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let lineNumber = index + 1
            let line = stripComment(String(rawLine)).trimmingSpaces()
            if let pending = pendingKey {
                pendingArray += " " + line
                if line.hasSuffix("]") {
                    try assign(pending.key, try parseValue(pendingArray, line: pending.line, fail: fail), line: pending.line)
                    pendingKey = nil
                }
                continue
            }
            if line.isEmpty { continue }
            if line == "[[rule]]" {
                rules.append(Rule(name: "rule \(rules.count + 1)", paths: [], exclude: [], ageFromName: false, after: [:], overrides: [:]))
                table = "rule"
                continue
            }
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: "[]")
                guard ["rule.pseudonymize", "rule.redact"].contains(name), !rules.isEmpty else {
                    throw fail(lineNumber, "unknown table '\(line)' ([[rule]], [rule.pseudonymize], [rule.redact])")
                }
                table = name
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail(lineNumber, "expected 'key = value'") }
            let key = String(line[..<equals]).trimmingSpaces()
            let value = String(line[line.index(after: equals)...]).trimmingSpaces()
            if value.hasPrefix("[") && !value.hasSuffix("]") {
                pendingKey = (key, lineNumber)
                pendingArray = value
                continue
            }
            try assign(key, try parseValue(value, line: lineNumber, fail: fail), line: lineNumber)
        }
        if let pending = pendingKey { throw fail(pending.line, "unterminated array") }
        guard let state = top["state_file"] else { throw fail(1, "missing 'state_file'") }
        guard let audit = top["audit_log"] else { throw fail(1, "missing 'audit_log'") }
        guard !rules.isEmpty else { throw fail(1, "no [[rule]]") }
        for rule in rules {
            guard !rule.paths.isEmpty else { throw AnonLogError(.usage, "\(path): rule '\(rule.name)' has no 'paths'") }
            if !rule.allowSystemPaths, let glob = rule.paths.first(where: isSystemPath) {
                throw AnonLogError(.usage, "\(path): rule '\(rule.name)': '\(glob)' reaches system files; say allow_system_paths = true in the rule if that is meant")
            }
            guard !rule.after.isEmpty else { throw AnonLogError(.usage, "\(path): rule '\(rule.name)' has no *_after stage") }
            let ordered = Stage.allCases.compactMap { rule.after[$0] }
            guard ordered == ordered.sorted() else {
                throw AnonLogError(.usage, "\(path): rule '\(rule.name)': stages must come in order (pseudonymize <= redact <= delete)")
            }
        }
        return Policy(keyFile: top["key_file"], stateFile: state, auditLog: audit, rules: rules)
    }

    private static func setRuleKey(_ rule: inout Rule, _ key: String, _ value: TOMLValue, line: Int,
                                   fail: (Int, String) -> AnonLogError) throws {
        switch (key, value) {
        case ("name", .string(let name)): rule.name = name
        case ("paths", .array(let list)):
            try requireAbsolute(list, line: line, fail: fail)
            rule.paths = list
        case ("paths", .string(let one)):
            try requireAbsolute([one], line: line, fail: fail)
            rule.paths = [one]
        case ("exclude", .array(let list)): rule.exclude = list
        case ("allow_system_paths", .boolean(let allowed)): rule.allowSystemPaths = allowed
        case ("age_from", .string(let source)):
            guard source == "mtime" || source == "name" else { throw fail(line, "age_from is \"mtime\" or \"name\"") }
            rule.ageFromName = source == "name"
        case ("pseudonymize_after", .string(let text)), ("redact_after", .string(let text)), ("delete_after", .string(let text)):
            guard let seconds = parseDuration(text) else {
                throw fail(line, "'\(text)' is not a duration of at most 1000 years (e.g. 12h, 7d, 26w)")
            }
            let stage: Stage = key == "pseudonymize_after" ? .pseudonymized : (key == "redact_after" ? .redacted : .deleted)
            rule.after[stage] = seconds
        default:
            throw fail(line, "unknown or mistyped rule key '\(key)' (name, paths, exclude, age_from, pseudonymize_after, redact_after, delete_after, allow_system_paths)")
        }
    }

    /// Globs must be absolute: relative ones would resolve against the working directory.
    private static func requireAbsolute(_ globs: [String], line: Int, fail: (Int, String) -> AnonLogError) throws {
        if let relative = globs.first(where: { !$0.hasPrefix("/") }) {
            throw fail(line, "'\(relative)' is a relative path; paths are absolute")
        }
    }

    /// The trees of the system itself, which a retention rule has no business rewriting or
    /// deleting unless it says so: `/etc`, `/usr`, `/bin`, `/sbin`, `/lib*`, `/boot`,
    /// `/proc`, `/sys`, `/dev`, and `/` followed by a wildcard (`/*`, `/**`).
    static func isSystemPath(_ glob: String) -> Bool {
        let components = glob.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = components.first else { return true }   // "/" itself
        if first.contains(where: { "*?[".contains($0) }) { return true }
        let system: Set<Substring> = ["etc", "usr", "bin", "sbin", "boot", "proc", "sys", "dev"]
        return system.contains(first) || first.hasPrefix("lib")
    }

    /// The longest duration a policy may give: 1000 years, far below what overflows.
    static let maxDuration = 1000 * 366 * 86400

    /// `36h`, `7d`, `26w` (also `0d`); nil for anything else or more than 1000 years.
    public static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0 else { return nil }
        let scale: Int
        switch unit {
        case "h": scale = 3600
        case "d": scale = 86400
        case "w": scale = 7 * 86400
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow || seconds > maxDuration ? nil : seconds
    }

    enum TOMLValue {
        case string(String)
        case array([String])
        case boolean(Bool)
    }

    private static func parseValue(_ text: String, line: Int, fail: (Int, String) -> AnonLogError) throws -> TOMLValue {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else { throw fail(line, "unterminated string") }
            return .string(String(text.dropFirst().dropLast()))
        }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            var items: [String] = []
            for part in inner.split(separator: ",") {
                let item = String(part).trimmingSpaces()
                if item.isEmpty { continue }
                guard item.count >= 2, item.hasPrefix("\""), item.hasSuffix("\"") else { throw fail(line, "arrays hold strings in double quotes") }
                items.append(String(item.dropFirst().dropLast()))
            }
            return .array(items)
        }
        if text == "true" || text == "false" { return .boolean(text == "true") }
        throw fail(line, "values are \"strings\", [\"arrays\", \"of strings\"], true or false")
    }

    /// Drops a `#` comment that is not inside a string.
    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s.removeFirst() }
        while let last = s.last, set.contains(last) { s.removeLast() }
        return String(s)
    }
}
