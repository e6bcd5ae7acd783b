import Foundation

/// The size of every benchmark chunk: what the pipeline hands one worker (~1 MiB). With one
/// chunk per iteration, the `throughput` column (iterations/s) reads directly as MiB/s.
let chunkSize = 1 << 20

/// 1 MiB of access log, built once per process on first use (in `setup`, outside the measurement).
///
/// By default `AccessLog`'s in-process generator (fixed seed); set ANONLOG_BENCH_ACCESS_LOG to a
/// file to benchmark that instead, e.g. `scripts/gen-corpus --kind access --size 1M --seed 1 -o
/// /tmp/access-1m.log` (its first `chunkSize` bytes are used).
let accessLogChunk: [UInt8] = {
    if let path = ProcessInfo.processInfo.environment["ANONLOG_BENCH_ACCESS_LOG"], !path.isEmpty {
        guard let data = FileManager.default.contents(atPath: path), data.count >= chunkSize else {
            fatalError("ANONLOG_BENCH_ACCESS_LOG=\(path): missing or shorter than \(chunkSize) bytes")
        }
        return Array(data.prefix(chunkSize))
    }
    return AccessLog(size: chunkSize, seed: 1).bytes
}()

/// An nginx "combined" access log shaped like `scripts/gen-corpus --kind access` (same request
/// mix and PII shares, simplified pools): ~80 % IPv4 / ~20 % IPv6 clients with Zipf-like
/// popularity, 3 % of lines with a remote user, e-mails (`%40`) in 1 % of query strings and
/// referers, `user=` in 0.6 %, `/~name/` and `/home/name/` in 0.2 %, a personnummer in 0.05 %,
/// the rest static assets, pages, API calls and probes. Exactly `size` bytes; deterministic.
struct AccessLog {
    let bytes: [UInt8]

    init(size: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func chance(_ perTenThousand: Int) -> Bool { below(10_000) < perTenThousand }
        /// Index in 0..<n, small indices far more likely (rank r has weight ~1/(r+1)).
        func zipf(_ n: Int) -> Int {
            let x = Double(rng.next() >> 11) / Double(1 << 53)
            return min(n - 1, Int(pow(Double(n + 1), x)) - 1)
        }
        let hexDigits = Array("0123456789abcdef")
        func hex(_ count: Int) -> String { String((0..<count).map { _ in hexDigits[below(16)] }) }

        let first = ["anna", "eva", "maria", "karin", "sara", "lena", "emma", "kerstin", "ingrid", "marie",
                     "erik", "lars", "karl", "anders", "johan", "per", "nils", "lennart", "mikael", "hans",
                     "oskar", "signe", "arvid", "wilma", "elin", "hugo", "astrid", "ebba", "linnea", "axel"]
        let last = ["andersson", "johansson", "karlsson", "nilsson", "eriksson", "larsson", "olsson",
                    "persson", "svensson", "gustafsson", "lundqvist", "lofgren", "sundberg", "nystrom",
                    "lundberg", "martensson", "samuelsson", "berg", "holm", "lind"]
        let words = ["alpha", "beta", "gamma", "delta", "kaffe", "bulle", "fika", "sommar", "vinter",
                     "lampa", "soffa", "bil", "sol", "sjo", "skog", "stad", "resa", "mat", "bok", "hus"]
        let domains = ["example.se", "example.se", "example.com", "example.org", "mail.example.net",
                       "student.example.se", "foretaget.example.se"]

        // Pools: users, clients (IPv4 then IPv6), static assets.
        var users: [String] = []
        for _ in 0..<2_000 {
            let f = pick(first), l = pick(last)
            switch below(100) {
            case 0..<45: users.append("\(f).\(l)")
            case 45..<70: users.append("\(f)\(1 + below(99))")
            case 70..<82: users.append("\(f.prefix(1))\(l)")
            case 82..<90: users.append("\(f)_\(l.prefix(3))\(1 + below(9))")
            default: users.append("\(f)\(l)\(1950 + below(59))")
            }
        }
        var ipv4: [String] = []
        for _ in 0..<16_000 {
            if chance(100) {
                ipv4.append("10.\(below(256)).\(below(256)).\(1 + below(254))")
            } else {
                ipv4.append("\(1 + below(223)).\(below(256)).\(below(256)).\(below(256))")
            }
        }
        var ipv6: [String] = []
        let prefixes = ["2a00", "2a01", "2a02", "2a03", "2a05", "2001", "2001", "2600", "2603", "2c0f", "2400", "2804"]
        for _ in 0..<4_000 {
            // A /64: routing prefix and subnet, then the interface identifier.
            let net = ([pick(prefixes)] + (0..<3).map { _ in String(below(0x10000), radix: 16) }).joined(separator: ":")
            switch below(100) {
            case 0..<55:   // privacy address: four random groups
                ipv6.append(net + ":" + (0..<4).map { _ in String(0x1000 + below(0xF000), radix: 16) }.joined(separator: ":"))
            case 55..<75:  // EUI-64: xxxx:xxff:fexx:xxxx
                let mac = (0..<6).map { _ in String(format: "%02x", below(256)) }
                ipv6.append("\(net):\(mac[0])\(mac[1]):\(mac[2])ff:fe\(mac[3]):\(mac[4])\(mac[5])")
            default:       // compressed: ::1, ::2a, ...
                ipv6.append("\(net)::\(String(1 + below(0xFFFF), radix: 16))")
            }
        }
        var assets: [(String, Int)] = []
        for (base, ext) in [("/static/js/app", "js"), ("/static/js/vendor", "js"), ("/static/css/main", "css")] {
            for _ in 0..<4 { assets.append(("\(base).\(hex(6)).\(ext)", 20_000 + below(900_000))) }
        }
        for _ in 0..<40 { assets.append(("/static/js/chunk.\(hex(6)).js", 2_000 + below(90_000))) }
        for (path, bytes) in [("/favicon.ico", 15086), ("/robots.txt", 312), ("/images/logo.svg", 5312),
                              ("/fonts/inter-var.woff2", 98132)] { assets.append((path, bytes)) }
        for _ in 0..<600 {
            let image = "/images/products/\(1000 + below(99_000))\(pick(["", "-thumb", "-large"])).\(pick(["jpg", "webp", "png"]))"
            assets.append((image, 3_000 + below(600_000)))
        }
        let probes = ["/wp-login.php", "/xmlrpc.php", "/.env", "/.git/config", "/phpmyadmin/index.php", "/admin/",
                      "/cgi-bin/luci/;stok=/locale", "/actuator/health", "/.aws/credentials", "/server-status",
                      "/config.json", "/backup.zip", "/.DS_Store"]
        let agents = [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.142 Safari/537.36",
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.5960.184 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:122.0) Gecko/20100101 Firefox/122.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "curl/8.5.0",
        ]
        func email() -> String { "\(users[zipf(users.count)])%40\(pick(domains))" }

