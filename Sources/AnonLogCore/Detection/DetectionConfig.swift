import CByteMasks
import Foundation

/// What the scanner looks for, fixed before the pipeline starts.
public struct DetectionConfig: Sendable {
    /// "Today", for the century of `YYMMDD-NNNN` forms.
    public var today: CalendarDay
    /// Match organisationsnummer too (`--orgnr`), as type personnummer.
    public var matchOrganisationsnummer: Bool
    /// Accounts that are not personal data and are kept (`--keep-users`).
    public var keptUsers: NameSet
    /// Every word equal to one of these is a username (`--users-file`); empty: off.
    public var knownUsers: NameSet
    /// Also match anonlog's own tokens (`u-…`, `…@anon.invalid`, `pnr-…`), so that the
    /// retention sweep's redact stage removes pseudonyms too (SPEC.md: tokens are not
    /// transformed again, except by `redact`).
    public var includeTokens = false
    /// The types to look for; the scanner skips the triggers of the others entirely, so a type
    /// whose action is `keep` costs nothing.
    public var types: Set<DetectionType> = Set(DetectionType.allCases)

    /// Creates a configuration; defaults: today, no orgnr, the system accounts, no users file.
    public init(today: CalendarDay = .today, matchOrganisationsnummer: Bool = false,
                keptUsers: NameSet = NameSet(SystemAccounts.names), knownUsers: NameSet = NameSet([])) {
        self.today = today
        self.matchOrganisationsnummer = matchOrganisationsnummer
        self.keptUsers = keptUsers
        self.knownUsers = knownUsers
    }
}

extension DetectionConfig {
    /// Today and `--orgnr` as the personnummer rules (`Personnummer.h`) take them.
    var personnummerRules: AnonLogPersonnummerRules {
        AnonLogPersonnummerRules(century: today.year - today.year % 100, key: today.year * 10000 + today.month * 100 + today.day,
                                 organisations: matchOrganisationsnummer ? 1 : 0)
    }
}

/// The accounts of a base Debian/RHEL install and common services: not personal, kept.
public enum SystemAccounts {
    /// The default `--keep-users` list.
    public static let names: [String] = [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp",
        "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "nogroup", "_apt",
        "systemd-network", "systemd-resolve", "systemd-timesync", "systemd-coredump", "messagebus",
        "sshd", "ftp", "adm", "operator", "halt", "shutdown", "dbus", "polkitd", "chrony", "ntp",
        "tss", "rpc", "rpcuser", "nfsnobody", "avahi", "postfix", "dovecot", "dovenull", "exim",
        "Debian-exim", "mysql", "postgres", "nginx", "apache", "httpd", "redis", "memcache",
        "memcached", "mongodb", "elasticsearch", "git", "gitlab", "jenkins", "docker", "named",
        "bind", "unbound", "clamav", "amavis", "opendkim", "spamd", "vmail", "www", "wheel",
        "users", "staff", "admin", "ubuntu", "debian", "centos", "ec2-user", "uuidd", "tcpdump",
        "landscape", "pollinate", "lxd", "syslog", "statd", "Debian-snmp", "snmp", "zabbix",
        "nagios", "prometheus", "grafana", "php-fpm", "fpm", "unknown", "anonymous", "guest",
    ]
}
