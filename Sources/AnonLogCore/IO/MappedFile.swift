import CMapGuard
#if canImport(Glibc)
import Glibc
#endif

/// A plain input file mapped read-only into memory, so that chunks are windows into the page
/// cache instead of copies of it.
///
/// `read(2)` copies every byte once more before the scanner sees it, on the reader thread,
/// which on this class of machine shares a physical core with a worker. The mapping is
/// registered with `MapGuard.h`, so a file truncated while mapped ends the run with one line
/// naming it instead of a bare "Bus error".
final class MappedFile {
    /// The whole file as it was when mapped.
    let bytes: UnsafeRawBufferPointer
    private let guardHandle: Int32

    /// Maps the `size` bytes of the open file `fd` (named `name` in messages); nil when the
    /// file cannot be mapped (empty, a special file, or no free guard slot), and the caller
    /// reads it instead.
    init?(fd: Int32, size: Int, name: String) {
        guard size > 0 else { return nil }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), address != MAP_FAILED else { return nil }
        let handle = anonlog_map_guard_add(address, size, name)
        guard handle >= 0 else {
            munmap(address, size)
            return nil
        }
        // Read-ahead for a file that is not yet in the page cache.
        madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        guardHandle = handle
    }

    deinit {
        anonlog_map_guard_remove(guardHandle)
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
    }

    /// Maps the pages of `range` into the page table now (on the reader thread), so that the
    /// worker scanning them takes no page faults. Best effort: an old kernel without
    /// MADV_POPULATE_READ leaves the faults to the worker.
    func prefault(_ range: Range<Int>) {
        let start = range.lowerBound / MappedFile.pageSize * MappedFile.pageSize
        guard range.upperBound > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), range.upperBound - start,
                MappedFile.populateRead)
    }

    /// Unmaps the pages of a finished chunk's window from this process (the page cache keeps
    /// them). Without it the process's resident size would grow to the file's size, which
    /// looks like a leak to whoever watches `top`. A neighbouring window still in flight that
    /// shares an edge page simply faults it back in.
    func release(_ window: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, let start = window.baseAddress, window.count > 0 else { return }
        let from = (start - base) / MappedFile.pageSize * MappedFile.pageSize
        let to = min(bytes.count, start - base + window.count)
        guard to > from else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + from), to - from, MADV_DONTNEED)
    }

    /// The page size, which `madvise` ranges must start on.
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// MADV_POPULATE_READ (Linux 5.14), which Glibc's headers may not name yet.
    private static let populateRead: Int32 = 22
}
