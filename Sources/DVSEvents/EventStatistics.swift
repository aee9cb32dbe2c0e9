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

    /// Microseconds from the first to the last event, nil when the span does not fit in 64 bits (a damaged file's
    /// times can span 2⁶³ µs).
    public var duration: Microseconds? {
        let (d, overflow) = (lastT ?? 0).subtractingReportingOverflow(firstT ?? 0)
        return overflow ? nil : d
    }

    /// The span in seconds, exact enough for any span (also one that overflows 64 bits).
    public var seconds: Double { (Double(lastT ?? 0) - Double(firstT ?? 0)) / 1e6 }

    /// Events per second over the duration, nil for fewer than two distinct times.
    public var rate: Double? { seconds > 0 ? Double(events) / seconds : nil }
}
