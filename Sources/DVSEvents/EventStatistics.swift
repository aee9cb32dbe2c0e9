/// Counts, time range and polarity split of an event stream, accumulated chunk by chunk (`ottt info`).
public struct EventStatistics: Sendable {
    public var events = 0
    public var on = 0
    public var firstT: Microseconds?
    public var lastT: Microseconds?

    public init() {}

    public mutating func add(_ chunk: EventBuffer) {
        guard !chunk.isEmpty else { return }
        events += chunk.count
        var ons = 0
        for p in chunk.p { ons &+= Int(p) }
        on += ons
        if firstT == nil { firstT = chunk.t.first }
        lastT = chunk.t.last
    }

    public var off: Int { events - on }

    /// Microseconds from the first to the last event.
    public var duration: Microseconds { (lastT ?? 0) - (firstT ?? 0) }

    /// Events per second over the duration, nil for fewer than two distinct times.
    public var rate: Double? { duration > 0 ? Double(events) / (Double(duration) / 1e6) : nil }
}
