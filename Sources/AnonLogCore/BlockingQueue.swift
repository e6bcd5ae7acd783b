import Foundation

/// A FIFO queue between threads: `pop` waits for an element, `push` waits while it is full.
///
/// `close()` wakes every waiter; afterwards `push` refuses and `pop` drains what is left, then
/// returns nil. That is how an error on one thread stops all the others.
final class BlockingQueue<Element>: @unchecked Sendable {
    // All state is guarded by `condition`'s lock; that is the whole of the unchecked part.
    private let condition = NSCondition()
    private var items: [Element?] = []
    private var head = 0
    private var closed = false
    private let limit: Int

    /// Creates a queue that holds at most `limit` elements (`Int.max`: unbounded).
    init(limit: Int = .max) { self.limit = limit }

    /// Adds `element`, waiting while the queue is full; false if the queue was closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count - head >= limit { condition.wait() }
        if closed { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Takes the oldest element, waiting for one; nil once closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        if head == items.count { return nil }
        let element = items[head]
        items[head] = nil
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// Stops the queue: wakes all waiters, refuses further pushes.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
