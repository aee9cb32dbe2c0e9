import Foundation
import SNN
import Tensors
import Training

/// `ottt bench train`: training and inference speed and peak memory of the engine on the presets.
struct TrainBenchmark: Command {
    static let name = "train"
    static let abstract = "Training/inference speed and peak RSS (OTTT_A, OTTT_O, BPTT; memory against T as SVG)."
    static let usage = TrainBenchmarkSuite.usage + """


    --one measures one configuration in this process (what the suite runs in each child):
      --preset P     paper-cifar10dvs | small32 | small48 (default small32)
      --rule R       ottt-a | ottt-o | bptt | infer (default ottt-a)
      --steps T      time steps per sample (default 10)
      --batch B      batch size (default 1)
      --seconds S    time at least S seconds after one warm-up batch (default 3)
      --batches N    time exactly N batches after the warm-up instead (tools/allocations-per-step varies it)
      --threads N    threads the engine's kernels and products use (default: all cores)
      --reference F  the reference file checked first (default ../shared/reference/ottt_small.safetensors)
      --no-check     skip that check (the suite checks once, before its children)
    It prints samples/s (training) or time steps/s (infer), the matrix-product rate (6 flops per multiply-add and
    step for training: forward, weight and input gradients; 2 for inference), the firing rate of each spiking
    layer, the CPUs kept busy (the engine's waiting threads spin briefly, and count), the OpenBLAS kernel (run at
    one thread: the engine splits large products over its own threads) and the peak resident memory of the process.
    """

    /// The suite (without `--one`), or nil when this process measures one configuration.
    let suite: TrainBenchmarkSuite?
    let preset: String
    let rule: String
    let steps: Int
    let batch: Int
    let seconds: Double
    let json: Bool
    let reference: String?
    let threads: Int?
    /// Batches timed, when given instead of a duration.
    let batches: Int?

