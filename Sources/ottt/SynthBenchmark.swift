import DVSEvents
import DVSSimulator
import Foundation

/// `ottt bench synth`: how fast the simulator makes samples, and how many events they hold.
struct SynthBenchmark: Command {
    static let name = "synth"
    static let abstract = "Simulator speed: samples/s, events/s and real-time factor per task."
    static let usage = """
    usage: ottt bench synth [--samples N] [--size N] [--frame-rate HZ] [--json]

    Makes N samples (default 200) of each task in memory (300 ms each, 32×32 by default, rendered at 1 kHz),
    after checking that a sample made twice from one seed is the same and that events are in time order.
    Prints samples per second, events per sample, events per second of simulated time and the real-time
    factor (simulated time / wall time). Build with -c release for figures.

    Example:
      ottt bench synth --samples 500 --size 48
    """

    let samples: Int
    let size: SensorSize
    let frameRate: Int
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        samples = try a.positiveInt("samples", default: 200)
        size = try a.option("size", default: SensorSize(width: 32, height: 32), SynthCommand.parseSize)
        frameRate = try a.option("frame-rate", default: 1000) { Int($0).flatMap { (10...1_000_000).contains($0) ? $0 : nil } }
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        let settings = SimulationSettings(sensor: size, frameInterval: Microseconds(1_000_000 / frameRate))
        for task in SyntheticTask.builtIn {
            try check(task, settings)
            var generator = SampleGenerator(task: task, settings: settings, seed: 1)
            let events = EventBuffer()
            var total = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<samples {
                events.removeAll()
                generator.generate(sample: i, into: events)
                total += events.count
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let simulated = Double(samples) * Double(settings.sampleDuration) * 1e-6
            let perSample = Double(total) / Double(samples)
            let rate = Double(total) / simulated
            if json {
                print("{\"benchmark\": \"synth\", \"task\": \"\(task.name)\", \"size\": \"\(size)\", "
                      + "\"frame_rate\": \(frameRate), \"samples\": \(samples), \"seconds\": \(seconds), "
                      + "\"samples_per_s\": \(Double(samples) / seconds), \"events_per_sample\": \(perSample), "
                      + "\"events_per_simulated_s\": \(rate), \"realtime_factor\": \(simulated / seconds)}")
            } else {
                print(String(format: "synth %@ %@ at %d Hz: %d samples in %.2f s: %.0f samples/s, %.0f events/sample, "
                             + "%.0f events/s simulated, %.0f× real time",
                             task.name, size.description, frameRate, samples, seconds, Double(samples) / seconds,
                             perSample, rate, simulated / seconds))
            }
        }
    }

    /// Same seed, same sample; events in time order.
    func check(_ task: SyntheticTask, _ settings: SimulationSettings) throws {
        var a = SampleGenerator(task: task, settings: settings, seed: 3)
        var b = SampleGenerator(task: task, settings: settings, seed: 3)
        let x = EventBuffer(), y = EventBuffer()
        a.generate(sample: 5, into: x)
        b.generate(sample: 5, into: y)
        guard x.events == y.events, !x.isEmpty else {
            throw CommandFailure("synth: task \(task.name) is not reproducible from its seed")
        }
        guard zip(x.t, x.t.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw CommandFailure("synth: task \(task.name) made events out of time order")
        }
    }
}
