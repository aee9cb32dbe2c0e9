import Foundation
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
    usage: ottt bench latency [--net LIST] [--rate EVENTS_PER_S] [--dt DURATION] [--bins N] [--budget SECONDS]
                              [--class-memory] [--json]
           ottt bench latency --web [ADDR:]PORT [--clients N] [--rounds N] [--bins N] [--net LIST] [--json]
           ottt bench latency --web [ADDR:]PORT --memory SECONDS [--clients N] [--net NET] [--json]

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
      --class-memory   the class memory engaged at every step (as `live --class-memory`), to time what a
                       memory engaged by a new class costs: each step's cosines to the classes taught so far

    With --web, what the browser view costs the learner: rounds that alternate the learner alone and the learner
    with the live view served on PORT (0: any free port) and N WebSocket clients attached that read every
    message (as a browser that keeps up, without drawing); the view's observe runs on the learner's thread as
    with `replay --web`. Each arm reports the whole bin's p50/p99 (wall), the learner thread's CPU time p50/p99
    per bin (not inflated by other work on a shared machine), the process's CPU time per bin (the view's threads
    included), and the ratios with / without; the load average before and after.
      --web [ADDR:]PORT  serve the view while timing (its URL goes to stderr: a browser may attach too)
      --clients N      clients attached while the view is on (default 1; 10 with --memory)
      --rounds N       alternating rounds (default 6); --bins is then the bins per arm and round (default 200)
      --memory S       instead, stream the first network at the rate paced to real time for S seconds with the
                       view and the clients attached, sampling resident memory every second: the start, after
                       5 s, the end and the largest sample (tools/web-view-fps.py runs this and attaches a
                       headless browser to measure the page's frame rate)
    Build with -c release for figures.

    Examples:
      ottt bench latency --net small32 --bins 2000
      ottt bench latency --net small32 --web 0 --clients 1 --rounds 6 --bins 200
      ottt bench latency --net small32 --web 0 --clients 10 --memory 60
    """

    let nets: [String]
    var options = LatencyBenchmark.Options()
    let threads: Int?
    let json: Bool
    let web: WebOptions?
    var viewOptions = ViewLatencyBenchmark.Options()
    let memorySeconds: Double?

    init(arguments: Arguments) throws {
        var a = arguments
        nets = (try a.option("net") ?? "small32,small48,paper-cifar10dvs").split(separator: ",").map(String.init)
        options.rate = try a.positiveInt("rate", default: options.rate)
        options.binWidth = try a.duration("dt", default: options.binWidth)
        let bins = try a.positiveInt("bins")
        options.bins = bins ?? options.bins
        options.budget = try a.option("budget", default: options.budget) { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        json = a.flag("json")
        threads = try SessionOptions.threadsOption(&a)
        web = try WebOptions.parse(&a)
        memorySeconds = try a.option("memory").map {
            guard let s = Double($0), s >= 1, s <= 86_400 else { throw UsageError("--memory: seconds 1–86400, not '\($0)'") }
            return s
        }
        let clients = try a.option("clients").map {
            guard let n = Int($0), (0...64).contains(n) else { throw UsageError("--clients: 0–64 clients, not '\($0)'") }
            return n
        }
        viewOptions.clients = clients ?? (memorySeconds == nil ? 1 : 10)
        viewOptions.rounds = try a.positiveInt("rounds", default: viewOptions.rounds)
        viewOptions.bins = bins ?? viewOptions.bins
        if a.flag("class-memory") {
            guard web == nil else { throw UsageError("--class-memory times the learner alone: leave out --web") }
            options.classMemory = .always
        }
        if web == nil, clients != nil || memorySeconds != nil {
            throw UsageError("--clients and --memory measure the browser view: give --web [ADDR:]PORT")
        }
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
        guard let web else {
            try LatencyBenchmark.run(options) { r in try BenchOutput.print(r, json: json, line: r.line) }
            return
        }
        let served: (String) -> Void = { printError("ottt: live view at \($0)") }
        if let memorySeconds, let (name, spec) = options.networks.first {
            var m = ViewMemoryBenchmark.Options(spec: spec)
            (m.name, m.rate, m.binWidth, m.seconds, m.clients) = (name, options.rate, options.binWidth, memorySeconds, viewOptions.clients)
            (m.address, m.port, m.threads) = (web.address, web.port, threads)
            let progress = isatty(STDERR_FILENO) != 0
            let r = try ViewMemoryBenchmark.run(m, served: served) { sample in
                if progress { printError(String(format: "ottt: %.0f s, resident %.1f MiB", sample.wall, Double(sample.memory.resident) / 1_048_576)) }
            }
            try BenchOutput.print(r, json: json, line: r.line)
            return
        }
        var v = viewOptions
        (v.networks, v.rate, v.binWidth, v.threads, v.address, v.port) = (options.networks, options.rate, options.binWidth, threads, web.address, web.port)
        try ViewLatencyBenchmark.run(v, served: served) { r in try BenchOutput.print(r, json: json, line: r.lines.joined(separator: "\n")) }
    }
}
