import ArgumentParser
import AnonLogCore
import Foundation

/// The key and action-parameter options shared by the filter and `pseudonym`.
struct KeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The 256-bit key (64 hex digits); default: $ANONLOG_KEY_FILE, else $XDG_CONFIG_HOME/anonlog/key, else /etc/anonlog/key (root) or ~/.config/anonlog/key, created on first use.", valueName: "file"))
    var keyFile: String?

    @Option(help: ArgumentHelp("Key epochs: none, monthly or daily; pseudonyms are unlinkable across epochs. The epoch comes from each line's own date (CLF, syslog, ISO 8601), else the file's mtime.", valueName: "epoch"))
    var keyEpoch: KeyEpoch = .none

    @Option(help: "Bits kept by --ip truncate for IPv4 (default 24).")
    var ipv4Prefix: Int = 24

    @Option(help: "Bits kept by --ip truncate for IPv6 (default 48).")
    var ipv6Prefix: Int = 48

    func validate() throws {
        guard (0...32).contains(ipv4Prefix) else { throw ValidationError("--ipv4-prefix must be 0-32") }
        guard (0...128).contains(ipv6Prefix) else { throw ValidationError("--ipv6-prefix must be 0-128") }
    }

    /// The list of what was pseudonymised with this key (`PseudonymRegistry`), beside it.
    func registry() throws -> PseudonymRegistry {
        try PseudonymRegistry(keyPath: KeyFile.resolvePath(explicit: keyFile).path)
    }

    /// The transform configuration; loads (or creates) the key only when `needsKey`.
    func transformConfig(needsKey: Bool, fallbackDate: CalendarDay, today: CalendarDay) throws -> TransformConfig {
        var config = TransformConfig()
        config.epoch = keyEpoch
        config.ipv4Prefix = ipv4Prefix
        config.ipv6Prefix = ipv6Prefix
        config.fallbackDate = fallbackDate
        config.today = today
        if needsKey {
            let (path, isDefault) = KeyFile.resolvePath(explicit: keyFile)
            config.key = try KeyFile.load(path: path, createIfMissing: isDefault) { writeToStderr($0 + "\n") }.bytes
        }
        return config
    }
}

extension KeyEpoch: ExpressibleByArgument {}

/// Dates from files and options.
enum Dates {
    /// The modification day (UTC) of `path`, or nil.
    static func mtime(of path: String) -> CalendarDay? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var seconds = info.st_mtim.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return CalendarDay(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    /// Parses YYYY-MM-DD.
    static func parse(_ text: String, option: String) throws -> CalendarDay {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw AnonLogError(.usage, "\(option) wants YYYY-MM-DD, got '\(text)'")
        }
        return CalendarDay(year: parts[0], month: parts[1], day: parts[2])
    }
}
