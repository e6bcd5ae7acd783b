/// The masked forms `scan` reports instead of raw values: enough to recognise the kind of
/// finding and to find it again, not enough to learn the person.
enum Masking {
    /// `850709-****`, `a***@example.se`, `192.0.2.*`, `2001:db8:*`, `a***`.
    public static func mask(_ bytes: UnsafeRawBufferPointer, type: DetectionType) -> String {
        let b = Array(bytes)
        switch type {
        case .personnummer:
            // Keep the date part (6 or 8 digits and a separator), star the rest.
            var keep = 0
            while keep < b.count && (ByteClass.isDigit(b[keep]) || PersonnummerDetector.isInterimLetter(b[keep])) { keep += 1 }
            if keep >= 10 { keep -= 4 }   // no separator: YYMMDD|NNNN or YYYYMMDD|NNNN
            else { keep += 1 }            // the separator stays
            return String(decoding: b[0..<min(keep, b.count)], as: UTF8.self) + String(repeating: "*", count: max(0, b.count - keep))
        case .email:
            var at = b.firstIndex(of: UInt8(ascii: "@")) ?? b.count
            if at == b.count, let encoded = findEncodedAt(b) { at = encoded }
            guard at > 0, at < b.count else { return "***" }
            return String(decoding: b[0..<1], as: UTF8.self) + "***" + String(decoding: b[at...], as: UTF8.self)
        case .ipv4:
            // The network's three octets and a star for the host's, in the match's own form:
            // `192.0.2.*`, `52-80-34-*`, `*.2.0.192.in-addr.arpa`.
            guard b.count >= 7 else { return "*" }
            let form = bytes.withMemoryRebound(to: UInt8.self) { IPv4Form.of($0.baseAddress!, $0.count) }
            let quad = b[0..<form.quadLength]
            if form.reversed {
                guard let firstDot = quad.firstIndex(of: form.separator) else { return "*" }
                return "*" + String(decoding: b[firstDot...], as: UTF8.self)
            }
            guard let last = quad.lastIndex(of: form.separator) else { return "*" }
            return String(decoding: b[...last], as: UTF8.self) + "*"
        case .ipv6:
            // The first two groups (the routing prefix's top) and a star.
            var colons = 0
            var cut = 0
            for (index, byte) in b.enumerated() where byte == UInt8(ascii: ":") {
                colons += 1
                if colons == 2 { cut = index; break }
            }
            if colons < 2 { return "*" }
            return String(decoding: b[...cut], as: UTF8.self) + "*"
        case .username:
            guard let first = b.first else { return "*" }
            return String(decoding: [first], as: UTF8.self) + "***"
        }
    }

    private static func findEncodedAt(_ b: [UInt8]) -> Int? {
        guard b.count >= 3 else { return nil }
        for i in 0...(b.count - 3) where b[i] == UInt8(ascii: "%") && b[i + 1] == UInt8(ascii: "4") && b[i + 2] == UInt8(ascii: "0") {
            return i
        }
        return nil
    }
}

