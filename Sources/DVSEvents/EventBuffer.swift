/// A reusable struct-of-arrays chunk of events.
///
/// Readers, cameras and the simulator fill one buffer per chunk and the consumer reads it before the next
/// chunk overwrites it; nothing is allocated per chunk once the buffer has reached its working size.
/// The four columns are contiguous: `t` in µs, `x`, `y`, and `p` (1 = ON, 0 = OFF).
///
/// A buffer is a reference type so that a source and its consumer share one allocation; it is not thread-safe.
public final class EventBuffer {
    @usableFromInline var storedCount: Int = 0
    @inlinable public var count: Int { storedCount }
    public private(set) var capacity: Int
    @usableFromInline var tStorage: UnsafeMutablePointer<Microseconds>
    @usableFromInline var xStorage: UnsafeMutablePointer<UInt16>
    @usableFromInline var yStorage: UnsafeMutablePointer<UInt16>
    @usableFromInline var pStorage: UnsafeMutablePointer<UInt8>

    /// A buffer that holds `capacity` events before it grows.
    public init(capacity: Int = 65_536) {
        precondition(capacity > 0, "an event buffer needs a positive capacity, got \(capacity)")
        self.capacity = capacity
        tStorage = .allocate(capacity: capacity)
        xStorage = .allocate(capacity: capacity)
        yStorage = .allocate(capacity: capacity)
        pStorage = .allocate(capacity: capacity)
    }

    /// A buffer holding a copy of `events`.
    public convenience init<S: Sequence>(_ events: S) where S.Element == Event {
        self.init(capacity: max(1, events.underestimatedCount))
        for e in events { append(e) }
    }

    deinit {
        tStorage.deallocate()
        xStorage.deallocate()
        yStorage.deallocate()
        pStorage.deallocate()
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The columns, valid until the buffer is next mutated.
    @inlinable public var t: UnsafeBufferPointer<Microseconds> { UnsafeBufferPointer(start: tStorage, count: count) }
    @inlinable public var x: UnsafeBufferPointer<UInt16> { UnsafeBufferPointer(start: xStorage, count: count) }
    @inlinable public var y: UnsafeBufferPointer<UInt16> { UnsafeBufferPointer(start: yStorage, count: count) }
    @inlinable public var p: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: pStorage, count: count) }

    @inlinable
    public subscript(i: Int) -> Event {
        precondition(i >= 0 && i < count, "event index \(i) out of range 0..<\(count)")
        return Event(t: tStorage[i], x: xStorage[i], y: yStorage[i], on: pStorage[i] != 0)
    }

    /// Forgets the events and keeps the storage.
    @inlinable
    public func removeAll() { storedCount = 0 }

    /// Makes room for at least `n` more events without changing `count`.
    public func reserve(additional n: Int) {
        let needed = count + n
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        func grow<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        tStorage = grow(tStorage)
        xStorage = grow(xStorage)
        yStorage = grow(yStorage)
        pStorage = grow(pStorage)
        capacity = newCapacity
    }

    @inlinable
    public func append(t: Microseconds, x: UInt16, y: UInt16, p: UInt8) {
        if count == capacity { reserve(additional: 1) }
        tStorage[count] = t
        xStorage[count] = x
        yStorage[count] = y
        pStorage[count] = p
        storedCount += 1
    }

    @inlinable
    public func append(_ e: Event) { append(t: e.t, x: e.x, y: e.y, p: e.p) }

    /// Appends every event of `other` (or of its `range`).
    public func append(contentsOf other: EventBuffer, range: Range<Int>? = nil) {
        let r = range ?? 0..<other.count
        reserve(additional: r.count)
        (tStorage + count).update(from: other.tStorage + r.lowerBound, count: r.count)
        (xStorage + count).update(from: other.xStorage + r.lowerBound, count: r.count)
        (yStorage + count).update(from: other.yStorage + r.lowerBound, count: r.count)
        (pStorage + count).update(from: other.pStorage + r.lowerBound, count: r.count)
        storedCount += r.count
    }

    /// Bulk fill for decoders: reserves `maxCount` slots, hands out pointers to the first free slot of each column,
    /// and commits however many events `body` reports it wrote (at most `maxCount`).
    @inlinable
    public func appendUnsafe(
        maxCount: Int,
        _ body: (_ t: UnsafeMutablePointer<Microseconds>, _ x: UnsafeMutablePointer<UInt16>,
                 _ y: UnsafeMutablePointer<UInt16>, _ p: UnsafeMutablePointer<UInt8>) throws -> Int
    ) rethrows {
        reserve(additional: maxCount)
        let written = try body(tStorage + count, xStorage + count, yStorage + count, pStorage + count)
        precondition(written >= 0 && written <= maxCount, "appendUnsafe wrote \(written) events into \(maxCount) slots")
        storedCount += written
    }

    /// The events as values (for tests and small chunks).
    public var events: [Event] { (0..<count).map { self[$0] } }
}
