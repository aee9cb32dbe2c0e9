import Benchmarks
import DVSEvents
import DVSSimulator
import Foundation
import Pictures
import Pipeline
import SNN

/// `ottt bench soak`: the always-on learner on hours of synthetic stream, watching resident memory.
struct BenchSoakCommand: Command {
    static let name = "soak"
    static let abstract = "Resident memory of the always-on learner over hours of stream (RSS table, growth, SVG)."
    static let usage = """
    usage: ottt bench soak [--stream DURATION] [--source digits|motion|uniform] [--speed max|N] [OPTIONS]

    Runs the pipeline of `ottt replay --learn` — reader, streaming binner and learner on three threads joined by
    bounded queues, OTTT_O updates after each prequential score, a label schedule, a line printer formatting every
    prediction (into nothing) — on a long synthetic stream, and samples the resident set every --every of stream
    time (VmRSS, its peak VmHWM and its anonymous part RssAnon, from /proc/self/status). Prints one row per sample
    (stream and wall time, memory, events, bins, steps, dropped and merged bins) and the growth from the first
    sample after --warm-up to the last one taken while the pipeline runs; a row marked (end) shows memory after
    it. It fails unless every event was binned, every bin was stepped on, merged or dropped, and every
    prediction was finite.

      --stream D       stream time to run (default 1h; units h, min, s, ms, us)
      --source S       digits or motion: the simulator's labelled samples (300 ms each, silent gaps of at least
                       30 ms as `ottt demo` makes them, state reset after 20 ms of silence); uniform: --rate
                       events/s on 128×128 spread evenly, labels changing every second (default digits)
      --rate R         events per second of the uniform source (default 1000000)
      --net NET        preset or words (default small32)
      --dt D           bin width (default 10ms)
      --speed S        max (default) or a multiple of real time, paced as `ottt replay --speed` does
      --when-behind P  block, drop or merge (default block at max speed, merge when paced, as live)
      --every D        stream time between samples (default 1min)
      --warm-up D      stream time before the first sample growth is measured from (default 1min)
      --print P        none, lines (default) or view: how each prediction is rendered (output discarded)
      --lr X           learning rate of the standard online recipe, as live/replay/demo learn (default \(LearningRecipe.standard.learningRate), Adam, segment updates)
      --svg FILE       a chart of RSS and peak RSS against stream time
      --json           one JSON object per sample, then a summary object
    Build with -c release.

    Examples:
      ottt bench soak --stream 1h --svg soak.svg
      ottt bench soak --stream 10min --speed 4 --when-behind merge --source uniform
    """

