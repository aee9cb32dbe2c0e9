import DVSEvents
import DVSSimulator
import Foundation
import Pipeline
import SNN
import Tensors
import Training

/// The always-on learner of `ottt replay --learn` on hours of synthetic stream, watching resident memory.
public enum SoakBenchmark {
    public enum Source: String, Sendable { case digits, motion, uniform }
    /// What the command shows of each bin while the soak runs (the terminal view or lines, written nowhere, so
    /// that their cost is part of the measurement), made once the input shape is known.
    public typealias Display = (_ input: [Int]) -> (show: (BinnedFrame, Prediction, PipelineStatus) -> Void,
                                                    finish: (PipelineSummary) -> Void)

    public struct Options {
        public var duration: Microseconds = 3_600_000_000
        public var source = Source.digits
        /// Events per second of the uniform source.
        public var rate = 1_000_000
        /// The network, and what the report calls it.
        public var network = NetworkSpec.preset("small32")
        public var networkName = "small32"
        public var binWidth: Microseconds = 10_000
        public var speed = ReplaySpeed.max
        public var whenBehind = BackpressurePolicy.block
        /// Stream time between samples, and before the first sample growth is measured from.
        public var every: Microseconds = 60_000_000
        public var warmUp: Microseconds = 60_000_000
        public var display: Display?
        public var learningRate: Float = LearningRecipe.standard.learningRate
        /// Silence between the simulator's samples, given a sample's duration, and the reset policy that uses it.
        public var sampleGap: (Microseconds) -> Microseconds = { _ in 30_000 }
        public var silenceReset = ResetPolicy.silence(20_000)
        /// Threads for the engine (nil: as `ottt live` chooses, `SessionPlan.setEngineThreads`).
        public var threads: Int?
        public init() {}
    }

    /// What a run reports, in order.
    public enum Report {
        /// The run's title, once the pipeline is assembled.
        case title(String)
        case row(SoakRow)
        case progress(fraction: Double, detail: String)
    }

    /// Runs the pipeline for `duration` of stream, sampling memory; checks that every event was binned, every bin
    /// stepped on, merged or dropped, and every prediction finite.
    public static func run(_ options: Options, report: (Report) -> Void) throws -> SoakSummary {
        guard let spec = options.network else { throw BenchmarkFailure("soak: no network") }
        let (events, labels, reset) = try makeSource(options, classes: spec.classes)
        let clock = SystemClock()
        let session = try makeSession(options, spec: spec, source: events, labels: labels, reset: reset, clock: clock)
        let output = options.display?(session.learner.inputShape)

        let input = spec.input.map(String.init).joined(separator: "×")
        let sensor = events.info.sensor
        report(.title("soak \(options.networkName) (\(input)) · \(options.source.rawValue) \(sensor.width)×\(sensor.height) · Δt "
            + "\(Double(options.binWidth) / 1000) ms · \(clockText(Double(options.duration) / 1e6)) of stream · "
            + "speed \(options.speed) · when behind \(options.whenBehind.rawValue) · \(Parallel.width) engine thread(s)"))

        var trace = MemoryTrace(warmUp: Double(options.warmUp) / 1e6)
        let started = clock.now()
        var origin: Microseconds?
        var lastEnd: Microseconds = 0
        var nextSample = options.every
        var failure: String?
        /// Samples and reports a row; the samples taken while the pipeline runs make the trace, the one after it
        /// (threads joined, end-of-run code paths mapped in once) is only shown.
        func record(stream: Microseconds, status: PipelineStatus, steps: Int, running: Bool) -> MemoryTrace.Sample {
            let memory = ResidentMemory.current() ?? ResidentMemory(resident: 0, peak: 0)
            let row = SoakRow(sample: .init(stream: Double(stream) / 1e6, wall: clock.now() - started, memory: memory),
                              events: status.eventsBinned, status: status, steps: steps, running: running)
            if running { trace.add(row.sample) }
            report(.row(row))
            return row.sample
        }
        let summary = try session.run { frame, prediction, status in
            output?.show(frame, prediction, status)
            if failure == nil, !prediction.scores.allSatisfy({ $0.isFinite }) || !(prediction.loss?.isFinite ?? true) {
                failure = "non-finite output or loss at bin \(frame.bins.lowerBound)"
            }
            let start = origin ?? frame.start
            origin = start
            lastEnd = frame.end
            let elapsed = frame.end - start
            if elapsed >= nextSample && elapsed < options.duration {           // the end is sampled after the run
                _ = record(stream: elapsed, status: status, steps: prediction.step, running: true)
                while nextSample <= elapsed { nextSample += options.every }
            }
            report(.progress(fraction: Double(elapsed) / Double(options.duration), detail: String(
                format: "%@ of stream, ×%.1f real time", clockText(Double(elapsed) / 1e6),
                Double(elapsed) / 1e6 / max(clock.now() - started, 1e-9))))
        }
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
        if let failure { throw BenchmarkFailure("soak check failed: \(failure)") }
        return SoakSummary(trace: trace, end: end, streamSeconds: Double(streamed) / 1e6, steps: summary.steps, status: s)
    }

