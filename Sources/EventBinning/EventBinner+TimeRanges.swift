import DVSEvents

extension EventBinner {
    /// The time each of the frames of `events` covers, [start, end) in µs: the grid's windows for time slicings
    /// (the last reaching just past the last event when it takes the rest), and from the first to just past the
    /// last event of each frame for event counts (an empty frame: an empty range where the previous one ended).
    /// One range per frame `frames(of:)` makes. Sums saturate, so a file's times near Int64's ends cannot trap.
    public func timeRanges(of events: EventBuffer) -> [Range<Microseconds>] {
        let t = events.t
        func after(_ v: Microseconds) -> Microseconds { v == .max ? v : v + 1 }
        func plus(_ a: Microseconds, _ b: Microseconds) -> Microseconds {
            let s = a.addingReportingOverflow(b)
            return s.overflow ? (b > 0 ? .max : .min) : s.partialValue
        }
        switch slicing.plan(t, frameLimit: frameLimit) {
        case .ranges(let ranges):
            var end = t.first ?? 0
            return ranges.map { r in
                guard !r.isEmpty else { return end..<end }
                var lo = t[r.lowerBound], hi = lo
                for i in r { lo = Swift.min(lo, t[i]); hi = Swift.max(hi, t[i]) }
                end = after(hi)
                return lo..<end
            }
        case .grid(let grid):
            let latest = t.max() ?? grid.start
            return (0..<grid.count).map { k in
                let (product, overflow) = grid.width.multipliedReportingOverflow(by: Microseconds(k))
                let start = overflow ? .max : plus(grid.start, product)
                var end = plus(start, grid.width)
                if grid.lastTakesRest && k == grid.count - 1 { end = Swift.max(end, after(latest)) }
                return start..<Swift.max(start, end)
            }
        }
    }
}
