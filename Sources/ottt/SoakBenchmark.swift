import DVSEvents
import DVSSimulator
import Foundation
import Pictures
import Pipeline
import SNN
import Tensors
import Training

/// `ottt bench soak`: the always-on learner on hours of synthetic stream, watching resident memory, as issue 4
/// asks ("memory stays flat over hours").
struct SoakBenchmark: Command {
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
      --lr X           learning rate of the online SGD steps (default 0.001; momentum 0.9)
      --svg FILE       a chart of RSS and peak RSS against stream time
      --json           one JSON object per sample, then a summary object
    Build with -c release.

    Examples:
      ottt bench soak --stream 1h --svg soak.svg
      ottt bench soak --stream 10min --speed 4 --when-behind merge --source uniform
    """

    enum Source: String { case digits, motion, uniform }
    enum Rendering: String { case none, lines, view }

    let duration: Microseconds
    let source: Source
    let rate: Int
    let net: String
    let binWidth: Microseconds
    let speed: ReplaySpeed
    let whenBehind: BackpressurePolicy
    let every: Microseconds
    let warmUp: Microseconds
    let rendering: Rendering
    let learningRate: Float
    let svg: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        func duration(_ name: String, _ value: Microseconds) throws -> Microseconds {
            try a.option(name, default: value) { parseLongDuration($0).flatMap { $0 > 0 ? $0 : nil } }
        }
        self.duration = try duration("stream", 3_600_000_000)
        source = try a.option("source", default: .digits) { Source(rawValue: $0) }
        rate = try a.positiveInt("rate", default: 1_000_000)
        net = try a.option("net") ?? "small32"
        binWidth = try duration("dt", 10_000)
        speed = try a.option("speed", default: .max) { ReplaySpeed(parsing: $0) }
        whenBehind = try a.option("when-behind", default: speed == .max ? .block : .merge) { BackpressurePolicy(rawValue: $0) }
        every = try duration("every", 60_000_000)
        warmUp = try a.option("warm-up", default: 60_000_000) { parseLongDuration($0) }
        rendering = try a.option("print", default: .lines) { Rendering(rawValue: $0) }
        learningRate = try a.option("lr", default: 0.001) { Float($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
        svg = try a.option("svg")
        json = a.flag("json")
        try a.finish()
        if source == .uniform && Int64(rate) * binWidth / 1_000_000 > 50_000_000 {
            throw UsageError("--rate \(rate) with --dt \(binWidth) µs puts more than 50 M events in a bin")
        }
    }

    /// One row of the table.
    struct Row {
        var sample: MemoryTrace.Sample
        var events: Int
        var status: PipelineStatus
        var steps: Int
    }

    func run() throws {
        let spec: NetworkSpec
        if let preset = NetworkSpec.preset(net) { spec = preset } else {
            do { spec = try NetworkSpec(parsing: net) } catch { throw UsageError("--net: \(error.problem)") }
        }
        let (events, labels, reset) = try makeSource(classes: spec.classes)
        let learner = NetworkLearner(network: Network(spec: spec, seed: 1),
                                     optimizer: SGD(learningRate: learningRate, momentum: 0.9))
        SessionOptions.configureThreads(for: learner.network, threads: nil)
        let settings = SessionSettings(sensor: events.info.sensor, binWidth: binWidth, network: spec.description,
                                       learn: true, learningRate: learningRate, reset: reset)
        let stage = LearnerStage(learner: learner, decay: settings.decay, reset: reset, learn: true)
        let frameMaker = try FrameMaker(settings: settings, input: learner.inputShape)
        let clock = SystemClock()
        var paced: any EventSource = events
        var realTimeSpeed: Double?
        if case .factor(let f) = speed {
            paced = PacedEventSource(events, speed: speed, slice: binWidth, clock: clock)
            realTimeSpeed = f
        }
        let pipeline = StreamPipeline(source: paced, frameMaker: frameMaker, stage: stage, labels: .schedule(labels),
                                      configuration: .init(whenBehind: whenBehind, realTimeSpeed: realTimeSpeed),
                                      clock: clock)
        let context = OutputContext(title: "soak", classNames: [], input: learner.inputShape, binWidth: binWidth)
        let output: (any PredictionOutput)? = switch rendering {
        case .none: nil
        case .lines: LinePrinter(json: false, context: context, write: { _ in })
        case .view: TerminalView(context: context, write: { _ in })
        }

        let input = spec.input.map(String.init).joined(separator: "×")
        let sensor = events.info.sensor
        let title = "soak \(net) (\(input)) · \(source.rawValue) \(sensor.width)×\(sensor.height) · Δt "
            + "\(Double(binWidth) / 1000) ms · \(clockText(Double(duration) / 1e6)) of stream · speed \(speed) · "
            + "when behind \(whenBehind.rawValue) · \(Parallel.width) engine thread(s)"
        if json { printError(title) } else { print(title); print(SoakBenchmark.header); flush() }

        var trace = MemoryTrace(warmUp: Double(warmUp) / 1e6)
        let progress = ProgressLine("soak")
        let started = clock.now()
        var origin: Microseconds?
        var lastEnd: Microseconds = 0
        var nextSample = every
        var failure: String?
        /// Samples and prints a row; the samples taken while the pipeline runs make the trace, the one after it
        /// (threads joined, end-of-run code paths mapped in once) is only shown.
        @discardableResult
        func record(stream: Microseconds, status: PipelineStatus, steps: Int, running: Bool) -> MemoryTrace.Sample {
            let memory = ResidentMemory.current() ?? ResidentMemory(resident: 0, peak: 0)
            let row = Row(sample: .init(stream: Double(stream) / 1e6, wall: clock.now() - started, memory: memory),
                          events: status.eventsBinned, status: status, steps: steps)
            if running { trace.add(row.sample) }
            progress.finish()
            print(json ? jsonLine(row, running: running) : SoakBenchmark.line(row) + (running ? "" : "  (end)"))
            flush()
            return row.sample
        }
        let summary = try pipeline.run { frame, prediction, status in
            output?.show(frame, prediction, status)
            if failure == nil, !prediction.scores.allSatisfy({ $0.isFinite }) || !(prediction.loss?.isFinite ?? true) {
                failure = "non-finite output or loss at bin \(frame.bins.lowerBound)"
            }
            let start = origin ?? frame.start
            origin = start
            lastEnd = frame.end
            let elapsed = frame.end - start
            if elapsed >= nextSample && elapsed < duration {           // the end is sampled after the run
                record(stream: elapsed, status: status, steps: prediction.step, running: true)
                while nextSample <= elapsed { nextSample += every }
            }
            progress.update(fraction: Double(elapsed) / Double(duration), detail: String(
                format: "%@ of stream, ×%.1f real time", clockText(Double(elapsed) / 1e6),
                Double(elapsed) / 1e6 / max(clock.now() - started, 1e-9)))
        }
        progress.finish()
        let streamed = origin.map { lastEnd - $0 } ?? 0
        let end = record(stream: streamed, status: summary.status, steps: summary.steps, running: false)
        output?.finish(summary)

        // The checks: every event binned, every bin stepped on (or counted as dropped or merged), finite outputs.
        let s = summary.status
        if let error = summary.sourceError { failure = failure ?? "the source failed: \(error)" }
        if s.eventsBinned != events.delivered {
            failure = failure ?? "the binner saw \(s.eventsBinned) events, the source gave \(events.delivered)"
        }
        if s.eventsLate + s.eventsOffSensor > 0 {
            failure = failure ?? "\(s.eventsLate) late and \(s.eventsOffSensor) off-sensor events from a clean source"
        }
        if summary.steps + s.frames.merged + s.frames.dropped != s.frames.received {
            failure = failure ?? "\(s.frames.received) bins made, \(summary.steps) stepped on, "
                + "\(s.frames.merged) merged, \(s.frames.dropped) dropped"
        }
        if let failure { throw CommandFailure("soak check failed: \(failure)") }

        let growth = trace.growth
        if json {
            var fields = ["\"summary\":true", "\"stream_s\":\(Double(streamed) / 1e6)", "\"steps\":\(summary.steps)",
                          String(format: "\"peak_mib\":%.2f", mebibytes(end.memory.peak)),
                          String(format: "\"end_mib\":%.2f", mebibytes(end.memory.resident))]
            if let g = growth {
                fields += [String(format: "\"from_mib\":%.2f", mebibytes(g.from.memory.resident)),
                           String(format: "\"to_mib\":%.2f", mebibytes(g.to.memory.resident)),
                           String(format: "\"growth_mib\":%.3f", mebibytes(g.bytes)),
                           String(format: "\"growth_percent\":%.3f", g.percent),
                           String(format: "\"growth_mib_per_stream_hour\":%.3f", g.bytesPerStreamHour / 1_048_576)]
                if let a = g.anonymousBytes { fields.append(String(format: "\"anon_growth_mib\":%.3f", mebibytes(a))) }
            }
            if let acc = s.metrics?.accuracy { fields.append(String(format: "\"prequential_accuracy\":%.4f", acc)) }
            print("{" + fields.joined(separator: ",") + "}")
        } else {
            print(SoakBenchmark.growthText(growth, warmUp: trace.warmUp)
                  + String(format: "; after the run %.2f MiB", mebibytes(end.memory.resident)))
            if let m = s.metrics, let acc = m.accuracy {
                print(String(format: "prequential accuracy %.1f%% over %d labelled bins (last %d: %.1f%%); step p50 %.2f ms p99 %.2f ms",
                             acc * 100, m.scored, min(m.window, m.scored), (m.rollingAccuracy ?? 0) * 100,
                             (s.latencyP50 ?? 0) * 1e3, (s.latencyP99 ?? 0) * 1e3))
            }
        }
        if let svg {
            // Head room above the curves for the legend.
            let top = mebibytes(trace.samples.map(\.memory.peak).max() ?? 1) * 1.3
            var chart = SVGChart(title: "ottt bench soak: \(net), \(source.rawValue), speed \(speed)",
                                 xLabel: "stream time (min)", yLabel: "MiB", yRange: 0...max(top, 1))
            chart.add("RSS", trace.samples.map { ($0.stream / 60, mebibytes($0.memory.resident)) })
            chart.add("peak RSS", trace.samples.map { ($0.stream / 60, mebibytes($0.memory.peak)) }, dashed: true)
            chart.add("anonymous (heap, stacks)", trace.samples.compactMap { s in
                s.memory.anonymous.map { (s.stream / 60, mebibytes($0)) }
            })
            try SVGChart.write([chart], to: svg)
            printError("ottt: wrote \(svg)")
        }
    }

    /// The counted source, its label schedule and the reset policy that suits it.
    private func makeSource(classes: Int) throws -> (CountedEventSource, LabelSchedule, ResetPolicy) {
        switch source {
        case .uniform:
            let labels = LabelSchedule((0..<Int((duration + 999_999) / 1_000_000)).map { i in
                LabelSchedule.Interval(start: Microseconds(i) * 1_000_000, end: Microseconds(i + 1) * 1_000_000,
                                       label: i % classes)
            })
            let uniform = UniformEventSource(sensor: .dvs128, rate: rate, duration: duration, chunk: binWidth)
            return (CountedEventSource(uniform), labels, .never)
        case .digits, .motion:
            let task = SyntheticTask.named(source.rawValue)!
            guard task.classCount == classes else {
                throw UsageError("--net: \(classes) outputs for a task of \(task.classCount) classes")
            }
            let settings = SimulationSettings(sensor: task.defaultSize)
            let gap = DemoCommand.gap(sampleDuration: settings.sampleDuration, binWidth: binWidth)
            let period = settings.sampleDuration + gap
            let count = Int((duration + period - 1) / period)
            let stream = SyntheticStream(task: task, settings: settings, seed: 1, sampleCount: count, gap: gap)
            let labels = LabelSchedule((0..<count).map { i in
                let span = stream.span(ofSample: i)
                return LabelSchedule.Interval(start: span.start, end: span.end, label: span.label)
            })
            return (CountedEventSource(stream), labels, DemoCommand.reset)
        }
    }

    static let header = "   stream      wall  RSS MiB  peak MiB  anon MiB        events       bins      steps  dropped   merged  blocked   acc"

    static func line(_ r: Row) -> String {
        let acc = r.status.metrics?.rollingAccuracy.map { String(format: "%5.1f%%", $0 * 100) } ?? "    -"
        return clockText(r.sample.stream).leftPadded(9) + " " + clockText(r.sample.wall).leftPadded(9)
            + String(format: " %8.2f %9.2f ", mebibytes(r.sample.memory.resident), mebibytes(r.sample.memory.peak))
            + anonymous(r.sample.memory).leftPadded(9)
            + String(format: " %13d %10d %10d %8d %8d %8d %@", r.events, r.status.frames.received, r.steps,
                     r.status.frames.dropped, r.status.frames.merged, r.status.frames.blocked, acc)
    }

    private func jsonLine(_ r: Row, running: Bool) -> String {
        let anon = r.sample.memory.anonymous.map { String(format: "%.3f", mebibytes($0)) } ?? "null"
        return String(format: "{\"benchmark\":\"soak\",\"stream_s\":%.3f,\"wall_s\":%.3f,\"rss_mib\":%.3f,"
                      + "\"peak_mib\":%.3f,\"anon_mib\":%@,\"events\":%d,\"bins\":%d,\"steps\":%d,\"dropped\":%d,"
                      + "\"merged\":%d,\"blocked\":%d,\"running\":%@}",
                      r.sample.stream, r.sample.wall, mebibytes(r.sample.memory.resident), mebibytes(r.sample.memory.peak),
                      anon as NSString, r.events, r.status.frames.received, r.steps, r.status.frames.dropped,
                      r.status.frames.merged, r.status.frames.blocked, (running ? "true" : "false") as NSString)
    }

    private static func anonymous(_ m: ResidentMemory) -> String {
        m.anonymous.map { String(format: "%.2f", mebibytes($0)) } ?? "-"
    }

    /// "RSS growth after 0:01:00 of warm-up: 27.70 → 27.92 MiB, +0.22 MiB (+0.79 %) over 0:56:00 of stream (…)".
    static func growthText(_ growth: MemoryTrace.Growth?, warmUp: Double) -> String {
        guard let g = growth else { return "no sample after the \(clockText(warmUp)) warm-up: run longer than --warm-up" }
        return String(format: "RSS growth after %@ of warm-up: %.2f → %.2f MiB, %+.2f MiB (%+.2f %%) over %@ of stream "
                      + "(%+.2f MiB per stream hour); peak %.2f MiB",
                      clockText(warmUp), mebibytes(g.from.memory.resident), mebibytes(g.to.memory.resident),
                      mebibytes(g.bytes), g.percent, clockText(g.to.stream - g.from.stream),
                      g.bytesPerStreamHour / 1_048_576, mebibytes(g.to.memory.peak))
            + (g.anonymousBytes.map { String(format: "; anonymous (heap, stacks) %+.2f MiB", mebibytes($0)) } ?? "")
    }

    /// Pushes the row to a pipe or log now, not at exit (all C streams).
    private func flush() { fflush(nil) }
}

private func mebibytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

/// 3725.4 → "1:02:05".
func clockText(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
}

/// A duration with a unit, up to hours: `1h`, `90min`, and what `parseDuration` reads (`30s`, `10ms`, `500us`).
func parseLongDuration(_ text: String) -> Microseconds? {
    for (suffix, scale) in [("h", 3_600_000_000.0), ("min", 60_000_000.0)] where text.hasSuffix(suffix) {
        guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v >= 0 else { return nil }
        return Microseconds((v * scale).rounded())
    }
    return parseDuration(text)
}

/// Counts the events another source delivers (read by the reader thread; `delivered` is read after the run).
private final class CountedEventSource: EventSource {
    let inner: any EventSource
    private(set) var delivered = 0
    init(_ inner: any EventSource) { self.inner = inner }
    var info: StreamInfo { inner.info }
    func read(into buffer: EventBuffer) throws -> Bool {
        guard try inner.read(into: buffer) else { return false }
        delivered += buffer.count
        return true
    }
}

/// `rate` events per second for `duration` µs, uniform over pixels and polarities, evenly spaced in time, one
/// chunk per `chunk` µs: the stream of `ottt bench latency`, made endless-looking and cheap.
private final class UniformEventSource: EventSource {
    let info: StreamInfo
    private let rate: Int
    private let duration: Microseconds
    private let chunk: Microseconds
    private var next: Microseconds = 0
    private var state: UInt64 = 7

    init(sensor: SensorSize, rate: Int, duration: Microseconds, chunk: Microseconds) {
        info = StreamInfo(format: "uniform", sensor: sensor)
        self.rate = rate
        self.duration = duration
        self.chunk = chunk
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        guard next < duration else { return false }
        let end = min(next + chunk, duration)
        // Event k of the stream falls at k · 10⁶ / rate µs; this chunk holds those in [next, end).
        let first = (Int64(next) * Int64(rate) + 999_999) / 1_000_000
        let last = (Int64(end) * Int64(rate) + 999_999) / 1_000_000
        let width = UInt64(info.sensor.width), height = UInt64(info.sensor.height)
        for k in first..<last {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = state >> 16
            buffer.append(t: k * 1_000_000 / Int64(rate), x: UInt16(r % width), y: UInt16((r >> 16) % height),
                          p: UInt8((r >> 40) & 1))
        }
        next = end
        return true
    }
}
