import DVSEvents

/// How a recording is cut into frames (docs/FORMATS.md §2 states what the peers do).
public enum FrameSlicing: Sendable, Equatable {
    /// `frames` frames of N / T events each, the last one taking the remainder (SpikingJelly `split_by='number'`,
    /// the OTTT preset). Time is not looked at.
    case eventCount(frames: Int)
    /// `frames` windows of equal duration dt = (t_last − t₀) / T (integer µs) starting at the first event's time.
    case timeBins(frames: Int, tail: TimeBinTail = .lastFrameTakesRest)
    /// Windows of `duration` µs on a fixed grid [start + k·duration, start + (k+1)·duration), `start` defaulting to
    /// the first event's time; as many frames as needed to hold the last event (the last may be partial).
    /// Events before `start` are dropped. The streaming binner emits exactly these frames.
    case window(duration: Microseconds, start: Microseconds? = nil)

    /// The number of frames asked for, where it is fixed in advance.
    public var fixedFrameCount: Int? {
        switch self {
        case .eventCount(let n), .timeBins(let n, _): n
        case .window: nil
        }
    }
}

/// What happens to events at or after t₀ + T·dt in `.timeBins` (the integer division leaves up to T − 1 µs over).
public enum TimeBinTail: String, CaseIterable, Sendable {
    /// The last frame runs to the last event (SpikingJelly `split_by='time'`).
    case lastFrameTakesRest = "spikingjelly"
    /// They are dropped, always including the last event when the span divides evenly (tonic `n_time_bins`).
    case drop = "tonic"
}

/// A time grid: frame k covers [start + k·width, start + (k+1)·width); with `lastTakesRest` the last frame also
/// holds every later event. Events before `start` (and, without `lastTakesRest`, after the grid) are dropped.
struct TimeGrid: Equatable {
    var start: Microseconds
    var width: Microseconds
    var count: Int
    var lastTakesRest: Bool

    /// The frame of time `t`, or nil when the event falls outside every frame.
    @inline(__always)
    func frame(of t: Microseconds) -> Int? {
        guard t >= start, count > 0 else { return nil }
        let k = width > 0 ? (t &- start) / width : (lastTakesRest ? Int64(count - 1) : Int64(count))
        if k < Int64(count) { return Int(k) }
        return lastTakesRest ? count - 1 : nil
    }

    /// Index ranges of the frames in time-sorted `t`, found by binary search on the edges.
    func ranges(_ t: UnsafeBufferPointer<Microseconds>) -> [Range<Int>] {
        func lowerBound(_ edge: Microseconds) -> Int {
            var lo = 0, hi = t.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if t[mid] < edge { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var edges = (0...count).map { lowerBound(start &+ Int64($0) &* width) }
        if lastTakesRest, count > 0 { edges[count] = t.count }
        return (0..<count).map { edges[$0]..<max(edges[$0], edges[$0 + 1]) }
    }
}

extension FrameSlicing {
    /// How this slicing applies to events with times `t` (in file order): fixed index ranges for `.eventCount`,
    /// a time grid otherwise. Nil when there are no events to anchor a time grid and no explicit start.
    /// `frameLimit` caps the frames of `.window` (a bogus timestamp far in the future must not allocate terabytes);
    /// events beyond the cap fall outside every frame and are reported.
    func plan(_ t: UnsafeBufferPointer<Microseconds>, frameLimit: Int = .max) -> SlicePlan {
        switch self {
        case .eventCount(let frames):
            precondition(frames > 0, "event-count slicing needs at least one frame, got \(frames)")
            let n = t.count, per = n / frames
            return .ranges((0..<frames).map { j in (j * per)..<(j == frames - 1 ? n : (j + 1) * per) })
        case .timeBins(let frames, let tail):
            precondition(frames > 0, "time-bin slicing needs at least one frame, got \(frames)")
            guard let first = t.first, let last = t.last else { return .ranges(Array(repeating: 0..<0, count: frames)) }
            let span = last.subtractingReportingOverflow(first)
            let width = span.overflow ? 0 : max(0, span.partialValue) / Int64(frames)
            return .grid(TimeGrid(start: first, width: width, count: frames, lastTakesRest: tail == .lastFrameTakesRest))
        case .window(let duration, let start):
            precondition(duration > 0, "window slicing needs a positive duration, got \(duration) µs")
            guard let s = start ?? t.first else { return .ranges([]) }
            var latest = Microseconds.min
            for v in t where v > latest { latest = v }
            let span = latest.subtractingReportingOverflow(s)
            let needed = latest < s ? 0 : span.overflow ? Int.max : Int(span.partialValue / duration) + 1
            return .grid(TimeGrid(start: s, width: duration, count: min(needed, frameLimit), lastTakesRest: false))
        }
    }
}

enum SlicePlan: Equatable {
    case ranges([Range<Int>])
    case grid(TimeGrid)
}
