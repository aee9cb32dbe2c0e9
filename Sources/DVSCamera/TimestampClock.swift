import DVSEvents

/// Rebuilds 64-bit microsecond timestamps from a camera's short timestamps, wrap words and reset events.
///
/// `t = wrapAdd + low`; a wrap word adds to `wrapAdd` (and the current time becomes the new base, as in libcaer);
/// a reset event sets both to 0. Where libcaer keeps 31 bits plus an overflow counter, this simply accumulates.
public struct TimestampClock: Sendable, Hashable {
    /// The sum of all wraps since the last reset, µs.
    public private(set) var wrapAdd: Microseconds = 0
    /// The time of the latest timestamp word or wrap, µs.
    public private(set) var current: Microseconds = 0
    /// How many timestamps went backwards (a sign of lost data or an unnoticed reset).
    public private(set) var backwardSteps = 0
    /// How many reset events were seen.
    public private(set) var resets = 0

    public init() {}

    /// A timestamp word carrying the low bits `low`.
    public mutating func stamp(low: Int64) {
        let t = wrapAdd + low
        if t < current { backwardSteps += 1 }
        current = t
    }

    /// A wrap word: the short counter overflowed `amount` µs worth.
    public mutating func wrap(by amount: Int64) {
        wrapAdd += amount
        current = wrapAdd
    }

    /// A timestamp reset event: the device's clock restarted at 0.
    public mutating func reset() {
        wrapAdd = 0
        current = 0
        resets += 1
    }
}

extension TimestampClock {
    /// The time words shared by DAVIS and DVXplorer (16-bit): bit 15 set = timestamp, low 15 bits in µs; code 7 =
    /// wrap, data × 0x8000 µs; code 0 data 1 = timestamp reset. Returns whether `w` was one of them.
    @inline(__always)
    mutating func consumeFPGAWord(_ w: UInt32) -> Bool {
        if w & 0x8000 != 0 {
            stamp(low: Int64(w & 0x7FFF))
            return true
        }
        switch (w >> 12) & 7 {
        case 7:
            wrap(by: Int64(w & 0xFFF) * 0x8000)
            return true
        case 0:
            if w & 0xFFF == 1 { reset() }
            return true  // other special events (external input, IMU and APS markers) carry no polarity event
        default:
            return false
        }
    }
}
