#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes what each match becomes under its action; one per worker (its key material, caches
/// and scratch space are never shared).
struct Replacer: Sendable {
    let plan: ActionPlan
    let config: TransformConfig
    /// Key material per epoch label (nil: no epoch); derived once per epoch a worker meets.
    private var keysByEpoch: [String: EpochKeys] = [:]
    private var noEpochKeys: EpochKeys?
    /// `noEpochKeys` without reference counting (it holds them).
    private var noEpochKeysRef: Unmanaged<EpochKeys>?
    /// The line whose date was last read, so a line's spans share one parse.
    private var lastLineStart = -1
    private var lastLineEpoch: String?
    private var lastWindow = 0
    /// Recent keyed replacements; generation numbers tell epochs apart. Only a plan with a
    /// keyed action has one (a scan or a redaction never looks anything up).
    private(set) var cache: ReplacementCache?
    /// Keystream bits of networks seen before, for the addresses the cache misses; only when
    /// an address type is pseudonymised (ipcrypt-pfx).
    private var prefixes: PfxPrefixCache?
    private var generationByEpoch: [String: UInt32] = [:]
    private var currentGeneration: UInt32 = 1
    private var currentEpoch: String?
    private var reportedHits = 0
    private var reportedMisses = 0

    /// "0.0.0.0", "::" and "-" as little-endian words (`ChunkBuffer.appendWord`).
    private static let redactedIPv4Word: UInt64 = 0x30_2E_30_2E_30_2E_30
    private static let redactedIPv6Word: UInt64 = 0x3A_3A
    private static let redactedUsernameWord: UInt64 = 0x2D
    private static let redactedEmail: StaticString = "redacted@anon.invalid"
    private static let redactedEncodedEmail: StaticString = "redacted%40anon.invalid"

    /// `cacheSlots`: the size of the pseudonym cache (`ReplacementCache.slotCount(forInput:)`).
    init(plan: ActionPlan, config: TransformConfig, cacheSlots: Int) {
        self.plan = plan
        self.config = config
        cache = plan.needsKey ? ReplacementCache(slotCount: cacheSlots) : nil
        prefixes = plan[.ipv4] == .pseudonymize || plan[.ipv6] == .pseudonymize ? PfxPrefixCache() : nil
    }

    /// The cache's hits and misses since the last call.
    mutating func takeCacheCounts() -> (Int, Int) {
        guard let cache else { return (0, 0) }
        let result = (cache.hits - reportedHits, cache.misses - reportedMisses)
        reportedHits = cache.hits
        reportedMisses = cache.misses
        return result
    }

    /// Forgets the last line's date: the next chunk may reuse the same buffer.
    mutating func startChunk() {
        lastLineStart = -1
        lastLineEpoch = nil
    }

    /// Appends to `out` what `span` of `window` becomes under its action.
    @inline(__always)
    mutating func write(_ span: Span, of window: UnsafeRawBufferPointer, into out: ChunkBuffer) {
        let base = window.baseAddress!
        let p = base.assumingMemoryBound(to: UInt8.self) + span.start
        let count = span.end - span.start
        switch plan[span.type] {
        case .keep:
            out.append(p, count)
        case .redact:
            Self.redact(span.type, p, count, into: out)
        case .truncate:
            truncate(span.type, p, count, into: out)
        case .pseudonymize, .encrypt:
            selectEpoch(for: span, in: window)
            // A keyed action means the plan needs a key, so the cache exists.
            if cache!.lookup(p, count, type: span.type, generation: currentGeneration, hint: span.tag, into: out) { return }
            let before = out.count
            // The keys first: fetching them (mutating) inside the call's arguments made Swift
            // copy the whole replacer to call the non-mutating `pseudonymize` on it. Borrowed,
            // not retained: `noEpochKeys`/`keysByEpoch` own them, and a retain and release per
            // miss (atomic, waiting for the miss's stores to drain) was 6% of a run where every
            // address is distinct.
            currentKeys()._withUnsafeGuaranteedRef { pseudonymize(span.type, p, count, keys: $0, into: out) }
            cache!.store(p, count, type: span.type, generation: currentGeneration, hint: span.tag,
                        replacement: UnsafeRawBufferPointer(start: out.base + before, count: out.count - before))
        }
    }

