import Foundation

/// A bounded first-in first-out queue between two threads, applying a `BackpressurePolicy` when it is full: the one
/// queue of the project — the camera's decoded chunks (DVSCamera), and the pipeline's chunks and frames (Pipeline).
///
/// Memory is bounded by `capacity` items whatever the rates. `close()` ends the stream: `take()` drains what is
/// queued and then returns nil; `put` after `close()` is refused (returns false) so a producer stops promptly.
public final class BoundedQueue<Element>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only with `condition` locked.
    public let capacity: Int
    public let policy: BackpressurePolicy
    private let merging: Merging?
    private let discard: ((Element, Discard) -> Void)?
    private var items: [Element?]          // a ring of `capacity` slots
    private var head = 0
    private var stored = 0
    private var isClosed = false
    private var counts = QueueTally()
    private let condition = NSCondition()

    /// How `.merge` folds an item into the newest queued one.
    public struct Merging {
        /// `combine(&newest, incoming)` folds `incoming` into the newest queued item.
        public var combine: (inout Element, Element) -> Void
        /// Whether an item has grown too big after a merge: then the oldest queued item is dropped (with a single
        /// slot, that is the merged item itself), so that memory stays bounded. nil: items grow without limit.
        public var outgrown: ((Element) -> Bool)?

        public init(combine: @escaping (inout Element, Element) -> Void, outgrown: ((Element) -> Bool)? = nil) {
            self.combine = combine
            self.outgrown = outgrown
        }
    }

    /// Why the queue let go of an item without delivering it.
    public enum Discard: Sendable, Equatable {
        /// Thrown away by `.drop` or past the merge limit.
        case dropped
        /// Folded into the newest queued item by `.merge`.
        case merged
    }

    /// A queue of `capacity` items; `merging` is required for `.merge`. `discard` sees every item the queue lets go
    /// without delivering it (to recycle buffers, to count what was lost); it runs with the queue locked and must
    /// not call back into the queue.
    public init(capacity: Int, policy: BackpressurePolicy, merging: Merging? = nil,
                discard: ((Element, Discard) -> Void)? = nil) {
        precondition(capacity > 0, "a bounded queue needs a positive capacity, got \(capacity)")
        precondition(policy != .merge || merging != nil, "a merging queue needs a combine function")
        self.capacity = capacity
        self.policy = policy
        self.merging = merging
        self.discard = discard
        items = Array(repeating: nil, count: capacity)
    }

    /// A queue whose `.merge` folds with `combine` (no limit).
    public convenience init(capacity: Int, policy: BackpressurePolicy, combine: @escaping (inout Element, Element) -> Void) {
        self.init(capacity: capacity, policy: policy, merging: Merging(combine: combine))
    }

    /// Adds `item`, applying the policy when the queue is full. Returns false when the queue was closed (the item
    /// is not queued; the producer should stop).
    @discardableResult
    public func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return false }
        counts.received += 1
        if stored == capacity {
            switch policy {
            case .block:
                counts.blocked += 1
                while stored == capacity && !isClosed { condition.wait() }
                guard !isClosed else { return false }
            case .drop:
                dropOldest()
            case .merge:
                guard let merging else { preconditionFailure("a merging queue without a combine function") }
                let newest = (head + stored - 1) % capacity
                guard var gathered = items[newest] else { preconditionFailure("queued slot \(newest) is empty") }
                items[newest] = nil                        // one reference while combining: no copy of the item
                merging.combine(&gathered, item)
                items[newest] = gathered
                counts.merged += 1
                discard?(item, .merged)
                if let outgrown = merging.outgrown, outgrown(gathered) { dropOldest() }
                return true
            }
        }
        items[(head + stored) % capacity] = item
        stored += 1
        counts.maxDepth = max(counts.maxDepth, stored)
        condition.broadcast()
        return true
    }

    private func dropOldest() {
        let old = items[head]
        items[head] = nil
        head = (head + 1) % capacity
        stored -= 1
        counts.dropped += 1
        if let old { discard?(old, .dropped) }
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    public func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while stored == 0 && !isClosed { condition.wait() }
        return removeFirst()
    }

    /// What `take(timeout:)` found.
    public enum Taken {
        case item(Element)
        /// Nothing arrived in time; the queue is still open.
        case timedOut
        /// The queue is closed and empty.
        case ended
    }

    /// The oldest item, waiting at most `timeout` seconds for one.
    public func take(timeout: Double) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while stored == 0 && !isClosed {
            if !condition.wait(until: deadline) { break }
        }
        if let item = removeFirst() { return .item(item) }
        return isClosed ? .ended : .timedOut
    }

    /// The oldest item if one is queued now, without waiting.
    public func poll() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        return removeFirst()
    }

    private func removeFirst() -> Element? {
        guard stored > 0 else { return nil }
        let item = items[head]
        items[head] = nil
        head = (head + 1) % capacity
        stored -= 1
        counts.delivered += 1
        condition.broadcast()
        return item
    }

    /// Ends the stream: waiting producers and consumers wake; queued items can still be taken.
    public func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Items queued now.
    public var count: Int {
        condition.lock(); defer { condition.unlock() }
        return stored
    }

    public var counters: QueueTally {
        condition.lock(); defer { condition.unlock() }
        return counts
    }
}
