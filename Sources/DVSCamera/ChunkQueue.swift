import DVSEvents
import Foundation

/// Counters of a chunk queue, for logs and the live view.
public struct QueueCounters: Sendable, Hashable {
    public var chunksQueued = 0
    public var chunksDelivered = 0
    public var chunksDropped = 0
    public var eventsDropped = 0
    /// Times new events were merged into an already queued chunk.
    public var merges = 0
    /// Times the producer had to wait for room (block policy).
    public var producerWaits = 0
    /// The most chunks ever waiting at once.
    public var maxDepth = 0
    public init() {}
}

/// A bounded queue of event chunks between one producer (the USB event thread) and one consumer.
///
/// Memory is bounded: at most `capacity` chunks wait, each reused from a pool; with `.merge` a chunk holds at most
/// `mergeLimit` events. The producer finishes the queue with an optional error; the consumer still receives every
/// chunk queued before that, then the error once.
final class ChunkQueue: @unchecked Sendable {
    let capacity: Int
    let policy: BackpressurePolicy
    let mergeLimit: Int
    private let condition = NSCondition()
    private var queued: [EventBuffer] = []
    private var pool: [EventBuffer] = []
    private var finished = false
    private var closed = false
    private var endError: (any Error)?
    private var counters = QueueCounters()

    init(capacity: Int, policy: BackpressurePolicy, mergeLimit: Int = 1 << 20) {
        precondition(capacity >= 1, "a chunk queue holds at least one chunk, got capacity \(capacity)")
        precondition(mergeLimit >= 1, "merge limit must be positive, got \(mergeLimit)")
        self.capacity = capacity
        self.policy = policy
        self.mergeLimit = mergeLimit
    }

    var snapshot: QueueCounters {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    /// Producer: decodes into a chunk with `fill` and queues it according to the policy. Empty chunks are not queued.
    func produce(_ fill: (EventBuffer) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        if queued.count >= capacity {
            switch policy {
            case .block:
                counters.producerWaits += 1
                while queued.count >= capacity && !closed { condition.wait() }
                if closed { return }
            case .merge:
                let newest = queued[queued.count - 1]
                let before = newest.count
                fill(newest)
                if newest.count > before { counters.merges += 1 }
                // Past the limit the oldest chunk goes (with a single slot, that is the merged chunk itself).
                if newest.count > mergeLimit { dropOldest() }
                return
            case .drop:
                dropOldest()
            }
        }
        let chunk = pool.popLast() ?? EventBuffer(capacity: 4096)
        chunk.removeAll()
        fill(chunk)
        guard !chunk.isEmpty else { pool.append(chunk); return }
        queued.append(chunk)
        counters.chunksQueued += 1
        counters.maxDepth = max(counters.maxDepth, queued.count)
        condition.broadcast()
    }

    private func dropOldest() {
        let old = queued.removeFirst()
        counters.chunksDropped += 1
        counters.eventsDropped += old.count
        pool.append(old)
    }

    /// Producer: no more chunks will come; `error` (if any) is thrown to the consumer after the queued chunks.
    func finish(error: (any Error)?) {
        condition.lock()
        finished = true
        if endError == nil { endError = error }
        condition.broadcast()
        condition.unlock()
    }

    enum Next {
        case chunk
        case timedOut
        case ended((any Error)?)
    }

    /// Consumer: replaces `buffer`'s contents with the oldest chunk, waiting up to `timeout` seconds for one.
    func next(into buffer: EventBuffer, timeout: Double) -> Next {
        buffer.removeAll()
        condition.lock()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while queued.isEmpty && !finished && !closed {
            if !condition.wait(until: deadline) { break }
        }
        guard !queued.isEmpty else {
            defer { condition.unlock() }
            if finished || closed {
                let e = endError
                endError = nil
                return .ended(e)
            }
            return .timedOut
        }
        let chunk = queued.removeFirst()
        counters.chunksDelivered += 1
        condition.broadcast()  // room for a blocked producer
        condition.unlock()
        buffer.append(contentsOf: chunk)
        condition.lock()
        pool.append(chunk)
        condition.unlock()
        return .chunk
    }

    /// Consumer: stops taking chunks; a blocked producer is released and later chunks are discarded.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
