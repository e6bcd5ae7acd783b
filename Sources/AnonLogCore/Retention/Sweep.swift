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
    /// The file as planned: its held directory, name and identity.
    var file: PlannedFile
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

    /// Takes the lock (`state_file.lock`, opened `O_NOFOLLOW` in the held state directory, which
    /// only root or the invoking user may write) or says who holds it.
    public func lock() throws -> Int32 {
        let (directory, name) = try PathResolver.parent(of: policy.stateFile, create: true)
        try directory.requirePrivate(for: "state file")
        let lockName = EntryName(name.display + ".lock")
        let lockPath = directory.path(of: lockName)
        let fd = try directory.openPrivateFile(lockName, flags: O_RDWR, mode: 0o600, what: "lock")
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw AnonLogError(.busy, "\(lockPath): another sweep is running; nothing done")
        }
        return fd
    }

    /// What the policy's globs match now.
    struct Plan {
        /// The actions due now, in path order.
        var actions: [SweepAction] = []
        /// The identities of all files the rules matched.
        var identities = Set<String>()
        /// Temp files left by a killed rewrite, in the directories the rules match files in.
        var strays: [PlannedFile] = []
        /// Paths the globs met and left out (symlinks, FIFOs), and directories that failed.
        var problems: [String] = []
    }

    /// Expands every rule's globs through held directories and decides what is due.
    func plan(state: SweepState) -> Plan {
        var owner: [String: (file: PlannedFile, rule: Int)] = [:]
        var expander = GlobExpander()
        var plan = Plan()
        for (ruleIndex, rule) in policy.rules.enumerated() {
            let before = expander.result.files.count
            for pattern in rule.paths { expander.expand(pattern) }
            for file in expander.result.files[before...] where owner[file.path] == nil {
                if file.name.isRewriteTemp || file.name.isExcluded(by: rule.exclude, path: file.path) { continue }
                owner[file.path] = (file, ruleIndex)
            }
        }
        plan.problems = expander.result.errors + expander.result.skipped.map { "\($0.path): \($0.reason)" }
        for path in owner.keys.sorted() {
            let (file, ruleIndex) = owner[path]!
            let rule = policy.rules[ruleIndex]
            plan.identities.insert(file.identity.description)
            if now - file.mtime < Self.quietPeriod { continue }
            let born = rule.ageFromName ? (Self.dateInName(path) ?? file.mtime) : file.mtime
            let age = now - born
            let current = state.stage(of: file.identity, mtime: file.mtime)
            var target = current
            for stage in [Stage.pseudonymized, .redacted, .deleted] {
                if let after = rule.after[stage], age >= after, stage > target { target = stage }
            }
            if target > current {
                plan.actions.append(SweepAction(path: path, rule: rule.name, ruleIndex: ruleIndex, from: current, to: target, age: age, file: file))
            }
        }
        for directory in expander.result.fileDirectories {
            guard let held = try? directory.open(), let names = try? held.names() else { continue }
            for name in names where name.isRewriteTemp {
                guard let info = held.status(of: name), info.isRegular else { continue }
                plan.strays.append(PlannedFile(directory: directory, name: name, identity: FileIdentity(info), path: held.path(of: name),
                                               size: Int(info.st_size), mtime: Int(info.st_mtim.tv_sec)))
            }
        }
        return plan
    }

    /// What a sweep did.
    public struct Outcome: Sendable {
        /// Each due action and its error line (nil: done).
        public var actions: [(SweepAction, String?)]
        /// Paths left out and directories that could not be read, one line each.
        public var problems: [String]
    }

    /// Runs the sweep: cleans stray temp files, then carries out every due action in parallel.
    /// `key` is needed for pseudonymisation.
    /// `registry`: what was pseudonymised with the key (`PseudonymRegistry`); a file listed
    /// there is recorded as pseudonymised, not pseudonymised again.
    public func run(dryRun: Bool, key: [UInt8]?, registry: PseudonymRegistry? = nil, report: (String) -> Void) throws -> Outcome {
        let lockFD = try lock()
        defer { close(lockFD) }
        let state = try SweepState(path: policy.stateFile, repair: !dryRun)
        var plan = plan(state: state)
        if let recovery = state.recovery { plan.problems.insert(recovery, at: 0) }
        if dryRun {
            for action in plan.actions {
                report("\(action.path): \(action.from.name) -> \(action.to.name) (rule '\(action.rule)', age \(action.age / 86400)d \(action.age % 86400 / 3600)h)")
            }
            if plan.actions.isEmpty { report("nothing to do") }
            return Outcome(actions: plan.actions.map { ($0, nil) }, problems: plan.problems)
        }
        for stray in plan.strays {
            _ = (try? stray.directory.open())?.removeStaleTemp(stray.name, expected: stray.identity)
        }
        let audit = try AuditLog(path: policy.auditLog)
        for problem in plan.problems {
            try audit.append([("time", JSONText.quote(timestamp)), ("skipped", JSONText.quote(problem))])
        }
        let actions = plan.actions
        let errors = WorkList<String?>.run(count: actions.count, threads: threads) { [self] index in
            perform(actions[index], key: key, registry: registry, state: state, audit: audit)
        }
        // Forget files that are gone (deleted, or rotated out of every rule's globs).
        try state.prune(existing: self.plan(state: state).identities)
        return Outcome(actions: zip(actions, errors).map { ($0, $1) }, problems: plan.problems)
    }

    /// The sweep's clock as ISO 8601, for the audit log.
    private var timestamp: String { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now))) }

    /// One action; returns an error line or nil. The file is reached through its held
    /// directory and must still be the planned one (device, inode, mtime).
    private func perform(_ action: SweepAction, key: [UInt8]?, registry: PseudonymRegistry?, state: SweepState,
                         audit: AuditLog) -> String? {
        let started = Date()
        let file = action.file
        let identity = file.identity
        var fields: [(String, String)] = [
            ("time", JSONText.quote(timestamp)),
            ("path", JSONText.quote(action.path)), ("rule", JSONText.quote(action.rule)),
            ("from", JSONText.quote(action.from.name)), ("to", JSONText.quote(action.to.name)),
        ]
        do {
            let directory = try file.directory.open()
            if action.to == .deleted {
                guard let info = directory.status(of: file.name) else {
                    throw AnonLogError(.io, "\(action.path): went away since it was planned; nothing deleted")
                }
                guard info.st_nlink == 1 else {
                    throw AnonLogError(.io, "\(action.path): has \(info.st_nlink) hard links; deleting one name would leave the data under the others")
                }
                // The record first: a sweep that cannot write its audit log deletes nothing.
                fields.append(("bytes_in", "\(info.st_size)"))
                try audit.append(fields + [("seconds", String(format: "%.3f", Date().timeIntervalSince(started)))])
                try state.move(from: identity, to: nil) {
                    try directory.remove(file.name, expected: identity, mtime: file.mtime)
                }
                directory.sync()
                return nil
            } else {
                let rule = policy.rules[action.ruleIndex]
                let pipeline = try stagePipeline(action.to, rule: rule, key: key, mtime: file.mtime)
                let input = try directory.openFile(file.name, expected: identity)
                guard Int(input.info.st_mtim.tv_sec) == file.mtime else {
                    throw AnonLogError(.io, "\(action.path): changed since it was planned; left for the next sweep")
                }
                let entry = SweepState.Entry(stage: action.to.name, path: action.path, mtime: file.mtime)
                let stageRegistry = action.to == .pseudonymized ? registry : nil
                let result = try AtomicRewrite.rewrite(input, name: file.name, in: directory, pipeline: pipeline,
                                                       registry: stageRegistry) { written, stats, rename in
                    // The record before the rename that makes it true; if it cannot be written,
                    // the original stays.
                    let counts = DetectionType.allCases.map { "\"\($0)\":\(stats.counts[$0])" }.joined(separator: ",")
                    fields += [("counts", "{" + counts + "}"), ("bytes_in", "\(stats.rawBytesIn)"), ("bytes_out", "\(stats.bytesOut)")]
                    try audit.append(fields + [("seconds", String(format: "%.3f", Date().timeIntervalSince(started)))])
                    try state.move(from: identity, to: (written, entry), around: rename)
                }
                if result.alreadyPseudonymised {
                    // logrotate's hook (or an earlier sweep) did it; renamed or recompressed
                    // since. Recorded, not redone.
                    try audit.append(fields + [("note", JSONText.quote("already pseudonymized: content listed in the registry; file left as it is"))])
                    try state.set(identity, entry)
                }
                return nil
            }
        } catch let error as AnonLogError {
            try? audit.append(fields + [("error", JSONText.quote(error.message))])
            return error.message
        } catch {
            try? audit.append(fields + [("error", JSONText.quote("\(error)"))])
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
        transform.fallbackDate = CalendarDay(epochSeconds: mtime)
        if plan.needsKey && key == nil { throw AnonLogError(.usage, "rule '\(rule.name)': pseudonymising needs a key") }
        return Pipeline(options: PipelineOptions(threads: 1, plan: plan, detection: detection, transform: transform))
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
