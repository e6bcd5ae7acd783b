#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable raw byte buffer that is reused across chunks instead of reallocated.
///
/// Thread-safety: the pipeline hands a buffer from one thread to the next through a
/// `BlockingQueue`, whose lock orders the accesses; at any moment exactly one thread owns it.
/// That hand-off discipline is what `@unchecked Sendable` stands for here, and why the
/// per-access exclusivity checks are switched off (they would add a runtime call around every
/// access to these properties on the hot path).
final class ChunkBuffer: @unchecked Sendable {
    /// Start of the allocation; valid for `capacity` bytes.
    @exclusivity(unchecked) public private(set) var base: UnsafeMutableRawPointer
    /// Allocated size in bytes.
    @exclusivity(unchecked) public private(set) var capacity: Int
    /// Bytes in use, `0...capacity`.
    @exclusivity(unchecked) public var count: Int = 0

    /// Allocates a buffer of `capacity` bytes.
    public init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes after `count`, keeping the contents.
    @inline(__always)
    public func reserve(extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never)
    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends `length` bytes from `source`.
    @inline(__always)
    public func append(_ source: UnsafeRawPointer, _ length: Int) {
        guard length > 0 else { return }
        reserve(extra: length)
        (base + count).copyMemory(from: source, byteCount: length)
        count += length
    }

    /// Appends the first `length` (at most 8) bytes of `word` in memory order with one store:
    /// for short fixed placeholders, where a `memcpy` call costs more than the copy.
    @inline(__always)
    public func appendWord(_ word: UInt64, length: Int) {
        reserve(extra: 8)
        (base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        count += length
    }

    /// Appends the first `length` (at most 64) of the 64 readable bytes at `source` with one
    /// fixed-size copy: for the pseudonym cache's values, where a `memcpy` call per hit, with
    /// its branches on the length, costs more than copying all 64.
    @inline(__always)
    public func appendPadded64(_ source: UnsafeRawPointer, length: Int) {
        reserve(extra: 64)
        let destination = base + count
        // A plain counted loop: the optimiser unrolls it into eight loads and stores (a
        // `stride` sequence is not always specialised, and then iterates through a generic).
        var offset = 0
        while offset < 64 {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset,
                                   as: UInt64.self)
            offset += 8
        }
        count += length
    }

    /// Appends the bytes of `bytes`.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        if let source = bytes.baseAddress { append(source, bytes.count) }
    }

    /// The bytes in use, for reading inside the closure only.
    @inline(__always)
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes in use (tests and small results only, never the hot path).
    public var bytes: [UInt8] { withBytes { Array($0) } }
}
