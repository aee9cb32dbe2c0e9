import DVSEvents

/// Events made from a seed for timing: uniform pixels and polarities, time-sorted.
public enum SyntheticEvents {
    /// `n` time-sorted events with uniform pixels and polarities, 0–3 µs apart.
    public static func uniform(_ n: Int, sensor: SensorSize, seed: UInt64) -> EventBuffer {
        let buffer = EventBuffer(capacity: n)
        var state = seed
        buffer.appendUnsafe(maxCount: n) { t, x, y, p in
            var now: Int64 = 0
            for i in 0..<n {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = state >> 16
                now += Int64(r & 3)
                t[i] = now
                x[i] = UInt16((r >> 2) % UInt64(sensor.width))
                y[i] = UInt16((r >> 10) % UInt64(sensor.height))
                p[i] = UInt8((r >> 20) & 1)
            }
            return n
        }
        return buffer
    }
}
