import CFileSystem
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The pieces of the hostile-filesystem tests: files owned by `nobody`, the racer (an attacker
/// process that drops to `nobody` and swaps names at an inotify event), and anonlog runs with a
/// time limit (a test that hangs is a failed test, not a stuck CI).
enum Hostile {
    /// The tests need root (CI runs as root): only root can chown files to another user.
    static var isRoot: Bool { geteuid() == 0 }
    /// The unprivileged user the attacker runs as.
    static let nobody: UInt32 = 65534

    /// The racer binary, built next to anonlog.
    static var racer: URL { Anonlog.binary.deletingLastPathComponent().appendingPathComponent("hostile-racer") }

    /// A fresh directory for one test, readable by `nobody` (so it can reach its own files).
    static func base() throws -> URL {
        let url = try Anonlog.tempDirectory()
        chmod(url.path, 0o755)
        return url
    }

    /// Writes `text` to `path` with `mode`, owned by `owner` (nil: root).
    static func write(_ path: String, _ text: String, mode: mode_t = 0o644, owner: UInt32? = nil) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        if let owner { lchown(path, owner, owner) }
    }

    /// Makes a directory with `mode`, owned by `owner` (nil: root).
    static func directory(_ path: String, mode: mode_t = 0o755, owner: UInt32? = nil) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, mode)
        if let owner { lchown(path, owner, owner) }
    }

    /// Plants the symlink `link` -> `target`, owned by `owner` (as if that user made it).
    static func symlink(_ target: String, at link: String, owner: UInt32? = nil) {
        _ = Glibc.symlink(target, link)
        if let owner { lchown(link, owner, owner) }
    }

    /// Sets a file's mtime `days` days into the past.
    static func age(_ path: String, days: Int) {
        let seconds = Int(Date().timeIntervalSince1970) - days * 86400
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Writes `base/policy.toml` with state and audit in `base/state` (made private) and one rule
    /// over `paths` with the given `*_after` lines; returns its path.
    static func policy(in base: URL, paths: String, _ stages: String...) throws -> String {
        try directory(base.path + "/state", mode: 0o700)
        let path = base.path + "/policy.toml"
        try write(path, """
            state_file = "\(base.path)/state/state.json"
            audit_log = "\(base.path)/state/audit.jsonl"
            [[rule]]
            paths = ["\(paths)"]
            """ + "\n" + stages.joined(separator: "\n") + "\n")
        return path
    }

    /// The bytes of `path`, or nil.
    static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// `stat` of `path` without following a symlink.
    static func status(_ path: String) -> stat {
        var info = stat()
        lstat(path, &info)
        return info
    }

    /// Log lines with addresses, about `lines` of them (enough to make a rewrite take a while).
    static func accessLog(lines: Int) -> String {
        (0..<lines).map { "192.0.2.\($0 % 250) - - [26/Nov/2026:10:00:00 +0000] \"GET /item/\($0) HTTP/1.1\" 200 512\n" }.joined()
    }

    /// True when some regular file directly in `directory` contains `marker`.
    static func anyFileContains(_ directory: String, _ marker: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            let path = directory + "/" + name
            guard status(path).st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: path) else { continue }
            if String(decoding: data, as: UTF8.self).contains(marker) { return true }
        }
        return false
    }

    /// Starts the racer as `nobody` with `arguments` and returns once its watch is set.
    static func startRacer(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = racer
        process.arguments = ["--as-nobody", "--timeout", "15000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = output.fileHandleForReading.readData(ofLength: 6)
        #expect(String(decoding: line, as: UTF8.self) == "ready\n", "the racer could not set its watch")
        return process
    }

    /// Stops the racer if it is still waiting.
    static func stop(_ racer: Process) {
        if racer.isRunning { kill(racer.processIdentifier, SIGKILL) }
        racer.waitUntilExit()
    }

    /// The outcome of a bounded run.
    struct Run {
        var status: Int32
        var stderr: String
        var timedOut: Bool
    }

    /// Runs anonlog with `arguments`, killing it after `seconds` (then `timedOut` is true).
    static func run(_ arguments: [String], in directory: URL, seconds: Double = 60) throws -> Run {
        let process = Process()
        process.executableURL = Anonlog.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        environment["ANONLOG_KEY_FILE"] = nil
        process.environment = environment
        let errorPath = directory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
                break
            }
            usleep(2000)
        }
        process.waitUntilExit()
        try errorHandle.close()
        let stderr = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        unlink(errorPath)
        return Run(status: process.terminationStatus, stderr: stderr, timedOut: timedOut)
    }
}
