import CByteMasks

/// Finds usernames by their context (SPEC.md, `username` row), since a username is just a word:
/// log fields, auth-log phrases, `key=value` pairs, JSON keys, home-directory paths and the owner
/// columns of file listings; plus every word of a `--users-file`. System accounts are kept.
///
/// Every entry point is called by the scanner at a cheap trigger (a line start, a space after
/// `r`, `=`, `:`, `/`, `~`, a word start) and appends what it finds to `spans`.
enum UsernameDetector {
    /// Longest name accepted from a context.
    static let maxLength = 64

    /// Name bytes: letters, digits, `.`, `_`, `-` (and `$` for machine accounts, checked apart).
    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        ByteClass.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// The end of the name starting at `start`.
    @inline(__always)
    static func nameEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> Int {
        var i = start
        while i < n && i - start <= maxLength && isNameByte(p[i]) { i += 1 }
        if i < n && p[i] == UInt8(ascii: "$") { i += 1 }
        return i
    }

    /// Appends `start..<end` as a username unless it is not one: empty, too long, all digits,
    /// a kept system account, an anonlog token or placeholder, or the local part of an e-mail.
    @inline(__always)
    static func emit(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, _ end: Int, config: DetectionConfig,
                     into spans: inout some SpanAppending) {
        var start = start, end = end
        // A quoted or bracketed name ('root', `deploy`, pure-ftpd's [erik]) is the name inside:
        // kept accounts stay kept, and the quotes stay quotes.
        if end - start >= 3, (p[start] == p[end - 1]
            && (p[start] == UInt8(ascii: "'") || p[start] == UInt8(ascii: "\"") || p[start] == UInt8(ascii: "`")))
            || (p[start] == UInt8(ascii: "[") && p[end - 1] == UInt8(ascii: "]")) {
            start += 1
            end -= 1
        }
        let length = end - start
        guard length >= 1 && length <= maxLength else { return }
        var allDigits = true
        for k in start..<end where !ByteClass.isDigit(p[k]) { allDigits = false; break }
        if allDigits { return }
        if length == 1 && p[start] == UInt8(ascii: "-") { return }
        if end < n && (p[end] == UInt8(ascii: "@") || (p[end] == UInt8(ascii: "%") && Bytes.startsWith(p, end, n, "%40"))) { return }
        if !config.includeTokens && isAnonymisedToken(p, start, end) { return }
        if config.keptUsers.contains(p, start, end) { return }
        spans.append(Span(start: start, end: end, type: .username))
    }

    /// Whether a found name spreads to its other occurrences on the line: a word of two or
    /// more name bytes with a letter in it.
    static func isPropagatable(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2 else { return false }
        var letter = false
        for k in start..<end {
            guard isNameByte(p[k]) else { return false }
            if ByteClass.isLetter(p[k]) { letter = true }
        }
        return letter
    }

