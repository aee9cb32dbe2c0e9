import Benchmarks
import DVSEvents
import Pipeline
import SNN

/// `ottt bench latency`: per-bin latency of the always-on learner (bin, resize, predict, learn) on a synthetic
/// stream: small32, 128×128 input resized, Δt = 10 ms, 1 M events/s by default.
struct BenchLatencyCommand: Command {
    static let name = "latency"
    static let abstract = "Per-bin latency of predict + learn on a 1 M events/s stream (p50/p99, real-time factor)."
    static let usage = """
    usage: ottt bench latency [--net LIST] [--rate EVENTS_PER_S] [--dt DURATION] [--bins N] [--budget SECONDS] [--json]

    Streams synthetic events (uniform pixels and polarities on 128×128, evenly spaced in time) through the learner
    stage exactly as `ottt replay --learn` does, without threads or pacing: the streaming binner, the clean resize
    to the network input, one network step, the prequential score and one OTTT_O update per bin. Before timing it
    checks that every event of a bin was binned and that outputs and losses are finite. Reports, per network,
    the step time (predict + learn) p50/p99, the whole bin's p50/p99 (binning and resize included), and the
    real-time factor Δt / mean bin time (above 1 keeps up with the stream).

      --net LIST       comma-separated presets or words (default small32,small48,paper-cifar10dvs)
      --rate R         events per second (default 1000000)
      --dt D           bin width (default 10ms)
      --bins N         timed bins per network (default 500), after 5 warm-up bins
      --budget S       stop a network after S seconds of timing (default 30), whatever N
      --threads N      threads the network uses (default as `ottt live`: 1 under 50 M multiply-adds a step)
    Build with -c release for figures.

    Example:
      ottt bench latency --net small32 --bins 2000
    """

    let nets: [String]
    var options = LatencyBenchmark.Options()
    let threads: Int?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        nets = (try a.option("net") ?? "small32,small48,paper-cifar10dvs").split(separator: ",").map(String.init)
        options.rate = try a.positiveInt("rate", default: options.rate)
        options.binWidth = try a.duration("dt", default: options.binWidth)
        options.bins = try a.positiveInt("bins", default: options.bins)
        options.budget = try a.option("budget", default: options.budget) { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        json = a.flag("json")
        threads = try SessionOptions.threadsOption(&a)
        try a.finish()
    }

    func run() throws {
        var options = self.options
        options.networks = try nets.map { net in
            if let preset = NetworkSpec.preset(net) { return (net, preset) }
            do { return (net, try NetworkSpec(parsing: net)) } catch { throw UsageError("--net: \(error)") }
        }
        let threads = self.threads
        options.threads = threads
        try LatencyBenchmark.run(options) { r in try BenchOutput.print(r, json: json, line: r.line) }
    }
}
