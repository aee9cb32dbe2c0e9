import DVSEvents

/// Background-activity denoising by neighbour support (jAER's BackgroundActivityFilter, tonic's `denoise`):
/// an event passes when one of its 8 neighbouring pixels had an event within the last `window` µs
/// (t − t_neighbour ≤ window). Every event, passed or not, then marks its own pixel with its time. Isolated noise
/// events have no recent neighbours; edges of moving objects do. Events off the sensor are dropped.
public final class BackgroundActivityFilter: EventFilter {
    public let window: Microseconds
    private var last: PixelTimes
    public private(set) var seen = 0
    public private(set) var dropped = 0

    public init(sensor: SensorSize, window: Microseconds) {
        precondition(window > 0, "the support window must be positive, got \(window) µs")
        self.window = window
        last = PixelTimes(sensor)
    }

    public func apply(_ input: EventBuffer, into output: EventBuffer) {
        let w = last.width, h = last.height, window = window
        let kept = last.filter(input, into: output) { t, x, y, times in
            var supported = false
            for ny in max(0, y - 1)...min(h - 1, y + 1) {
                for nx in max(0, x - 1)...min(w - 1, x + 1) where nx != x || ny != y {
                    let before = times[ny * w + nx], d = t &- before
                    supported = supported || (before != PixelTimes.never && d >= 0 && d <= window)
                }
            }
            times[y * w + x] = t
            return supported
        }
        seen += input.count
        dropped += input.count - kept
    }
}
