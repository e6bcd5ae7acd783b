/// IP address text <-> 16-byte form (IPv4 as the IPv4-mapped `::ffff:a.b.c.d`), writing
/// IPv6 in RFC 5952 canonical form; allocation-free.
enum IPText {
    /// Parses a dotted quad (already validated by the detector) into `out[12..<16]` and sets
    /// the mapped prefix.
    static func parseIPv4(_ p: UnsafePointer<UInt8>, _ count: Int, into out: inout IPBytes) -> Bool {
        out = IPBytes.mappedPrefix
        var octet = 0, value = 0, digits = 0
        for i in 0..<count {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                guard digits > 0, value <= 255, octet < 3 else { return false }
                out[12 + octet] = UInt8(value)
                octet += 1
                value = 0
                digits = 0
            } else if ByteClass.isDigit(b) {
                value = value * 10 + Int(b &- 48)
                digits += 1
            } else {
                return false
            }
        }
        guard octet == 3, digits > 0, value <= 255 else { return false }
        out[15] = UInt8(value)
        return true
    }

    /// Parses any RFC 4291 text form (with `::` and an embedded dotted quad).
    static func parseIPv6(_ p: UnsafePointer<UInt8>, _ count: Int, into out: inout IPBytes) -> Bool {
        var head = IPBytes.zero, tail = IPBytes.zero
        var headCount = 0, tailCount = 0   // in bytes
        var compressed = false
        var i = 0
        if count >= 2 && p[0] == UInt8(ascii: ":") && p[1] == UInt8(ascii: ":") {
            compressed = true
            i = 2
        }
        while i < count {
            // A dotted quad at the end.
            var j = i
            while j < count && IPv6Detector.isHex(p[j]) { j += 1 }
            if j < count && p[j] == UInt8(ascii: ".") {
                var quad = IPBytes.zero
                guard parseIPv4(p + i, count - i, into: &quad) else { return false }
                for k in 12..<16 {
                    if compressed { tail[tailCount] = quad[k]; tailCount += 1 } else { head[headCount] = quad[k]; headCount += 1 }
                }
                i = count
                break
            }
            guard j > i, j - i <= 4 else { return false }
            var value = 0
            for k in i..<j {
                let b = p[k]
                value = value << 4 | Int(ByteClass.isDigit(b) ? b &- 48 : (b | 0x20) &- 87)
            }
            if compressed {
                guard tailCount <= 14 else { return false }
                tail[tailCount] = UInt8(value >> 8); tail[tailCount + 1] = UInt8(value & 255); tailCount += 2
            } else {
                guard headCount <= 14 else { return false }
                head[headCount] = UInt8(value >> 8); head[headCount + 1] = UInt8(value & 255); headCount += 2
            }
            i = j
            if i < count {
                guard p[i] == UInt8(ascii: ":") else { return false }
                if i + 1 < count && p[i + 1] == UInt8(ascii: ":") {
                    guard !compressed else { return false }
                    compressed = true
                    i += 2
                } else {
                    i += 1
                }
            }
        }
        guard headCount + tailCount <= 16, compressed || headCount == 16 else { return false }
        out = head
        for k in 0..<tailCount { out[16 - tailCount + k] = tail[k] }
        return true
    }

    /// Appends `a.b.c.d` from bytes 12..<16.
    static func writeIPv4(_ address: IPBytes, into out: ChunkBuffer) {
        out.reserve(extra: 15)
        var q = out.base.assumingMemoryBound(to: UInt8.self) + out.count
        let start = q
        for k in 12..<16 {
            let v = Int(address[k])
            if v >= 100 { q.pointee = UInt8(48 + v / 100); q += 1 }
            if v >= 10 { q.pointee = UInt8(48 + v / 10 % 10); q += 1 }
            q.pointee = UInt8(48 + v % 10); q += 1
            if k < 15 { q.pointee = UInt8(ascii: "."); q += 1 }
        }
        out.count += q - start
    }

    /// Appends the RFC 5952 form: lower case, no leading zeros, the longest run of two or more
    /// zero groups (the first on a tie) as `::`, and `::ffff:a.b.c.d` for mapped addresses.
    static func writeIPv6(_ address: IPBytes, into out: ChunkBuffer) {
        if address.isIPv4Mapped {
            out.append(UnsafeRawPointer(("::ffff:" as StaticString).utf8Start), 7)
            writeIPv4(address, into: out)
            return
        }
        func group(_ k: Int) -> Int { Int(address[2 * k]) << 8 | Int(address[2 * k + 1]) }
        var bestStart = -1, bestLength = 1
        var k = 0
        while k < 8 {
            if group(k) == 0 {
                var e = k
                while e < 8 && group(e) == 0 { e += 1 }
                if e - k > bestLength { bestStart = k; bestLength = e - k }
                k = e
            } else {
                k += 1
            }
        }
        out.reserve(extra: 40)
        var q = out.base.assumingMemoryBound(to: UInt8.self) + out.count
        let start = q
        let hex = ("0123456789abcdef" as StaticString).utf8Start
        k = 0
        while k < 8 {
            if k == bestStart {
                q.pointee = UInt8(ascii: ":"); q += 1
                if k == 0 { q.pointee = UInt8(ascii: ":"); q += 1 }
                k += bestLength
                continue
            }
            let g = group(k)
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let nibble = (g >> shift) & 15
                if nibble != 0 || started || shift == 0 {
                    q.pointee = hex[nibble]; q += 1
                    started = true
                }
            }
            if k < 7 { q.pointee = UInt8(ascii: ":"); q += 1 }
            k += 1
        }
        out.count += q - start
    }
}

/// A 16-byte IP address (IPv4 in the mapped form), a value type with no heap storage.
struct IPBytes: Equatable, Sendable {
    /// The address bytes, network order.
    var storage: (UInt64, UInt64) = (0, 0)

    static func == (a: IPBytes, b: IPBytes) -> Bool { a.storage == b.storage }

    static let zero = IPBytes()
    static let mappedPrefix: IPBytes = {
        var a = IPBytes()
        a[10] = 0xff
        a[11] = 0xff
        return a
    }()

    subscript(index: Int) -> UInt8 {
        get { withUnsafeBytes(of: storage) { $0[index] } }
        set { withUnsafeMutableBytes(of: &storage) { $0[index] = newValue } }
    }

    /// Whether this is `::ffff:a.b.c.d`.
    var isIPv4Mapped: Bool {
        for k in 0..<10 where self[k] != 0 { return false }
        return self[10] == 0xff && self[11] == 0xff
    }

    /// Zeroes every bit after the first `prefix` bits.
    mutating func keepPrefix(_ prefix: Int) {
        for k in 0..<16 {
            let bitsKept = max(0, min(8, prefix - 8 * k))
            self[k] &= bitsKept == 8 ? 0xff : UInt8(truncatingIfNeeded: 0xff << (8 - bitsKept))
        }
    }
}
