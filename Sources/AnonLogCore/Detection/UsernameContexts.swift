import CByteMasks

/// The username contexts of SPEC.md in one table: the words a name follows in daemons'
/// messages (and what must come after it), the `key=value` keys and the JSON keys, each with
/// where the format comes from (`docs/log-formats.md` has the whole catalogue).
///
/// `UsernameDetector` verifies against these rows, and `UsernameContextTests` checks that the
/// C candidate stage (`Candidates.c`) triggers on every row, so adding a phrasing is one row
/// here (plus, if the test says so, a wider trigger in C).
enum UsernameContexts {
    /// What may come right after the name (one or more of these).
    struct Followers: OptionSet, Sendable {
        let rawValue: UInt16
        /// ` from ` (sshd, PAM).
        static let from = Followers(rawValue: 1 << 0)
        /// ` port ` (sshd).
        static let port = Followers(rawValue: 1 << 1)
        /// ` [preauth]` (sshd's privilege-separated child).
        static let preauth = Followers(rawValue: 1 << 2)
        /// `(uid=N)` (pam_unix sessions); ` by NAME(uid=N)` after it names the invoker too.
        static let uid = Followers(rawValue: 1 << 3)
        /// ` by ` (PAM, su).
        static let by = Followers(rawValue: 1 << 4)
        /// The end of the line (a sentence's final period is not the name's).
        static let lineEnd = Followers(rawValue: 1 << 5)
        /// A blank and then an IPv4 or IPv6 address (sshd's `user NAME 192.0.2.1 port 22`).
        static let address = Followers(rawValue: 1 << 6)
        /// `:` (proftpd's `USER anna: Login successful.`).
        static let colon = Followers(rawValue: 1 << 7)
        /// ` (` (proftpd's `USER anna (Login failed): …`).
        static let parenthesis = Followers(rawValue: 1 << 8)
        /// The name is quoted: `"NAME"` (sshd's `client user "dan"`).
        static let quoted = Followers(rawValue: 1 << 9)
        /// ` with ` (systemd-logind since 252: `New session '12' of user 'erik' with class …`).
        static let with = Followers(rawValue: 1 << 10)
        /// What sshd writes after a name in its connection messages.
        static let sshd: Followers = [.from, .port, .preauth, .lineEnd, .address]
    }

    /// One phrasing: `words`, a blank, the name, then one of `followers`.
    struct Phrase: Sendable {
        /// The words right before the name's blank, e.g. `invalid user`; the byte before them
        /// must not be a letter or digit.
        let words: StaticString
        /// What must follow the name.
        let followers: Followers
        /// Where the format string is (project, file).
        let source: StaticString
    }

