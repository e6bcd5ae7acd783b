/// `truncate` (SPEC.md): the part of a match that identifies a person is cut off.
struct Truncator {
    /// Bits of an IPv4 address kept (`--ipv4-prefix`).
    let ipv4Prefix: Int
    /// Bits of an IPv6 address kept.
    let ipv6Prefix: Int
    /// "Today", for the century of 10-digit personnummer.
    let today: CalendarDay

    /// IPs lose their host bits (/24 and /48 by default), e-mails keep only the domain,
    /// personnummer only the birth year.
    func write(_ type: DetectionType, _ p: UnsafePointer<UInt8>, _ count: Int, into out: ChunkBuffer) {
        switch type {
        case .ipv4:
            let form = IPv4Form.of(p, count)
            guard var address = IPText.parseIPv4(p, count, form: form) else { out.append(p, count); return }
            address.keepPrefix(96 + ipv4Prefix)
            IPText.writeIPv4(address, form: form, suffix: Placeholders.suffix(p, count, form), into: out)
        case .ipv6:
            guard var address = IPText.parseIPv6(p, count) else { out.append(p, count); return }
            address.keepPrefix(address.isIPv4Mapped ? 96 + ipv4Prefix : ipv6Prefix)
            IPText.writeIPv6(address, into: out)
        case .email:
            Placeholders.append("redacted", to: out)
            let at = Placeholders.atSign(p, count)
            out.append(p + at, count - at)
        case .personnummer:
            var canonical = (UInt64(0), UInt64(0))
            let ok = withUnsafeMutableBytes(of: &canonical) {
                Canonical.personnummer(p, count, today: today, into: $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard ok else { Placeholders.redact(type, p, count, into: out); return }
            withUnsafeBytes(of: canonical) { out.append($0.baseAddress!, 4) }
        case .username:
            Placeholders.redact(type, p, count, into: out)   // ActionPlan refuses this; kept total for safety
        }
    }
}
