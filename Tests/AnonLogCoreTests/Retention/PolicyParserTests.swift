@testable import AnonLogCore
import Testing

/// The policy file's TOML subset: what parses, and errors that name the line.
@Suite struct PolicyParserTests {
    static let valid = """
        # comments and blank lines are fine
        state_file = "/var/lib/anonlog/state.json"
        audit_log = "/var/log/anonlog/audit.jsonl"   # trailing comment

        [[rule]]
        name = "web"
        paths = ["/var/log/nginx/access.log.*",
                 "/var/log/nginx/error.log.*"]
        exclude = ["*.keep"]
        pseudonymize_after = "7d"
        redact_after = "30d"
        delete_after = "52w"

        [rule.pseudonymize]
        ip = "truncate"
        user = "keep"
        """

    @Test func aValidPolicyParses() throws {
        let policy = try PolicyParser.parse(Self.valid, path: "/etc/anonlog/policy.toml")
        #expect(policy.stateFile == "/var/lib/anonlog/state.json")
        #expect(policy.auditLog == "/var/log/anonlog/audit.jsonl")
        #expect(policy.keyFile == nil)
        #expect(policy.rules.count == 1)
        let rule = policy.rules[0]
        #expect(rule.name == "web")
        #expect(rule.paths == ["/var/log/nginx/access.log.*", "/var/log/nginx/error.log.*"])
        #expect(rule.exclude == ["*.keep"])
        #expect(rule.after[.pseudonymized] == 7 * 86_400)
        #expect(rule.after[.redacted] == 30 * 86_400)
        #expect(rule.after[.deleted] == 52 * 7 * 86_400)
        #expect(rule.overrides[.pseudonymized]?[.ipv4] == .truncate)
        #expect(rule.overrides[.pseudonymized]?[.ipv6] == .truncate)
        #expect(rule.overrides[.pseudonymized]?[.username] == .keep)
    }

    @Test func crlfLineEndingsParseTheSame() throws {
        let policy = try PolicyParser.parse(Self.valid.replacingOccurrences(of: "\n", with: "\r\n"), path: "p")
        #expect(policy.rules.first?.paths.count == 2)
    }

    @Test(arguments: [
        ("state_file = \"relative/state.json\"", "p:1: 'state_file' must be an absolute path"),
        ("color = \"blue\"", "p:1: unknown key 'color'"),
        ("[rules]", "p:1: unknown table '[rules]'"),
        ("state_file", "p:1: expected 'key = value'"),
    ])
    func errorsNameTheLine(text: String, prefix: String) {
        #expect {
            try PolicyParser.parse(text, path: "p")
        } throws: { error in
            (error as? AnonLogError)?.message.hasPrefix(prefix) == true && (error as? AnonLogError)?.kind == .usage
        }
    }

    @Test func stagesOutOfOrderAndSystemPathsAreRefused() {
        let outOfOrder = Self.valid.replacingOccurrences(of: "redact_after = \"30d\"", with: "redact_after = \"3d\"")
        #expect(throws: AnonLogError.self) { try PolicyParser.parse(outOfOrder, path: "p") }
        let system = Self.valid.replacingOccurrences(of: "/var/log/nginx/error.log.*", with: "/etc/*")
        #expect(throws: AnonLogError.self) { try PolicyParser.parse(system, path: "p") }
        let allowed = system.replacingOccurrences(of: "name = \"web\"", with: "name = \"web\"\nallow_system_paths = true")
        #expect(throws: Never.self) { try PolicyParser.parse(allowed, path: "p") }
    }

    @Test(arguments: [("36h", 129_600), ("7d", 604_800), ("2w", 1_209_600), ("0d", 0)])
    func durations(text: String, seconds: Int) {
        #expect(PolicyParser.parseDuration(text) == seconds)
    }

    @Test func badDurationsAreNil() {
        for text in ["", "d", "7", "-1d", "7x", "1.5d", "90m", "1y", "99999999999999w"] { #expect(PolicyParser.parseDuration(text) == nil, "\(text)") }
    }
}
