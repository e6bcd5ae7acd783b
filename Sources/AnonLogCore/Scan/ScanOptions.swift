/// How `anonlog scan` walks and reads, validated before it starts.
public struct ScanOptions: Sendable {
    /// Descend into directories (`-r`).
    public var recursive = false
    /// Follow symbolic links met while walking (`-L`); named paths are always followed.
    public var followLinks = false
    /// Scan files with a NUL byte in their first block too (`--binary`).
    public var includeBinary = false
    /// Globs of paths to leave out (`--exclude`), matched against the base name and the path.
    public var excludes: [String] = []
    /// Skip files larger than this many bytes on disk (`--max-filesize`).
    public var maxFileSize: Int?
    /// Keep raw values in findings (`--show-values`).
    public var showValues = false
    /// Files scanned at once; a single file uses this many chunk workers instead.
    public var threads = Pipeline.coreCount
    /// What to look for.
    public var detection = DetectionConfig()
    /// Chunk size of the pipeline (tests).
    public var chunkSize = 1 << 20

    /// Creates the defaults.
    public init() {}
}

/// The outcome of scanning one file.
public struct FileReport: Sendable {
    /// The path as given or found while walking.
    public var path: String
    /// Findings per type (the findings themselves went to the `ScanReporter`).
    public var counts = TypeCounts()
    /// Decoded bytes scanned.
    public var bytes = 0
    /// Set when the file could not be scanned (one line, no raw values).
    public var error: String?
    /// All findings.
    public var findingCount: Int { DetectionType.allCases.reduce(0) { $0 + counts[$1] } }
    /// A report of `path` with nothing found yet.
    public init(path: String) { self.path = path }
    /// True when the file was skipped as binary.
    public var skippedBinary = false
    /// True when the file was skipped for `--max-filesize`.
    public var skippedTooLarge = false
    /// Why the file was skipped when it is a container anonlog cannot read (bzip2, lz4, …).
    public var skippedUnreadable: String?
}
