import AnonLogCore

/// Opens `-o FILE` (`OutputDestination`: no planted symlink is followed) and removes what a
/// failed run wrote there, when FILE is a regular file this run replaced (never when
/// appending, never a device such as /dev/full).
enum OutputTarget {
    static func withFile<R>(_ path: String, append: Bool, _ body: (Int32) throws -> R) throws -> R {
        let destination = try OutputDestination(path: path, append: append)
        do {
            let result = try body(destination.fd)
            try destination.finish()
            return result
        } catch {
            destination.discard(appending: append)
            throw error
        }
    }
}
