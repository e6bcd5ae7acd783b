import ArgumentParser
import AnonLogCore
import Foundation

/// `anonlog sweep --policy FILE`: the daily retention run.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Move files through raw -> pseudonymised -> redacted -> deleted as their policy says.",
        discussion: """
            Run daily from cron or a systemd timer. Each file a rule matches goes straight to the \
            furthest stage its age calls for, keeping its format, mode, owner and mtime; the state \
            file remembers what was done (by inode, so logrotate renames are followed), the audit \
            log gets one JSON line per action, and files modified in the last minute are left \
            alone. Below the fixed part of each glob no symlink is followed: a symlinked \
            directory or file is skipped and reported. State and audit files must live in \
            directories only root (or you) can write. Exit status: 0 all done, 1 some files \
            failed or were skipped (or another sweep holds the lock), 2 policy or usage error.
            """
    )

    @Option(help: "The TOML policy file.")
    var policy: String

    @Flag(help: "Print the plan and change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("The sweep's clock: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (tests).", valueName: "time"))
    var now: String?

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Files rewritten at once (default: all cores).")
    var jobs: Int = 0

    func run() throws {
        let data = try PathResolver.readConfiguration(policy, what: "policy file", requireTrusted: true)
        let parsed = try PolicyParser.parse(String(decoding: data, as: UTF8.self), path: policy)
        let clock = try now.map(Self.parseTime) ?? Clock.now()
        var detection = DetectionConfig()
        detection.today = CalendarDay(epochSeconds: clock)
        let sweeper = Sweeper(policy: parsed, now: clock, threads: jobs > 0 ? jobs : Pipeline.coreCount, detection: detection)
        let needsKey = !dryRun && parsed.rules.contains { $0.after[.pseudonymized] != nil }
        var key: [UInt8]?
        var registry: PseudonymRegistry?
        if needsKey {
            let (path, isDefault) = KeyFile.resolvePath(explicit: parsed.keyFile)
            key = try KeyFile.load(path: path, createIfMissing: isDefault && parsed.keyFile == nil) { writeToStderr($0 + "\n") }.bytes
            registry = try PseudonymRegistry(keyPath: path)
        }
        let outcome: Sweeper.Outcome
        do {
            outcome = try sweeper.run(dryRun: dryRun, key: key, registry: registry) { print($0) }
        } catch let error as AnonLogError where error.kind == .busy {
            writeToStderr("anonlog: \(error.message)\n")
            throw ExitCode(error.exitCode)
        }
        let failures = outcome.problems + outcome.actions.compactMap { $0.1 }
        for failure in failures { writeToStderr("anonlog: \(failure)\n") }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func parseTime(_ text: String) throws -> Int {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return Int(date.timeIntervalSince1970) }
        throw AnonLogError(.usage, "--now wants YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got '\(text)'")
    }
}
