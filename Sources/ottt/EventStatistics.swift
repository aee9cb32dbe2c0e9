import DVSEvents

/// Counts, time range and polarity split of an event stream, accumulated chunk by chunk (for `ottt info`).
struct EventStatistics {
    var events = 0
    var on = 0
    var firstT: Microseconds?
    var lastT: Microseconds?

    mutating func add(_ chunk: EventBuffer) {
        guard !chunk.isEmpty else { return }
        events += chunk.count
        var ons = 0
        for p in chunk.p { ons &+= Int(p) }
        on += ons
        if firstT == nil { firstT = chunk.t.first }
        lastT = chunk.t.last
    }

    var off: Int { events - on }

    /// Microseconds from the first to the last event, nil when the span does not fit in 64 bits (a damaged file's
    /// times can span 2⁶³ µs).
    var duration: Microseconds? {
        let (d, overflow) = (lastT ?? 0).subtractingReportingOverflow(firstT ?? 0)
        return overflow ? nil : d
    }

    /// The span in seconds, exact enough for any span (also one that overflows 64 bits).
    var seconds: Double { (Double(lastT ?? 0) - Double(firstT ?? 0)) / 1e6 }

    /// Events per second over the duration, nil for fewer than two distinct times.
    var rate: Double? { seconds > 0 ? Double(events) / seconds : nil }
}
