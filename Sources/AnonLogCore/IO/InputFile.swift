import CMapGuard
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw byte source (a file or stdin) with a read buffer that allows peeking at the magic bytes.
final class InputFile {
    /// The name used in error messages ("-" is shown as "stdin").
    let name: String
    private let fd: Int32
    /// Buffered bytes are `buffer[start..<end]`.
    private(set) var buffer: UnsafeMutableRawPointer
    let bufferSize: Int
    private(set) var start = 0
    private(set) var end = 0
    /// True once `read` returned 0.
    private(set) var atEOF = false
    /// Raw bytes read so far (for `--stats`).
    private(set) var bytesRead = 0
    /// The size at opening, when the input is a regular file.
    private(set) var regularSize: Int?

    /// The opened file this input reads from (kept alive while reading); nil for stdin.
    private let opened: OpenedFile?
    /// A named FIFO: it reads as empty until a writer opens it (`readOnce`).
    private let isFIFO: Bool
    /// Whether a writer has been seen on the FIFO (its end is then a real end).
    private var writerSeen = false

    /// Reads stdin, enlarging its pipe buffer when it is a pipe.
    init(standardInputWithBufferSize bufferSize: Int = 1 << 20) {
        fd = STDIN_FILENO
        name = "stdin"
        opened = nil
        isFIFO = false
        // `anonlog < file`: a regular file, read as one (its size known, never waited on).
        var info = stat()
        if fstat(fd, &info) == 0 && info.isRegular { regularSize = max(0, Int(info.st_size) - max(0, Int(lseek(fd, 0, SEEK_CUR)))) }
        PipeSize.enlarge(fd)
        self.bufferSize = bufferSize
        buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 64)
    }

    /// Reads the already opened and checked `file` through its descriptor.
    init(_ file: OpenedFile, bufferSize: Int = 1 << 20) {
        fd = file.fd
        name = file.path
        opened = file
        isFIFO = file.info.kind == S_IFIFO
        if file.info.isRegular { regularSize = file.size } else { PipeSize.enlarge(fd) }
        // A small file gets a small buffer: a 1 MiB allocation is an mmap and munmap per file,
        // and a scan may read thousands of small files.
        self.bufferSize = min(bufferSize, max(64 << 10, regularSize ?? bufferSize))
        buffer = UnsafeMutableRawPointer.allocate(byteCount: self.bufferSize, alignment: 64)
    }

    deinit {
        buffer.deallocate()
    }

    /// The descriptor read from (for `poll`).
    var descriptor: Int32 { fd }

    /// Whether reading may wait for a writer (a pipe, FIFO, socket or terminal; stdin is
    /// counted as one, whatever it is): such input is flushed when it goes quiet.
    var isStream: Bool { regularSize == nil }

    /// The buffered, unconsumed bytes.
    var available: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + start, count: end - start)
    }

    /// Marks `count` buffered bytes as used.
    func consume(_ count: Int) { start += count }

    /// Reads more bytes into the buffer (moving leftovers to the front); false at end of file.
    @discardableResult
    func fill() throws -> Bool {
        if start > 0 {
            if end > start { buffer.copyMemory(from: buffer + start, byteCount: end - start) }
            end -= start
            start = 0
        }
        guard end < bufferSize, !atEOF else { return end > start }
        let n = try readOnce(into: buffer + end, capacity: bufferSize - end)
        if n > 0 {
            end += n
            return true
        }
        return false
    }

    /// One `read` of the descriptor. A stream is first waited on with `poll` beside the stop
    /// signals' wake pipe, so a signal is seen while nothing arrives (a stop: 0 bytes, without
    /// marking the end, so that the drain can still take what comes). A FIFO that no writer
    /// has opened yet reads as empty, not ended: it is waited on until one does.
    private func readOnce(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        while true {
            if isStream {
                let wake = anonlog_stream_wake_fd()
                if wake >= 0 && anonlog_stream_stop_level() > 0 {
                    // Stopping: take only what is there now.
                    guard case .readable = StreamWait.wait(input: fd, wake: -1, timeout: 0) else { return 0 }
                } else if wake >= 0 || (isFIFO && !writerSeen) {
                    switch StreamWait.wait(input: fd, wake: wake, timeout: -1) {
                    case .readable:
                        writerSeen = true
                    case .woken:
                        // A stop is seen at the loop's top; a reopen request stays counted for
                        // the reader, so the byte can go (else every wait would end at once).
                        anonlog_stream_drain_wake()
                        continue
                    case .timeout:
                        continue
                    }
                }
            }
            let n = Glibc.read(fd, destination, capacity)
            if n > 0 {
                bytesRead += n
                writerSeen = true
                return n
            }
            if n == 0 {
                if isFIFO && !writerSeen { continue }
                atEOF = true
                return 0
            }
            if errno == EINTR { continue }
            if errno == EAGAIN { continue }   // a non-blocking FIFO with a writer but no data yet
            throw AnonLogError.posix(name, errno: errno)
        }
    }

    /// What a decoder's wait for more input came to (`refill`).
    enum Refill {
        /// More bytes are buffered.
        case more
        /// A stop signal ended the wait: decode no further, but the stream is not over.
        case stopped
        /// The data ended where a stream may end.
        case ended
    }

    /// For a decoder that has used every buffered byte: reads more. Data that ends while the
    /// decoder is `insideStream` is an error naming the file and `format`.
    func refill(insideStream: Bool, format: String) throws -> Refill {
        if try fill() { return .more }
        if !atEOF { return .stopped }
        if insideStream { throw AnonLogError(.io, "\(name): truncated \(format) data (unexpected end of file)") }
        return .ended
    }

    /// Reads until at least `count` bytes are buffered or the file ends.
    func fill(atLeast count: Int) throws {
        while end - start < count, try fill() {}
    }

    /// Maps the whole file when it is a regular file of at least 1 MiB that nothing has been
    /// read from yet beyond the buffered magic bytes; nil otherwise (stdin, pipes, small files).
    func mapWhole() -> MappedFile? {
        // Below a chunk, mapping (two system calls and page-table work) costs more than the
        // one copy it saves.
        guard let size = regularSize, size >= 1 << 20 else { return nil }
        // A file another user owns is read, not mapped: its owner could truncate it while it
        // is mapped, and the SIGBUS that follows ends the whole process (a sweep of every
        // other customer's files included), not just this file.
        guard let owner = opened?.info.st_uid, Trust.isTrustedOwner(owner) else { return nil }
        return MappedFile(fd: fd, size: size, name: name)
    }

    /// Reads straight into `destination` (for plain input: no intermediate copy); 0 at end.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        if end > start {
            let n = min(capacity, end - start)
            destination.copyMemory(from: buffer + start, byteCount: n)
            start += n
            return n
        }
        if atEOF { return 0 }
        return try readOnce(into: destination, capacity: capacity)
    }
}
