import AnonLogCore
#if canImport(Glibc)
import Glibc
#endif

/// Opens `-o FILE` (`OutputDestination`: no planted symlink is followed) and removes what a
/// failed run wrote there, when FILE is a regular file this run replaced (never when
/// appending, never a device such as /dev/full).
///
/// When appending, `body` also gets a reopen function (for SIGHUP/SIGUSR1 after logrotate moved
/// FILE away): it opens FILE anew (created if missing) and only then closes the old descriptor;
/// if FILE cannot be opened it says so on stderr and keeps writing to the old one, so no line
/// is lost to a failed reopen.
enum OutputTarget {
    /// Refuses `-o FILE` when FILE is one of the inputs (the same path, or the same file by
    /// device and inode through another name or link): opening it for writing would truncate
    /// the input before a byte was read, and appending to it would read its own output.
    static func refuseIfInput(_ path: String, inputs: [String]) throws {
        var outputInfo = stat()
        guard stat(path, &outputInfo) == 0 else { return }   // a new file cannot be an input
        for input in inputs {
            var inputInfo = stat()
            guard stat(input, &inputInfo) == 0 else { continue }   // reported when opened
            if inputInfo.st_dev == outputInfo.st_dev && inputInfo.st_ino == outputInfo.st_ino
                && (inputInfo.st_mode & S_IFMT) == S_IFREG {
                throw AnonLogError(.usage, "\(path): is also an input (\(input)); refusing to write over it")
            }
        }
    }

    static func withFile<R>(_ path: String, append: Bool, _ body: (Int32, (() throws -> Int32)?) throws -> R) throws -> R {
        var destination = try OutputDestination(path: path, append: append)
        if append {
            switch try destination.checkAppendTail(isUnfinished: { OutputTail.isUnfinished($0, size: $1) }) {
            case .complete:
                break
            case .endedLine:
                writeToStderr("anonlog: \(path): its last line had no newline (a killed run?); ended it before appending\n")
            case .setAside(let aside):
                // A new file: the unfinished one stays readable up to its last flushed line.
                writeToStderr("anonlog: \(path): ends in a compressed stream a killed run never finished; moved to \(aside), writing a new file\n")
                try? destination.finish()
                destination = try OutputDestination(path: path, append: true)
            }
        }
        let reopen: (() throws -> Int32)? = append ? {
            do {
                let fresh = try OutputDestination(path: path, append: true)
                try? destination.finish()
                destination = fresh
            } catch {
                writeToStderr("anonlog: cannot reopen \(path) (\(error)); writing on to the file already open\n")
            }
            return destination.fd
        } : nil
        do {
            let result = try body(destination.fd, reopen)
            try destination.finish()
            return result
        } catch {
            destination.discard(appending: append)
            throw error
        }
    }
}