    init(arguments: Arguments) throws {
        var a = arguments
        guard a.flag("one") else {
            suite = try TrainBenchmarkSuite(arguments: &a)
            (preset, rule, steps, batch, seconds, json) = ("", "", 0, 0, 0, suite!.json)
            reference = suite!.reference
            threads = nil
            batches = nil
            return
        }
        suite = nil
        preset = try a.option("preset") ?? "small32"
        guard NetworkSpec.preset(preset) != nil else { throw UsageError("no preset '\(preset)' (\(NetworkSpec.presetNames.joined(separator: ", ")))") }
        rule = try a.option("rule") ?? "ottt-a"
        guard rule == "infer" || LearningRuleKind(rawValue: rule) != nil else { throw UsageError("no rule '\(rule)'") }
        steps = try a.positiveInt("steps", default: 10)
        batch = try a.positiveInt("batch", default: 1)
        seconds = try a.option("seconds", default: 3) { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
        json = a.flag("json")
        threads = try SessionOptions.threadsOption(&a)
        batches = try a.positiveInt("batches")
        let path = try a.option("reference") ?? TrainBenchmark.defaultReference
        reference = a.flag("no-check") ? nil : path
        try a.finish()
    }

    static let defaultReference = "../shared/reference/ottt_small.safetensors"

    func run() throws {
        try TrainBenchmark.checkEngine(reference: reference)
        if let suite { return try suite.run() }
        let result = measure(steps: steps)
        if json {
            print(result.json)
        } else {
            print(result.text)
        }
    }

    // MARK: One configuration

    struct Result {
        var preset: String, rule: String, steps: Int, batch: Int
        var perSecond: Double          // samples/s (training) or time steps/s (inference)
        var gflops: Double
        var firingRates: [Double]
        var peakRSS: Int               // bytes
        var cpuShare: Double           // CPU seconds used per wall second over the timing (at most the threads)
        var core: String, threads: Int

        var unit: String { rule == "infer" ? "time steps/s" : "samples/s" }
        var text: String {
            let rates = firingRates.map { String(format: "%.3f", $0) }.joined(separator: " ")
            return String(format: "%@ %@ T=%d B=%d: %.2f %@, %.0f GFLOP/s, peak RSS %.0f MiB (firing rates %@; OpenBLAS %@ kernel at 1 thread, products split over %d engine threads; %.2f CPUs busy)",
                          preset, rule, steps, batch, perSecond, unit, gflops, Double(peakRSS) / 1048576, rates, core, threads, cpuShare)
        }
        var json: String {
            "{\"benchmark\": \"train\", \"preset\": \"\(preset)\", \"rule\": \"\(rule)\", \"steps\": \(steps), \"batch\": \(batch), "
                + "\"per_second\": \(String(format: "%.3f", perSecond)), \"unit\": \"\(unit)\", \"gflops\": \(String(format: "%.1f", gflops)), "
                + "\"firing_rates\": [\(firingRates.map { String(format: "%.4f", $0) }.joined(separator: ", "))], "
                + "\"peak_rss_bytes\": \(peakRSS), \"cpus_busy\": \(String(format: "%.2f", cpuShare)), \"openblas_core\": \"\(core)\", \"threads\": \(threads)}"
        }
    }

    func measure(steps T: Int) -> Result {
        let spec = NetworkSpec.preset(preset)!
        let net = Network(spec: spec, seed: 1)
        if let threads { Parallel.setWidth(threads) }
        let frames = TrainBenchmark.frames(T, batch: batch, input: spec.input, seed: 7)
        var g = SeededGenerator(seed: 3)
        let labels = (0..<batch).map { _ in Int(g.next() % UInt64(spec.classes)) }
        var rates = [Double](repeating: 0, count: 0)
        var rateSamples = 0
        func noteRates() {
            let r = net.firingRates
            if rates.isEmpty { rates = r } else { for i in r.indices { rates[i] += r[i] } }
            rateSamples += 1
        }
        var count = 0, timed = 0
        let elapsed: Double
        var cpuStart = 0.0
        /// Whether to time another batch: until `batches` are done, or `seconds` have passed.
        func goOn(_ start: UInt64, _ now: UInt64) -> Bool {
            timed += 1
            if let batches { return timed < batches }
            return Double(now - start) / 1e9 < seconds
        }
        if rule == "infer" {
            net.reset(batchSize: batch, mode: .none, training: false)
            for f in frames { net.step(f); noteRates() }   // warm-up, with the firing rates
            cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var now = start
            repeat {
                for f in frames { net.step(f) }
                count += frames.count
                now = DispatchTime.now().uptimeNanoseconds
            } while goOn(start, now)
            elapsed = Double(now - start) / 1e9
        } else {
            var learning = LearningRuleKind(rawValue: rule)!.make()
            let sgd = SGD(learningRate: 1e-4, momentum: 0.9)
            // Warm-up, with the firing rates.
            _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd) { _, _ in noteRates() }
            cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var now = start
            repeat {
                _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd)
                count += batch
                now = DispatchTime.now().uptimeNanoseconds
            } while goOn(start, now)
            elapsed = Double(now - start) / 1e9
        }
        let cpuShare = (cpuSeconds() - cpuStart) / elapsed
        let perSecond = Double(count) / elapsed
        let macs = Double(net.multiplyAddsPerStep)
        let flops = rule == "infer" ? perSecond * Double(batch) * 2 * macs : perSecond * Double(T) * 6 * macs
        return Result(preset: preset, rule: rule, steps: T, batch: batch, perSecond: perSecond, gflops: flops / 1e9,
                      firingRates: rates.map { $0 / Double(max(rateSamples, 1)) }, peakRSS: peakResidentBytes(), cpuShare: cpuShare,
                      core: BLAS.coreName, threads: Parallel.width)
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

    /// The engine agrees with PyTorch on the reference file before anything is timed (nil: no check).
    static func checkEngine(reference: String?) throws {
        guard let reference else { return }
        guard FileManager.default.fileExists(atPath: reference) else {
            printError("bench train: \(reference) not found; timing without the fidelity check")
            return
        }
        let failed = try ReferenceCheck(path: reference).run().filter { !$0.passed }
        guard failed.isEmpty else {
            throw CommandFailure("bench train: the engine disagrees with \(reference) on \(failed.map(\.name).joined(separator: ", "))")
        }
    }
}
/// User and system CPU time of the process so far, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The process's peak resident set (VmHWM in /proc/self/status), in bytes; 0 when unavailable.
func peakResidentBytes() -> Int { ResidentMemory.current()?.peak ?? 0 }
