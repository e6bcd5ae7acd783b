/// Writes the replacement bytes of one match under its action.
enum Replacement {
    private static let redactedIPv4: StaticString = "0.0.0.0"

    /// Appends to `out` what `span` of `window` becomes under `action`.
    @inline(__always)
    static func write(_ span: Span, of window: UnsafeRawPointer, action: Action, into out: ChunkBuffer) {
        switch action {
        case .keep:
            out.append(window + span.start, span.end - span.start)
        case .redact:
            switch span.type {
            case .ipv4:
                out.append(UnsafeRawPointer(redactedIPv4.utf8Start), redactedIPv4.utf8CodeUnitCount)
            case .ipv6, .email, .username, .personnummer:
                // Not detected in this build (ActionPlan lets no such span through).
                out.append(window + span.start, span.end - span.start)
            }
        case .pseudonymize, .encrypt, .truncate:
            // Refused by ActionPlan before the pipeline starts.
            out.append(window + span.start, span.end - span.start)
        }
    }
}
