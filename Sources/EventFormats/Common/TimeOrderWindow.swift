import DVSEvents

/// Puts a nearly time-ordered stream in order within a bounded window, for writers that require order (AEDAT 4.0,
/// AEDAT 2.0): real files from other tools hold the odd swapped pair of times (EVT, .dat, N-MNIST, CSV), and one
/// such pair must not fail a whole conversion.
///
/// Events wait in a window of at most `capacity`; when it fills, the older half (by time, ties in arrival order)
/// goes out. An event earlier than one already sent cannot be put back and is dropped and counted (`dropped`):
/// memory stays bounded whatever the input, and nothing goes missing silently.
public final class TimeOrderWindow {
    public let capacity: Int
    /// Events dropped because they came after a later event had already been sent.
    public private(set) var dropped = 0
    /// Events that arrived out of order and were put back in order.
    public private(set) var reordered = 0
    private let pending: EventBuffer
    private let scratch = EventBuffer()
    /// The latest time sent.
    private var watermark = Microseconds.min
    private var latestIn = Microseconds.min

    public init(capacity: Int = 1 << 16) {
        precondition(capacity >= 2, "a reordering window of \(capacity) events")
        self.capacity = capacity
        pending = EventBuffer(capacity: capacity)
    }

    /// Takes `chunk` and appends the events that are now certain of their place to `out` (which it clears first).
    public func push(_ chunk: EventBuffer, into out: EventBuffer) {
        out.removeAll()
        for i in 0..<chunk.count {
            let e = chunk[i]
            if e.t < watermark { dropped += 1; continue }
            if e.t < latestIn { reordered += 1 } else { latestIn = e.t }
            pending.append(e)
            if pending.count >= capacity { release(half: true, into: out) }
        }
    }

    /// Appends every waiting event, in order, to `out` (which it clears first): the end of the stream.
    public func finish(into out: EventBuffer) {
        out.removeAll()
        release(half: false, into: out)
    }

    /// A warning for the reader's tally, or nil when the stream was in order.
    public var summary: String? {
        guard dropped > 0 || reordered > 0 else { return nil }
        return "time went backwards: \(reordered) events put back in order within \(capacity) events, "
            + "\(dropped) dropped (earlier than events already written)"
    }

    private func release(half: Bool, into out: EventBuffer) {
        let n = pending.count
        guard n > 0 else { return }
        let times = pending.t
        var order = Array(0..<n)
        if !zip(times.dropFirst(), times).allSatisfy({ $0 >= $1 }) {
            order.sort { (times[$0], $0) < (times[$1], $1) }
        }
        let sent = half ? n / 2 : n
        for k in order[..<sent] { out.append(pending[k]) }
        if sent > 0 { watermark = max(watermark, pending[order[sent - 1]].t) }
        scratch.removeAll()
        for k in order[sent...] { scratch.append(pending[k]) }
        pending.removeAll()
        pending.append(contentsOf: scratch)
    }
}
