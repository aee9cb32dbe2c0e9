import Foundation
import Testing
@testable import Pipeline

@Suite("BoundedQueue: backpressure policies")
struct BoundedQueueTests {
    @Test("block keeps every item in order and makes the producer wait")
    func blockKeepsEverything() {
        let queue = BoundedQueue<Int>(capacity: 2, policy: .block)
        let producer = Thread {
            for i in 0..<100 { queue.put(i) }
            queue.close()
        }
        producer.start()
        var seen: [Int] = []
        while let i = queue.take() {
            seen.append(i)
            if i % 10 == 0 { usleep(200) }              // a slow consumer
        }
        #expect(seen == Array(0..<100))
        let c = queue.counters
        #expect(c.received == 100 && c.delivered == 100 && c.dropped == 0 && c.merged == 0)
        #expect(c.blocked > 0)
    }

    @Test("drop throws away the oldest item when full and counts it")
    func dropOldest() {
        let queue = BoundedQueue<Int>(capacity: 3, policy: .drop)
        for i in 0..<10 { queue.put(i) }
        queue.close()
        var seen: [Int] = []
        while let i = queue.take() { seen.append(i) }
        #expect(seen == [7, 8, 9])
        #expect(queue.counters.dropped == 7)
        #expect(queue.counters.delivered == 3)
    }

    @Test("merge folds new items into the newest queued one, losing nothing")
    func mergeIntoNewest() {
        let queue = BoundedQueue<[Int]>(capacity: 2, policy: .merge) { $0 += $1 }
        for i in 0..<6 { queue.put([i]) }
        queue.close()
        var seen: [[Int]] = []
        while let item = queue.take() { seen.append(item) }
        #expect(seen == [[0], [1, 2, 3, 4, 5]])
        #expect(queue.counters.merged == 4)
        #expect(seen.flatMap { $0 } == Array(0..<6))
    }

    @Test("closing wakes a blocked producer and refuses further items")
    func closeWakesProducer() {
        let queue = BoundedQueue<Int>(capacity: 1, policy: .block)
        queue.put(0)
        let done = NSCondition()
        nonisolated(unsafe) var result: Bool?
        let producer = Thread {
            let accepted = queue.put(1)                   // blocks: the queue is full
            done.lock(); result = accepted; done.signal(); done.unlock()
        }
        producer.start()
        usleep(20_000)
        queue.close()
        done.lock()
        while result == nil { done.wait() }
        done.unlock()
        #expect(result == false)
        #expect(queue.take() == 0)
        #expect(queue.take() == nil)
        #expect(queue.put(2) == false)
    }
}
