import Benchmarks
import DVSEvents

/// `ottt bench synth`: how fast the simulator makes samples, and how many events they hold.
struct BenchSynthCommand: Command {
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

    var options = SynthBenchmark.Options()
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        options.samples = try a.positiveInt("samples", default: options.samples)
        options.size = try a.option("size", default: options.size, SynthCommand.parseSize)
        options.frameRate = try a.option("frame-rate", default: 1000) {
            Int($0).flatMap { (10...1_000_000).contains($0) ? $0 : nil }
        }
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        try SynthBenchmark.run(options) { r in try BenchOutput.print(r, json: json, line: r.line) }
    }
}