        var text = ""
        text.reserveCapacity(size + 512)
        var seconds = 11 * 3600 + 37 * 60 + 17
        while true {
            seconds += [0, 0, 0, 0, 0, 0, 0, 1, 1, 2][below(10)]
            let client = chance(2_000) ? ipv6[zipf(ipv6.count)] : ipv4[zipf(ipv4.count)]
            let user = chance(300) ? users[zipf(users.count)] : "-"
            var method = "GET", proto = "HTTP/1.1", status = 200, bytes = 0
            var referer = "-"
            let path: String
            let category = below(10_000)
            switch category {
            case 0..<4_200:
                let asset = assets[zipf(assets.count)]
                path = asset.0
                if chance(1_000) { status = 304 } else { bytes = asset.1 }
            case 4_200..<7_500:
                proto = chance(5_000) ? "HTTP/2.0" : "HTTP/1.1"
                switch below(6) {
                case 0: path = pick(["/", "/", "/cart", "/checkout", "/om-oss/", "/kundservice/"])
                case 1: path = "/blog/\(2019 + below(8))/\(String(format: "%02d", 1 + below(12)))/\(pick(words))-\(pick(words))/"
                case 2: path = "/products/\(1000 + below(99_000))"
                case 3: path = "/category/\(pick(words))/?page=\(1 + below(30))"
                case 4: path = "/search?q=\(pick(words))+\(pick(words))"
                default: path = "/\(pick(words))-\(pick(words))/?utm_source=\(pick(["newsletter", "facebook", "google"]))&utm_medium=cpc&utm_campaign=\(pick(words))"
                }
                bytes = 4_000 + below(116_000)
            case 7_500..<9_300:
                switch below(6) {
                case 0, 1: path = "/api/v1/orders/\(10_000 + below(990_000))"
                case 2: path = "/api/v1/users/\(1 + below(250_000))/profile"
                case 3: path = "/api/v2/session?token=\(hex(32))"
                case 4: method = "POST"; path = "/api/v1/events"; status = 204
                default: method = "PUT"; path = "/api/v1/cart/\(hex(12))/items/\(1 + below(20))"
                }
                bytes = status == 204 ? 0 : 2 + below(8_000)
            case 9_300..<9_390:
                path = pick(["/newsletter/subscribe?email=\(email())&src=footer",
                             "/account/reset-password?email=\(email())&token=\(hex(24))",
                             "/api/v1/users/lookup?email=\(email())"])
                bytes = 300 + below(30_000)
            case 9_390..<9_450:
                path = pick(["/login?user=\(users[zipf(users.count)])",
                             "/profile.php?user=\(users[zipf(users.count)])&tab=orders"])
                bytes = 100 + below(20_000)
            case 9_450..<9_470:
                path = pick(["/~\(users[zipf(users.count)])/", "/home/\(users[zipf(users.count)])/public_html/index.html"])
                bytes = 500 + below(20_000)
            case 9_470..<9_475:
                path = "/api/v1/kyc/verify?pnr=\(AppLog.personnummer(&rng))"
                bytes = 200 + below(2_000)
            default:
                method = pick(["GET", "GET", "POST"])
                path = pick(probes)
                status = pick([404, 404, 404, 403, 200])
                bytes = 150 + below(5_000)
            }
            if category < 7_500 && chance(3_000) {
                referer = "https://www.example.se/products/\(1000 + below(99_000))"
            } else if chance(10) {
                referer = "https://www.example.se/account/settings?email=\(email())"
            } else if chance(500) {
                referer = pick(["https://www.google.se/", "https://www.bing.com/", "https://duckduckgo.com/"])
            }
            let time = String(format: "%02d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60)
            let line = "\(client) - \(user) [26/Nov/2026:\(time) +0100] \"\(method) \(path) \(proto)\" \(status) \(bytes) \"\(referer)\" \"\(agents[zipf(agents.count)])\"\n"
            guard text.utf8.count + line.utf8.count <= size else { break }
            text += line
        }
        let rest = size - text.utf8.count
        if rest > 0 { text += String(repeating: "#", count: rest - 1) + "\n" }
        bytes = Array(text.utf8)
        precondition(bytes.count == size)
    }
}

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
    static func personnummer(_ rng: inout SplitMix64) -> String {
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
