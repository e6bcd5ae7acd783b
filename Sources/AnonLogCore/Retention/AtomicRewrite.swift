import CMapGuard
#if canImport(Glibc)
import Glibc
#endif

/// Rewrites a file in place without ever exposing a half-written file, and without letting
/// anyone who can write its directory steer the rewrite elsewhere.
///
/// The file is opened once (`O_NOFOLLOW|O_NONBLOCK`, a regular file with one link, the planned
/// device and inode) and read only through that descriptor. The new content goes to a temp
/// file created `O_EXCL|O_NOFOLLOW` in the held directory (mode 0600 while written, so no one
/// else can read the unfinished data), is fsynced, gets the original's owner, mode, extended
/// attributes (ACLs) and times, and is renamed over the original relative to the held
/// directory after checking that the name still holds the file that was read; then the
/// directory is fsynced. On any error the temp file is removed and the original is untouched.
public enum AtomicRewrite {
    /// What a caller may wrap around the final rename: it sees the finished temp file's
    /// identity and the run's numbers, and must call `rename` once (a sweep writes its audit
    /// record and the new inode's stage first, and drops the old inode's record under the same
    /// lock; see `SweepState.move`). Throwing instead leaves the original as it was.
    public typealias RenameHook = (_ written: FileIdentity, _ stats: PipelineStats, _ rename: () throws -> Void) throws -> Void

    /// Rewrites the file the operator named at `path` (its directories resolved by
    /// `PathResolver`; a symlink is refused). See `rewrite(_:in:expected:pipeline:aroundRename:)`.
    public static func rewrite(_ path: String, pipeline: Pipeline, dateFromMtime: Bool = false,
                               registry: PseudonymRegistry? = nil, aroundRename: RenameHook? = nil) throws -> PipelineStats {
        let (directory, name) = try PathResolver.parent(of: path)
        // A killed earlier rewrite of this file left its temp file (raw data): it goes now,
        // unless a running rewrite holds it. (Walks and sweeps clean their directories whole.)
        for stray in (try? directory.names()) ?? [] where stray.isRewriteTemp(of: name) {
            if let info = directory.status(of: stray), info.isRegular {
                _ = directory.removeStaleTemp(stray, expected: FileIdentity(info))
            }
        }
        return try rewrite(name, in: directory, expected: nil, pipeline: pipeline, dateFromMtime: dateFromMtime,
                           registry: registry, aroundRename: aroundRename)
    }

    /// Rewrites the entry `name` of `directory` through `pipeline`, keeping its compression
    /// format. `expected` is the planned identity (nil: whatever regular file is there now).
    /// With `dateFromMtime`, lines without a date take the key epoch of the file's mtime.
    /// `aroundRename` wraps the rename of the finished temp file over the original, so a
    /// sweep can record the new file's stage first and never transform it twice.
    public static func rewrite(_ name: EntryName, in directory: HeldDirectory, expected: FileIdentity?,
                               pipeline: Pipeline, dateFromMtime: Bool = false,
                               registry: PseudonymRegistry? = nil, aroundRename: RenameHook? = nil) throws -> PipelineStats {
        let input = try directory.openFile(name, expected: expected)
        return try rewrite(input, name: name, in: directory, pipeline: pipeline, dateFromMtime: dateFromMtime,
                           registry: registry, aroundRename: aroundRename)
    }

    /// Rewrites `input`, already opened as the entry `name` of `directory` (see above).
    /// With a `registry` (a pseudonymising run), an input whose content anonlog already
    /// pseudonymised is left as it was (`alreadyPseudonymised`), and the new content is
    /// recorded before the rename.
    public static func rewrite(_ input: OpenedFile, name: EntryName, in directory: HeldDirectory,
                               pipeline: Pipeline, dateFromMtime: Bool = false,
                               registry: PseudonymRegistry? = nil, aroundRename: RenameHook? = nil) throws -> PipelineStats {
        let shown = directory.path(of: name)
        let original = input.info
        guard original.st_nlink == 1 else {
            throw AnonLogError(.io, "\(shown): has \(original.st_nlink) hard links; refusing to rewrite one name and leave the raw data under the others")
        }
        guard name.withCString({ faccessat(directory.fd, $0, W_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) }) == 0 else {
            throw AnonLogError.posix(shown, errno: errno)
        }
        var options = pipeline.options
        // The output keeps the format read from this same descriptor (the input's first bytes).
        options.outputFormat = nil
        if registry != nil { options.digests = true }
        if dateFromMtime { options.transform.fallbackDate = CalendarDay(epochSeconds: Int(original.st_mtim.tv_sec)) }

        let (fd, temp) = try directory.createTempFile(for: name)
        var renamed = false
        // A SIGBUS exit (the input truncated while mapped) must not leave the temp file behind.
        let tempGuard = temp.withCString { anonlog_map_guard_add_temp(directory.fd, $0) }
        defer {
            close(fd)
            if !renamed { directory.removeOwnTemp(temp) }
            anonlog_map_guard_remove_temp(tempGuard)
        }

        var stats = try Pipeline(options: options).run(sources: [.opened(input)], outputDescriptor: fd, outputName: shown)
        guard fsync(fd) == 0 else { throw AnonLogError.posix("\(shown): writing the rewrite", errno: errno) }
        if original.st_uid != geteuid() || original.st_gid != getegid() {
            guard fchown(fd, original.st_uid, original.st_gid) == 0 else {
                throw AnonLogError.posix("\(shown): cannot keep the owner", errno: errno)
            }
        }
        guard fchmod(fd, original.st_mode & 0o7777) == 0 else {
            throw AnonLogError.posix("\(shown): cannot keep the mode", errno: errno)
        }
        // After the mode: an ACL's mask and the group bits are one thing, and the ACL is exact.
        try ExtendedAttributes.copy(from: input.fd, to: fd, path: shown)
        var times = [original.st_atim, original.st_mtim]
        guard futimens(fd, &times) == 0 else {
            throw AnonLogError.posix("\(shown): cannot keep the modification time", errno: errno)
        }
        if let registry, let digest = stats.inputDigest, registry.contains(digest) {
            // Pseudonymised before (then renamed or recompressed by logrotate): not again.
            stats.alreadyPseudonymised = true
            return stats
        }
        if let registry, let digest = stats.outputDigest { try registry.add(digest) }
        let rename = {
            // Last look before the rename: lines appended since the file was opened would go
            // with the old inode.
            let after = input.currentStatus()
            guard after.st_size == original.st_size, after.st_mtim.tv_sec == original.st_mtim.tv_sec,
                  after.st_mtim.tv_nsec == original.st_mtim.tv_nsec else {
                throw AnonLogError(.io, "\(shown): changed while it was rewritten (still being written?); left as it was")
            }
            input.closeNow()
            try directory.replace(name, withTemp: temp, expected: input.identity)
            renamed = true
        }
        if let aroundRename {
            var written = stat()
            guard fstat(fd, &written) == 0 else { throw AnonLogError.posix(shown, errno: errno) }
            try aroundRename(FileIdentity(written), stats, rename)
        } else {
            try rename()
        }
        directory.sync()
        return stats
    }
}
