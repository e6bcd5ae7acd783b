/// Writes what each match becomes under its action (SPEC.md, "What it does to a match"): the
/// dispatcher over `Placeholders` (redact), `Truncator` and `KeyedReplacer` (pseudonymize,
/// encrypt). One per worker.
struct Replacer: Sendable {
    /// The action for each type.
    let plan: ActionPlan
    private let truncator: Truncator
    /// Only a plan with a keyed action has one (a redaction never looks anything up).
    private var keyed: KeyedReplacer?

    /// `cacheSlots`: the size of the pseudonym cache (`ReplacementCache.slotCount(forInput:)`).
    init(plan: ActionPlan, config: TransformConfig, cacheSlots: Int) {
        self.plan = plan
        truncator = Truncator(ipv4Prefix: config.ipv4Prefix, ipv6Prefix: config.ipv6Prefix, today: config.today)
        keyed = plan.needsKey ? KeyedReplacer(plan: plan, config: config, cacheSlots: cacheSlots) : nil
    }

    /// The pseudonym cache's hits and misses since the last call.
    mutating func takeCacheCounts() -> (Int, Int) {
        keyed?.takeCacheCounts() ?? (0, 0)
    }

    /// A new chunk starts (its buffer may be the last chunk's).
    mutating func startChunk() {
        keyed?.startChunk()
    }

    /// Appends to `out` what `span` of `window` becomes under its action.
    @inline(__always)
    mutating func write(_ span: Span, of window: UnsafeRawBufferPointer, into out: ChunkBuffer) {
        let p = window.baseAddress!.assumingMemoryBound(to: UInt8.self) + span.start
        let count = span.end - span.start
        switch plan[span.type] {
        case .keep:
            out.append(p, count)
        case .redact:
            Placeholders.redact(span.type, p, count, into: out)
        case .truncate:
            truncator.write(span.type, p, count, into: out)
        case .pseudonymize, .encrypt:
            // A keyed action means the plan needs a key, so the keyed replacer exists.
            keyed!.write(span, of: window, into: out)
        }
    }

    /// Starts loading the cache set `span` will look up (keyed plans only).
    @inline(__always)
    func prefetch(_ span: Span) {
        keyed?.prefetch(span)
    }
}
