import DVSEvents

/// What a frame pixel holds.
public enum FrameValue: String, CaseIterable, Sendable {
    /// The number of events (SpikingJelly's and tonic's frames).
    case counts
    /// 1 where at least one event fell, else 0.
    case binary
}

/// The accumulation kernels behind the offline and the streaming binners: one per-event step, `addEvent`, and two
/// loops over it (a given range of events; a run of events inside a time bin).
///
/// Frames are [2, H, W] (channel 0 = OFF, 1 = ON; any p ≠ 0 is ON). Events off the H×W array are skipped and counted.

/// Adds event `i` of the columns x, y, p to `frame` [2, H, W]; returns 1 if it lies off the H×W array (skipped).
@inlinable @inline(__always)
func addEvent(
    _ i: Int, x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> Int {
    let xi = Int(x[i]), yi = Int(y[i])
    guard xi < width, yi < height else { return 1 }
    let c = p[i] == 0 ? 0 : width &* height                // channel offset: OFF 0, ON H·W
    let at = c &+ yi &* width &+ xi
    switch value {
    case .counts: frame[at] += 1
    case .binary: frame[at] = 1
    }
    return 0
}

/// Adds events `range` into `frame` [2, H, W]. Returns the number skipped as off the sensor.
@inlinable
func accumulateEvents(
    x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>, range: Range<Int>,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> Int {
    var offSensor = 0
    switch value {     // hoisted so that each loop has one kind of store
    case .counts:
        for i in range { offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .counts) }
    case .binary:
        for i in range { offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .binary) }
    }
    return offSensor
}

/// Adds events from `start` on into `frame` [2, H, W] for as long as their time t lies in the bin [lo, hi), in one
/// pass over t, x, y, p (the time check and the add of one event overlap; no separate scan for the bin's end).
/// Returns where the run stopped (the first event outside the bin, or `end`) and the number skipped as off the
/// sensor.
@inlinable
func accumulateRun(
    t: UnsafePointer<Microseconds>, x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>,
    from start: Int, to end: Int, lo: Microseconds, hi: Microseconds,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> (stop: Int, offSensor: Int) {
    var offSensor = 0
    var i = start
    switch value {
    case .counts:
        while i < end && t[i] >= lo && t[i] < hi {
            offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .counts)
            i &+= 1
        }
    case .binary:
        while i < end && t[i] >= lo && t[i] < hi {
            offSensor &+= addEvent(i, x: x, y: y, p: p, into: frame, width: width, height: height, value: .binary)
            i &+= 1
        }
    }
    return (i, offSensor)
}
