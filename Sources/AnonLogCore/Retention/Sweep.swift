import Foundation

/// One file's move in a sweep.
public struct SweepAction: Sendable {
    /// The file.
    public var path: String
    /// The rule that owns it.
    public var rule: String
    /// Its index in the policy.
    var ruleIndex: Int
    /// Where it is and where it goes.
    public var from: Stage, to: Stage
    /// Its age in seconds.
    public var age: Int
}

/// `anonlog sweep`: moves every file a rule matches forward to the furthest stage its age
/// calls for, in one rewrite, never back, never twice.
///
/// Crash safety: a rewrite goes to a temp file; before the rename, the state records the temp
/// file's inode at its new stage; after it, the old inode's record goes. Killed before the
/// rename, the original is intact and still at its old stage (the next sweep removes the stray
/// temp file and redoes the work); killed after, the file is complete and recorded. Deleting is
/// one `unlink`. A lock (flock on `state_file.lock`) keeps two sweeps apart and vanishes with a
/// killed process.
public struct Sweeper: Sendable {
    /// The parsed policy.
    public let policy: Policy
    /// The sweep's clock (`--now`), seconds since the epoch.
    public let now: Int
    /// Files rewritten at once.
    public let threads: Int
    /// "Today" for personnummer centuries.
    public let detection: DetectionConfig
    /// Minimum age of the last modification before a file is touched (a file being written).
    public static let quietPeriod = 60

    /// Creates a sweeper.
    public init(policy: Policy, now: Int, threads: Int, detection: DetectionConfig) {
        self.policy = policy
        self.now = now
        self.threads = max(1, threads)
        self.detection = detection
    }

    /// Takes the lock or says who holds it.
    public func lock() throws -> Int32 {
        let lockPath = policy.stateFile + ".lock"
        let directory = (lockPath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AnonLogError.posix("\(lockPath): cannot open the lock", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw AnonLogError(.io, "\(lockPath): another sweep is running; nothing done")
        }
        return fd
    }

    /// The actions due now, in path order, and the identities of all files the rules matched.
    func plan(state: SweepState) -> (actions: [SweepAction], identities: Set<String>, strays: [String]) {
        var owner: [String: Int] = [:]
        var order: [String] = []
        var directories = Set<String>()
        for (ruleIndex, rule) in policy.rules.enumerated() {
            for pattern in rule.paths {
                for path in Glob.expand(pattern) where owner[path] == nil {
                    let base = (path as NSString).lastPathComponent
                    if base.hasPrefix(".") && base.contains(".anonlog-") { continue }
                    if rule.exclude.contains(where: { fnmatch($0, base, 0) == 0 || fnmatch($0, path, 0) == 0 }) { continue }
                    owner[path] = ruleIndex
                    order.append(path)
                }
                directories.insert((pattern as NSString).deletingLastPathComponent)
            }
        }
        var actions: [SweepAction] = []
        var existing = Set<String>()
        for path in order.sorted() {
            guard let ruleIndex = owner[path] else { continue }
            let rule = policy.rules[ruleIndex]
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let mtime = Int(info.st_mtim.tv_sec)
            existing.insert(SweepState.key(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
            if now - mtime < Self.quietPeriod { continue }
            let born = rule.ageFromName ? (Self.dateInName(path) ?? mtime) : mtime
            let age = now - born
            let current = state.stage(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mtime: mtime)
            var target = current
            for stage in [Stage.pseudonymized, .redacted, .deleted] {
                if let after = rule.after[stage], age >= after, stage > target { target = stage }
            }
            if target > current {
                actions.append(SweepAction(path: path, rule: rule.name, ruleIndex: ruleIndex, from: current, to: target, age: age))
            }
        }
        var strays: [String] = []
        for directory in directories {
            strays += Glob.expand((directory.isEmpty ? "." : directory) + "/.*.anonlog-??????")
        }
        return (actions, existing, strays.sorted())
    }

    /// Runs the sweep: cleans stray temp files, then carries out every due action in parallel.
    /// Returns the actions with their errors (nil: done). `key` is needed for pseudonymisation.
    public func run(dryRun: Bool, key: [UInt8]?, report: (String) -> Void) throws -> [(SweepAction, String?)] {
        let lockFD = try lock()
        defer { close(lockFD) }
        let state = try SweepState(path: policy.stateFile)
        let (actions, _, strays) = plan(state: state)
        if dryRun {
            for action in actions {
                report("\(action.path): \(action.from.name) -> \(action.to.name) (rule '\(action.rule)', age \(action.age / 86400)d \(action.age % 86400 / 3600)h)")
            }
            if actions.isEmpty { report("nothing to do") }
            return actions.map { ($0, nil) }
        }
        for stray in strays { unlink(stray) }
        let audit = try AuditLog(path: policy.auditLog)
        let errors = WorkList<String?>.run(count: actions.count, threads: threads) { [self] index in
            perform(actions[index], key: key, state: state, audit: audit)
        }
        // Forget files that are gone (deleted, or rotated out of every rule's globs).
        let (_, remaining, _) = plan(state: state)
        try state.prune(existing: remaining)
        return zip(actions, errors).map { ($0, $1) }
    }

    /// One action; returns an error line or nil.
    private func perform(_ action: SweepAction, key: [UInt8]?, state: SweepState, audit: AuditLog) -> String? {
        let started = Date()
        var info = stat()
        guard lstat(action.path, &info) == 0 else { return "\(action.path): \(String(cString: strerror(errno)))" }
        let device = UInt64(info.st_dev), inode = UInt64(info.st_ino)
        var fields: [(String, String)] = [
            ("time", JSONText.quote(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now))))),
            ("path", JSONText.quote(action.path)), ("rule", JSONText.quote(action.rule)),
            ("from", JSONText.quote(action.from.name)), ("to", JSONText.quote(action.to.name)),
        ]
        do {
            if action.to == .deleted {
                guard unlink(action.path) == 0 else { throw AnonLogError.posix(action.path, errno: errno) }
                try state.record(device: device, inode: inode, nil)
                fields.append(("bytes_in", "\(info.st_size)"))
            } else {
                let rule = policy.rules[action.ruleIndex]
                let pipeline = try stagePipeline(action.to, rule: rule, key: key, mtime: Int(info.st_mtim.tv_sec))
                let mtime = Int(info.st_mtim.tv_sec)
                let stats = try AtomicRewrite.rewrite(action.path, pipeline: pipeline) { newDevice, newInode in
                    try state.record(device: newDevice, inode: newInode, SweepState.Entry(stage: action.to.name, path: action.path, mtime: mtime))
                }
                try state.record(device: device, inode: inode, nil)
                let counts = DetectionType.allCases.map { "\"\($0)\":\(stats.counts[$0])" }.joined(separator: ",")
                fields += [("counts", "{" + counts + "}"), ("bytes_in", "\(stats.rawBytesIn)"), ("bytes_out", "\(stats.bytesOut)")]
            }
            fields.append(("seconds", String(format: "%.3f", Date().timeIntervalSince(started))))
            audit.append(fields)
            return nil
        } catch let error as AnonLogError {
            audit.append(fields + [("error", JSONText.quote(error.message))])
            return error.message
        } catch {
            audit.append(fields + [("error", JSONText.quote("\(error)"))])
            return "\(action.path): \(error)"
        }
    }

