import Foundation
import SNN
import Tensors
import Training

/// One configuration of `ottt bench train`: training (or inference) speed, the matrix-product rate, firing rates
/// and peak memory of the engine on a preset, measured in this process.
public enum TrainMeasurement {
    /// What `ottt bench train --one` measures.
    public struct Options: Sendable {
        public var preset = "small32"
        /// ottt-a, ottt-o, bptt or infer.
        public var rule = "ottt-a"
        public var steps = 10
        public var batch = 1
        /// Time at least this long after one warm-up batch…
        public var seconds = 3.0
        /// …or exactly this many batches, when given.
        public var batches: Int?
        /// Threads of the engine (nil: as it is).
        public var threads: Int?
        public init() {}
    }

    /// The figures of one configuration (a child's `--json` line, which the suite reads back).
    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "train"
        public var preset: String, rule: String, steps: Int, batch: Int
        /// Samples/s (training) or time steps/s (inference).
        public var perSecond: Double
        public var unit: String
        public var gflops: Double
        public var firingRates: [Double]
        public var peakRSSBytes: Int
        /// CPU seconds used per wall second over the timing (at most the threads; waiting threads spin briefly).
        public var cpusBusy: Double
        public var openblasCore: String
        public var threads: Int

        enum CodingKeys: String, CodingKey {
            case benchmark, preset, rule, steps, batch, unit, gflops, threads
            case perSecond = "per_second", firingRates = "firing_rates", peakRSSBytes = "peak_rss_bytes"
            case cpusBusy = "cpus_busy", openblasCore = "openblas_core"
        }

        public init(preset: String, rule: String, steps: Int, batch: Int, perSecond: Double, unit: String,
                    gflops: Double, firingRates: [Double], peakRSSBytes: Int, cpusBusy: Double, openblasCore: String,
                    threads: Int) {
            (self.preset, self.rule, self.steps, self.batch) = (preset, rule, steps, batch)
            (self.perSecond, self.unit, self.gflops, self.firingRates) = (perSecond, unit, gflops, firingRates)
            (self.peakRSSBytes, self.cpusBusy, self.openblasCore, self.threads) = (peakRSSBytes, cpusBusy, openblasCore, threads)
        }

        public var line: String {
            let rates = firingRates.map { String(format: "%.3f", $0) }.joined(separator: " ")
            return String(format: "%@ %@ T=%d B=%d: %.2f %@, %.0f GFLOP/s, peak RSS %.0f MiB (firing rates %@; "
                          + "OpenBLAS %@ kernel at 1 thread, products split over %d engine threads; %.2f CPUs busy)",
                          preset, rule, steps, batch, perSecond, unit, gflops, Double(peakRSSBytes) / 1_048_576,
                          rates, openblasCore, threads, cpusBusy)
        }
    }

    /// The rules a configuration may name: the learning rules, and "infer".
    public static func isRule(_ name: String) -> Bool { name == "infer" || LearningRuleKind(rawValue: name) != nil }

    /// Measures one configuration; throws for an unknown preset or rule.
    public static func run(_ options: Options) throws -> Result {
        guard let spec = NetworkSpec.preset(options.preset) else { throw BenchmarkFailure("no preset '\(options.preset)'") }
        let infer = options.rule == "infer"
        let rule = LearningRuleKind(rawValue: options.rule)
        guard infer || rule != nil else { throw BenchmarkFailure("no rule '\(options.rule)'") }
        let (T, batch) = (options.steps, options.batch)
        let net = Network(spec: spec, seed: 1)
        if let threads = options.threads { Parallel.setWidth(threads) }
        let frames = self.frames(T, batch: batch, input: spec.input, seed: 7)
        var g = SeededGenerator(seed: 3)
        let labels = (0..<batch).map { _ in Int(g.next() % UInt64(spec.classes)) }
        var rates: [Double] = []
        var rateSamples = 0
        func noteRates() {
            let r = net.firingRates
            if rates.isEmpty { rates = r } else { for i in r.indices { rates[i] += r[i] } }
            rateSamples += 1
        }
        var count = 0, timed = 0
        /// Whether to time another batch: until `batches` are done, or `seconds` have passed.
        func goOn(_ start: Double, _ now: Double) -> Bool {
            timed += 1
            if let batches = options.batches { return timed < batches }
            return now - start < options.seconds
        }
        let timing: (() -> Void) -> (cpu: Double, wall: Double) = { batchOnce in
            let cpu = Clocks.processCPU(), start = Clocks.wall()
            var now = start
            repeat {
                batchOnce()
                now = Clocks.wall()
            } while goOn(start, now)
            return (Clocks.processCPU() - cpu, now - start)
        }
        let spent: (cpu: Double, wall: Double)
        if let rule {
            var learning = rule.make()
            let sgd = SGD(learningRate: 1e-4, momentum: 0.9)
            // Warm-up, with the firing rates.
            _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd) { _, _ in noteRates() }
            spent = timing {
                _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd)
                count += batch
            }
        } else {
            net.reset(batchSize: batch, mode: .none, training: false)
            for f in frames { net.step(f); noteRates() }   // warm-up, with the firing rates
            spent = timing {
                for f in frames { net.step(f) }
                count += frames.count
            }
        }
        let perSecond = Double(count) / spent.wall
        let macs = Double(net.multiplyAddsPerStep)
        let flops = infer ? perSecond * Double(batch) * 2 * macs : perSecond * Double(T) * 6 * macs
        return Result(preset: options.preset, rule: options.rule, steps: T, batch: batch, perSecond: perSecond,
                      unit: infer ? "time steps/s" : "samples/s", gflops: flops / 1e9,
                      firingRates: rates.map { $0 / Double(max(rateSamples, 1)) },
                      peakRSSBytes: ResidentMemory.current()?.peak ?? 0, cpusBusy: spent.cpu / spent.wall,
                      openblasCore: BLAS.coreName, threads: Parallel.width)
    }

    /// Frames like normalised CIFAR10-DVS input: an event with probability 0.3 per pixel, normalised per polarity.
    /// At most 10 distinct frames are made and repeated, so that the input's memory does not grow with T (the
    /// figure is the engine's memory, not the data set's).
    static func frames(_ t: Int, batch: Int, input: [Int], seed: UInt64) -> [Tensor] {
        let distinct = distinctFrames(min(t, 10), batch: batch, input: input, seed: seed)
        return (0..<t).map { distinct[$0 % distinct.count] }
    }

    private static func distinctFrames(_ t: Int, batch: Int, input: [Int], seed: UInt64) -> [Tensor] {
        let mean: [Float] = [0.2728, 0.1295], std: [Float] = [0.2225, 0.1290]
        var g = SeededGenerator(seed: seed)
        let plane = input[1] * input[2]
        return (0..<t).map { _ in
            let f = Tensor(shape: [batch] + input)
            for i in 0..<f.count {
                let c = (i / plane) % input[0] % 2
                let x: Float = g.uniform() < 0.3 ? 1 : 0
                f.data[i] = (x - mean[c]) / std[c]
            }
            return f
        }
    }
}
