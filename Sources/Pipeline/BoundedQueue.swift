import DVSEvents
import Foundation

/// A bounded first-in first-out queue between two threads, applying a `BackpressurePolicy` policy when it is full.
///
/// Memory is bounded by `capacity` items whatever the rates: the queue between the reader and the binner and the one
/// between the binner and the network are both of this type. `close()` ends the stream: `take()` drains what is
/// queued and then returns nil; `put` after `close()` is refused (returns false) so a producer stops promptly.
public final class BoundedQueue<Element>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only with `condition` locked.
    public let capacity: Int
    public let policy: BackpressurePolicy
    private let combine: ((inout Element, Element) -> Void)?
    private var items: [Element?]          // a ring of `capacity` slots
    private var head = 0
    private var stored = 0
    private var isClosed = false
    private var counts = QueueTally()
    private let condition = NSCondition()

    /// `combine(&newest, incoming)` folds an item into the newest queued one; required for `.merge`.
    public init(capacity: Int, policy: BackpressurePolicy, combine: ((inout Element, Element) -> Void)? = nil) {
        precondition(capacity > 0, "a bounded queue needs a positive capacity, got \(capacity)")
        precondition(policy != .merge || combine != nil, "a merging queue needs a combine function")
        self.capacity = capacity
        self.policy = policy
        self.combine = combine
        items = Array(repeating: nil, count: capacity)
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
                items[head] = nil
                head = (head + 1) % capacity
                stored -= 1
                counts.dropped += 1
            case .merge:
                let newest = (head + stored - 1) % capacity
                combine!(&items[newest]!, item)
                counts.merged += 1
                return true
            }
        }
        items[(head + stored) % capacity] = item
        stored += 1
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    public func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while stored == 0 && !isClosed { condition.wait() }
        return removeFirst()
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
