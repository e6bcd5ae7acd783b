/// Writes the replacement bytes of one match under its action.
enum Replacement {
    private static let redactedIPv4: StaticString = "0.0.0.0"
    private static let redactedIPv6: StaticString = "::"
    private static let redactedEmail: StaticString = "redacted@anon.invalid"
    private static let redactedEncodedEmail: StaticString = "redacted%40anon.invalid"
    private static let redactedUsername: StaticString = "-"

    /// Appends to `out` what `span` of `window` becomes under `action`.
    @inline(__always)
    static func write(_ span: Span, of window: UnsafeRawPointer, action: Action, into out: ChunkBuffer) {
        switch action {
        case .redact:
            redact(span, of: window.assumingMemoryBound(to: UInt8.self), into: out)
        case .keep, .pseudonymize, .encrypt, .truncate:
            // keep; the other actions are refused by ActionPlan before the pipeline starts.
            out.append(window + span.start, span.end - span.start)
        }
    }

    /// Fixed placeholders that keep the field's shape and are never detected again: `0.0.0.0`,
    /// `::`, an address in the reserved `.invalid` TLD (URL-encoded when the match was), `-`
    /// (a log's "no user"), and the personnummer's own layout with every digit zero.
    private static func redact(_ span: Span, of p: UnsafePointer<UInt8>, into out: ChunkBuffer) {
        switch span.type {
        case .ipv4: append(redactedIPv4, to: out)
        case .ipv6: append(redactedIPv6, to: out)
        case .username: append(redactedUsername, to: out)
        case .email:
            var encoded = true
            for k in span.start..<span.end where p[k] == UInt8(ascii: "@") { encoded = false; break }
            append(encoded ? redactedEncodedEmail : redactedEmail, to: out)
        case .personnummer:
            let length = span.end - span.start
            out.reserve(extra: length)
            let destination = (out.base + out.count).assumingMemoryBound(to: UInt8.self)
            for k in 0..<length {
                let b = p[span.start + k]
                destination[k] = ByteClass.isDigit(b) ? UInt8(ascii: "0") : b
            }
            out.count += length
        }
    }

    @inline(__always)
    private static func append(_ text: StaticString, to out: ChunkBuffer) {
        out.append(UnsafeRawPointer(text.utf8Start), text.utf8CodeUnitCount)
    }
}
