import ArgumentParser
import AnonLogCore
import Foundation

/// `anonlog scan PATH ...`: find personal data in files and trees, like grep.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find personal data (personnummer, e-mails, IPs, usernames) in files and trees.",
        discussion: """
            Reads plain, gzip, xz and zstd files (by magic bytes), skips binary files (a NUL byte in \
            the first 64 KiB) unless --binary, and reports `path:line:column: type masked` per \
            finding, then a summary. Raw values are never printed unless --show-values. \
            Exit status: 0 nothing found, 1 found, 2 an error (reported, scanning goes on).
            Examples:
              anonlog scan -r --only personnummer /srv/www
              anonlog scan --json /var/backups/*.sql.xz > findings.jsonl
            """
    )

    @Argument(help: "Files and directories to scan.")
    var paths: [String]

    @Flag(name: .shortAndLong, help: "Descend into directories.")
    var recursive = false

    @Flag(name: .customShort("L"), help: "Follow symbolic links found while walking, when root or you own them (loops are detected).")
    var followLinks = false

    @Flag(help: "Scan binary files too.")
    var binary = false

    @Option(help: ArgumentHelp("Types to look for, comma-separated: ipv4, ipv6, email, username, personnummer (default: all).", valueName: "types"))
    var only: String?

    @Option(help: ArgumentHelp("Leave out paths matching this glob (base name or whole path); repeatable.", valueName: "glob"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("Skip files larger than this (e.g. 500M, 2G).", valueName: "size"))
    var maxFilesize: String?

    @Flag(help: "One JSON object per finding, then a summary object.")
    var json = false

    @Flag(help: "Print per-file counts only.")
    var count = false

    @Flag(help: "Print raw values next to the masked ones (they are personal data).")
    var showValues = false

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Threads (default: all cores).")
    var jobs: Int = 0

    @OptionGroup var detectionFlags: DetectionOptions

    @Option(help: ArgumentHelp("Chunk size in bytes (tests).", visibility: .hidden))
    var chunkSize: Int = 1 << 20

    func validate() throws {
        if json && count { throw ValidationError("--json and --count cannot be combined") }
        if jobs < 0 { throw ValidationError("-j must be 0 (all cores) or more") }
        if let maxFilesize, ByteSize.parse(maxFilesize) == nil {
            throw ValidationError("--max-filesize wants a size such as 500M, got '\(maxFilesize)'")
        }
    }

    func run() throws {
        var options = ScanOptions()
        options.recursive = recursive
        options.followLinks = followLinks
        options.includeBinary = binary
        options.excludes = exclude
        options.maxFileSize = maxFilesize.flatMap(ByteSize.parse)
        options.showValues = showValues
        options.chunkSize = max(1, chunkSize)
        if jobs > 0 { options.threads = jobs }
        options.detection = try detectionFlags.config()
        if let only {
            var types = Set<DetectionType>()
            for name in only.split(separator: ",") {
                guard let type = DetectionType.allCases.first(where: { $0.description == name.trimmingCharacters(in: .whitespaces) }) else {
                    throw AnonLogError(.usage, "--only: unknown type '\(name)' (ipv4, ipv6, email, username, personnummer)")
                }
                types.insert(type)
            }
            options.detection.types = types
        }
        let progress = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
        let report = ScanReport(format: json ? .json : (count ? .count : .text), showValues: showValues)
        TreeScanner(options: options).scan(paths, reporter: report, walked: report.walked) { done, bytes in
            progress.update(files: done, bytes: bytes)
        }
        progress.finish()
        let found = report.finish()
        if found.errors > 0 { throw ExitCode(2) }
        if found.findings > 0 { throw ExitCode(1) }
    }
}

/// Sizes with K/M/G/T suffixes (powers of 1024).
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits.removeLast()
        }
        guard let value = Int(digits), value >= 0 else { return nil }
        return value * scale
    }
}
