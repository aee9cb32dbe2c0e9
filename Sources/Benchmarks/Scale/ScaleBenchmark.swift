import DataParallel
import Foundation
import MessagePassing
import Pictures
import SNN
import Tensors
import Training

/// `ottt bench scale`'s measurements: data-parallel training throughput on the ranks at hand, the time of one
/// allreduce of a network's gradients, and the projected efficiency on many machines (`ScalingProjection`).
public enum ScaleBenchmark {
    /// One training measurement: `ranks` × `threads`, `batch` samples per rank per optimizer step.
    public struct Run: Codable, Sendable, Equatable {
        public var preset: String
        public var rule: String
        public var ranks: Int
        public var threads: Int
        public var batch: Int
        public var steps: Int
        /// Training samples per second over all ranks.
        public var samplesPerSecond: Double
        /// Seconds per optimizer step (one global batch).
        public var stepSeconds: Double
        /// Share of the step rank 0 spent in sums over ranks (gradients, losses, counts).
        public var communicationShare: Double
        /// Seconds in sums over ranks per optimizer step.
        public var communicationSeconds: Double

        public var line: String {
            String(format: "%-17@ %-6@ %d rank(s) × %d thread(s)  batch %d/rank  T %d  %8.2f samples/s  step %.3f s  "
                   + "communication %.4f s (%.1f %%)", preset, rule, ranks, threads, batch, steps, samplesPerSecond,
                   stepSeconds, communicationSeconds, 100 * communicationShare)
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

    /// Trains `batches` global batches of synthetic samples with `preset`'s network on `communicator`'s ranks
    /// (`batch` per rank) and times them. Every rank calls it; every rank gets rank 0's figures.
    public static func measure(preset: String, rule: LearningRuleKind, batch: Int, steps: Int, batches: Int,
                               communicator: Communicator) throws -> Run {
        guard let spec = NetworkSpec.preset(preset) else { throw BenchmarkFailure("no preset '\(preset)'") }
        let global = batch * communicator.size
        let config = TrainingConfig(network: spec.description, dropout: spec.dropout, rule: rule, steps: steps,
                                    batch: global, epochs: 1, learningRate: 0.01, seed: 1)
        let samples = SyntheticSamples(count: global * batches, classes: spec.classes, steps: steps,
                                       frameShape: spec.input, seed: 3)
        // One untimed global batch first: the process's one-time costs (first touches, thread start) stay out.
        let warm = try Trainer(config: config, train: SyntheticSamples(count: global, classes: spec.classes, steps: steps,
                                                                        frameShape: spec.input, seed: 2))
        warm.communicator = communicator
        try warm.runEpoch()
        let trainer = try Trainer(config: config, train: samples)
        trainer.communicator = communicator
        let metrics = try trainer.runEpoch()
        let seconds = Double(global * batches) / metrics.samplesPerSecond
        var figures = [metrics.samplesPerSecond, seconds, trainer.communicationSeconds]
        if communicator.size > 1 {
            var bytes = [UInt8](repeating: 0, count: 24)
            bytes.withUnsafeMutableBytes { b in figures.withUnsafeBytes { b.copyMemory(from: $0) } }
            bytes = try communicator.broadcast(bytes)
            bytes.withUnsafeBytes { b in figures.withUnsafeMutableBytes { $0.copyMemory(from: b) } }
        }
        return Run(preset: preset, rule: rule.rawValue, ranks: communicator.size, threads: Parallel.width,
                   batch: batch, steps: steps, samplesPerSecond: figures[0], stepSeconds: figures[1] / Double(batches),
                   communicationShare: figures[2] / figures[1], communicationSeconds: figures[2] / Double(batches))
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
        var median = [times.sorted()[times.count / 2]]
        if communicator.size > 1 { median = try communicator.maximum(median) }
        let n = network.parameterCount
        return Allreduce(preset: preset, ranks: communicator.size, parameters: n, megabytes: Double(4 * n) / 1e6,
                         seconds: median[0])
    }

    /// One row of the projection: the expected weak-scaling efficiency on `machines` at `gigabits` Gb/s.
    public struct Projected: Codable, Sendable, Equatable {
        public var preset: String
        public var machines: Int
        public var gigabits: Double
        public var communicationSeconds: Double
        public var efficiency: Double

        public var line: String {
            String(format: "projected %-17@ %2d machines  %5.0f Gb/s  allreduce %.4f s  efficiency %5.1f %%", preset,
                   machines, gigabits, communicationSeconds, 100 * efficiency)
        }
    }

    /// The efficiency on 4–64 machines at each of `gigabits`, for a step of `computeSeconds` and `bytes` per
    /// allreduce, assuming no overlap (the reduction after the whole backward: a lower bound).
    public static func project(preset: String, computeSeconds: Double, bytes: Double, machines: [Int] = [4, 8, 16, 32, 64],
                               gigabits: [Double] = [10, 100]) -> [Projected] {
        gigabits.flatMap { gb in
            machines.map { n in
                let p = ScalingProjection(computeSeconds: computeSeconds, bytes: bytes,
                                          bandwidth: ScalingProjection.bandwidth(gigabitsPerSecond: gb))
                return Projected(preset: preset, machines: n, gigabits: gb, communicationSeconds: p.communicationSeconds(ranks: n),
                                 efficiency: p.efficiency(ranks: n))
            }
        }
    }

    /// The projection as a chart: efficiency (%) against machines, one line per preset and bandwidth.
    public static func chart(_ rows: [Projected]) -> SVGChart {
        var chart = SVGChart(title: "Projected weak-scaling efficiency (OTTT_A, no overlap)", xLabel: "machines",
                             yLabel: "efficiency (%)", yRange: 0...100)
        chart.integerX = true
        var keys: [String] = []
        for r in rows where !keys.contains("\(r.preset) \(Int(r.gigabits))") { keys.append("\(r.preset) \(Int(r.gigabits))") }
        for key in keys {
            let points = rows.filter { "\($0.preset) \(Int($0.gigabits))" == key }.map { (x: Double($0.machines), y: 100 * $0.efficiency) }
            chart.add("\(key.split(separator: " ")[0]) at \(key.split(separator: " ")[1]) Gb/s", points,
                      dashed: key.hasSuffix(" 100"))
        }
        return chart
    }
}
