#if canImport(Glibc)
import Glibc
#endif

/// Whether a compressed file ends inside a stream a killed run never finished (so appending
/// to it would make the whole file unreadable): read from the file's structure, not its
/// content, so even a large file takes a few reads.
public enum OutputTail {
    /// True when the file open for reading at `fd` (`size` bytes) is gzip, xz or zstd and its
    /// last member, stream or frame is cut short.
    public static func isUnfinished(_ fd: Int32, size: Int) -> Bool {
        var head = [UInt8](repeating: 0, count: min(ChunkDeflater.headerLength, size))
        guard pread(fd, &head, head.count, 0) == head.count, head.count >= 4 else { return false }
        if head[0] == 0x1f && head[1] == 0x8b { return gzipUnfinished(fd, size: size) }
        if head.count >= 6 && Array(head[0..<6]) == [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] {
            // A finished xz stream ends with the footer magic "YZ".
            return tail(fd, size: size, count: 2) != [0x59, 0x5a]
        }
        if Array(head[0..<4]) == [0x28, 0xb5, 0x2f, 0xfd] { return zstdUnfinished(fd, size: size) }
        return false
    }

    private static func tail(_ fd: Int32, size: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(count, size))
        _ = pread(fd, &bytes, bytes.count, off_t(size - bytes.count))
        return bytes
    }

    /// anonlog's members announce their length (`ChunkDeflater`): walk them to the end. A file
    /// of other members (or anonlog's older single-member output, whose pieces end with a sync
    /// flush `00 00 ff ff` until the trailer) is judged by its last bytes.
    private static func gzipUnfinished(_ fd: Int32, size: Int) -> Bool {
        var offset = 0
        var header = [UInt8](repeating: 0, count: ChunkDeflater.headerLength)
        while offset < size {
            guard pread(fd, &header, header.count, off_t(offset)) == header.count,
                  let length = header.withUnsafeBytes({ ChunkDeflater.announcedLength($0) }) else {
                return tail(fd, size: size, count: 4) == [0x00, 0x00, 0xff, 0xff] || offset > 0 && size - offset < header.count
            }
            offset += length
        }
        return offset != size
    }

    /// Walks zstd frames and their block headers: a frame whose last block (or checksum) runs
    /// past the end is unfinished.
    private static func zstdUnfinished(_ fd: Int32, size: Int) -> Bool {
        var offset = 0
        func bytes(_ count: Int, at position: Int) -> [UInt8]? {
            guard position + count <= size else { return nil }
            var buffer = [UInt8](repeating: 0, count: count)
            return pread(fd, &buffer, count, off_t(position)) == count ? buffer : nil
        }
        while offset < size {
            guard let magic = bytes(4, at: offset) else { return true }
            let value = UInt32(magic[0]) | UInt32(magic[1]) << 8 | UInt32(magic[2]) << 16 | UInt32(magic[3]) << 24
            if value & 0xFFFF_FFF0 == 0x184D_2A50 {
                // A skippable frame: its length follows.
                guard let length = bytes(4, at: offset + 4) else { return true }
                offset += 8 + (Int(length[0]) | Int(length[1]) << 8 | Int(length[2]) << 16 | Int(length[3]) << 24)
                continue
            }
            guard value == 0xFD2F_B528, let descriptor = bytes(1, at: offset + 4)?[0] else { return true }
            let contentSizeFlag = Int(descriptor >> 6), singleSegment = descriptor & 0x20 != 0
            let checksum = descriptor & 0x04 != 0, dictionaryFlag = Int(descriptor & 3)
            let contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][contentSizeFlag]
            var position = offset + 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictionaryFlag] + contentSizeBytes
            while true {
                guard let block = bytes(3, at: position) else { return true }
                let header = Int(block[0]) | Int(block[1]) << 8 | Int(block[2]) << 16
                let last = header & 1 != 0, type = (header >> 1) & 3, blockSize = header >> 3
                position += 3 + (type == 1 ? 1 : blockSize)
                if position > size { return true }
                if last { break }
            }
            if checksum { position += 4 }
            if position > size { return true }
            offset = position
        }
        return offset != size
    }
}
