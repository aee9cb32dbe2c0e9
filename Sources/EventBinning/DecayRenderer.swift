import Foundation
import DVSEvents
import Pictures

/// Events drawn as faery's and jAER's decaying views are: each pixel shows the polarity of its last event (ON
/// orange, OFF blue, as `Frames.image` draws them) with a brightness of exp(−(t − t_last) / τ) at the frame's time
/// t, over black. Frames come at a fixed step of stream time from the first event; frame k shows the state at
/// t₀ + (k + 1)·step, after every event before that time.
///
/// Streaming: `add` takes chunks in time order and hands out each frame as soon as an event at or after its time
/// arrives; `finish` hands out the last, partial one. Memory is the sensor's size (a time and a polarity per
/// pixel, one frame of palette indices), whatever the stream's length.
public struct DecayRenderer {
    /// Shades of each polarity in the palette; with the background, 2·levels + 1 ≤ 256 colours.
    public static let levels = 127

    /// The palette of the frames' indices: 0 black, 1…levels ON from dim to full, levels + 1…2·levels OFF.
    public static let palette: [GIFWriter.Colour] = {
        func shade(_ c: (Float, Float, Float), _ k: Int) -> GIFWriter.Colour {
            let a = Float(k) / Float(levels)
            return (UInt8((c.0 * a * 255).rounded()), UInt8((c.1 * a * 255).rounded()), UInt8((c.2 * a * 255).rounded()))
        }
        return [(0, 0, 0)] + (1...levels).map { shade(Frames.onColour, $0) } + (1...levels).map { shade(Frames.offColour, $0) }
    }()

    public let sensor: SensorSize
    /// τ, in µs.
    public let decay: Microseconds
    /// Stream time between frames, in µs (fractional: 30 frames a second of a 1-second stream are 33 333.3 µs).
    public let step: Double
    /// The first event's time, once seen.
    public private(set) var origin: Microseconds?
    /// Frames handed out so far.
    public private(set) var frameCount = 0
    /// Events drawn and events off the sensor.
    public private(set) var drawn = 0
    public private(set) var offSensor = 0
    /// [H, W] the last event's time (`never` where none fell yet) and whether it was ON.
    private var lastTime: [Microseconds]
    private var lastOn: [Bool]
    /// [H, W] the frame being handed out.
    private var indices: [UInt8]
    private static let never = Microseconds.min

    public init(sensor: SensorSize, decay: Microseconds, step: Double) {
        precondition(decay > 0, "the decay must be positive, got \(decay) µs")
        precondition(step >= 1 && step.isFinite, "frames are at least 1 µs apart, got \(step)")
        self.sensor = sensor
        self.decay = decay
        self.step = step
        lastTime = [Microseconds](repeating: Self.never, count: sensor.pixelCount)
        lastOn = [Bool](repeating: false, count: sensor.pixelCount)
        indices = [UInt8](repeating: 0, count: sensor.pixelCount)
    }

    /// Frame `k`'s time after the first event: k·step µs, rounded and saturating. Frame k covers
    /// [offset(k), offset(k + 1)) after the first event and shows the state at its end.
    public static func offset(ofFrame k: Int, step: Double) -> Microseconds {
        let t = Double(k) * step
        return t >= 9.2e18 ? .max : Microseconds(t.rounded())
    }

    /// The stream time frame `k` shows (its end), saturating.
    public func time(ofFrame k: Int) -> Microseconds {
        let (t, overflow) = (origin ?? 0).addingReportingOverflow(Self.offset(ofFrame: k + 1, step: step))
        return overflow ? .max : t
    }

    /// Draws `events` (time-ordered), calling `frame(k, indices)` for each frame whose time they pass. `frame`
    /// returns false to stop (a frame budget): then `add` returns false and the rest is not drawn.
    public mutating func add(_ events: EventBuffer, frame: (Int, [UInt8]) throws -> Bool) rethrows -> Bool {
        let n = events.count, w = sensor.width, h = sensor.height
        guard n > 0 else { return true }
        if origin == nil { origin = events.t[0] }
        var next = time(ofFrame: frameCount)
        for i in 0..<n {
            let t = events.t[i]
            while t >= next {
                render(at: next)
                guard try frame(frameCount, indices) else { return false }
                frameCount += 1
                next = time(ofFrame: frameCount)
            }
            let x = Int(events.x[i]), y = Int(events.y[i])
            guard x < w, y < h else { offSensor += 1; continue }
            lastTime[y * w + x] = t
            lastOn[y * w + x] = events.p[i] != 0
            drawn += 1
        }
        return true
    }

    /// Hands out the last frame (the partial one after the last event), when any event was seen.
    public mutating func finish(frame: (Int, [UInt8]) throws -> Bool) rethrows {
        guard origin != nil else { return }
        render(at: time(ofFrame: frameCount))
        if try frame(frameCount, indices) { frameCount += 1 }
    }

    /// The palette index of a pixel whose last event was `age` µs before the frame's time.
    @inline(__always)
    func shade(age: Microseconds, on: Bool) -> UInt8 {
        let level = Int((Double(Self.levels) * exp(-Double(Swift.max(0, age)) / Double(decay))).rounded())
        return level == 0 ? 0 : UInt8(on ? level : Self.levels + level)
    }

    /// Fills `indices` with the picture at time `t`.
    private mutating func render(at t: Microseconds) {
        // Beyond this age every shade rounds to black: exp(−a/τ)·levels < 0.5.
        let cutoff = Double(decay) * log(2 * Double(Self.levels))
        for i in 0..<indices.count {
            let last = lastTime[i]
            guard last != Self.never else { indices[i] = 0; continue }
            let (age, overflow) = t.subtractingReportingOverflow(last)
            indices[i] = overflow || Double(age) > cutoff ? 0 : shade(age: age, on: lastOn[i])
        }
    }

    /// A frame's indices as an RGB picture (for PNG video frames), each pixel magnified `magnify` times.
    public static func image(_ indices: [UInt8], sensor: SensorSize, magnify: Int = 1) -> PNGImage {
        precondition(indices.count == sensor.pixelCount && magnify >= 1, "a \(sensor) frame at ×\(magnify), got \(indices.count) indices")
        let w = sensor.width * magnify, h = sensor.height * magnify
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let c = palette[Int(indices[(y / magnify) * sensor.width + x / magnify])], o = (y * w + x) * 3
                (rgb[o], rgb[o + 1], rgb[o + 2]) = (c.red, c.green, c.blue)
            }
        }
        return PNGImage(width: w, height: h, rgb: rgb)
    }

    /// `indices` magnified `magnify` times in each direction.
    public static func magnified(_ indices: [UInt8], sensor: SensorSize, by magnify: Int) -> [UInt8] {
        guard magnify > 1 else { return indices }
        let w = sensor.width * magnify
        return (0..<(w * sensor.height * magnify)).map { i in
            indices[(i / w / magnify) * sensor.width + (i % w) / magnify]
        }
    }
}
