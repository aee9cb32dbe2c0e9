import DVSEvents

/// 32-bit timestamps to 64-bit time (the pure step of the AEDAT 2.0 reader).
///
/// A drop of more than 2³¹ µs is a wrap of the unsigned 32-bit counter (jAER's int32 wraps the same way read as
/// unsigned) and adds 2³² µs. A smaller drop is time going backwards: `advance` reports it. With `follow` (the
/// default, as the official OTTT loader keeps every record) the clock takes the earlier time, so the record and
/// those after it keep their own times; without, it keeps the latest time, so that the caller can skip the
/// record and every later one until time catches up, and the stream stays in order.
struct TimestampUnwrapper {
    /// Whether a backwards step is taken (records kept at their own times) or the latest time kept.
    var follow = true
    /// The 64-bit time of the last in-order timestamp.
    private(set) var time: Microseconds = 0
    /// The last in-order raw timestamp and the multiple of 2³² µs added to raw timestamps.
    private(set) var last: UInt32 = 0
    private(set) var epoch: Microseconds = 0
    private(set) var wraps = 0

    /// Takes a run of raw timestamps known to be in order without a wrap, ending at `ts`.
    @inline(__always)
    mutating func skip(to ts: UInt32) {
        last = ts
        time = epoch &+ Microseconds(ts)
    }

    /// Takes the next raw timestamp; returns false when it goes backwards (and then `time` is unchanged).
    @inline(__always)
    mutating func advance(_ ts: UInt32) -> Bool {
        if ts >= last {
            last = ts
            time = epoch &+ Microseconds(ts)
            return true
        }
        if last &- ts > 1 << 31 {
            wraps += 1
            epoch &+= 1 << 32
            last = ts
            time = epoch &+ Microseconds(ts)
            return true
        }
        if follow {
            last = ts
            time = epoch &+ Microseconds(ts)
        }
        return false
    }
}
