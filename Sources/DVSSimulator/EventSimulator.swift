import DVSEvents
import Pictures

/// Turns a scene into events: renders it at a high frame rate and feeds the frames to a DVS pixel array.
public struct EventSimulator {
    /// The pixels; their mismatch is fixed for the simulator's life (one simulated camera).
    public private(set) var pixels: DVSPixelArray
    /// Time between rendered frames, in µs (1000 µs = 1 kHz).
    public let frameInterval: Microseconds
    private var frame: GrayImage

    public init(sensor: SensorSize, parameters: PixelParameters = PixelParameters(),
                frameInterval: Microseconds = 1000, seed: UInt64) {
        precondition(frameInterval > 0, "the frame interval must be positive, got \(frameInterval) µs")
        pixels = DVSPixelArray(sensor: sensor, parameters: parameters, seed: seed)
        self.frameInterval = frameInterval
        frame = GrayImage(width: sensor.width, height: sensor.height)
    }

    /// Appends the events of `scene` to `buffer`, with times offset by `start`. The pixels start afresh on the
    /// scene's first frame; frames follow every `frameInterval` µs and one more at the scene's end.
    public mutating func simulate(_ scene: any Scene, startingAt start: Microseconds,
                                  random: inout SimulatorRandom, into buffer: EventBuffer) {
        precondition(scene.size == pixels.sensor, "scene \(scene.size) does not match the sensor \(pixels.sensor)")
        scene.render(at: 0, into: &frame)
        pixels.reset(to: frame, at: start, random: &random)
        var t: Microseconds = 0
        while t < scene.duration {
            t = min(t + frameInterval, scene.duration)
            scene.render(at: t, into: &frame)
            pixels.step(to: frame, at: start + t, random: &random, into: buffer)
        }
    }
}
