import ArgumentParser
import AnonLogCore

/// `anonlog pseudonym --type TYPE VALUE`: the pseudonym of one value, to grep for one person.
struct PseudonymCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pseudonym",
        abstract: "Print the pseudonym of one value under the current key.",
        discussion: """
            Example: find one customer in pseudonymised logs (GDPR art. 15 requests):
              zgrep -F "$(anonlog pseudonym --type email anna@example.se)" /var/log/nginx/access.log.*.gz
            """
    )

    @Option(help: "ipv4, ipv6, email, username or personnummer.")
    var type: String

    @Argument(help: "The value.")
    var value: String

    @OptionGroup var keys: KeyOptions

    @Option(help: ArgumentHelp("With --key-epoch: the date (YYYY-MM-DD) whose epoch to use (default: today).", valueName: "date"))
    var epochDate: String?

    @Option(help: ArgumentHelp("Today's date (tests).", visibility: .hidden))
    var today: String?

    func run() throws {
        guard let detectionType = DetectionType.allCases.first(where: { $0.description == type }) else {
            throw AnonLogError(.usage, "--type: unknown type '\(type)' (ipv4, ipv6, email, username, personnummer)")
        }
        let todayDate = try today.map { try Dates.parse($0, option: "--today") } ?? CalendarDay.today
        let epochDay = try epochDate.map { try Dates.parse($0, option: "--epoch-date") } ?? todayDate
        var config = try keys.transformConfig(needsKey: true, fallbackDate: epochDay, today: todayDate)
        config.useLineDates = false
        print(try Pseudonyms.pseudonym(of: value, type: detectionType, config: config))
    }
}
