import DVSEvents
import Foundation
import Testing
@testable import DVSCamera

@Suite("Chunk hand-off between the USB thread and the consumer")
struct ChunkHandoffTests {
    static func push(_ q: ChunkHandoff, _ ts: [Int64]) {
        q.produce { b in for t in ts { b.append(t: t, x: 0, y: 0, p: 1) } }
    }

    static func pop(_ q: ChunkHandoff) -> [Int64]? {
        let b = EventBuffer()
        guard case .chunk = q.next(into: b, timeout: 0.01) else { return nil }
        return Array(b.t)
    }

    @Test("drop: the oldest chunk goes, counted in chunks and events")
    func drop() {
        let q = ChunkHandoff(capacity: 2, policy: .drop)
        Self.push(q, [1, 2]); Self.push(q, [3]); Self.push(q, [4])
        #expect(Self.pop(q) == [3])
        #expect(Self.pop(q) == [4])
        #expect(Self.pop(q) == nil)
        let c = q.counters
        #expect(c.dropped == 1 && q.eventsDropped == 2 && c.delivered == 2 && c.maxDepth == 2)
    }

    @Test("merge: new events join the newest chunk, nothing lost, until the merge limit")
    func merge() {
        let q = ChunkHandoff(capacity: 2, policy: .merge, mergeLimit: 4)
        Self.push(q, [1]); Self.push(q, [2]); Self.push(q, [3]); Self.push(q, [4])
        #expect(q.counters.merged == 2)
        Self.push(q, [5, 6])  // newest chunk now 5 events > limit: the oldest goes
        #expect(q.counters.dropped == 1)
        #expect(Self.pop(q) == [2, 3, 4, 5, 6])
        #expect(Self.pop(q) == nil)
    }

    @Test("merge with a single slot stays bounded: past the limit the merged chunk is dropped")
    func mergeSingleSlot() {
        let q = ChunkHandoff(capacity: 1, policy: .merge, mergeLimit: 3)
        for i in 0..<10 { Self.push(q, [Int64(i)]) }
        #expect(q.counters.dropped >= 2 && q.eventsDropped + (Self.pop(q)?.count ?? 0) == 10)
    }

    @Test("block: the producer waits for room and loses nothing")
    func block() {
        let q = ChunkHandoff(capacity: 1, policy: .block)
        Self.push(q, [0])
        let done = DispatchSemaphore(value: 0)
        Thread { Self.push(q, [1]); Self.push(q, [2]); q.finish(error: nil); done.signal() }.start()
        // The queue is full: the producer must wait until the consumer takes a chunk.
        let deadline = Date().addingTimeInterval(5)
        while q.counters.blocked == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        #expect(q.counters.blocked >= 1)
        #expect(q.counters.maxDepth == 1, "nothing was queued past the capacity")
        var got: [Int64] = []
        let b = EventBuffer()
        while true {
            guard case .chunk = q.next(into: b, timeout: 5) else { break }
            got += Array(b.t)
        }
        #expect(got == [0, 1, 2])
        #expect(q.counters.dropped == 0)
        #expect(done.wait(timeout: .now() + 5) == .success)
    }

    @Test("the end error comes once, after every queued chunk")
    func endAfterData() {
        struct Gone: Error {}
        let q = ChunkHandoff(capacity: 4, policy: .drop)
        Self.push(q, [1]); Self.push(q, [2])
        q.finish(error: Gone())
        #expect(Self.pop(q) == [1])
        #expect(Self.pop(q) == [2])
        let b = EventBuffer()
        guard case .ended(let e) = q.next(into: b, timeout: 0.01) else { Issue.record("expected the end"); return }
        #expect(e is Gone)
        guard case .ended(nil) = q.next(into: b, timeout: 0.01) else { Issue.record("expected a plain end"); return }
    }

    @Test("empty chunks are not queued; close releases a blocked producer")
    func emptyAndClose() {
        let q = ChunkHandoff(capacity: 1, policy: .block)
        Self.push(q, [])
        #expect(q.counters.received == 0)
        Self.push(q, [1])
        let done = DispatchSemaphore(value: 0)
        Thread { Self.push(q, [2]); done.signal() }.start()
        q.close()
        #expect(done.wait(timeout: .now() + 5) == .success)
    }
}
