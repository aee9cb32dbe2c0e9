import DVSEvents

/// Replays another source at wall-clock rate: events come out no earlier than their stream time says, scaled by
/// `speed`, in slices of at most `slice` µs of stream time (so a big file chunk does not arrive all at once).
///
/// The first event anchors stream time to the clock; each slice is released when the clock reaches its last
/// event's time. With `.max` the source is passed through unchanged.
public final class PacedEventSource: EventSource {
    public let inner: any EventSource
    public let speed: ReplaySpeed
    public let slice: Microseconds
    private let clock: any PipelineClock
    private let pending = EventBuffer()
    private var pendingStart = 0
    private var anchor: (wall: Double, stream: Microseconds)?
    private var ended = false

    public init(_ inner: any EventSource, speed: ReplaySpeed, slice: Microseconds, clock: any PipelineClock) {
        precondition(slice > 0, "a pacing slice must be positive, got \(slice) µs")
        self.inner = inner
        self.speed = speed
        self.slice = slice
        self.clock = clock
    }

    public var info: StreamInfo { inner.info }

    /// The wall-clock second at which stream time `t` is due (nil before the first event or at `.max`).
    func due(_ t: Microseconds) -> Double? {
        guard case .factor(let f) = speed, let anchor else { return nil }
        return anchor.wall + Double(t - anchor.stream) / 1e6 / f
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        guard case .factor = speed else { return try inner.read(into: buffer) }
        buffer.removeAll()
        while pendingStart == pending.count {
            if ended { return false }
            pending.removeAll()
            pendingStart = 0
            if try !inner.read(into: pending) { ended = true; return false }
        }
        let t = pending.t
        if anchor == nil { anchor = (clock.now(), t[pendingStart]) }
        // One slice: the events within `slice` µs of the first pending one.
        let limit = t[pendingStart] &+ slice
        var end = pendingStart
        while end < pending.count && t[end] < limit { end += 1 }
        let last = t[end - 1]
        buffer.append(contentsOf: pending, range: pendingStart..<end)
        pendingStart = end
        clock.sleep(until: due(last)!)
        return true
    }
}
