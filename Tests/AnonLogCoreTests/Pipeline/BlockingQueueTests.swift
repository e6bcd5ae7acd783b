@testable import AnonLogCore
import Foundation
import Testing

/// The queue between the pipeline's threads: FIFO order, a bound, and close waking everyone.
@Suite struct BlockingQueueTests {
    @Test func elementsComeOutInOrderAcrossThreads() {
        let queue = BlockingQueue<Int>(limit: 4)
        let done = DispatchGroup()
        done.enter()
        Thread {
            for k in 0..<10_000 { queue.push(k) }
            queue.close()
            done.leave()
        }.start()
        var received: [Int] = []
        while let k = queue.pop() { received.append(k) }
        done.wait()
        #expect(received == Array(0..<10_000))
    }

    @Test func closeDrainsThenReturnsNilAndRefusesPushes() {
        let queue = BlockingQueue<String>()
        #expect(queue.push("a"))
        #expect(queue.push("b"))
        queue.close()
        #expect(!queue.push("c"))
        #expect(queue.pop() == "a")
        #expect(queue.pop() == "b")
        #expect(queue.pop() == nil)
    }

    @Test func closeWakesAWaitingPop() {
        let queue = BlockingQueue<Int>()
        let popped = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var value: Int?? }
        let box = Box()
        Thread {
            box.value = queue.pop()
            popped.signal()
        }.start()
        queue.close()
        // No timing assumption: the waiter either was waiting or arrives after close; both end.
        popped.wait()
        #expect(box.value == .some(nil))
    }

    @Test func aFullQueueMakesPushWaitUntilAPop() {
        let queue = BlockingQueue<Int>(limit: 1)
        #expect(queue.push(1))
        let pushed = DispatchSemaphore(value: 0)
        Thread {
            queue.push(2)
            pushed.signal()
        }.start()
        #expect(queue.pop() == 1)
        pushed.wait()
        #expect(queue.pop() == 2)
    }
}
