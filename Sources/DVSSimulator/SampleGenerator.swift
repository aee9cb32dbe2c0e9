import DVSEvents

/// How samples are simulated: the sensor, the pixel model, the frame rate and the length of a sample.
public struct SimulationSettings: Sendable, Equatable {
    public var sensor: SensorSize
    public var pixel: PixelParameters
    /// Time between rendered frames, in µs (default 1000 µs: 1 kHz).
    public var frameInterval: Microseconds
    /// Length of one sample, in µs (default 300 ms: three 100 ms saccades, as in N-MNIST).
    public var sampleDuration: Microseconds

    public init(sensor: SensorSize, pixel: PixelParameters = PixelParameters(),
                frameInterval: Microseconds = 1000, sampleDuration: Microseconds = 300_000) {
        precondition(frameInterval > 0 && sampleDuration > 0,
                     "frame interval and sample duration must be positive, got \(frameInterval) and \(sampleDuration) µs")
        self.sensor = sensor
        self.pixel = pixel
        self.frameInterval = frameInterval
        self.sampleDuration = sampleDuration
    }
}

/// One sample's place in time and its class: events in [start, end) belong to it.
public struct SampleSpan: Hashable, Sendable, CustomStringConvertible {
    /// The sample's number in its stream or dataset, from 0.
    public var index: Int
    public var label: Int
    public var start: Microseconds
    public var end: Microseconds

    public init(index: Int, label: Int, start: Microseconds, end: Microseconds) {
        self.index = index
        self.label = label
        self.start = start
        self.end = end
    }

    public var description: String { "sample \(index): label \(label), \(start)…\(end) µs" }
}

/// Makes the samples of a task one at a time, each fixed by (seed, index) alone: sample 5 is the same whether it
/// is made alone, in a dataset or in a stream. One simulated camera (one threshold mismatch) per generator.
public struct SampleGenerator {
    public let task: SyntheticTask
    public let settings: SimulationSettings
    public let seed: UInt64
    private var simulator: EventSimulator

    public init(task: SyntheticTask, settings: SimulationSettings, seed: UInt64) {
        self.task = task
        self.settings = settings
        self.seed = seed
        simulator = EventSimulator(sensor: settings.sensor, parameters: settings.pixel,
                                   frameInterval: settings.frameInterval, seed: seed)
    }

    /// The label of sample `index`.
    public func label(ofSample index: Int) -> Int { task.label(ofSample: index, seed: seed) }

    /// Appends the events of sample `index`, timed from `start`, to `buffer`; returns its span.
    @discardableResult
    public mutating func generate(sample index: Int, startingAt start: Microseconds = 0,
                                  into buffer: EventBuffer) -> SampleSpan {
        let label = label(ofSample: index)
        var random = SimulatorRandom(seed: seed, stream: UInt64(index))
        let scene = task.scene(index: index, label: label, size: settings.sensor,
                               duration: settings.sampleDuration, random: &random)
        simulator.simulate(scene, startingAt: start, random: &random, into: buffer)
        return SampleSpan(index: index, label: label, start: start, end: start + settings.sampleDuration)
    }
}
