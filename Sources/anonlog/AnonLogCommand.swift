import ArgumentParser
import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

/// The `anonlog` command: the filter by default, with subcommands for the other jobs.
@main
struct AnonLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonlog",
        abstract: "Pseudonymise or redact personal data in logs, dumps and backups.",
        usage: """
            anonlog [OPTIONS] [FILE ...]          (the filter; see 'anonlog filter --help')
            anonlog scan [OPTIONS] PATH ...
            anonlog sweep --policy FILE [--dry-run] [--now TIME]
            anonlog keygen [-o FILE]
            anonlog pseudonym --type TYPE VALUE
            """,
        discussion: """
            Without a subcommand anonlog is a filter: stdin or FILEs (plain, gzip, xz, zstd) to stdout, \
            -o FILE, or --in-place; 'anonlog filter --help' lists its options. Exit status: 0 \
            success, 1 personal data found (scan) or some files failed (sweep), 2 usage or input \
            error (one line on stderr naming the file), 3 internal fault. A closed pipe on stdout \
            ends quietly with 0.
            """,
        version: "0.1.0",
        subcommands: [Filter.self, ScanCommand.self, SweepCommand.self, KeygenCommand.self, PseudonymCommand.self],
        defaultSubcommand: Filter.self
    )

    /// Parses, runs, and maps every error to SPEC.md's exit codes (usage errors are 2, not 64).
    static func main() {
        CrashGuard.install()
        signal(SIGPIPE, SIG_IGN)
        // A file size limit (ulimit -f) must fail the write with EFBIG, which is reported,
        // not kill the process in the middle of a rewrite.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as AnonLogError {
            if error.kind != .brokenPipe { printError(error.withRemedy) }
            Glibc.exit(error.exitCode)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            printError(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Writes one "anonlog: …" line to stderr.
func printError(_ message: String) {
    var text = message
    if !text.hasPrefix("Error:") && !text.hasPrefix("Usage:") { text = "anonlog: " + text }
    if !text.hasSuffix("\n") { text += "\n" }
    writeToStderr(text)
}

/// Writes `text` to file descriptor 2 unbuffered (no shared `FILE *` state between threads).
func writeToStderr(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}
