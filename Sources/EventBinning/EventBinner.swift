import DVSEvents
import InputLimits

/// Offline binning: a whole recording (or sample) to frames [T, 2, H, W].
///
/// Time-based slicings assume nothing about order: time-sorted input (what every reader delivers) is cut by binary
/// search on the bin edges; otherwise each event is placed by its own time.
public struct EventBinner: Sendable {
    public var sensor: SensorSize
    public var slicing: FrameSlicing
    public var value: FrameValue
    /// Most frames `.window` slicing makes; later events are reported as outside the frames.
    public var frameLimit: Int

    public init(sensor: SensorSize, slicing: FrameSlicing, value: FrameValue = .counts, frameLimit: Int = 100_000) {
        precondition(frameLimit > 0, "frameLimit must be positive, got \(frameLimit)")
        self.sensor = sensor
        self.slicing = slicing
        self.value = value
        self.frameLimit = frameLimit
    }

    /// The frames of `events`, and what was left out.
    public func frames(of events: EventBuffer) -> (frames: Frames, report: BinningReport) {
        let t = events.t, x = events.x, y = events.y, p = events.p
        let plan = slicing.plan(t, frameLimit: frameLimit)
        let frameCount: Int = switch plan {
        case .ranges(let r): r.count
        case .grid(let g): g.count
        }
        var frames = Frames(count: frameCount, height: sensor.height, width: sensor.width)
        var report = BinningReport(events: events.count)
        guard events.count > 0, frameCount > 0 else {
            report.outsideFrames = events.count
            return (frames, report)
        }
        let frameSize = frames.frameSize, w = sensor.width, h = sensor.height
        frames.values.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            func add(_ range: Range<Int>, frame k: Int) {
                report.offSensor += accumulateEvents(x: x.baseAddress!, y: y.baseAddress!, p: p.baseAddress!,
                                                     range: range, into: base + k * frameSize,
                                                     width: w, height: h, value: value)
            }
            switch plan {
            case .ranges(let ranges):
                for (k, r) in ranges.enumerated() { add(r, frame: k) }
            case .grid(let grid) where isSorted(t):
                var inside = 0
                for (k, r) in grid.ranges(t).enumerated() { add(r, frame: k); inside += r.count }
                report.outsideFrames = t.count - inside
            case .grid(let grid):
                for i in 0..<t.count {
                    if let k = grid.frame(of: t[i]) { add(i..<(i + 1), frame: k) } else { report.outsideFrames += 1 }
                }
            }
        }
        return (frames, report)
    }

    /// How many frames `events` make under this slicing, without binning them (a scan of the times at most).
    public func frameCount(of events: EventBuffer) -> Int {
        switch slicing {
        case .eventCount(let frames), .timeBins(let frames, _): return frames
        case .window:
            return switch slicing.plan(events.t, frameLimit: frameLimit) {
            case .ranges(let r): r.count
            case .grid(let g): g.count
            }
        }
    }

    /// `frames(of:)` after checking the frames' bytes against `limits` (the frame budget): the sensor and the
    /// slicing may come from a file and flags, so the allocation is bounded before it is made.
    public func checkedFrames(of events: EventBuffer, limits: Limits = .current) throws(LimitError)
        -> (frames: Frames, report: BinningReport) {
        try limits.checkSensor(width: sensor.width, height: sensor.height, source: "the frames' sensor")
        try limits.checkFrames(count: frameCount(of: events), height: sensor.height, width: sensor.width,
                               what: "binning \(events.count) events")
        return frames(of: events)
    }

    /// Reads `source` to its end and bins every event (for one recording or sample; memory grows with its length).
    public func frames(of source: some EventSource) throws -> (frames: Frames, report: BinningReport) {
        try frames(of: source.readAll())
    }
}

/// What binning left out, so that no event goes missing silently.
public struct BinningReport: Equatable, Sendable {
    /// Events offered.
    public var events: Int
    /// Events dropped because their time fell outside every frame (tonic's tail, before a window start).
    public var outsideFrames = 0
    /// Events dropped because (x, y) lies off the frame's pixel array.
    public var offSensor = 0

    public init(events: Int) { self.events = events }

    /// Events that landed in a frame.
    public var binned: Int { events - outsideFrames - offSensor }
}

/// Whether `t` never decreases.
func isSorted(_ t: UnsafeBufferPointer<Microseconds>) -> Bool {
    guard t.count > 1 else { return true }
    // Counted without early exit or overflow checks, so that the loop vectorises (it reads the whole column).
    let base = t.baseAddress!, n = t.count
    var decreases = 0
    var i = 1
    while i < n {
        decreases &+= base[i] < base[i &- 1] ? 1 : 0
        i &+= 1
    }
    return decreases == 0
}
