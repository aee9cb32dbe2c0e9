import DVSEvents
import Synchronization

/// Replays another source at wall-clock rate: events come out no earlier than their stream time says, scaled by
/// `speed`, in slices of at most `slice` µs of stream time (so a big file chunk does not arrive all at once).
///
/// The first event anchors stream time to the clock; each slice is released when the clock reaches its last
/// event's time. With `.max` the source is passed through unchanged.
///
/// A gap between events longer than `maxGap` (a camera reset, a corrupt timestamp 10¹⁸ µs ahead) is not waited
/// out: the stream is anchored again at its next event, as a clock jump, counted in `skippedGaps` and told to
/// `note` once. Waits go in steps of at most `waitStep` seconds and end early after `interrupt()` (Ctrl-C), so a
/// stopping session never waits out a gap.
public final class PacedEventSource: EventSource, InterruptibleSource, @unchecked Sendable {
    // @unchecked: the reader thread alone reads and paces; `interrupt()` and `skippedGaps` go through `shared`.
    public let inner: any EventSource
    public let speed: ReplaySpeed
    public let slice: Microseconds
    public let maxGap: Microseconds
    /// The longest single sleep, seconds, between looks at the interruption flag.
    public static let waitStep = 0.1
    private let clock: any PipelineClock
    private let note: @Sendable (String) -> Void
    private let pending = EventBuffer()
    private var pendingStart = 0
    private var anchor: (wall: Double, stream: Microseconds)?
    private var lastReleased: Microseconds?
    private var ended = false
    private let shared = Mutex((interrupted: false, skippedGaps: 0))

    public init(_ inner: any EventSource, speed: ReplaySpeed, slice: Microseconds, clock: any PipelineClock,
                maxGap: Microseconds = 10_000_000, note: @escaping @Sendable (String) -> Void = { _ in }) {
        precondition(slice > 0, "a pacing slice must be positive, got \(slice) µs")
        self.inner = inner
        self.speed = speed
        self.slice = slice
        self.maxGap = max(maxGap, 1)
        self.clock = clock
        self.note = note
    }

    public var info: StreamInfo { inner.info }

    /// Gaps longer than `maxGap` skipped so far (from any thread).
    public var skippedGaps: Int { shared.withLock { $0.skippedGaps } }

    /// Ends the current wait and every later one at once (from any thread): the session is stopping.
    public func interrupt() { shared.withLock { $0.interrupted = true } }

    private var isInterrupted: Bool { shared.withLock { $0.interrupted } }

    /// The wall-clock second at which stream time `t` is due (nil before the first event, at `.max`, or when `t`
    /// is too far from the anchor to subtract).
    func due(_ t: Microseconds) -> Double? {
        guard case .factor(let f) = speed, let anchor else { return nil }
        let (d, overflow) = t.subtractingReportingOverflow(anchor.stream)
        return overflow ? nil : anchor.wall + Double(d) / 1e6 / f
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
        let first = t[pendingStart]
        if anchor == nil {
            anchor = (clock.now(), first)
        } else if let last = lastReleased, isJump(from: last, to: first) {
            anchor = (clock.now(), first)
            let count = shared.withLock { s in s.skippedGaps += 1; return s.skippedGaps }
            if count == 1 {
                let limit = maxGap % 1_000_000 == 0 ? "\(maxGap / 1_000_000)s" : "\(Double(maxGap) / 1000)ms"
                note("note: a gap in the stream after \(last) µs is longer than --max-gap \(limit): "
                     + "replay skips ahead instead of waiting (counted at the end)")
            }
        }
        // One slice: the events within `slice` µs of the first pending one.
        let (limit, overflow) = first.addingReportingOverflow(slice)
        var end = pendingStart
        while end < pending.count && (overflow || t[end] < limit) { end += 1 }
        let last = t[end - 1]
        buffer.append(contentsOf: pending, range: pendingStart..<end)
        pendingStart = end
        lastReleased = last
        wait(until: due(last))
        return true
    }

    /// Whether stream time moves from `a` to `b` by more than `maxGap` (an unrepresentable step counts as one).
    private func isJump(from a: Microseconds, to b: Microseconds) -> Bool {
        let (d, overflow) = b.subtractingReportingOverflow(a)
        return overflow || d > maxGap
    }

    /// Sleeps until `deadline` in steps of at most `waitStep`, returning early once interrupted.
    private func wait(until deadline: Double?) {
        guard let deadline else { return }
        while !isInterrupted {
            let now = clock.now()
            if now >= deadline { return }
            clock.sleep(until: min(deadline, now + Self.waitStep))
        }
    }
}

/// A source that may block in `read` (pacing, a camera) and can be told to stop waiting from another thread.
public protocol InterruptibleSource: AnyObject {
    func interrupt()
}
