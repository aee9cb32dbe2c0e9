import DVSEvents
import DVSSimulator
import Foundation

/// How fast the simulator makes samples of each built-in task, and how many events they hold.
public enum SynthBenchmark {
    public struct Options: Sendable {
        /// Samples made per task.
        public var samples = 200
        public var size = SensorSize(width: 32, height: 32)
        /// Frames rendered per second of simulated time.
        public var frameRate = 1000
        public init() {}
    }

    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "synth"
        public var task: String
        public var size: String
        public var frameRate: Int
        public var samples: Int
        public var seconds: Double
        public var samplesPerSecond: Double
        public var eventsPerSample: Double
        public var eventsPerSimulatedSecond: Double
        public var realtimeFactor: Double

        enum CodingKeys: String, CodingKey {
            case benchmark, task, size, samples, seconds
            case frameRate = "frame_rate", samplesPerSecond = "samples_per_s", eventsPerSample = "events_per_sample"
            case eventsPerSimulatedSecond = "events_per_simulated_s", realtimeFactor = "realtime_factor"
        }

        public var line: String {
            String(format: "synth %@ %@ at %d Hz: %d samples in %.2f s: %.0f samples/s, %.0f events/sample, "
                   + "%.0f events/s simulated, %.0f× real time", task, size, frameRate, samples, seconds,
                   samplesPerSecond, eventsPerSample, eventsPerSimulatedSecond, realtimeFactor)
        }
    }

    /// Checks each task (same seed, same sample; events in time order), then times it and hands its figure to
    /// `report`.
    public static func run(_ options: Options, report: (Result) throws -> Void) throws {
        let settings = SimulationSettings(sensor: options.size, frameInterval: Microseconds(1_000_000 / options.frameRate))
        let samples = options.samples
        for task in SyntheticTask.builtIn {
            try check(task, settings)
            var generator = SampleGenerator(task: task, settings: settings, seed: 1)
            let events = EventBuffer()
            var total = 0
            let start = Clocks.wall()
            for i in 0..<samples {
                events.removeAll()
                generator.generate(sample: i, into: events)
                total += events.count
            }
            let seconds = Clocks.wall() - start
            let simulated = Double(samples) * Double(settings.sampleDuration) * 1e-6
            try report(Result(task: task.name, size: options.size.description, frameRate: options.frameRate,
                          samples: samples, seconds: seconds, samplesPerSecond: Double(samples) / seconds,
                          eventsPerSample: Double(total) / Double(samples),
                          eventsPerSimulatedSecond: Double(total) / simulated, realtimeFactor: simulated / seconds))
        }
    }

    /// Same seed, same sample; events in time order.
    static func check(_ task: SyntheticTask, _ settings: SimulationSettings) throws {
        var a = SampleGenerator(task: task, settings: settings, seed: 3)
        var b = SampleGenerator(task: task, settings: settings, seed: 3)
        let x = EventBuffer(), y = EventBuffer()
        a.generate(sample: 5, into: x)
        b.generate(sample: 5, into: y)
        guard x.events == y.events, !x.isEmpty else {
            throw BenchmarkFailure("synth: task \(task.name) is not reproducible from its seed")
        }
        guard zip(x.t, x.t.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw BenchmarkFailure("synth: task \(task.name) made events out of time order")
        }
    }
}
