import Foundation

/// A shared list of work items for a few threads: each `claim` hands out the next index, each
/// `store` records its result; results come back in item order, whatever the thread timing.
final class WorkList<Result: Sendable>: @unchecked Sendable {
    // Guarded by `lock`: the only state the workers share.
    private let lock = NSLock()
    private let count: Int
    private var next = 0
    private var results: [Result?]

    /// A list of `count` items.
    public init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    /// The next unclaimed index, or nil when all are taken.
    public func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Records the result of item `index`.
    public func store(_ result: Result, at index: Int) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    /// The stored results in item order.
    public var all: [Result] {
        lock.lock()
        defer { lock.unlock() }
        return results.compactMap { $0 }
    }

    /// Runs `work` for every item on `threads` threads and returns the results in item order.
    public static func run(count: Int, threads: Int, _ work: @escaping @Sendable (Int) -> Result) -> [Result] {
        let list = WorkList(count: count)
        let running = DispatchGroup()
        for _ in 0..<min(max(1, threads), max(1, count)) {
            running.enter()
            let thread = Thread {
                defer { running.leave() }
                while let index = list.claim() { list.store(work(index), at: index) }
            }
            thread.start()
        }
        running.wait()
        return list.all
    }
}