    var options = SoakBenchmark.Options()
    let svg: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        func duration(_ name: String, _ value: Microseconds) throws -> Microseconds {
            try a.duration(name, default: value)
        }
        options.duration = try duration("stream", options.duration)
        options.source = try a.option("source", default: .digits) { SoakBenchmark.Source(rawValue: $0) }
        options.rate = try a.positiveInt("rate", default: options.rate)
        options.networkName = try a.option("net") ?? options.networkName
        options.binWidth = try duration("dt", options.binWidth)
        options.speed = try a.option("speed", default: .max) { ReplaySpeed(parsing: $0) }
        options.whenBehind = try a.option("when-behind", default: options.speed == .max ? .block : .merge) {
            BackpressurePolicy(rawValue: $0)
        }
        options.every = try duration("every", options.every)
        options.warmUp = try a.duration("warm-up", default: options.warmUp, positive: false)
        rendering = try a.option("print", default: .lines) { Rendering(rawValue: $0) }
        options.learningRate = try a.option("lr", default: options.learningRate) {
            Float($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
        svg = try a.option("svg")
        json = a.flag("json")
        try a.finish()
        // The simulated sources plan labels over the whole stream: its length is bounded like any size from a flag.
        guard options.duration <= BenchSoakCommand.longestStream else {
            throw UsageError("--stream: at most \(BenchSoakCommand.longestStream / 3_600_000_000) h of stream")
        }
        let (rate, binWidth) = (options.rate, options.binWidth)
        if options.source == .uniform && Int64(rate) * binWidth / 1_000_000 > 50_000_000 {
            throw UsageError("--rate \(rate) with --dt \(binWidth) µs puts more than 50 M events in a bin")
        }
    }

    /// The longest `--stream` (100 h: a soak runs for hours, not for centuries).
    static let longestStream: Microseconds = 100 * 3_600_000_000

    /// What is shown of each bin while the soak runs: the terminal view or lines (written nowhere, so that their
    /// cost is measured), or nothing.
    enum Rendering: String { case none, lines, view }
    var rendering = Rendering.lines

    func display(binWidth: Microseconds) -> SoakBenchmark.Display? {
        guard rendering != .none else { return nil }
        let view = rendering == .view
        return { input in
            let context = OutputContext(title: "soak", classNames: [], input: input, binWidth: binWidth)
            let output: any PredictionOutput = view ? TerminalView(context: context, write: { _ in })
                : LinePrinter(json: false, context: context, write: { _ in })
            return (show: { output.show($0, $1, $2) }, finish: { output.finish($0) })
        }
    }

    /// The network named by --net, checked against the task of a simulator source.
    func network() throws -> NetworkSpec {
        let net = options.networkName
        let spec: NetworkSpec
        if let preset = NetworkSpec.preset(net) { spec = preset } else {
            do { spec = try NetworkSpec(parsing: net) } catch { throw UsageError("--net: \(error.problem)") }
        }
        if let task = SyntheticTask.named(options.source.rawValue), task.classCount != spec.classes {
            throw UsageError("--net: \(spec.classes) outputs for a task of \(task.classCount) classes")
        }
        return spec
    }

    func run() throws {
        var options = self.options
        options.network = try network()
        let binWidth = options.binWidth
        options.display = display(binWidth: binWidth)
        options.sampleGap = { DemoCommand.gap(sampleDuration: $0, binWidth: binWidth) }
        options.silenceReset = DemoCommand.reset
        let progress = ProgressLine("soak")
        let summary = try SoakBenchmark.run(options) { report in
            switch report {
            case .title(let title):
                if json { printError(title) } else { print(title); print(SoakRow.header) }
                fflush(nil)
            case .row(let row):
                progress.finish()
                try? BenchOutput.print(row.json, json: json, line: row.line)
            case .progress(let fraction, let detail):
                progress.update(fraction: fraction, detail: detail)
            }
        }
        progress.finish()
        if json {
            try BenchOutput.print(summary.json, json: true, line: "")
        } else {
            for line in summary.lines { print(line) }
        }
        if let svg {
            try SVGChart.write([chart(summary.trace)], to: svg)
            printError("ottt: wrote \(svg)")
        }
    }

    /// RSS, peak RSS and the anonymous part against stream time, with head room above the curves for the legend.
    func chart(_ trace: MemoryTrace) -> SVGChart {
        let mib = { (bytes: Int) in Double(bytes) / 1_048_576 }
        let top = mib(trace.samples.map(\.memory.peak).max() ?? 1) * 1.3
        var chart = SVGChart(title: "ottt bench soak: \(options.networkName), \(options.source.rawValue), speed \(options.speed)",
                             xLabel: "stream time (min)", yLabel: "MiB", yRange: 0...max(top, 1))
        chart.add("RSS", trace.samples.map { ($0.stream / 60, mib($0.memory.resident)) })
        chart.add("peak RSS", trace.samples.map { ($0.stream / 60, mib($0.memory.peak)) }, dashed: true)
        chart.add("anonymous (heap, stacks)", trace.samples.compactMap { s in
            s.memory.anonymous.map { (s.stream / 60, mib($0)) }
        })
        return chart
    }
}
