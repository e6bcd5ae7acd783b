import AnonLogCore
import Foundation

/// Turns the detection flags shared by the commands into a `DetectionConfig`.
enum DetectionOptions {
    static func config(orgnr: Bool, usersFile: String?, keepUsers: String?, today: String?) throws -> DetectionConfig {
        var kept = SystemAccounts.names
        if let keepUsers {
            let listed = keepUsers.drop { $0 == "+" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            kept = keepUsers.hasPrefix("+") ? kept + listed : listed
        }
        var known: [String] = []
        if let usersFile {
            guard let data = FileManager.default.contents(atPath: usersFile) else {
                throw AnonLogError(.usage, "\(usersFile): cannot read the users file")
            }
            known = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                .map { String($0.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        let day = try today.map { try Dates.parse($0, option: "--today") } ?? CalendarDay.today
        return DetectionConfig(today: day, matchOrganisationsnummer: orgnr, keptUsers: NameSet(kept), knownUsers: NameSet(known))
    }
}