    /// anonlog's own username pseudonyms (`u-` + 12 base32 characters) and placeholder.
    static func isAnonymisedToken(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2, p[start] == UInt8(ascii: "u"), p[start + 1] == UInt8(ascii: "-") else { return false }
        if end - start == 10 && Bytes.equals(p + start, "u-redacted") { return true }
        guard end - start == 14 else { return false }
        for k in (start + 2)..<end {
            let b = p[k]
            if !((b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "2") && b <= UInt8(ascii: "7"))) { return false }
        }
        return true
    }

    @inline(__always)
    private static func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }

    @inline(__always)
    private static func isLineEnd(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Bool {
        i >= n || p[i] == UInt8(ascii: "\n") || p[i] == UInt8(ascii: "\r")
    }

    // MARK: Line starts: Common/Combined Log Format fields, `ls -l` and `tar -tv` owners.

    /// Looks at the line starting at `start`.
    static func lineStart(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, config: DetectionConfig,
                          into spans: inout some SpanAppending) {
        guard start < n else { return }
        if isModeString(p, n, start) {
            listingOwner(p, n, start, config: config, into: &spans)
        } else {
            commonLogFormat(p, n, start, config: config, into: &spans)
        }
    }

    /// What ends one of the first three CLF fields: a blank, a newline or a quote (a field with
    /// a quote, such as the start of a JSON line, makes the line not CLF).
    @inline(__always)
    private static func isFieldEnd(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\"")
    }

    /// `host ident user [date...`: the `%l` and `%u` fields (the candidate stage in C applies
    /// the same rules to skip most lines without a call).
    private static func commonLogFormat(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, config: DetectionConfig,
                                        into spans: inout some SpanAppending) {
        if clfFields(p, n, start, config: config, into: &spans) { return }
        // Apache's vhost_combined (`%v:%p %h %l %u %t`): a `vhost:port` field comes first.
        var vhostEnd = start
        while vhostEnd < n && vhostEnd - start < 256 && !isFieldEnd(p[vhostEnd]) { vhostEnd += 1 }
        guard vhostEnd < n, p[vhostEnd] == UInt8(ascii: " "), vhostEnd > start, ByteClass.isDigit(p[vhostEnd - 1]) else { return }
        var colon = vhostEnd - 1
        while colon > start && ByteClass.isDigit(p[colon]) { colon -= 1 }
        guard p[colon] == UInt8(ascii: ":") else { return }
        _ = clfFields(p, n, vhostEnd + 1, config: config, into: &spans)
    }

    /// `host ident user [date…` from `start`; whether the line has that shape.
    private static func clfFields(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, config: DetectionConfig,
                                  into spans: inout some SpanAppending) -> Bool {
        // Fast path: most lines are `host - - [`; skip the host with one bounded search.
        var hostEnd = start
        while hostEnd < n && hostEnd - start < 256 && !isFieldEnd(p[hostEnd]) { hostEnd += 1 }
        guard hostEnd < n, p[hostEnd] == UInt8(ascii: " "), hostEnd > start else { return false }
        if hostEnd + 5 <= n && UnsafeRawPointer(p + hostEnd).loadUnaligned(as: UInt32.self) == Bytes.word(" - -")
            && p[hostEnd + 4] == UInt8(ascii: " ") { return isTimeStamp(p, n, hostEnd + 5) }
        // Fields: host, ident (%l), user (%u), each ended by one space, then "[" and a digit.
        var i = hostEnd + 1
        let identStart = i
        while i < n && i - identStart < 256 && !isFieldEnd(p[i]) { i += 1 }
        guard i > identStart, i < n, p[i] == UInt8(ascii: " ") else { return false }
        let identEnd = i
        i += 1
        let userStart = i
        while i < n && i - userStart < 256 && !isFieldEnd(p[i]) { i += 1 }
        guard i > userStart, i + 2 < n, p[i] == UInt8(ascii: " "), isTimeStamp(p, n, i + 1) else { return false }
        emitLogField(p, n, identStart, identEnd, config: config, into: &spans)
        emitLogField(p, n, userStart, i, config: config, into: &spans)
        return true
    }

    /// The CLF time stamp `[dd/Mon/yyyy:HH:MM:SS ±zzzz]` at `at`. Three fields and a `[digit`
    /// are also exim's `2013-06-02 15:06:18 H=(host) [46.20.35.114]` and `subscribeList = [1]`.
    @inline(__always)
    static func isTimeStamp(_ p: UnsafePointer<UInt8>, _ n: Int, _ at: Int) -> Bool {
        guard at + 28 <= n, p[at] == UInt8(ascii: "["), p[at + 27] == UInt8(ascii: "]") else { return false }
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Bool {
            for k in from..<(from + count) where !ByteClass.isDigit(p[at + k]) { return false }
            return true
        }
        return digits(1, 2) && p[at + 3] == UInt8(ascii: "/") && ByteClass.isLetter(p[at + 4]) && ByteClass.isLetter(p[at + 5])
            && ByteClass.isLetter(p[at + 6]) && p[at + 7] == UInt8(ascii: "/") && digits(8, 4) && p[at + 12] == UInt8(ascii: ":")
            && digits(13, 2) && p[at + 15] == UInt8(ascii: ":") && digits(16, 2) && p[at + 18] == UInt8(ascii: ":")
            && digits(19, 2) && p[at + 21] == UInt8(ascii: " ")
            && (p[at + 22] == UInt8(ascii: "+") || p[at + 22] == UInt8(ascii: "-")) && digits(23, 4)
    }

    /// A CLF field as a username: the whole field (CLF escapes nothing but quotes), unless it
    /// holds an e-mail, which is left to the e-mail detector.
    private static func emitLogField(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: Int, _ e: Int, config: DetectionConfig,
                                     into spans: inout some SpanAppending) {
        for k in s..<e where p[k] == UInt8(ascii: "@") || p[k] == UInt8(ascii: "%") { return }
        emitField(p, n, s, e, config: config, into: &spans)
    }

    /// A whole log field as a username (any bytes but blanks), with the same exclusions as `emit`.
    private static func emitField(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: Int, _ e: Int, config: DetectionConfig,
                                  into spans: inout some SpanAppending) {
        guard e - s <= maxLength else { return }
        for k in s..<e where p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "\\") { return }
        emit(p, n, s, e, config: config, into: &spans)
    }

    /// `-rw-r--r--` and friends: a file-type letter and nine permission letters.
    private static func isModeString(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) -> Bool {
        guard start + 11 <= n else { return false }
        switch p[start] {
        case UInt8(ascii: "-"), UInt8(ascii: "d"), UInt8(ascii: "l"), UInt8(ascii: "c"), UInt8(ascii: "b"),
             UInt8(ascii: "p"), UInt8(ascii: "s"), UInt8(ascii: "h"):   // h: GNU tar's hard links
            break
        default:
            return false
        }
        for k in 1...9 {
            switch p[start + k] {
            case UInt8(ascii: "r"), UInt8(ascii: "w"), UInt8(ascii: "x"), UInt8(ascii: "s"), UInt8(ascii: "S"),
                 UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// `ls -l`: `MODE LINKS OWNER GROUP ...`; `tar -tv`: `MODE OWNER/GROUP SIZE ...`.
    private static func listingOwner(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, config: DetectionConfig,
                                     into spans: inout some SpanAppending) {
        var i = start + 10
        if i < n && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "@")) { i += 1 }
        guard i < n, isBlank(p[i]) else { return }
        while i < n && isBlank(p[i]) { i += 1 }
        var digitsEnd = i
        while digitsEnd < n && ByteClass.isDigit(p[digitsEnd]) { digitsEnd += 1 }
        if digitsEnd > i && digitsEnd < n && isBlank(p[digitsEnd]) {
            // ls -l: link count, then owner and group columns.
            i = digitsEnd
            while i < n && isBlank(p[i]) { i += 1 }
            let ownerEnd = nameEnd(p, n, from: i)
            guard ownerEnd < n, isBlank(p[ownerEnd]) else { return }
            emit(p, n, i, ownerEnd, config: config, into: &spans)
            var groupStart = ownerEnd
            while groupStart < n && isBlank(p[groupStart]) { groupStart += 1 }
            let groupEnd = nameEnd(p, n, from: groupStart)
            // The group names a person only as a user-private group (equal to the owner);
            // `anna ekonomi` is a department.
            if groupEnd < n && isBlank(p[groupEnd]) && sameBytes(p, i, ownerEnd, groupStart, groupEnd) {
                emit(p, n, groupStart, groupEnd, config: config, into: &spans)
            }
        } else {
            // tar -tv: owner/group.
            let ownerEnd = nameEnd(p, n, from: i)
            guard ownerEnd < n, p[ownerEnd] == UInt8(ascii: "/") else { return }
            let groupEnd = nameEnd(p, n, from: ownerEnd + 1)
            guard groupEnd < n, isBlank(p[groupEnd]) else { return }
            emit(p, n, i, ownerEnd, config: config, into: &spans)
            if sameBytes(p, i, ownerEnd, ownerEnd + 1, groupEnd) { emit(p, n, ownerEnd + 1, groupEnd, config: config, into: &spans) }
        }
    }

    /// Whether `p[a..<aEnd]` and `p[b..<bEnd]` hold the same bytes.
    @inline(__always)
    private static func sameBytes(_ p: UnsafePointer<UInt8>, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
        guard aEnd - a == bEnd - b else { return false }
        for k in 0..<(aEnd - a) where p[a + k] != p[b + k] { return false }
        return true
    }

    // MARK: Daemon phrasings, at a space after "for", "user" or "USER".

    /// A name after one of `UsernameContexts.phrases` (`Failed password for NAME from`,
    /// `Invalid user NAME from`, `session opened for user NAME(uid=…) by NAME(uid=…)`, …),
    /// when what follows it is one of the phrase's followers.
    static func afterWord(_ p: UnsafePointer<UInt8>, _ n: Int, space: Int, config: DetectionConfig,
                          into spans: inout some SpanAppending) {
        guard space >= 4 else { return }
        let end = UnsafeRawPointer(p + space - 4).loadUnaligned(as: UInt32.self)
        guard UsernameContexts.phraseEnds.contains(end) else { return }
        for phrase in UsernameContexts.phrases {
            let length = phrase.words.utf8CodeUnitCount
            guard space >= length, Bytes.equals(p + space - length, phrase.words) else { continue }
            if space > length && ByteClass.isAlnum(p[space - length - 1]) { continue }
            name(after: phrase, p, n, space: space, config: config, into: &spans)
            return
        }
    }

    /// The name after `phrase` (whose blank is at `space`), if a follower of the phrase comes next.
    private static func name(after phrase: UsernameContexts.Phrase, _ p: UnsafePointer<UInt8>, _ n: Int, space: Int,
                             config: DetectionConfig, into spans: inout some SpanAppending) {
        let followers = phrase.followers
        let start = space + 1
        if followers.contains(.quoted) {
            guard start < n, p[start] == UInt8(ascii: "\"") else { return }
            var close = start + 1
            while close < n && close - start <= maxLength && p[close] != UInt8(ascii: "\"") && p[close] != UInt8(ascii: "\n") { close += 1 }
            if close < n && p[close] == UInt8(ascii: "\"") { emit(p, n, start + 1, close, config: config, into: &spans) }
            return
        }
        let stopsAtColon = followers.contains(.colon)
        var end = start
        while end < n && end - start <= maxLength && !isBlank(p[end]) && p[end] != UInt8(ascii: "\n")
            && p[end] != UInt8(ascii: "(") && p[end] != UInt8(ascii: "\r") && !(stopsAtColon && p[end] == UInt8(ascii: ":")) { end += 1 }
        guard end > start else { return }
        let next = end
        let atLineEnd = isLineEnd(p, n, next)
        // A sentence's final period (`New session 12 of user anna.`) is not the name's.
        if atLineEnd && end - start > 1 && p[end - 1] == UInt8(ascii: ".") { end -= 1 }
        let followed = (followers.contains(.from) && Bytes.startsWith(p, next, n, " from "))
            || (followers.contains(.port) && Bytes.startsWith(p, next, n, " port "))
            || (followers.contains(.preauth) && Bytes.startsWith(p, next, n, " [preauth]"))
            || (followers.contains(.uid) && Bytes.startsWith(p, next, n, "(uid="))
            || (followers.contains(.by) && Bytes.startsWith(p, next, n, " by "))
            || (followers.contains(.lineEnd) && atLineEnd)
            || (followers.contains(.colon) && next < n && p[next] == UInt8(ascii: ":"))
            || (followers.contains(.parenthesis) && Bytes.startsWith(p, next, n, " ("))
            || (followers.contains(.address) && followedByAddress(p, n, next))
            || (followers.contains(.with) && Bytes.startsWith(p, next, n, " with "))
        guard followed else { return }
        emitField(p, n, start, end, config: config, into: &spans)
        // pam_unix: `session opened for user root(uid=0) by anna(uid=1000)`: the invoker too.
        if followers.contains(.uid) && Bytes.startsWith(p, next, n, "(uid=") {
            invokerAfterUID(p, n, from: next + 5, config: config, into: &spans)
        }
    }

    /// After `(uid=N`: `) by NAME(uid=` names the invoking user.
    private static func invokerAfterUID(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int, config: DetectionConfig,
                                        into spans: inout some SpanAppending) {
        var k = from
        while k < n && k - from < 10 && ByteClass.isDigit(p[k]) { k += 1 }
        guard k > from, Bytes.startsWith(p, k, n, ") by ") else { return }
        let start = k + 5
        let end = nameEnd(p, n, from: start)
        guard end > start, Bytes.startsWith(p, end, n, "(uid=") else { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    /// A blank and then an address (`1.2.3.4`, `2001:db8::1`): a hex digit or `:` opening a
    /// run of hex digits, dots and colons that holds a dot or a colon.
    private static func followedByAddress(_ p: UnsafePointer<UInt8>, _ n: Int, _ next: Int) -> Bool {
        guard next + 2 < n, p[next] == UInt8(ascii: " ") else { return false }
        var k = next + 1
        var separators = 0
        while k < n && k - next <= 46 {
            let b = p[k]
            if b == UInt8(ascii: ".") || b == UInt8(ascii: ":") {
                separators += 1
            } else if !(ByteClass.isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))) {
                break
            }
            k += 1
        }
        return separators >= 2 && (k >= n || isBlank(p[k]) || p[k] == UInt8(ascii: "\n"))
    }

    // MARK: key=value pairs, at `=`.

    /// `user=`, `username=`, `login=`, `ruser=`, `logname=`, `sasl_username=`, `USER=` (also in
    /// query strings, and `user=<NAME>`), and sudo's `NAME : TTY=`.
    static func keyValue(_ p: UnsafePointer<UInt8>, _ n: Int, equals: Int, config: DetectionConfig,
                         into spans: inout some SpanAppending) {
        var keyStart = equals
        while keyStart > 0 && equals - keyStart < 14 && (ByteClass.isLetter(p[keyStart - 1]) || p[keyStart - 1] == UInt8(ascii: "_")) {
            keyStart -= 1
        }
        let keyLength = equals - keyStart
        guard keyLength >= 3 && keyLength <= 13 else { return }
        if keyStart > 0 && (ByteClass.isAlnum(p[keyStart - 1]) || p[keyStart - 1] == UInt8(ascii: "_")) { return }
        if keyLength == 3 && Bytes.equals(p + keyStart, "TTY") {
            sudoInvoker(p, n, keyStart: keyStart, config: config, into: &spans)
            return
        }
        guard anonlog_is_username_key(p + keyStart, keyLength, 0) != 0 else { return }
        var start = equals + 1
        let bracketed = start < n && p[start] == UInt8(ascii: "<")
        if bracketed { start += 1 }
        let end = nameEnd(p, n, from: start)
        if bracketed && !(end < n && p[end] == UInt8(ascii: ">")) { return }
        if !bracketed && end < n && !isValueEnd(p[end]) { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    /// Bytes that end a value in `key=value` lists and query strings.
    @inline(__always)
    private static func isValueEnd(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "&"),
             UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"),
             UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "|"), UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }

    /// sudo: `    NAME : TTY=pts/0 ; PWD=… ; USER=root ; COMMAND=…`.
    private static func sudoInvoker(_ p: UnsafePointer<UInt8>, _ n: Int, keyStart: Int, config: DetectionConfig,
                                    into spans: inout some SpanAppending) {
        guard keyStart >= 4 else { return }
        var colon = keyStart - 3
        if !Bytes.endsWith(p, keyStart, " : ") {
            // `NAME : user NOT in sudoers ; TTY=`, `NAME : 3 incorrect password attempts ; TTY=`:
            // the nearest ` : ` before the message, within its field.
            guard Bytes.endsWith(p, keyStart, " ; ") else { return }
            var k = keyStart - 3
            while k >= 3 && keyStart - k < 160 && !Bytes.endsWith(p, k, " : ") {
                if p[k - 1] == UInt8(ascii: ";") || p[k - 1] == UInt8(ascii: "\n") { return }
                k -= 1
            }
            guard k >= 3, Bytes.endsWith(p, k, " : ") else { return }
            colon = k - 3
        }
        let end = colon
        var start = end
        while start > 0 && end - start <= maxLength && isNameByte(p[start - 1]) { start -= 1 }
        guard start < end, start == 0 || isBlank(p[start - 1]) else { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    // MARK: JSON keys, at `:`.

    /// `"user": "NAME"`, and the keys `username`, `login`, `owner`, and `group` (user-private
    /// groups carry the user's name; shared groups such as `users` are in the kept list).
    static func jsonKey(_ p: UnsafePointer<UInt8>, _ n: Int, colon: Int, config: DetectionConfig,
                        into spans: inout some SpanAppending) {
        var close = colon
        while close > 0 && isBlank(p[close - 1]) { close -= 1 }
        guard close > 0, p[close - 1] == UInt8(ascii: "\"") else { return }
        let keyEnd = close - 1
        var keyStart = keyEnd
        while keyStart > 0 && keyEnd - keyStart < 9 && ByteClass.isLetter(p[keyStart - 1]) { keyStart -= 1 }
        guard keyStart > 0, p[keyStart - 1] == UInt8(ascii: "\"") else { return }
        let keyLength = keyEnd - keyStart
        let isUserKey = anonlog_is_username_key(p + keyStart, keyLength, 1) != 0
        let isGroup = keyLength == 5 && Bytes.equals(p + keyStart, "group")
        guard isUserKey else { return }
        var start = colon + 1
        while start < n && isBlank(p[start]) { start += 1 }
        guard start < n, p[start] == UInt8(ascii: "\"") else { return }
        start += 1
        let end = nameEnd(p, n, from: start)
        guard end < n, p[end] == UInt8(ascii: "\"") else { return }
        // `"group"` names a person only as the owner's user-private group.
        if isGroup {
            guard let owner = ownerValue(p, n, around: keyStart), sameBytes(p, owner.start, owner.end, start, end) else { return }
        }
        emit(p, n, start, end, config: config, into: &spans)
    }

    /// The value of the record's owner in the JSON object holding `at` (from the `{` before it
    /// to the `}` after it, within the line): its `"owner"` key, or its `"user"` key as file
    /// manifests write it.
    private static func ownerValue(_ p: UnsafePointer<UInt8>, _ n: Int, around at: Int) -> (start: Int, end: Int)? {
        var objectStart = at
        while objectStart > 0 && at - objectStart < 4096 && p[objectStart - 1] != UInt8(ascii: "{")
            && p[objectStart - 1] != UInt8(ascii: "\n") { objectStart -= 1 }
        var k = objectStart
        while k + 7 < n && k - objectStart < 8192 && p[k] != UInt8(ascii: "\n") && p[k] != UInt8(ascii: "}") {
            defer { k += 1 }
            guard p[k] == UInt8(ascii: "\"") else { continue }
            var v: Int
            if Bytes.equals(p + k, "\"owner\"") {
                v = k + 7
            } else if Bytes.equals(p + k, "\"user\"") {
                v = k + 6
            } else {
                continue
            }
            while v < n && isBlank(p[v]) { v += 1 }
            guard v < n, p[v] == UInt8(ascii: ":") else { continue }
            v += 1
            while v < n && isBlank(p[v]) { v += 1 }
            guard v < n, p[v] == UInt8(ascii: "\"") else { continue }
            let end = nameEnd(p, n, from: v + 1)
            guard end < n, p[end] == UInt8(ascii: "\"") else { continue }
            return (v + 1, end)
        }
        return nil
    }

    // MARK: Paths, at `/` and `~`.

    /// `/home/NAME`, `/Users/NAME`, `/var/mail/NAME`, `/var/spool/mail/NAME` (also without the
    /// leading slash, as `tar` lists them) and `C:\Users\NAME\`; `slash` is the separator
    /// before NAME.
    static func path(_ p: UnsafePointer<UInt8>, _ n: Int, slash: Int, config: DetectionConfig,
                     into spans: inout some SpanAppending) {
        guard mayEndHomeDirectory(p, slash: slash) else { return }
        if p[slash] == UInt8(ascii: "\\") {
            windowsProfile(p, n, slash: slash, config: config, into: &spans)
            return
        }
        var directoryStart = -1
        var mail = false
        for directory in UsernameContexts.homeDirectories where Bytes.endsWith(p, slash, directory) {
            directoryStart = slash - directory.utf8CodeUnitCount
            mail = p[slash - 1] == UInt8(ascii: "l")
            break
        }
        guard directoryStart >= 0 else { return }
        if directoryStart > 0 {
            let before = p[directoryStart - 1]
            if ByteClass.isAlnum(before) || before == UInt8(ascii: "_") || before == UInt8(ascii: "-") || before == UInt8(ascii: ".") { return }
        }
        var start = slash + 1
        var end = nameEnd(p, n, from: start)
        if mail && end - start == 6 && Bytes.equals(p + start, "vhosts") {
            // Virtual mailboxes: /var/mail/vhosts/DOMAIN/USER/ (neither `vhosts` nor the domain
            // is a name).
            guard end < n, p[end] == UInt8(ascii: "/") else { return }
            var domainEnd = end + 1
            while domainEnd < n && domainEnd - end <= 253
                && (ByteClass.isAlnum(p[domainEnd]) || p[domainEnd] == UInt8(ascii: ".") || p[domainEnd] == UInt8(ascii: "-")) { domainEnd += 1 }
            guard domainEnd > end + 1, domainEnd < n, p[domainEnd] == UInt8(ascii: "/") else { return }
            start = domainEnd + 1
            end = nameEnd(p, n, from: start)
        }
        guard end == n || !(p[end] == UInt8(ascii: "@") || p[end] == UInt8(ascii: "%")) || isLineEnd(p, n, end) else { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    /// `C:\Users\NAME\` (any drive letter), the name ended by a backslash or a value's end.
    private static func windowsProfile(_ p: UnsafePointer<UInt8>, _ n: Int, slash: Int, config: DetectionConfig,
                                       into spans: inout some SpanAppending) {
        guard slash >= 8, Bytes.endsWith(p, slash, ":\\Users"), ByteClass.isLetter(p[slash - 8]) else { return }
        if slash > 8 && ByteClass.isAlnum(p[slash - 9]) { return }
        let start = slash + 1
        let end = nameEnd(p, n, from: start)
        guard end == n || p[end] == UInt8(ascii: "\\") || isValueEnd(p[end]) else { return }
        // Windows' own profiles are nobody's.
        if (end - start == 6 && Bytes.equals(p + start, "Public")) || (end - start == 7 && Bytes.equals(p + start, "Default")) { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    /// Whether the four bytes before `slash` are `home`, `sers` or `mail`: one load that rejects
    /// the slashes the candidate stage's letter classes let through (`lome/`, `sers/`).
    @inline(__always)
    static func mayEndHomeDirectory(_ p: UnsafePointer<UInt8>, slash: Int) -> Bool {
        guard slash >= 4 else { return false }
        let last4 = UnsafeRawPointer(p + slash - 4).loadUnaligned(as: UInt32.self)
        return last4 == Bytes.word("home") || last4 == Bytes.word("sers") || last4 == Bytes.word("mail")
    }

    /// `~NAME` after a slash (user directories in URLs: `/~anna/`).
    static func tilde(_ p: UnsafePointer<UInt8>, _ n: Int, at tilde: Int, config: DetectionConfig,
                      into spans: inout some SpanAppending) {
        guard tilde > 0, p[tilde - 1] == UInt8(ascii: "/") else { return }
        let start = tilde + 1
        let end = nameEnd(p, n, from: start)
        guard end == n || p[end] == UInt8(ascii: "/") || isValueEnd(p[end]) || p[end] == UInt8(ascii: "?") else { return }
        emit(p, n, start, end, config: config, into: &spans)
    }

    // MARK: --users-file words.

    /// A word (maximal run of name bytes) starting at `start` that is a listed name.
    @inline(__always)
    static func knownWord(_ p: UnsafePointer<UInt8>, _ n: Int, start: Int, config: DetectionConfig,
                          into spans: inout some SpanAppending) {
        if start > 0 && isNameByte(p[start - 1]) { return }
        var end = start
        while end < n && isNameByte(p[end]) { end += 1 }
        if config.knownUsers.contains(p, start, end) && !config.keptUsers.contains(p, start, end) {
            if !(end < n && p[end] == UInt8(ascii: "@")) { spans.append(Span(start: start, end: end, type: .username)) }
        }
    }
}
