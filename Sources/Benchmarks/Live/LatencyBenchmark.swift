import DVSEvents
import EventBinning
import Foundation
import Pipeline
import SNN
import Tensors
import Training

/// Per-bin latency of the always-on learner (bin, resize, predict, learn) on a synthetic stream on 128×128, as
/// `ottt replay --learn` runs it but without threads or pacing.
public enum LatencyBenchmark {
    public struct Options {
        /// The networks timed, and what the report calls them.
        public var networks: [(name: String, spec: NetworkSpec)] = []
        /// Events per second.
        public var rate = 1_000_000
        public var binWidth: Microseconds = 10_000
        /// Timed bins per network (after 5 warm-up bins), and the seconds of timing after which a network stops.
        public var bins = 500
        public var budget = 30.0
        /// Threads for the engine (nil: as `ottt live` chooses, `SessionPlan.setEngineThreads`).
        public var threads: Int?
        /// The learner's class memory: the sessions' default, or `.always` to time a memory engaged at every step.
        public var classMemory = LearningRecipe.standard.classMemory
        public init() {}
    }

    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "latency"
        public var net: String
        public var input: String
        public var dtMicroseconds: Int
        public var eventsPerSecond: Int
        public var bins: Int
        public var stepP50Milliseconds: Double, stepP99Milliseconds: Double
        public var binP50Milliseconds: Double, binP99Milliseconds: Double, binMeanMilliseconds: Double
        /// Δt over the mean bin time: above 1 keeps up with the stream.
        public var realtimeFactor: Double
        public var blasThreads: Int
        /// The class memory's mode (`ClassMemoryMode`'s word).
        public var classMemory: String

        enum CodingKeys: String, CodingKey {
            case benchmark, net, input, bins
            case dtMicroseconds = "dt_us", eventsPerSecond = "events_per_s"
            case stepP50Milliseconds = "step_p50_ms", stepP99Milliseconds = "step_p99_ms"
            case binP50Milliseconds = "bin_p50_ms", binP99Milliseconds = "bin_p99_ms", binMeanMilliseconds = "bin_mean_ms"
            case realtimeFactor = "realtime_factor", blasThreads = "blas_threads", classMemory = "class_memory"
        }

        public var line: String {
            String(format: "%@ (%@), Δt %.1f ms, %.2f M events/s, %d bins: step p50 %.3f ms p99 %.3f ms; "
                   + "whole bin p50 %.3f ms p99 %.3f ms mean %.3f ms; real time ×%.2f; %d thread(s)",
                   net, input, Double(dtMicroseconds) / 1e3, Double(eventsPerSecond) / 1e6, bins, stepP50Milliseconds,
                   stepP99Milliseconds, binP50Milliseconds, binP99Milliseconds, binMeanMilliseconds, realtimeFactor,
                   blasThreads)
                + (classMemory == ClassMemoryMode.always.rawValue ? "; class memory engaged at every step" : "")
        }
    }

    /// Times every network in turn, handing each figure to `report`.
    public static func run(_ options: Options, report: (Result) throws -> Void) throws {
        for (name, spec) in options.networks { try report(try measure(name, spec, options)) }
    }

    static func measure(_ name: String, _ spec: NetworkSpec, _ options: Options) throws -> Result {
        let binWidth = options.binWidth, bins = options.bins
        let defaultThreads = Parallel.width
        var learner = try TimedLearner(name: name, spec: spec, rate: options.rate, binWidth: binWidth,
                                       threads: options.threads, classMemory: options.classMemory)
        let threads = Parallel.width
        defer { Parallel.setWidth(defaultThreads) }
        let clock = SystemClock()
        var stepTimes = LatencyStats(capacity: bins), binTimes = LatencyStats(capacity: bins)
        var totalBinTime = 0.0
        var timed = 0
        let warmUp = 5
        let started = clock.now()
        while timed < bins && (timed == 0 || clock.now() - started < options.budget) {
            _ = learner.nextChunk()
            let bin = learner.bin
            let times = try learner.push()
            if bin > warmUp {
                stepTimes.add(times.step)
                binTimes.add(times.total)
                totalBinTime += times.total
                timed += 1
            }
        }
        let mean = totalBinTime / Double(timed)
        guard let stepP50 = stepTimes.p50, let stepP99 = stepTimes.p99, let binP50 = binTimes.p50,
              let binP99 = binTimes.p99 else {
            throw BenchmarkFailure("latency: no bin of \(name) was timed")
        }
        return Result(net: name, input: spec.input.map(String.init).joined(separator: "×"), dtMicroseconds: Int(binWidth),
                      eventsPerSecond: options.rate, bins: timed, stepP50Milliseconds: stepP50 * 1e3,
                      stepP99Milliseconds: stepP99 * 1e3, binP50Milliseconds: binP50 * 1e3, binP99Milliseconds: binP99 * 1e3,
                      binMeanMilliseconds: mean * 1e3, realtimeFactor: Double(binWidth) / 1e6 / mean, blasThreads: threads,
                      classMemory: options.classMemory.rawValue)
    }
}
