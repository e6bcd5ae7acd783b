#if canImport(Glibc)
import Glibc
#endif

/// Where a pipeline's bytes come from.
public enum InputSource: Sendable {
    /// Standard input (`-`, or no files).
    case standardInput
    /// A file the operator named, opened when reached (`PathResolver.openForReading`).
    case named(String)
    /// A file already opened and checked (in-place rewrites, walks, sweeps).
    case opened(OpenedFile)

    /// The command line's meaning of `argument`: `-` is stdin, anything else a named file.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .named(argument)
    }

    /// The size on disk, when known without opening (a guess for a named file, used only for
    /// cache sizes and the progress line's ETA).
    var sizeEstimate: Int? {
        switch self {
        case .standardInput: return nil
        case .opened(let file): return file.info.isRegular ? file.size : nil
        case .named(let path):
            var info = stat()
            return stat(path, &info) == 0 && info.isRegular ? Int(info.st_size) : nil
        }
    }
}