    /// Every phrasing that names a user, longest words first where one ends another.
    static let phrases: [Phrase] = [
        // OpenSSH auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2" (the
        // method names of auth2-*.c); "for invalid user NAME" is the row below.
        Phrase(words: "password for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "publickey for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "hostbased for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "keyboard-interactive/pam for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "keyboard-interactive for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "gssapi-with-mic for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "gssapi-keyex for", followers: .from, source: "openssh auth.c auth_log"),
        Phrase(words: "none for", followers: .from, source: "openssh auth.c auth_log"),
        // OpenSSH auth-pam.c: "PAM: Authentication failure for %s from %.100s"; Linux-PAM
        // modules log "authentication failure for NAME from" too.
        Phrase(words: "failure for", followers: .from, source: "openssh auth-pam.c sshpam_auth_passwd"),
        Phrase(words: "Failure for", followers: .from, source: "openssh auth-pam.c"),
        // OpenSSH auth.c getpwnamallow(): "Invalid user %.100s from %.100s port %d".
        Phrase(words: "Invalid user", followers: .sshd, source: "openssh auth.c getpwnamallow"),
        // OpenSSH auth.c auth_log() "for invalid user", sshd's "Disconnecting invalid user",
        // "Connection closed by invalid user", "Disconnected from invalid user".
        Phrase(words: "invalid user", followers: .sshd, source: "openssh auth.c, packet.c sshpkt_fmt_connection_id"),
        // Old OpenSSH and other daemons: "Illegal user NAME from", "illegal user NAME".
        Phrase(words: "Illegal user", followers: .sshd, source: "openssh (before 3.8) auth.c"),
        Phrase(words: "illegal user", followers: .sshd, source: "openssh (before 3.8) auth.c"),
        // OpenSSH packet.c sshpkt_fmt_connection_id(): "%s user %s %s port %d" after
        // "Disconnected from", "Connection closed by", with "authenticating" or "invalid".
        Phrase(words: "authenticating user", followers: .sshd, source: "openssh packet.c sshpkt_fmt_connection_id"),
        Phrase(words: "from user", followers: .sshd, source: "openssh sshd-session.c cleanup_exit, packet.c"),
        Phrase(words: "by user", followers: .sshd, source: "openssh packet.c sshpkt_fmt_connection_id"),
        // OpenSSH auth.c allowed_user(): "User %.100s from %.100s not allowed because …".
        Phrase(words: "User", followers: .from, source: "openssh auth.c allowed_user"),
        // Linux-PAM pam_unix_sess.c: "session opened for user %s(uid=%lu) by %s(uid=%lu)",
        // "session closed for user %s"; pam_unix_acct.c, su: "for user NAME"; pure-ftpd:
        // "Authentication failed for user [%s]" (the brackets are not the name's).
        Phrase(words: "for user", followers: [.uid, .by, .from, .port, .lineEnd, .address],
               source: "linux-pam pam_unix_sess.c"),
        // systemd-logind logind-session.c: "New session %s of user %s.", since 252 "New
        // session '%s' of user '%s' with class '%s' and type '%s'."; systemd's "Started
        // Session %s of user %s.".
        Phrase(words: "of user", followers: [.lineEnd, .with], source: "systemd logind-session.c session_start"),
        // OpenSSH auth2-hostbased.c: "client user \"%.100s\", client host \"%.100s\"".
        Phrase(words: "client user", followers: .quoted, source: "openssh auth2-hostbased.c"),
        // ProFTPD mod_auth.c: "USER %s: Login successful.", "USER %s (Login failed): …",
        // "USER %s: no such user found from …".
        Phrase(words: "USER", followers: [.colon, .parenthesis], source: "proftpd modules/mod_auth.c"),
    ]

    /// The last four bytes of every phrase's words (` for`, `user`, `User`, `USER`), as the
    /// little-endian words a load gives: a blank whose four bytes before match none of them
    /// ends no phrase, and most blanks the candidate stage passes (`Controller `, `error `)
    /// are rejected with one load and a few compares instead of a walk over the table.
    static let phraseEnds: [UInt32] = {
        var ends: [UInt32] = []
        for phrase in phrases {
            let words = phrase.words
            precondition(words.utf8CodeUnitCount >= 4, "a phrase's words are at least four bytes")
            let last = words.utf8Start + words.utf8CodeUnitCount - 4
            let end = UInt32(last[0]) | UInt32(last[1]) << 8 | UInt32(last[2]) << 16 | UInt32(last[3]) << 24
            if !ends.contains(end) { ends.append(end) }
        }
        return ends
    }()

    /// `key=value` keys whose value is a username, compared ignoring case (PAM's `user=`,
    /// dovecot's `user=<NAME>`, postfix's `sasl_username=`, LDAP's `uid=`, …). The list is
    /// `ANONLOG_USERNAME_KEYS` in `UsernameKeys.h`, which the C candidate stage compiles its
    /// prefilter from. sudo's `TTY=` is apart (the name is before it: `NAME : TTY=`).
    static let keys: [String] = cList(json: false)

    /// JSON keys whose string value is a username (`"group"` only when it equals the owner):
    /// `ANONLOG_USERNAME_JSON_KEYS` in `UsernameKeys.h`.
    static let jsonKeys: [String] = cList(json: true)

    /// A key list of `UsernameKeys.h` as strings (the detectors compare keys in C, with
    /// `anonlog_is_username_key`; these name them for the tests and the docs).
    private static func cList(json: Bool) -> [String] {
        (0..<anonlog_username_key_count(json ? 1 : 0)).map { String(cString: anonlog_username_key(json ? 1 : 0, $0)) }
    }

    /// The directories whose next component is a user's: `/home/NAME`, `/Users/NAME`,
    /// `/var/mail/NAME`, `/var/spool/mail/NAME`, and Windows' `C:\Users\NAME\`.
    static let homeDirectories: [StaticString] = ["home", "Users", "var/mail", "var/spool/mail"]
}