    /// The pipeline of a stage: the profile of that stage plus the rule's overrides.
    private func stagePipeline(_ stage: Stage, rule: Rule, key: [UInt8]?, mtime: Int) throws -> Pipeline {
        let profile: Profile = stage == .pseudonymized ? .pseudonymize : .redact
        let plan = try ActionPlan(profile: profile, overrides: rule.overrides[stage] ?? [:])
        var detection = self.detection
        detection.includeTokens = stage == .redacted
        var transform = TransformConfig(key: key)
        transform.today = detection.today
        transform.fallbackDate = Self.day(mtime)
        if plan.needsKey && key == nil { throw AnonLogError(.usage, "rule '\(rule.name)': pseudonymising needs a key") }
        return Pipeline(options: PipelineOptions(threads: 1, plan: plan, detection: detection, transform: transform))
    }

    /// The UTC day of a time in seconds since the epoch.
    public static func dayOf(_ seconds: Int) -> CalendarDay { day(seconds) }

    static func day(_ seconds: Int) -> CalendarDay {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        return CalendarDay(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    /// A date in the file name (`2026-11-26` or `20261126`), as seconds since the epoch (UTC).
    static func dateInName(_ path: String) -> Int? {
        let name = Array((path as NSString).lastPathComponent.utf8)
        var i = 0
        while i + 8 <= name.count {
            func digits(_ at: Int, _ count: Int) -> Int? {
                guard at + count <= name.count else { return nil }
                var value = 0
                for k in at..<(at + count) {
                    guard name[k] >= 48 && name[k] <= 57 else { return nil }
                    value = value * 10 + Int(name[k] - 48)
                }
                return value
            }
            if let year = digits(i, 4), year >= 1970, year < 2200, i == 0 || !(name[i - 1] >= 48 && name[i - 1] <= 57) {
                var month: Int?, day: Int?
                if i + 10 <= name.count && name[i + 4] == UInt8(ascii: "-") && name[i + 7] == UInt8(ascii: "-") {
                    month = digits(i + 5, 2); day = digits(i + 8, 2)
                } else {
                    month = digits(i + 4, 2); day = digits(i + 6, 2)
                }
                if let month, let day, (1...12).contains(month), (1...31).contains(day) {
                    var parts = tm()
                    parts.tm_year = Int32(year - 1900); parts.tm_mon = Int32(month - 1); parts.tm_mday = Int32(day)
                    return Int(timegm(&parts))
                }
            }
            i += 1
        }
        return nil
    }
}

/// glob(3) for one pattern, sorted; no matches is an empty list.
enum Glob {
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }
}
