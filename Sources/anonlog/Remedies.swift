import AnonLogCore

extension AnonLogError {
    /// The message with what the operator can do about it, in this command line's terms.
    var withRemedy: String {
        switch remedy {
        case .none: return message
        case .raiseXzMemoryLimit: return message + " (--xz-memlimit MiB raises the limit)"
        case .replaceExistingKey: return message + "; use --force to replace it"
        case .createKey(let path): return message + "; create one with 'anonlog keygen -o \(path)'"
        }
    }
}
