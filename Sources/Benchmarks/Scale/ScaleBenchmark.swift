import DataParallel
import Foundation
import MessagePassing
import SNN
import Tensors
import Training

/// `ottt bench scale`'s measurements: data-parallel training throughput on the ranks at hand and the time of one
/// allreduce of a network's gradients. The rounds, the weak-scaling ratios and the projection to many machines are
/// in ScaleBenchmark+Summary.swift; the reading of the ranks' report in ScaleBenchmark+Report.swift.
public enum ScaleBenchmark {
    /// One training measurement: `ranks` × `threads`, `batch` samples per rank per optimizer step, `batches`
    /// global batches timed after one untimed.
    public struct Run: Codable, Sendable, Equatable {
        public var preset: String
        public var rule: String
        public var ranks: Int
        public var threads: Int
        public var batch: Int
        public var steps: Int
        /// Global batches timed (after one untimed warm-up batch of the same trainer).
        public var batches: Int
        /// Seconds those batches took (rank 0's clock).
        public var seconds: Double
        /// Training samples per second over all ranks.
        public var samplesPerSecond: Double
        /// Seconds per optimizer step (one global batch).
        public var stepSeconds: Double
        /// Share of the step rank 0 spent in sums over ranks (gradients, losses, counts).
        public var communicationShare: Double
        /// Seconds in sums over ranks per optimizer step.
        public var communicationSeconds: Double
        /// The round of `ottt bench scale` it belongs to (1-based; nil outside rounds).
        public var round: Int?

        /// The figures of `batches` global batches of `batch` × `ranks` samples timed at `seconds`, of which
        /// `communication` seconds were sums over ranks.
        public init(preset: String, rule: String, ranks: Int, threads: Int, batch: Int, steps: Int, batches: Int,
                    seconds: Double, communication: Double, round: Int? = nil) {
            self.preset = preset; self.rule = rule; self.ranks = ranks; self.threads = threads; self.batch = batch
            self.steps = steps; self.batches = batches; self.seconds = seconds; self.round = round
            samplesPerSecond = Double(batch * ranks * batches) / seconds
            stepSeconds = seconds / Double(batches)
            communicationShare = communication / seconds
            communicationSeconds = communication / Double(batches)
        }

        public var line: String {
            let prefix = round.map { "round \($0)  " } ?? ""
            return prefix + String(format: "%-17@ %-6@ %d rank(s) × %d thread(s)  batch %d/rank  T %d  %8.2f samples/s  "
                + "step %.3f s (%d batch%@, %.1f s)  communication %.4f s (%.1f %%)", preset, rule, ranks, threads,
                batch, steps, samplesPerSecond, stepSeconds, batches, batches == 1 ? "" : "es", seconds,
                communicationSeconds, 100 * communicationShare)
        }
    }

    /// The time of one allreduce of a network's gradients over the ranks at hand.
    public struct Allreduce: Codable, Sendable, Equatable {
        public var preset: String
        public var ranks: Int
        public var parameters: Int
        public var megabytes: Double
        /// Median seconds of one reduction (all buckets, started together, as after a backward without overlap).
        public var seconds: Double

        public var line: String {
            String(format: "allreduce %-17@ %d ranks  %d weights (%.1f MB)  %.4f s", preset, ranks, parameters,
                   megabytes, seconds)
        }
    }

    /// Trains `preset`'s network on synthetic samples on `communicator`'s ranks (`batch` per rank) and times at
    /// least `budget` seconds of global batches, each measurement after one untimed batch of its own trainer. The
    /// number of batches follows from a first estimate of the step (one batch of a fresh trainer, one-time costs
    /// included) and is raised (at most twice) while the timed batches fall short of 80 % of the budget. Every
    /// rank calls it and gets rank 0's figures, so every rank takes the same decisions.
    public static func measure(preset: String, rule: LearningRuleKind, batch: Int, steps: Int, budget: Double,
                               communicator: Communicator) throws -> Run {
        guard let spec = NetworkSpec.preset(preset) else { throw BenchmarkFailure("no preset '\(preset)'") }
        let global = batch * communicator.size
        let config = TrainingConfig(network: spec.description, dropout: spec.dropout, rule: rule, steps: steps,
                                    batch: global, epochs: 1, learningRate: 0.01, seed: 1)
        func timed(_ batches: Int, warmUp: Bool) throws -> (seconds: Double, communication: Double) {
            let samples = SyntheticSamples(count: global * (batches + (warmUp ? 1 : 0)), classes: spec.classes,
                                           steps: steps, frameShape: spec.input, seed: 3)
            let trainer = try Trainer(config: config, train: samples)
            trainer.communicator = communicator
            let marks = Marks()
            trainer.onProgress = { [unowned trainer] p in
                guard p.phase == .training else { return }
                if warmUp && p.done == global { marks.start = (p.seconds, trainer.communicationSeconds) }
                marks.end = (p.seconds, trainer.communicationSeconds)
            }
            try trainer.runEpoch()
            let figures = try rootFigures([marks.end.0 - marks.start.0, marks.end.1 - marks.start.1], communicator)
            return (figures[0], figures[1])
        }
        var estimate = try timed(1, warmUp: false).seconds
        var batches = 0, result = (seconds: 0.0, communication: 0.0)
        for _ in 0..<3 {
            batches = batchesFor(budget: budget, step: estimate)
            result = try timed(batches, warmUp: true)
            estimate = result.seconds / Double(batches)
            if result.seconds >= 0.8 * budget { break }
        }
        return Run(preset: preset, rule: rule.rawValue, ranks: communicator.size, threads: Parallel.width, batch: batch,
                   steps: steps, batches: batches, seconds: result.seconds, communication: result.communication)
    }

    /// The number of batches of `step` seconds that fill `budget` seconds: at least 1, at most 100 000.
    public static func batchesFor(budget: Double, step: Double) -> Int {
        guard step > 0, step.isFinite, budget > 0 else { return 1 }
        return Int(min(100_000, max(1, (budget / step).rounded(.up))))
    }

    /// Where a timed epoch's clock and communication stood after the warm-up batch and at its end.
    private final class Marks {
        var start = (0.0, 0.0), end = (0.0, 0.0)
    }

    /// Rank 0's `figures` on every rank.
    private static func rootFigures(_ figures: [Double], _ communicator: Communicator) throws -> [Double] {
        guard communicator.size > 1 else { return figures }
        var values = figures
        var bytes = values.withUnsafeBytes { Array($0) }
        bytes = try communicator.broadcast(bytes)
        bytes.withUnsafeBytes { b in values.withUnsafeMutableBytes { $0.copyMemory(from: b) } }
        return values
    }

    /// The median of `runs` reductions of `preset`'s gradients (its real parameter shapes and buckets).
    public static func allreduce(preset: String, communicator: Communicator, runs: Int = 5) throws -> Allreduce {
        guard let spec = NetworkSpec.preset(preset) else { throw BenchmarkFailure("no preset '\(preset)'") }
        let network = Network(spec: spec, seed: 1)
        let reducer = GradientReducer(parameters: network.parameters, communicator: communicator)
        var times: [Double] = []
        for _ in 0..<runs {
            try communicator.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            try reducer.reduce(localBatch: 1, globalBatch: communicator.size)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        var median = [ScaleBenchmark.median(times)]
        if communicator.size > 1 { median = try communicator.maximum(median) }
        let n = network.parameterCount
        return Allreduce(preset: preset, ranks: communicator.size, parameters: n, megabytes: Double(4 * n) / 1e6,
                         seconds: median[0])
    }
}
