import ArgumentParser
import AnonLogCore
import Foundation

/// The detection flags shared by the filter and `scan`.
struct DetectionOptions: ParsableArguments {
    @Flag(help: "Also match organisationsnummer (left alone by default: not personal data).")
    var orgnr = false

    @Option(help: ArgumentHelp("A file of usernames, one per line (e.g. getent passwd | cut -d: -f1): every word equal to one is a username.", valueName: "file"))
    var usersFile: String?

    @Option(help: ArgumentHelp("Accounts to keep as they are, comma-separated; replaces the built-in system accounts, or adds to them with a leading '+'.", valueName: "list"))
    var keepUsers: String?

    @Option(help: ArgumentHelp("Today's date (YYYY-MM-DD) for the century of YYMMDD-NNNN personnummer (tests).", visibility: .hidden))
    var today: String?

    /// The detection configuration these flags describe.
    func config() throws -> DetectionConfig {
        var kept = SystemAccounts.names
        if let keepUsers {
            let listed = keepUsers.drop { $0 == "+" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            kept = keepUsers.hasPrefix("+") ? kept + listed : listed
        }
        var known: [String] = []
        if let usersFile {
            let data = try PathResolver.readConfiguration(usersFile, what: "users file", requireTrusted: false)
            known = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                .map { String($0.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        let day = try today.map { try Dates.parse($0, option: "--today") } ?? CalendarDay.today
        return DetectionConfig(today: day, matchOrganisationsnummer: orgnr, keptUsers: NameSet(kept), knownUsers: NameSet(known))
    }
}
