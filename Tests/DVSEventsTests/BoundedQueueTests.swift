import Foundation
import Testing
import DVSEvents

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

@Suite("BoundedQueue: merge limit, discards and timed takes")
struct BoundedQueueDiscardTests {
    @Test("an item outgrown by merging drops the oldest; discard sees what was merged and dropped")
    func outgrown() {
        nonisolated(unsafe) var discarded: [([Int], BoundedQueue<[Int]>.Discard)] = []
        let queue = BoundedQueue<[Int]>(capacity: 2, policy: .merge,
                                        merging: .init(combine: { $0 += $1 }, outgrown: { $0.count > 2 }),
                                        discard: { discarded.append(($0, $1)) })
        for i in 0..<4 { queue.put([i]) }                 // [0], [1] then [1, 2] then [1, 2, 3]: outgrown
        queue.close()
        var seen: [[Int]] = []
        while let item = queue.take() { seen.append(item) }
        #expect(seen == [[1, 2, 3]])
        #expect(discarded.map(\.1) == [.merged, .merged, .dropped])
        #expect(discarded.last?.0 == [0])
        #expect(queue.counters.dropped == 1 && queue.counters.merged == 2 && queue.counters.maxDepth == 2)
    }

    @Test("take(timeout:) times out on an open queue and ends on a closed, empty one")
    func timedTake() {
        let queue = BoundedQueue<Int>(capacity: 1, policy: .block)
        guard case .timedOut = queue.take(timeout: 0.01) else { Issue.record("expected a time-out"); return }
        queue.put(5)
        queue.close()
        guard case .item(5) = queue.take(timeout: 0.01) else { Issue.record("expected the item"); return }
        guard case .ended = queue.take(timeout: 0.01) else { Issue.record("expected the end"); return }
    }
}
