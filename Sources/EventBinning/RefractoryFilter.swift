import DVSEvents

/// A refractory period per pixel: after an event passes at a pixel, events at that pixel are dropped until
/// `period` µs have elapsed (t − t_last_passed ≥ period passes), whatever their polarity. Thins bursts of a
/// flickering pixel while keeping its first event. Events off the sensor are dropped.
public final class RefractoryFilter: EventFilter {
    public let period: Microseconds
    private var lastPassed: PixelTimes
    public private(set) var seen = 0
    public private(set) var dropped = 0

    public init(sensor: SensorSize, period: Microseconds) {
        precondition(period > 0, "the refractory period must be positive, got \(period) µs")
        self.period = period
        lastPassed = PixelTimes(sensor)
    }

    public func apply(_ input: EventBuffer, into output: EventBuffer) {
        let w = lastPassed.width, period = period
        let kept = lastPassed.filter(input, into: output) { t, x, y, times in
            let before = times[y * w + x]
            guard before == PixelTimes.never || t &- before >= period else { return false }
            times[y * w + x] = t
            return true
        }
        seen += input.count
        dropped += input.count - kept
    }
}
