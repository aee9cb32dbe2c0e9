import DVSEvents

/// A causal, streaming event filter: chunks go through one after another and the filter remembers what it needs
/// (per-pixel timestamps) between them. Memory is fixed by the sensor size.
public protocol EventFilter: AnyObject {
    /// Replaces `output`'s contents with the events of `input` that pass, in order.
    func apply(_ input: EventBuffer, into output: EventBuffer)
    /// Events seen and events dropped so far.
    var seen: Int { get }
    var dropped: Int { get }
}

/// A per-pixel map of the last time something happened there, and the loop every filter runs over it.
struct PixelTimes {
    let width: Int, height: Int
    /// [H, W]; `never` where nothing happened yet.
    var times: [Microseconds]
    static let never = Microseconds.min / 2

    init(_ sensor: SensorSize) {
        width = sensor.width
        height = sensor.height
        times = [Microseconds](repeating: PixelTimes.never, count: sensor.pixelCount)
    }

    /// Copies into `output` the events of `input` on the sensor for which `passes(t, x, y, times)` is true, in
    /// order; `passes` may update `times` [H, W]. Returns the number kept.
    mutating func filter(
        _ input: EventBuffer, into output: EventBuffer,
        passes: (Microseconds, Int, Int, UnsafeMutableBufferPointer<Microseconds>) -> Bool
    ) -> Int {
        output.removeAll()
        let n = input.count, w = width, h = height
        guard n > 0 else { return 0 }
        var kept = 0
        times.withUnsafeMutableBufferPointer { times in
            output.appendUnsafe(maxCount: n) { ot, ox, oy, op in
                for i in 0..<n {
                    let x = Int(input.x[i]), y = Int(input.y[i])
                    guard x < w, y < h, passes(input.t[i], x, y, times) else { continue }
                    ot[kept] = input.t[i]; ox[kept] = input.x[i]; oy[kept] = input.y[i]; op[kept] = input.p[i]
                    kept += 1
                }
                return kept
            }
        }
        return kept
    }
}
