/// The one error type of anonlog: a message for the operator and the exit code it maps to.
///
/// Messages name the file and the problem and never contain a detected value.
public struct AnonLogError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in the categories the exit codes distinguish.
    public enum Kind: Sendable, Equatable {
        /// Bad command line or configuration (exit 2).
        case usage
        /// Unreadable, truncated or corrupt input, or an output that cannot be written (exit 2).
        case io
        /// Another run holds the lock (a sweep); nothing was done (exit 1 for the sweep).
        case busy
        /// A container anonlog recognises but cannot read (bzip2, lz4, …), left untouched (exit 2;
        /// walks report it as a skipped file).
        case unreadableFormat
        /// The reader of our output went away; a clean, quiet stop (exit 0).
        case brokenPipe
        /// A bug or an impossible state (exit 3).
        case `internal`
    }

    /// What the operator can do about an error; the command line names its own flags for it,
    /// so the core's messages speak only of files and values.
    public enum Remedy: Sendable, Equatable {
        /// Raise the xz decoder's memory limit.
        case raiseXzMemoryLimit
        /// Replace the existing key on purpose.
        case replaceExistingKey
        /// Create a key file at this path.
        case createKey(path: String)
    }

    /// The category, which decides the exit code.
    public let kind: Kind
    /// One line for stderr, naming the file and what is wrong.
    public let message: String
    /// What would fix it, when something would.
    public let remedy: Remedy?

    /// Creates an error of `kind` with a one-line `message`.
    public init(_ kind: Kind, _ message: String, remedy: Remedy? = nil) {
        self.kind = kind
        self.message = message
        self.remedy = remedy
    }

    /// The process exit code SPEC.md assigns to this error.
    public var exitCode: Int32 {
        switch kind {
        case .usage, .io, .unreadableFormat: return 2
        case .busy: return 1
        case .brokenPipe: return 0
        case .internal: return 3
        }
    }

    /// The message, as printed on stderr after "anonlog: ".
    public var description: String { message }

    /// An I/O error from `errno`, e.g. "access.log: Permission denied".
    static func posix(_ what: String, errno code: Int32) -> AnonLogError {
        if code == EPIPE { return AnonLogError(.brokenPipe, "\(what): broken pipe") }
        return AnonLogError(.io, "\(what): \(String(cString: strerror(code)))")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