    /// Starts loading the cache set `span` will look up, when the scanner gave its hint.
    @inline(__always)
    func prefetch(_ span: Span) {
        cache?.prefetch(hint: span.tag)
    }

    // MARK: redact

    /// Fixed placeholders that keep the field's shape and are never detected again.
    ///
    /// Addresses and usernames get a fixed word chosen without a branch; only e-mail and
    /// personnummer branch off. A `switch` over all five types compiled to a jump table that
    /// mispredicted on two thirds of the matches of an app log, where the type changes at
    /// nearly every match.
    @inline(__always)
    private static func redact(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        if type == .email || type == .personnummer {
            redactVariable(type, p, count, into: out)
            return
        }
        let ipv4 = type == .ipv4, ipv6 = type == .ipv6
        if ipv4 && count >= 7 {
            let form = IPv4Form.of(p, count)
            if form.isHostForm {
                // `0-0-0-0` in a host name, `0.0.0.0.in-addr.arpa` in reverse.
                IPText.writeIPv4(IPAddress16(ipv4: 0), form: form, suffix: Self.suffix(p, count, form), into: out)
                return
            }
        }
        out.appendWord(ipv4 ? Self.redactedIPv4Word : ipv6 ? Self.redactedIPv6Word : Self.redactedUsernameWord,
                       length: ipv4 ? 7 : ipv6 ? 2 : 1)
    }

