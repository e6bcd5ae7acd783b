/// `pseudonymize` and `encrypt` (SPEC.md): keyed tokens and ipcrypt, per key epoch, with
/// the pseudonym cache in front. One per worker: its keys, caches and scratch space are never
/// shared.
struct KeyedReplacer {
    private let plan: ActionPlan
    private let key: [UInt8]
    /// "Today", for the century of 10-digit personnummer in canonical forms.
    private let today: CalendarDay
    /// Recent keyed replacements; generation numbers tell epochs apart.
    private(set) var cache: ReplacementCache
    /// Keystream bits of networks seen before, for the addresses the cache misses; only when
    /// an address type is pseudonymised (ipcrypt-pfx).
    private var prefixes: PfxPrefixCache?
    /// The epoch of each match; nil without `--key-epoch`.
    private var epochs: EpochSelector?
    /// Key material per epoch label; derived once per epoch a worker meets.
    private var keysByEpoch: [String: EpochKeys] = [:]
    private var noEpochKeys: EpochKeys?
    /// `noEpochKeys` without reference counting (it holds them).
    private var noEpochKeysRef: Unmanaged<EpochKeys>?
    /// The epoch of the match being written (nil and 1 without epochs).
    private var epoch: String?
    private var generation: UInt32 = 1
    private var reportedHits = 0
    private var reportedMisses = 0

    /// `cacheSlots`: the size of the pseudonym cache (`ReplacementCache.slotCount(forInput:)`).
    init(plan: ActionPlan, config: TransformConfig, cacheSlots: Int) {
        self.plan = plan
        key = config.key ?? []
        today = config.today
        cache = ReplacementCache(slotCount: cacheSlots)
        prefixes = plan[.ipv4] == .pseudonymize || plan[.ipv6] == .pseudonymize ? PfxPrefixCache() : nil
        epochs = EpochSelector(config: config)
    }

    /// The cache's hits and misses since the last call.
    mutating func takeCacheCounts() -> (Int, Int) {
        let result = (cache.hits - reportedHits, cache.misses - reportedMisses)
        reportedHits = cache.hits
        reportedMisses = cache.misses
        return result
    }

    /// A new chunk starts.
    mutating func startChunk() {
        epochs?.startChunk()
    }

    /// Appends to `out` the keyed replacement of `span`.
    @inline(__always)
    mutating func write(_ span: Span, of window: UnsafeRawBufferPointer, into out: ChunkBuffer) {
        let p = window.baseAddress!.assumingMemoryBound(to: UInt8.self) + span.start
        let count = span.end - span.start
        if epochs != nil {
            let selected = epochs!.select(for: span, in: window)
            epoch = selected.label
            generation = selected.generation
        }
        if cache.lookup(p, count, type: span.type, generation: generation, hint: span.tag, into: out) { return }
        let before = out.count
        // The keys first: fetching them (mutating) inside the call's arguments would make Swift
        // copy the whole replacer to call `pseudonymize` on it. Borrowed, not retained:
        // `noEpochKeys`/`keysByEpoch` own them, and a retain and release per miss is atomic,
        // waiting for the miss's stores to drain.
        currentKeys()._withUnsafeGuaranteedRef { pseudonymize(span.type, p, count, keys: $0, into: out) }
        cache.store(p, count, type: span.type, generation: generation, hint: span.tag,
                    replacement: UnsafeRawBufferPointer(start: out.base + before, count: out.count - before))
    }

    /// Starts loading the cache set `span` will look up, when the scanner tagged it.
    @inline(__always)
    func prefetch(_ span: Span) {
        cache.prefetch(hint: span.tag)
    }

    /// The key material of the current epoch, derived once per epoch; only cache misses ask.
    /// Unretained: `noEpochKeys` or `keysByEpoch` keeps them alive.
    private mutating func currentKeys() -> Unmanaged<EpochKeys> {
        guard let label = epoch else {
            if let keys = noEpochKeysRef { return keys }
            let keys = EpochKeys(key: key, epoch: nil)
            noEpochKeys = keys
            noEpochKeysRef = Unmanaged.passUnretained(keys)
            return noEpochKeysRef!
        }
        if let keys = keysByEpoch[label] { return Unmanaged.passUnretained(keys) }
        let keys = EpochKeys(key: key, epoch: label)
        keysByEpoch[label] = keys
        return Unmanaged.passUnretained(keys)
    }

    private mutating func pseudonymize(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, keys: EpochKeys,
                              into out: ChunkBuffer) {
        if type == .ipv4 || type == .ipv6 {
            encryptAddress(type, p, count, keys: keys, into: out)
            return
        }
        // The closure below must not capture `self`: that would copy the whole replacer (and
        // retain everything in it) on every cache miss.
        let today = self.today
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
                guard count <= 256 else { Placeholders.redact(type, p, count, into: out); return }
                let length = Canonical.email(p, count, into: buffer)
                keys.tokens.token(type: "email", canonical: UnsafeRawBufferPointer(start: buffer, count: length), into: tokenAt)
                out.append(tokenAt, 12)
                Placeholders.append(Placeholders.isEncodedEmail(p, count) ? "%40anon.invalid" : "@anon.invalid", to: out)
            case .username:
                keys.tokens.token(type: "username", canonical: UnsafeRawBufferPointer(start: p, count: count), into: tokenAt)
                Placeholders.append("u-", to: out)
                out.append(tokenAt, 12)
            case .personnummer:
                guard Canonical.personnummer(p, count, today: today, into: buffer) else {
                    Placeholders.redact(type, p, count, into: out)
                    return
                }
                keys.tokens.token(type: "personnummer", canonical: UnsafeRawBufferPointer(start: buffer, count: 12), into: tokenAt)
                Placeholders.append("pnr-", to: out)
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
            Placeholders.redact(type, p, count, into: out)
            return
        }
        if plan[type] == .encrypt {
            keys.deterministic.encrypt(&address)
        } else {
            address = keys.pfx.encrypt(address, cache: &prefixes!, generation: generation)
        }
        if type == .ipv4 && address.isIPv4Mapped {
            IPText.writeIPv4(address, form: form, suffix: Placeholders.suffix(p, count, form), into: out)
        } else if form.isHostForm {
            // ipcrypt-deterministic left the IPv4 range: no address of this family to write in
            // a host name, so the host name gets the placeholder.
            Placeholders.redact(type, p, count, into: out)
        } else {
            IPText.writeIPv6(address, into: out)
        }
    }
}
