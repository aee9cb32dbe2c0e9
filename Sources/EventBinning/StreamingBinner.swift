import DVSEvents
import InputLimits

/// One frame from the streaming binner: bin `index` covers [start, end) µs. `values` [2, H, W] is valid only during
/// the callback that receives it (the binner reuses its storage).
public struct StreamedFrame {
    public let index: Int
    public let start: Microseconds
    public let end: Microseconds
    /// Events whose time fell in this frame (including any off the sensor, which `StreamingReport` counts).
    public let events: Int
    /// [2, H, W], channel 0 = OFF, 1 = ON.
    public let values: UnsafeBufferPointer<Float>
    let height: Int, width: Int

    /// A copy that outlives the callback, as one frame [1, 2, H, W] (to resize or keep).
    public func frames() -> Frames {
        Frames(count: 1, height: height, width: width, values: Array(values))
    }
}

/// A causal binner: events go in as they arrive, chunk by chunk from any `EventSource`, and one frame comes out per
/// Δt with exact µs edges [start + k·Δt, start + (k+1)·Δt) — including empty frames for silent intervals. A frame
/// is emitted as soon as an event at or after its end shows it is complete, or when `advance(to:)` says the clock
/// passed its end. Memory is one frame, whatever the stream's length.
///
/// On the same events it emits exactly the frames of `EventBinner` with `.window(duration: Δt, start:)`.
public final class StreamingBinner {
    public let sensor: SensorSize
    public let binWidth: Microseconds
    public let value: FrameValue
    /// Longest run of empty frames emitted for one silent gap; a longer gap (a clock jump) skips ahead instead, and
    /// the indices show the jump.
    public let maxSilentFrames: Int

    public private(set) var report = StreamingReport()
    /// The start of bin 0, fixed by the first event when not given.
    public private(set) var origin: Microseconds?
    /// Index of the open bin.
    public private(set) var binIndex = 0
    private var binEventCount = 0
    private var frame: UnsafeMutableBufferPointer<Float>    // [2, H, W]

    public init(sensor: SensorSize, binWidth: Microseconds, start: Microseconds? = nil, value: FrameValue = .counts,
                maxSilentFrames: Int = 100_000) {
        precondition(binWidth > 0, "a streaming bin needs a positive width, got \(binWidth) µs")
        precondition(maxSilentFrames > 0, "maxSilentFrames must be positive, got \(maxSilentFrames)")
        self.sensor = sensor
        self.binWidth = binWidth
        self.value = value
        self.maxSilentFrames = maxSilentFrames
        self.latest = Microseconds.max - binWidth
        origin = start.map { min($0, Microseconds.max - binWidth) }
        binStart = origin ?? 0
        frame = .allocate(capacity: Frames.channels * sensor.pixelCount)
        frame.initialize(repeating: 0)
    }

    /// A binner whose frame size is checked against `Limits.current` first (the sensor may come from a file
    /// header): throws `LimitError` instead of allocating a frame the process cannot hold.
    public convenience init(checking sensor: SensorSize, binWidth: Microseconds, start: Microseconds? = nil,
                            value: FrameValue = .counts, maxSilentFrames: Int = 100_000) throws(LimitError) {
        try Limits.current.checkFrames(count: 1, height: sensor.height, width: sensor.width, what: "a streaming bin")
        self.init(sensor: sensor, binWidth: binWidth, start: start, value: value, maxSilentFrames: maxSilentFrames)
    }

    deinit { frame.deallocate() }

    /// Start of the open bin (valid once the origin is known). Invariant: `binStart + binWidth` never overflows,
    /// because events later than `latest` are dropped (counted) and the clock is clamped to it.
    private var binStart: Microseconds
    /// The latest time whose bin end is representable in 64 bits.
    private let latest: Microseconds

