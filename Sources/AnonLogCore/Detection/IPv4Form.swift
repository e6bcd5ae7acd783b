/// How an IPv4 match is written (SPEC.md, `ipv4` row): a dotted quad; four octets joined by `-`
/// inside a host name (`ec2-52-80-34-196`); or the reversed quad before `.in-addr.arpa`
/// (`4.3.2.1.in-addr.arpa`, the match then includes the suffix). The action applies to the
/// address; the result is written back the same way.
struct IPv4Form: Equatable {
    /// The byte between octets.
    let separator: UInt8
    /// Octets in reverse order (`.in-addr.arpa`).
    let reversed: Bool
    /// Bytes of the quad; what follows it in the match is the suffix.
    let quadLength: Int

    /// A plain dotted quad (its length is not needed to parse or write it).
    static let dotted = IPv4Form(separator: UInt8(ascii: "."), reversed: false, quadLength: 15)

    /// The form of the IPv4 match `p[0..<count]`: longer than a quad means reversed with its
    /// suffix; a `-` among the first four bytes means a host name's dashes.
    @inline(__always)
    static func of(_ p: UnsafePointer<UInt8>, _ count: Int) -> IPv4Form {
        if count > 15 {
            return IPv4Form(separator: UInt8(ascii: "."), reversed: true, quadLength: count - IPv4Form.reverseSuffixLength)
        }
        let dashed = p[1] == UInt8(ascii: "-") || p[2] == UInt8(ascii: "-") || (count > 3 && p[3] == UInt8(ascii: "-"))
        return dashed ? IPv4Form(separator: UInt8(ascii: "-"), reversed: false, quadLength: count)
                      : IPv4Form(separator: UInt8(ascii: "."), reversed: false, quadLength: count)
    }

    /// `.in-addr.arpa`.
    static let reverseSuffixLength = 13

    /// True for anything but a plain dotted quad.
    var isHostForm: Bool { reversed || separator != UInt8(ascii: ".") }
}
