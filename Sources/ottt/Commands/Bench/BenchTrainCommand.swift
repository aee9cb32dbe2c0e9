import Benchmarks
import Foundation
import SNN

/// `ottt bench train`: training and inference speed and peak memory of the engine on the presets; the suite
/// (`BenchTrainSuite`) or, with `--one`, one configuration in this process.
struct BenchTrainCommand: Command {
    static let name = "train"
    static let abstract = "Training/inference speed and peak RSS (OTTT_A, OTTT_O, BPTT; memory against T as SVG)."
    static let usage = BenchTrainSuite.usage + """


    --one measures one configuration in this process (what the suite runs in each child):
      --preset P     \(NetworkSpec.presetNames.joined(separator: " | ")) (default small32)
      --rule R       ottt-a | ottt-o | bptt | infer (default ottt-a)
      --steps T      time steps per sample (default 10)
      --batch B      batch size (default 1)
      --seconds S    time at least S seconds after one warm-up batch (default 3)
      --batches N    time exactly N batches after the warm-up instead (tools/allocations-per-step varies it)
      --threads N    threads the engine's kernels and products use (default: all cores)
      --reference F  the reference file checked first (default \(EngineCheck.defaultReference))
      --no-check     skip that check (the suite checks once, before its children)
    It prints samples/s (training) or time steps/s (infer), the matrix-product rate (6 flops per multiply-add and
    step for training: forward, weight and input gradients; 2 for inference), the firing rate of each spiking
    layer, the CPUs kept busy (the engine's waiting threads spin briefly, and count), the OpenBLAS kernel (run at
    one thread: the engine splits large products over its own threads) and the peak resident memory of the process.
    """

    /// The suite (without `--one`), or nil when this process measures one configuration.
    let suite: BenchTrainSuite?
    var one = TrainMeasurement.Options()
    let json: Bool
    /// The PyTorch reference file the engine is checked against before any timing (nil: --no-check).
    let reference: String?

    init(arguments: Arguments) throws {
        var a = arguments
        guard a.flag("one") else {
            let suite = try BenchTrainSuite(arguments: &a)
            self.suite = suite
            json = suite.json
            reference = suite.reference
            return
        }
        suite = nil
        one.preset = try a.option("preset") ?? one.preset
        guard NetworkSpec.preset(one.preset) != nil else {
            throw UsageError("no preset '\(one.preset)' (\(NetworkSpec.presetNames.joined(separator: ", ")))")
        }
        one.rule = try a.option("rule") ?? one.rule
        guard TrainMeasurement.isRule(one.rule) else { throw UsageError("no rule '\(one.rule)'") }
        one.steps = try a.positiveInt("steps", default: one.steps)
        one.batch = try a.positiveInt("batch", default: one.batch)
        one.seconds = try a.option("seconds", default: one.seconds) { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
        json = a.flag("json")
        one.threads = try SessionOptions.threadsOption(&a)
        one.batches = try a.positiveInt("batches")
        let path = try a.option("reference") ?? EngineCheck.defaultReference
        reference = a.flag("no-check") ? nil : path
        try a.finish()
    }

    func run() throws {
        if let reference, case .missing(let path) = try EngineCheck.run(reference: reference) {
            printError("bench train: \(path) not found; timing without the fidelity check")
        }
        if let suite { return try suite.run() }
        let r = try TrainMeasurement.run(one)
        try BenchOutput.print(r, json: json, line: r.line)
    }
}