    /// Bins the events of `chunk` (time-ordered; an event earlier than the open bin is dropped and counted as late),
    /// calling `emit` for every frame they complete.
    public func push(_ chunk: EventBuffer, emit: (StreamedFrame) throws -> Void) rethrows {
        let n = chunk.count
        guard n > 0 else { return }
        report.events += n
        let t = chunk.t.baseAddress!, x = chunk.x.baseAddress!, y = chunk.y.baseAddress!, p = chunk.p.baseAddress!
        if origin == nil {
            origin = min(t[0], latest)
            binStart = origin!
        }
        var lo = binStart, hi = lo &+ binWidth       // wraps only past `latest`, where every event is dropped
        var i = 0
        while i < n {
            // The run of events inside the open bin: its end found, then its events added.
            let (j, off) = accumulateRun(t: t, x: x, y: y, p: p, from: i, to: n, lo: lo, hi: hi,
                                         into: frame.baseAddress!, width: sensor.width, height: sensor.height,
                                         value: value)
            report.offSensor += off
            binEventCount += j - i
            guard j < n else { break }
            if t[j] < lo {
                if t[j] < origin! { report.beforeStart += 1 } else { report.late += 1 }
                i = j + 1
                continue
            }
            if t[j] > latest {                                           // no bin end is representable after it
                report.outOfRange += 1
                i = j + 1
                continue
            }
            try close(through: t[j], emit: emit)                         // t[j] ≥ hi: the open bin is complete
            lo = binStart
            hi = lo &+ binWidth
            i = j
        }
    }

    /// Reads `source` to its end, chunk by chunk, and emits every frame including the last partial one: the same
    /// path a live camera takes, minus the clock (`advance(to:)`).
    public func consume(_ source: some EventSource, chunk: EventBuffer = EventBuffer(),
                        emit: (StreamedFrame) throws -> Void) throws {
        while try source.read(into: chunk) { try push(chunk, emit: emit) }
        try finish(emit: emit)
    }

    /// Emits every bin that ends at or before `now` (a live source's clock moved on without events).
    public func advance(to now: Microseconds, emit: (StreamedFrame) throws -> Void) rethrows {
        guard origin != nil, binStart <= latest, now >= binStart + binWidth else { return }
        try close(through: min(now, latest), emit: emit)
    }

    /// Emits the open bin if it holds events (the end of a finite stream); the binner can go on afterwards.
    public func finish(emit: (StreamedFrame) throws -> Void) rethrows {
        guard origin != nil, binEventCount > 0 else { return }
        try emitOpenBin(emit)
    }

    /// Emits the open bin and the empty bins up to the one holding time `t` (> the open bin's end), which opens.
    private func close(through t: Microseconds, emit: (StreamedFrame) throws -> Void) rethrows {
        try emitOpenBin(emit)
        // t ≥ binStart here, so the distance fits in 64 unsigned bits whatever the two times are.
        let distance = UInt64(bitPattern: t &- binStart)
        let silent = distance / UInt64(binWidth)                          // empty bins before the one holding t
        if silent > UInt64(maxSilentFrames) {
            report.skippedFrames = report.skippedFrames.saturatingAdd(Int(clamping: silent))
            binIndex = binIndex.saturatingAdd(Int(clamping: silent))
            binStart = t - Microseconds(distance % UInt64(binWidth))     // ≥ the old start, ≤ t: representable
            return
        }
        for _ in 0..<silent { try emitOpenBin(emit) }
    }

    private func emitOpenBin(_ emit: (StreamedFrame) throws -> Void) rethrows {
        let start = binStart
        let out = StreamedFrame(index: binIndex, start: start, end: start &+ binWidth, events: binEventCount,
                                values: UnsafeBufferPointer(frame), height: sensor.height, width: sensor.width)
        binIndex = binIndex.saturatingAdd(1)
        binStart = binStart.saturatingAdd(binWidth)                       // past `latest` only at time's end
        report.emitted += 1
        let hadEvents = binEventCount > 0
        binEventCount = 0
        defer { if hadEvents { frame.update(repeating: 0) } }
        try emit(out)
    }
}

/// Counts kept by the streaming binner, so that no event goes missing silently.
public struct StreamingReport: Equatable, Sendable {
    public var events = 0
    public var emitted = 0
    /// Events earlier than the open bin (time went backwards), dropped.
    public var late = 0
    /// Events before the given start, dropped.
    public var beforeStart = 0
    /// Events whose (x, y) lies off the sensor, dropped.
    public var offSensor = 0
    /// Empty frames not emitted because a gap exceeded `maxSilentFrames`.
    public var skippedFrames = 0
    /// Events so close to the end of 64-bit time that their bin's end is not representable, dropped.
    public var outOfRange = 0
}

extension FixedWidthInteger {
    /// `self + other`, stopping at the type's bounds instead of trapping (indices and counts driven by input times).
    func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
