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

        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
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
        case ("paths", .array(let list)): rule.paths = list
        case ("paths", .string(let one)): rule.paths = [one]
        case ("exclude", .array(let list)): rule.exclude = list
        case ("age_from", .string(let source)):
            guard source == "mtime" || source == "name" else { throw fail(line, "age_from is \"mtime\" or \"name\"") }
            rule.ageFromName = source == "name"
        case ("pseudonymize_after", .string(let text)), ("redact_after", .string(let text)), ("delete_after", .string(let text)):
            guard let seconds = parseDuration(text) else { throw fail(line, "'\(text)' is not a duration (e.g. 12h, 7d, 26w)") }
            let stage: Stage = key == "pseudonymize_after" ? .pseudonymized : (key == "redact_after" ? .redacted : .deleted)
            rule.after[stage] = seconds
        default:
            throw fail(line, "unknown or mistyped rule key '\(key)' (name, paths, exclude, age_from, pseudonymize_after, redact_after, delete_after)")
        }
    }

    /// `36h`, `7d`, `26w` (also `0d`).
    public static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0 else { return nil }
        switch unit {
        case "h": return number * 3600
        case "d": return number * 86400
        case "w": return number * 7 * 86400
        default: return nil
        }
    }

    enum TOMLValue {
        case string(String)
        case array([String])
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
        throw fail(line, "values are \"strings\" or [\"arrays\", \"of strings\"]")
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
