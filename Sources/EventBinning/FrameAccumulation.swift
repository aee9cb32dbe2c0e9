import DVSEvents

/// What a frame pixel holds.
public enum FrameValue: String, CaseIterable, Sendable {
    /// The number of events (SpikingJelly's and tonic's frames).
    case counts
    /// 1 where at least one event fell, else 0.
    case binary
}

/// The accumulation kernels behind the offline and the streaming binners: one per-event step, `addEvent`, a loop
/// over a range of events, and a scan for the end of the run of events inside a time bin.
///
/// Frames are [2, H, W] (channel 0 = OFF, 1 = ON; any p ≠ 0 is ON). Events off the H×W array are skipped and counted.
///
/// The loops are kept out of line (`@inline(never)`): inlined into their callers they competed for registers with
/// the callers' state and reloaded the column pointers from the stack on every event (perf showed it; out of line
/// the loop runs at the speed of a plain C loop, docs/PEERS.md's 560 M events/s).

/// Adds event `i` of the columns x, y, p to `frame` [2, H, W]; returns 1 if it lies off the H×W array (skipped).
@inline(__always)
func addEvent(
    _ i: Int, x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> Int {
    let xi = Int(x[i]), yi = Int(y[i])
    let at = (p[i] != 0 ? 1 : 0) &* (width &* height) &+ yi &* width &+ xi   // channel OFF 0, ON 1; row; column
    guard _fastPath(xi < width && yi < height) else { return 1 }
    switch value {
    case .counts: frame[at] += 1
    case .binary: frame[at] = 1
    }
    return 0
}

/// Adds events `range` into `frame` [2, H, W]. Returns the number skipped as off the sensor.
@inline(never)
func accumulateEvents(
    x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>, range: Range<Int>,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> Int {
    var offSensor = 0
    var i = range.lowerBound
    let end = range.upperBound
    switch value {     // hoisted so that each loop has one kind of store
    case .counts:
        while i < end {
            offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .counts)
            i &+= 1
        }
    case .binary:
        while i < end {
            offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .binary)
            i &+= 1
        }
    }
    return offSensor
}

/// The first index from `start` on (before `end`) whose time t lies outside the bin [lo, hi), or `end`: the run of
/// events that belongs to the open bin. Scans blocks of 8 with one vector test each (no early exit inside a block).
@inline(never)
func runEnd(t: UnsafePointer<Microseconds>, from start: Int, to end: Int, lo: Microseconds, hi: Microseconds) -> Int {
    // lo ≤ t < hi  ⇔  t − lo < hi − lo as unsigned numbers (t < lo wraps around to a huge value): one compare.
    let width = UInt64(bitPattern: hi &- lo)
    @inline(__always) func outside(_ i: Int) -> UInt64 { UInt64(bitPattern: t[i] &- lo) >= width ? 1 : 0 }
    var i = start
    while i &+ 8 <= end {
        var any: UInt64 = 0
        for k in 0..<8 { any |= outside(i &+ k) }
        if any != 0 { break }
        i &+= 8
    }
    while i < end && outside(i) == 0 { i &+= 1 }
    return i
}

/// Adds events from `start` on into `frame` [2, H, W] for as long as their time t lies in the bin [lo, hi).
/// Returns where the run stopped (the first event outside the bin, or `end`) and the number skipped as off the
/// sensor.
func accumulateRun(
    t: UnsafePointer<Microseconds>, x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>,
    from start: Int, to end: Int, lo: Microseconds, hi: Microseconds,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> (stop: Int, offSensor: Int) {
    let stop = runEnd(t: t, from: start, to: end, lo: lo, hi: hi)
    let offSensor = accumulateEvents(x: x, y: y, p: p, range: start..<stop, into: frame,
                                     width: width, height: height, value: value)
    return (stop, offSensor)
}