    /// The live pipeline of `ottt replay --learn`, built by the one builder (`LearningSession`): a fresh engine
    /// learner, paced when the speed is a multiple of real time.
    static func makeSession(_ options: Options, spec: NetworkSpec, source: any EventSource, labels: LabelSchedule,
                            reset: ResetPolicy, clock: SystemClock) throws -> LearningSession {
        var settings = SessionSettings(sensor: source.info.sensor, binWidth: options.binWidth, learn: true,
                                       learningRate: options.learningRate, reset: reset)
        settings.network = spec.description
        var plan = SessionPlan(settings: settings, start: .fresh(LearningRecipe.standard.freshSpec(spec), seed: 1),
                               sourceName: "soak")
        plan.labels = .schedule(labels)
        plan.whenBehind = options.whenBehind
        plan.threads = options.threads
        plan.clock = clock
        if case .factor = options.speed { plan.pace = options.speed }
        return try LearningSession(source: source, plan: plan)
    }

    /// The counted source, its label schedule and the reset policy that suits it.
    static func makeSource(_ options: Options, classes: Int) throws -> (CountedEventSource, LabelSchedule, ResetPolicy) {
        let duration = options.duration
        switch options.source {
        case .uniform:
            let labels = LabelSchedule((0..<Int((duration + 999_999) / 1_000_000)).map { i in
                LabelSchedule.Interval(start: Microseconds(i) * 1_000_000, end: Microseconds(i + 1) * 1_000_000,
                                       label: i % classes)
            })
            let uniform = UniformEventSource(sensor: .dvs128, rate: options.rate, duration: duration,
                                             chunk: options.binWidth)
            return (CountedEventSource(uniform), labels, .never)
        case .digits, .motion:
            guard let task = SyntheticTask.named(options.source.rawValue) else {
                throw BenchmarkFailure("soak: no simulator task '\(options.source.rawValue)'")
            }
            guard task.classCount == classes else {
                throw BenchmarkFailure("soak: \(classes) outputs for a task of \(task.classCount) classes")
            }
            let settings = SimulationSettings(sensor: task.defaultSize)
            let gap = options.sampleGap(settings.sampleDuration)
            let period = settings.sampleDuration + gap
            let count = Int((duration + period - 1) / period)
            let stream = SyntheticStream(task: task, settings: settings, seed: 1, sampleCount: count, gap: gap)
            let labels = LabelSchedule((0..<count).map { i in
                let span = stream.span(ofSample: i)
                return LabelSchedule.Interval(start: span.start, end: span.end, label: span.label)
            })
            return (CountedEventSource(stream), labels, options.silenceReset)
        }
    }
}
