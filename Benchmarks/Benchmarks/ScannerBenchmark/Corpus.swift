import Foundation

/// The size of every benchmark chunk: what the pipeline hands one worker (~1 MiB). With one
/// chunk per iteration, the `throughput` column (iterations/s) reads directly as MiB/s.
let chunkSize = 1 << 20

/// The repository root, found from this file's path (Benchmarks/Benchmarks/ScannerBenchmark/).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()   // ScannerBenchmark
    .deletingLastPathComponent()   // Benchmarks (sources)
    .deletingLastPathComponent()   // Benchmarks (package)
    .deletingLastPathComponent()   // repository root

/// 1 MiB of the project's synthetic access log: `scripts/gen-corpus --size 1M --seed 1`
/// (Combined Log Format, IPv4 and IPv6 clients, some CLF usernames, e-mails in query strings),
/// cut to exactly `chunkSize` bytes. Built once per process, on first use (in `setup`).
let accessLogChunk: [UInt8] = {
    let script = repositoryRoot.appendingPathComponent("scripts/gen-corpus")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--kind", "access", "--size", "1M", "--seed", "1"]
    let pipe = Pipe()
    process.standardOutput = pipe
    do {
        try process.run()
    } catch {
        fatalError("cannot run \(script.path) (python3 needed): \(error)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, data.count >= chunkSize else {
        fatalError("\(script.path) failed (status \(process.terminationStatus), \(data.count) bytes)")
    }
    return Array(data.prefix(chunkSize))
}()

/// An application log dense with personal data: every line has an e-mail address and a valid
/// personnummer (Luhn-checked, real dates; short, long, separator-less and samordningsnummer
/// forms), every fourth line a second address. Deterministic (fixed-seed SplitMix64).
struct AppLog {
    let bytes: [UInt8]
    /// How many e-mails and personnummer were written; the setup checks the scanner finds them.
    let emails: Int
    let personnummer: Int

    init(size: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var text = ""
        text.reserveCapacity(size + 256)
        let first = ["anna", "erik", "lars", "karin", "maria", "johan", "elin", "oskar", "signe", "arvid",
                     "wilma", "nils", "ebba", "hugo", "astrid", "gustav", "linnea", "axel", "frida", "olle"]
        let last = ["svensson", "andersson", "johansson", "karlsson", "nilsson", "eriksson", "larsson",
                    "olsson", "persson", "lundqvist", "lofgren", "sundberg", "nystrom", "lundberg"]
        let domains = ["example.se", "mail.example.net", "foretaget.example.se", "kommun.example.org",
                       "bank.example.com"]
        let levels = ["INFO", "INFO", "INFO", "WARN", "DEBUG"]
        let services = ["order-service", "kyc", "billing", "auth", "notify"]
        let actions = ["order", "invoice", "refund", "lookup"]
        var seconds = 11 * 3600 + 37 * 60 + 17
        var line = 0
        var emails = 0
        var personnummer = 0
        while true {
            seconds += Int(rng.next() % 3)
            let time = String(format: "%02d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60)
            let level = levels[Int(rng.next() % UInt64(levels.count))]
            let service = services[Int(rng.next() % UInt64(services.count))]
            let email = AppLog.email(&rng, first, last, domains)
            let pnr = AppLog.personnummer(&rng)
            let action = actions[Int(rng.next() % UInt64(actions.count))]
            var next = "2026-11-26 \(time) \(level) [\(service)] user \(email) pnr \(pnr) \(action) \(10_000 + rng.next() % 90_000)"
            var lineEmails = 1
            if line % 4 == 3 {
                next += " contact=\(AppLog.email(&rng, first, last, domains))"
                lineEmails += 1
            }
            next += "\n"
            // Whole lines only; the rest of the chunk is a filler line without personal data.
            guard text.utf8.count + next.utf8.count <= size else { break }
            text += next
            emails += lineEmails
            personnummer += 1
            line += 1
        }
        let rest = size - text.utf8.count
        if rest > 0 { text += String(repeating: "#", count: rest - 1) + "\n" }
        bytes = Array(text.utf8)
        precondition(bytes.count == size)
        self.emails = emails
        self.personnummer = personnummer
    }

    private static func email(_ rng: inout SplitMix64, _ first: [String], _ last: [String], _ domains: [String]) -> String {
        let f = first[Int(rng.next() % UInt64(first.count))]
        let l = last[Int(rng.next() % UInt64(last.count))]
        let d = domains[Int(rng.next() % UInt64(domains.count))]
        switch rng.next() % 3 {
        case 0: return "\(f).\(l)@\(d)"
        case 1: return "\(f)\(l)\(rng.next() % 100)@\(d)"
        default: return "\(f.prefix(1))\(l)@\(d)"
        }
    }

    /// A valid personnummer: a real date 1940–2005 (day 1–28, or +60 for a samordningsnummer),
    /// serial 001–999, Luhn check digit; forms YYMMDD-NNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDDNNNN.
    private static func personnummer(_ rng: inout SplitMix64) -> String {
        let year = 1940 + Int(rng.next() % 66)
        let month = 1 + Int(rng.next() % 12)
        var day = 1 + Int(rng.next() % 28)
        if rng.next() % 10 == 0 { day += 60 }
        let serial = 1 + Int(rng.next() % 999)
        let nine = String(format: "%02d%02d%02d%03d", year % 100, month, day, serial)
        let ten = nine + String(luhnCheckDigit(nine))
        let yymmdd = ten.prefix(6)
        let nnnn = ten.suffix(4)
        let century = year / 100
        switch rng.next() % 20 {
        case 0..<10: return "\(yymmdd)-\(nnnn)"
        case 10..<15: return "\(century)\(yymmdd)-\(nnnn)"
        case 15..<18: return "\(century)\(ten)"
        default: return ten
        }
    }

    /// The digit that makes `nine` + digit pass the Luhn check (weights 2,1,2,1,… from the left).
    static func luhnCheckDigit(_ nine: String) -> Int {
        var sum = 0
        for (k, c) in nine.utf8.enumerated() {
            let value = Int(c) - 48
            let weighted = k % 2 == 0 ? value * 2 : value
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return (10 - sum % 10) % 10
    }
}

/// The app-log chunk, exactly `chunkSize` bytes.
let appLog = AppLog(size: chunkSize, seed: 1)

/// SplitMix64: tiny, fast, deterministic on every platform.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