    /// The placeholders that depend on the match: an e-mail's `@` or `%40`, a personnummer's
    /// layout.
    private static func redactVariable(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        if type == .email {
            Self.append(Self.isEncodedEmail(p, count) ? Self.redactedEncodedEmail : Self.redactedEmail, to: out)
            return
        }
        if count == 16 && p[0] == UInt8(ascii: "p") && p[3] == UInt8(ascii: "-") {
            Self.append("000000-0000", to: out)   // a pnr-T token
            return
        }
        // The number's own layout with every digit zero: an impossible date, never matched.
        out.reserve(extra: count)
        let destination = out.base + out.count
        if count >= 8 {
            // Two overlapping words (10-13 bytes of digits, an interim letter, `-` and `+`):
            // digits (bits 4 and 5 set) and letters (bit 6) become '0'; `-` and `+` have
            // neither and stay.
            @inline(__always) func zeroed(_ word: UInt64) -> UInt64 {
                let marked = ((word >> 6) | ((word >> 4) & (word >> 5))) & 0x0101_0101_0101_0101
                let characters = marked &* 0xFF
                return (word & ~characters) | (0x3030_3030_3030_3030 & characters)
            }
            let source = UnsafeRawPointer(p)
            let head = zeroed(source.loadUnaligned(as: UInt64.self))
            let tail = zeroed(source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else {
            let bytes = destination.assumingMemoryBound(to: UInt8.self)
            for k in 0..<count { bytes[k] = ByteClass.isDigit(p[k]) ? UInt8(ascii: "0") : p[k] }
        }
        out.count += count
    }

    /// What follows the quad in a reversed IPv4 match (`.in-addr.arpa`), else nil.
    @inline(__always)
    private static func suffix(_ p: UnsafePointer<UInt8>, _ count: Int, _ form: IPv4Form) -> UnsafeRawBufferPointer? {
        form.reversed ? UnsafeRawBufferPointer(start: p + form.quadLength, count: count - form.quadLength) : nil
    }

    // MARK: truncate

    /// IPs lose their host bits (/24 and /48 by default), e-mails keep only the domain,
    /// personnummer only the birth year.
    private func truncate(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        switch type {
        case .ipv4:
            let form = IPv4Form.of(p, count)
            guard var address = IPText.parseIPv4(p, count, form: form) else { out.append(p, count); return }
            address.keepPrefix(96 + config.ipv4Prefix)
            IPText.writeIPv4(address, form: form, suffix: Self.suffix(p, count, form), into: out)
        case .ipv6:
            guard var address = IPText.parseIPv6(p, count) else { out.append(p, count); return }
            address.keepPrefix(address.isIPv4Mapped ? 96 + config.ipv4Prefix : config.ipv6Prefix)
            IPText.writeIPv6(address, into: out)
        case .email:
            Self.append("redacted", to: out)
            let at = Self.atSign(p, count)
            out.append(p + at, count - at)
        case .personnummer:
            var canonical = (UInt64(0), UInt64(0))
            let ok = withUnsafeMutableBytes(of: &canonical) {
                Canonical.personnummer(p, count, today: config.today, into: $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard ok else { Self.redact(type, p, count, into: out); return }
            withUnsafeBytes(of: canonical) { out.append($0.baseAddress!, 4) }
        case .username:
            Self.redact(type, p, count, into: out)   // ActionPlan refuses this; kept total for safety
        }
    }

    // MARK: pseudonymize / encrypt

    private mutating func pseudonymize(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, keys: EpochKeys,
                              into out: ChunkBuffer) {
        if type == .ipv4 || type == .ipv6 {
            encryptAddress(type, p, count, keys: keys, into: out)
            return
        }
        // The closure below must not capture `self`: that copied the whole replacer (and
        // retained everything in it) on every cache miss.
        let today = config.today
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                       UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                       UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                       UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                       UInt64(0), UInt64(0))   // 272 bytes: the longest e-mail and a token
        withUnsafeMutableBytes(of: &scratch) { raw in
            let buffer = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let tokenAt = buffer + 256
            switch type {
            case .email:
                guard count <= 256 else { Self.redact(type, p, count, into: out); return }
                let length = Canonical.email(p, count, into: buffer)
                keys.tokens.token(type: "email", canonical: UnsafeRawBufferPointer(start: buffer, count: length), into: tokenAt)
                out.append(tokenAt, 12)
                Self.append(Self.isEncodedEmail(p, count) ? "%40anon.invalid" : "@anon.invalid", to: out)
            case .username:
                keys.tokens.token(type: "username", canonical: UnsafeRawBufferPointer(start: p, count: count), into: tokenAt)
                Self.append("u-", to: out)
                out.append(tokenAt, 12)
            case .personnummer:
                guard Canonical.personnummer(p, count, today: today, into: buffer) else {
                    Self.redact(type, p, count, into: out)
                    return
                }
                keys.tokens.token(type: "personnummer", canonical: UnsafeRawBufferPointer(start: buffer, count: 12), into: tokenAt)
                Self.append("pnr-", to: out)
                out.append(tokenAt, 12)
            case .ipv4, .ipv6:
                break   // handled above
            }
        }
    }

    /// ipcrypt-pfx (`pseudonymize`: same family, shared prefixes stay shared) or
    /// ipcrypt-deterministic (`encrypt`: written as IPv4 only when it lands in the mapped range).
    private mutating func encryptAddress(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, keys: EpochKeys,
                                         into out: ChunkBuffer) {
        let form = type == .ipv4 ? IPv4Form.of(p, count) : .dotted
        guard var address = type == .ipv4 ? IPText.parseIPv4(p, count, form: form) : IPText.parseIPv6(p, count) else {
            Self.redact(type, p, count, into: out)
            return
        }
        if plan[type] == .encrypt {
            keys.deterministic.encrypt(&address)
        } else {
            address = keys.pfx.encrypt(address, cache: &prefixes!, generation: currentGeneration)
        }
        if type == .ipv4 && address.isIPv4Mapped {
            IPText.writeIPv4(address, form: form, suffix: Self.suffix(p, count, form), into: out)
        } else if form.isHostForm {
            // ipcrypt-deterministic left the IPv4 range: no address of this family to write in
            // a host name, so the host name gets the placeholder.
            Self.redact(type, p, count, into: out)
        } else {
            IPText.writeIPv6(address, into: out)
        }
    }

    // MARK: keys and epochs

    /// Selects the span's epoch (from the line's own timestamp when it has one, else the
    /// fallback date): sets `currentGeneration` and `currentEpoch` for the cache and the keys.
    private mutating func selectEpoch(for span: Span, in window: UnsafeRawBufferPointer) {
        // Without epochs the generation stays 1 and the epoch nil, as `init` set them (assigning
        // nil here released the old string at every match: 3% of a pseudonymising run).
        guard config.epoch != .none else { return }
        let label = epochLabel(for: span, in: window)
        if let generation = generationByEpoch[label] {
            currentGeneration = generation
        } else {
            currentGeneration = UInt32(generationByEpoch.count + 1)
            generationByEpoch[label] = currentGeneration
        }
        currentEpoch = label
    }

    /// The key material of the selected epoch, derived once per epoch; only cache misses ask.
    /// Unretained: this replacer's `noEpochKeys` or `keysByEpoch` keeps them alive.
    private mutating func currentKeys() -> Unmanaged<EpochKeys> {
        guard let label = currentEpoch else {
            if let keys = noEpochKeysRef { return keys }
            let keys = EpochKeys(key: config.key ?? [], epoch: nil)
            noEpochKeys = keys
            noEpochKeysRef = Unmanaged.passUnretained(keys)
            return noEpochKeysRef!
        }
        if let keys = keysByEpoch[label] { return Unmanaged.passUnretained(keys) }
        let keys = EpochKeys(key: config.key ?? [], epoch: label)
        keysByEpoch[label] = keys
        return Unmanaged.passUnretained(keys)
    }

    private mutating func epochLabel(for span: Span, in window: UnsafeRawBufferPointer) -> String {
        let p = window.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var lineStart = span.start
        while lineStart > 0 && span.start - lineStart < 4096 && p[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        if lineStart == lastLineStart && Int(bitPattern: window.baseAddress) == lastWindow, let label = lastLineEpoch { return label }
        let lineEnd = min(window.count, lineStart + 256)
        let found = config.useLineDates ? LineDate.find(p + lineStart, lineEnd - lineStart, fallbackYear: config.fallbackDate.year) : nil
        let day = found ?? config.fallbackDate
        let label = config.epoch.label(day) ?? ""
        lastLineStart = lineStart
        lastWindow = Int(bitPattern: window.baseAddress)
        lastLineEpoch = label
        return label
    }

    // MARK: helpers

    private static func isEncodedEmail(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        memchr(p, Int32(UInt8(ascii: "@")), count) == nil
    }

    /// Offset of the `@` (or of `%40`).
    private static func atSign(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        for k in 0..<count where p[k] == UInt8(ascii: "@") { return k }
        for k in 0..<max(0, count - 2) where p[k] == UInt8(ascii: "%") && p[k + 1] == UInt8(ascii: "4") && p[k + 2] == UInt8(ascii: "0") {
            return k
        }
        return count
    }

    @inline(__always)
    private static func append(_ text: StaticString, to out: ChunkBuffer) {
        out.append(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
    }
}

/// The keyed primitives of one epoch.
///
/// A class, so that handing them to a cache miss retains one reference: as a struct of
/// three keyed values it retained and released each of their key objects at every miss (6% of
/// a run where every address is distinct). Immutable after init.
final class EpochKeys: Sendable {
    let tokens: TokenMaker
    let pfx: IPCryptPfx
    let deterministic: IPCryptDeterministic

    init(key: [UInt8], epoch: String?) {
        let sub = SubKeys(key: key, epoch: epoch)
        tokens = TokenMaker(tokenKey: sub.token)
        pfx = IPCryptPfx(key: sub.ipcryptPfx)
        deterministic = IPCryptDeterministic(key: sub.ipcryptDeterministic)
    }
}
