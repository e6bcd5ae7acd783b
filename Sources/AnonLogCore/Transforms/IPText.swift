/// IP address text <-> `IPAddress16` (IPv4 as the IPv4-mapped `::ffff:a.b.c.d`), writing
/// IPv6 in RFC 5952 canonical form; allocation-free.
enum IPText {
    /// Parses a dotted quad (already validated by the detector).
    static func parseIPv4(_ p: UnsafePointer<UInt8>, _ count: Int) -> IPAddress16? {
        parseIPv4(p, count, form: .dotted)
    }

    /// Parses the quad of an IPv4 match written in `form` (dots or a host name's dashes, in
    /// reverse before `.in-addr.arpa`), as the address it stands for.
    static func parseIPv4(_ p: UnsafePointer<UInt8>, _ count: Int, form: IPv4Form) -> IPAddress16? {
        var address: UInt32 = 0
        var octet = 0, value = 0, digits = 0
        for i in 0..<min(count, form.quadLength) {
            let b = p[i]
            if b == form.separator {
                guard digits > 0, value <= 255, octet < 3 else { return nil }
                address = address << 8 | UInt32(value)
                octet += 1
                value = 0
                digits = 0
            } else if ByteClass.isDigit(b) {
                value = value * 10 + Int(b &- 48)
                digits += 1
            } else {
                return nil
            }
        }
        guard octet == 3, digits > 0, value <= 255 else { return nil }
        address = address << 8 | UInt32(value)
        if form.reversed { address = address.byteSwapped }
        return IPAddress16(ipv4: address)
    }

    /// Parses any RFC 4291 text form (with `::` and an embedded dotted quad).
    static func parseIPv6(_ p: UnsafePointer<UInt8>, _ count: Int) -> IPAddress16? {
        // Groups before and after the "::", as 16-bit values.
        var head: IPAddress16.Bytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var tail = head
        var headCount = 0, tailCount = 0   // in bytes
        var compressed = false
        var ok = true
        withUnsafeMutableBytes(of: &head) { headBytes in
            withUnsafeMutableBytes(of: &tail) { tailBytes in
                func put(_ byte: UInt8) -> Bool {
                    if compressed {
                        guard tailCount < 16 else { return false }
                        tailBytes[tailCount] = byte
                        tailCount += 1
                    } else {
                        guard headCount < 16 else { return false }
                        headBytes[headCount] = byte
                        headCount += 1
                    }
                    return true
                }
                var i = 0
                if count >= 2 && p[0] == UInt8(ascii: ":") && p[1] == UInt8(ascii: ":") {
                    compressed = true
                    i = 2
                }
                while i < count && ok {
                    var j = i
                    while j < count && Hex.isDigit(p[j]) { j += 1 }
                    if j < count && p[j] == UInt8(ascii: ".") {
                        // A dotted quad at the end: its four bytes.
                        guard let quad = parseIPv4(p + i, count - i) else { ok = false; return }
                        let value = UInt32(truncatingIfNeeded: quad.low)
                        for shift in stride(from: 24, through: 0, by: -8) where !put(UInt8(truncatingIfNeeded: value >> UInt32(shift))) {
                            ok = false
                        }
                        break
                    }
                    guard j > i, j - i <= 4 else { ok = false; return }
                    var value = 0
                    for k in i..<j {
                        let b = p[k]
                        value = value << 4 | Int(ByteClass.isDigit(b) ? b &- 48 : (b | 0x20) &- 87)
                    }
                    guard put(UInt8(value >> 8)), put(UInt8(value & 255)) else { ok = false; return }
                    i = j
                    if i < count {
                        guard p[i] == UInt8(ascii: ":") else { ok = false; return }
                        if i + 1 < count && p[i + 1] == UInt8(ascii: ":") {
                            guard !compressed else { ok = false; return }
                            compressed = true
                            i += 2
                        } else {
                            i += 1
                        }
                    }
                }
                // The tail goes to the end of the 16 bytes; "::" stands for the zeros between.
                if ok && compressed {
                    for k in 0..<tailCount { headBytes[16 - tailCount + k] = tailBytes[k] }
                }
            }
        }
        guard ok, headCount + tailCount <= 16, compressed || headCount == 16 else { return nil }
        return IPAddress16(bytes: head)
    }

    /// Appends `a.b.c.d` from the low 32 bits.
    static func writeIPv4(_ address: IPAddress16, into out: ChunkBuffer) {
        writeIPv4(address, form: .dotted, into: out)
    }

    /// Appends the IPv4 address in `form`: its separator, its order, and (for a reversed
    /// form) the original suffix after the quad, taken from `suffix`.
    static func writeIPv4(_ address: IPAddress16, form: IPv4Form, suffix: UnsafeRawBufferPointer? = nil, into out: ChunkBuffer) {
        out.reserve(extra: 15)
        var q = out.base.assumingMemoryBound(to: UInt8.self) + out.count
        let start = q
        let value = form.reversed ? UInt32(truncatingIfNeeded: address.low).byteSwapped : UInt32(truncatingIfNeeded: address.low)
        for k in 0..<4 {
            let v = Int((value >> UInt32(24 - 8 * k)) & 255)
            if v >= 100 { q.pointee = UInt8(48 + v / 100); q += 1 }
            if v >= 10 { q.pointee = UInt8(48 + v / 10 % 10); q += 1 }
            q.pointee = UInt8(48 + v % 10); q += 1
            if k < 3 { q.pointee = form.separator; q += 1 }
        }
        out.count += q - start
        if let suffix, let base = suffix.baseAddress, suffix.count > 0 { out.append(base, suffix.count) }
    }

    /// Appends the RFC 5952 form: lower case, no leading zeros, the longest run of two or more
    /// zero groups (the first on a tie) as `::`, and `::ffff:a.b.c.d` for mapped addresses.
    static func writeIPv6(_ address: IPAddress16, into out: ChunkBuffer) {
        if address.isIPv4Mapped {
            out.append(UnsafeRawPointer(("::ffff:" as StaticString).utf8Start), 7)
            writeIPv4(address, into: out)
            return
        }
        func group(_ k: Int) -> Int {
            let word = k < 4 ? address.high : address.low
            return Int((word >> UInt64(48 - 16 * (k % 4))) & 0xffff)
        }
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
            var shift = 12
            while shift >= 0 {
                let nibble = (g >> shift) & 15
                if nibble != 0 || started || shift == 0 {
                    q.pointee = hex[nibble]; q += 1
                    started = true
                }
                shift -= 4
            }
            if k < 7 { q.pointee = UInt8(ascii: ":"); q += 1 }
            k += 1
        }
        out.count += q - start
    }
}

extension IPAddress16 {
    /// Zeroes every bit after the first `prefix` (0...128).
    mutating func keepPrefix(_ prefix: Int) {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : (bits >= 64 ? ~0 : ~0 << UInt64(64 - bits)) }
        high &= mask(prefix)
        low &= mask(prefix - 64)
    }
}
