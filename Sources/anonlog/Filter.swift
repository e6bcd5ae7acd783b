import ArgumentParser
import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

/// `anonlog [OPTIONS] [FILE ...]`: the streaming filter.
struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Rewrite stdin or FILEs to stdout (or -o FILE), or rewrite FILEs in place.",
        discussion: """
            Inputs may be plain, gzip, xz or zstd (detected by magic bytes) and are read in order as \
            one stream. The output has the first input's format unless --output-format says \
            otherwise. Examples:
              zcat access.log.1.gz | anonlog --profile redact | gzip > access.log.1.anon.gz
              anonlog --profile redact --in-place /var/log/nginx/access.log.*.gz
              anonlog --ip keep --profile redact -o clean.log.xz dump.sql.xz
            """
    )

    @Argument(help: "Input files; none or '-' means stdin.")
    var files: [String] = []

    @Option(name: .shortAndLong, help: "Write to FILE instead of stdout.")
    var output: String?

    @Flag(help: "With -o: append to FILE instead of replacing it (for piped web-server logs).")
    var append = false

    @Flag(help: "Rewrite each FILE in place, keeping its format, mode, owner and mtime.")
    var inPlace = false

    @Flag(name: .shortAndLong, help: "With --in-place: rewrite every text file under the directories (binary files are skipped), several at once.")
    var recursive = false

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Worker threads (default: all cores).")
    var jobs: Int = 0

    @Option(help: "Input format instead of detection: plain, gzip, xz or zstd.")
    var inputFormat: CompressionFormat?

    @Option(help: "Output format: plain, gzip, xz or zstd (default: the input's).")
    var outputFormat: CompressionFormat?

    @Option(help: "Compression level for gzip (1-9), xz (0-9) or zstd (1-19); default 6 (zstd 3).")
    var level: Int?

    @Option(help: "Action set: pseudonymize (default) or redact.")
    var profile: Profile = .pseudonymize

    @Option(help: "Action for IPv4/IPv6 addresses: pseudonymize, encrypt, truncate, redact, keep.")
    var ip: Action?

    @Option(help: "Action for e-mail addresses: pseudonymize, truncate, redact, keep.")
    var email: Action?

    @Option(help: "Action for usernames: pseudonymize, redact, keep.")
    var user: Action?

    @Option(help: "Action for personnummer: pseudonymize, truncate, redact, keep.")
    var pnr: Action?

    @OptionGroup var keys: KeyOptions

    @OptionGroup var detectionFlags: DetectionOptions

    @Flag(help: "Print per-type counts, bytes in/out and MB/s on stderr at the end.")
    var stats = false

    @Option(help: ArgumentHelp(
        "When a pipe goes quiet, write its complete lines after SECONDS (0: at once).",
        discussion: "SIGTERM, SIGINT or SIGHUP: stop reading, write everything read, finish the gzip/xz stream, exit 0; a second SIGTERM/SIGINT stops at once (output valid up to the last line written). With --append -o FILE, SIGHUP and SIGUSR1 reopen FILE (for logrotate's postrotate)."))
    var flushInterval: Double = 0.2

    @Option(help: "Most memory (MiB) one xz decoder may use; a file that needs more is refused (default 256).")
    var xzMemlimit: Int = 256

    @Option(help: ArgumentHelp("Chunk size in bytes (tuning and tests).", visibility: .hidden))
    var chunkSize: Int = 1 << 20

    func validate() throws {
        if inPlace && output != nil { throw ValidationError("--in-place and -o cannot be combined") }
        if inPlace && files.isEmpty { throw ValidationError("--in-place needs at least one FILE") }
        if inPlace && files.contains("-") { throw ValidationError("--in-place cannot rewrite stdin") }
        if inPlace && outputFormat != nil { throw ValidationError("--in-place keeps each file's format; drop --output-format") }
        if recursive && !inPlace { throw ValidationError("--recursive goes with --in-place") }
        if append && output == nil { throw ValidationError("--append needs -o FILE") }
        if jobs < 0 { throw ValidationError("-j must be 0 (all cores) or more") }
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1") }
        if let level, !(0...19).contains(level) { throw ValidationError("--level must be 0-9 (gzip 1-9, xz 0-9) or 1-19 for zstd") }
        if !(1...(1 << 20)).contains(xzMemlimit) { throw ValidationError("--xz-memlimit is 1 to 1048576 MiB") }
        if !(flushInterval >= 0 && flushInterval <= 3600) { throw ValidationError("--flush-interval must be 0-3600 seconds") }
    }

    /// The note for a file whose content was pseudonymised before.
    static func alreadyDone(_ registry: PseudonymRegistry?) -> String {
        "already pseudonymised by anonlog with this key (listed in \(registry?.path ?? "the registry")); left as it is"
    }

    func run() throws {
        var overrides: [DetectionType: Action] = [:]
        if let ip { overrides[.ipv4] = ip; overrides[.ipv6] = ip }
        if let email { overrides[.email] = email }
        if let user { overrides[.username] = user }
        if let pnr { overrides[.personnummer] = pnr }
        let plan = try ActionPlan(profile: profile, overrides: overrides)
        let detection = try detectionFlags.config()
        let realFiles = files.filter { $0 != "-" }
        let fallback = realFiles.first.flatMap(Dates.mtime) ?? detection.today
        let transform = try keys.transformConfig(needsKey: plan.needsKey, fallbackDate: fallback, today: detection.today)
        var options = PipelineOptions(threads: jobs, chunkSize: chunkSize, inputFormat: inputFormat,
                                      outputFormat: outputFormat, level: level, plan: plan, detection: detection,
                                      transform: transform)
        options.xzMemoryLimit = xzMemlimit << 20
        // A progress line only on a terminal, and only for long jobs (the pipeline waits 2 s).
        let progressLine = ProgressLine(enabled: isatty(STDERR_FILENO) == 1 && !inPlace)
        defer { progressLine.finish() }
        if isatty(STDERR_FILENO) == 1 && !inPlace {
            options.progress = { bytes, total, seconds in progressLine.update(bytes: bytes, total: total, seconds: seconds) }
        }
        let pipeline = Pipeline(options: options)
        // Rewriting in place with pseudonyms: never pseudonymise the same content twice.
        let registry = inPlace && plan.needsKey && profile == .pseudonymize ? try keys.registry() : nil

        if inPlace && recursive {
            let outcomes = TreeRewrite.rewrite(files, options: options, threads: jobs > 0 ? jobs : Pipeline.coreCount,
                                               registry: registry)
            var total = PipelineStats()
            var failed = false
            var skippedText = false
            for outcome in outcomes {
                // Nothing is skipped without a word; a log left raw (unreadable format) sets exit 1.
                if let reason = outcome.skippedReason {
                    writeToStderr("anonlog: \(outcome.path): \(reason); skipped\n")
                    if outcome.skippedText { skippedText = true }
                }
                if outcome.skippedBinary {
                    writeToStderr("anonlog: \(outcome.path): binary (more than 1% control bytes); skipped\n")
                }
                if let error = outcome.error {
                    writeToStderr("anonlog: \(error)\n")
                    failed = true
                }
                if let stats = outcome.stats {
                    if stats.alreadyPseudonymised { writeToStderr("anonlog: \(outcome.path): \(Self.alreadyDone(registry))\n") }
                    total.merge(stats)
                }
            }
            if stats { StatsReport.print(total) }
            if failed { throw ExitCode(2) }
            if skippedText { throw ExitCode(1) }
            return
        }
        if inPlace {
            // Every file is tried: one that fails (corrupt, changed meanwhile, refused) is
            // named and left as it was, and the others are still rewritten.
            var total = PipelineStats()
            var failed = false
            for file in files {
                do {
                    // Lines without a date take the epoch of this file's mtime.
                    let result = try AtomicRewrite.rewrite(file, pipeline: pipeline, dateFromMtime: true, registry: registry)
                    if result.alreadyPseudonymised { writeToStderr("anonlog: \(file): \(Self.alreadyDone(registry))\n") }
                    total.merge(result)
                } catch let error as AnonLogError {
                    writeToStderr("anonlog: \(error.withRemedy)\n")
                    failed = true
                }
            }
            if stats { StatsReport.print(total) }
            if failed { throw ExitCode(2) }
            return
        }
        // A stream: signals stop it cleanly (and reopen an appended -o FILE), and a quiet
        // pipe's lines are written after --flush-interval.
        try StreamSignals.install(reopen: append && output != nil)
        var streamOptions = options
        streamOptions.followsSignals = true
        streamOptions.flushInterval = flushInterval
        let stream = Pipeline(options: streamOptions)
        let sources = files.map(InputSource.init(argument:))
        let result: PipelineStats
        if let output {
            try OutputTarget.refuseIfInput(output, inputs: realFiles)
            result = try OutputTarget.withFile(output, append: append) { fd, reopen in
                try stream.run(sources: sources, outputDescriptor: fd, outputName: output, reopen: reopen)
            }
        } else {
            result = try stream.run(sources: sources, outputDescriptor: STDOUT_FILENO, outputName: "stdout")
        }
        if stats { StatsReport.print(result) }
        if result.abandoned {
            writeToStderr("anonlog: stopped at once by a second \(StreamSignals.name(result.stoppedBySignal)); lines read but not yet written were dropped, the output is valid up to the last line written\n")
            throw ExitCode(128 + result.stoppedBySignal)
        }
        if let error = result.streamError {
            // The output holds every whole line read before it, finished and valid.
            writeToStderr("anonlog: \(error.message); the output holds the whole lines read before it\n")
            throw ExitCode(error.exitCode)
        }
        if result.droppedPartialLine > 0 {
            writeToStderr("anonlog: \(StreamSignals.name(result.stoppedBySignal)): dropped the last \(result.droppedPartialLine) bytes, a line cut off before its end (it could hold part of an address or name)\n")
        }
        if result.inputCutShort {
            // A file job that did not reach the end of its input is not a success: a script's
            // `anonlog f -o f.anon && rm f` must not delete the raw file.
            writeToStderr("anonlog: \(StreamSignals.name(result.stoppedBySignal)): stopped before the end of the input; the output holds the whole lines read until then\n")
            throw ExitCode(128 + result.stoppedBySignal)
        }
    }
}
