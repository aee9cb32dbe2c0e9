import DVSEvents
import Foundation

/// The hand-off of decoded event chunks from the USB thread to the consumer: DVSEvents' `BoundedQueue` of chunks
/// (the policy, the counting and the waiting are all its own) with what a camera adds — a pool of reused chunk
/// buffers, empty chunks never queued, events counted when chunks are dropped, and the end of the stream carrying
/// the error (a camera unplugged) that the consumer receives once, after every chunk queued before it.
///
/// Memory is bounded: at most `capacity` chunks wait, reused from the pool; with `.merge` a chunk holds at most
/// `mergeLimit` events (past it the oldest chunk is dropped).
final class ChunkHandoff: @unchecked Sendable {
    // @unchecked: `pool` is a queue of its own; `ends` guards its fields with its lock.
    let queue: BoundedQueue<EventBuffer>
    private let pool: BoundedQueue<EventBuffer>
    private let ends: Ends

    /// What the two threads share besides the queues: the end error and the events dropped.
    private final class Ends: @unchecked Sendable {
        let lock = NSLock()
        var error: (any Error)?
        var eventsDropped = 0
    }

    init(capacity: Int, policy: BackpressurePolicy, mergeLimit: Int = 1 << 20) {
        precondition(mergeLimit >= 1, "merge limit must be positive, got \(mergeLimit)")
        let pool = BoundedQueue<EventBuffer>(capacity: capacity + 2, policy: .drop)
        let ends = Ends()
        self.ends = ends
        self.pool = pool
        queue = BoundedQueue(
            capacity: capacity, policy: policy,
            merging: .init(combine: { $0.append(contentsOf: $1) }, outgrown: { $0.count > mergeLimit }),
            discard: { chunk, why in
                if why == .dropped { ends.lock.lock(); ends.eventsDropped += chunk.count; ends.lock.unlock() }
                pool.put(chunk)
            })
    }

    /// Events thrown away with dropped chunks.
    var eventsDropped: Int { ends.lock.lock(); defer { ends.lock.unlock() }; return ends.eventsDropped }

    var counters: QueueTally { queue.counters }

    /// Producer: decodes into a chunk with `fill` and queues it according to the policy. Empty chunks are not queued.
    func produce(_ fill: (EventBuffer) -> Void) {
        let chunk = pool.poll() ?? EventBuffer(capacity: 4096)
        chunk.removeAll()
        fill(chunk)
        guard !chunk.isEmpty else { pool.put(chunk); return }
        if !queue.put(chunk) { pool.put(chunk) }
    }

    /// Producer: no more chunks will come; `error` (if any) is thrown to the consumer after the queued chunks.
    func finish(error: (any Error)?) {
        ends.lock.lock()
        if ends.error == nil { ends.error = error }
        ends.lock.unlock()
        queue.close()
    }

    enum Next {
        case chunk
        case timedOut
        case ended((any Error)?)
    }

    /// Consumer: replaces `buffer`'s contents with the oldest chunk, waiting up to `timeout` seconds for one.
    func next(into buffer: EventBuffer, timeout: Double) -> Next {
        buffer.removeAll()
        switch queue.take(timeout: timeout) {
        case .item(let chunk):
            buffer.append(contentsOf: chunk)
            pool.put(chunk)
            return .chunk
        case .timedOut:
            return .timedOut
        case .ended:
            ends.lock.lock(); defer { ends.lock.unlock() }
            let e = ends.error
            ends.error = nil
            return .ended(e)
        }
    }

    /// Consumer: stops taking chunks; a blocked producer is released and later chunks are discarded.
    func close() { queue.close() }
}
