import Benchmarks
import Foundation
import Pictures
import SNN

/// `ottt bench train` without `--one`: the table of cases (each in its own process) against the matrix-product
/// ceiling measured in the same run, and the memory-against-T sweep with its chart.
struct BenchTrainSuite {
    static let usage = """
    usage: ottt bench train [--presets P,…] [--rules R,…] [--batches B,…] [--steps T,…] [--full]
                            [--memory PRESET:B | --no-memory] [--memory-steps T,…] [--chart FILE.svg]
                            [--seconds S] [--native-blas] [--json]
           ottt bench train --one [--preset P] [--rule R] [--steps T] [--batch B] [--seconds S] [--json]

    Measures training samples/s (OTTT_A, OTTT_O, BPTT) and inference time steps/s at batch 1 on the presets, each
    configuration in a fresh child process (`--one`) so that its peak RSS (VmHWM) is its own. Prints every figure
    with the GFLOP/s reached and its share of the matrix-product ceiling measured first in the same run (a 1024³
    product in the children's environment, `ottt bench gemm --square`; a figure above that ceiling says the
    ceiling's measurement was noisy instead of a share), peak RSS, and the firing rate of every spiking layer. Inputs are dense normalised frames (an event at 30 % of pixels),
    so sparse kernels run at the firing rates printed, not at the near-silence of random spikes.
    Then peak RSS against T for each rule (the constant-memory claim), drawn with --chart.

    The default set takes a few minutes: all presets × ottt-a, ottt-o, bptt × batch 1, 16 at T = 10, inference at
    batch 1, paper-cifar10dvs OTTT_A at batch 8, and memory against T = 5…80 on small32 at
    batch 16. --full runs every preset, rule and batch at T = 5, 10, 20, 40, 80 (long; BPTT's memory grows with T).

      --presets P,…      \(NetworkSpec.presetNames.joined(separator: ", ")) (default all)
      --rules R,…        ottt-a, ottt-o, bptt (default all); inference is always measured unless --no-infer
      --batches B,…      training batch sizes (default 1,16)
      --steps T,…        time steps of the speed table (default 10)
      --memory PRESET:B  the memory-against-T sweep (default small32:16)
      --memory-steps T,… (default 5,10,20,40,80)
      --no-memory        skip the sweep
      --chart FILE.svg   draw peak RSS against T per rule
      --seconds S        timing per configuration after one warm-up batch (default 2)
      --native-blas      run the children without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so that OpenBLAS picks
                         its own kernel (the figures say so and name the kernel); tests and CI keep them
      --json             one JSON object per configuration
      --reference F      the PyTorch reference file the engine must match before anything is timed (default
                         \(EngineCheck.defaultReference); skipped with a note when absent)
      --no-check         skip that check

    Examples:
      ottt bench train
      ottt bench train --presets paper-cifar10dvs --rules ottt-a --batches 1,16 --native-blas
      ottt bench train --presets small32 --no-infer --memory paper-cifar10dvs:8 --memory-steps 5,10,20,40 --chart mem.svg
    """

    var plan: TrainPlan
    var runner = TrainSuiteRunner()
    var chart: String?
    var json = false
    /// The PyTorch reference file the engine is checked against once before any timing (nil: --no-check).
    var reference: String?

    init(arguments a: inout Arguments) throws {
        func list<T>(_ name: String, _ parse: (String) -> T?) throws -> [T]? {
            guard let text = try a.option(name) else { return nil }
            return try text.split(separator: ",").map { w in
                guard let v = parse(String(w)) else { throw UsageError("--\(name): cannot use '\(w)'") }
                return v
            }
        }
        let presetNames = NetworkSpec.presetNames
        let positive: (String) -> Int? = { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        var options = TrainPlan.Options()
        options.full = a.flag("full")
        options.presets = try list("presets") { presetNames.contains($0) ? $0 : nil } ?? options.presets
        options.rules = try list("rules") { TrainPlan.rules.contains($0) ? $0 : nil } ?? options.rules
        options.batches = try list("batches", positive) ?? options.batches
        options.steps = try list("steps", positive)
        options.infer = !a.flag("no-infer")
        let noMemory = a.flag("no-memory")
        let memoryText = try a.option("memory") ?? "small32:16"
        options.memorySteps = try list("memory-steps", positive) ?? options.memorySteps
        chart = try a.option("chart")
        runner.seconds = try a.option("seconds", default: 2) { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
        runner.nativeBLAS = a.flag("native-blas")
        json = a.flag("json")
        let path = try a.option("reference") ?? EngineCheck.defaultReference
        reference = a.flag("no-check") ? nil : path
        try a.finish()
        if noMemory {
            if chart != nil { throw UsageError("--chart draws the memory sweep; drop --no-memory") }
            options.memory = nil
        } else {
            let parts = memoryText.split(separator: ":")
            guard parts.count == 2, presetNames.contains(String(parts[0])), let b = positive(String(parts[1])) else {
                throw UsageError("--memory: expected PRESET:BATCH such as small32:16, found '\(memoryText)'")
            }
            options.memory = (String(parts[0]), b)
        }
        plan = TrainPlan(options)
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let blas = runner.nativeBLAS
            ? "children run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (unset by --native-blas)"
            : "OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)") OPENBLAS_L2_SIZE=\(env["OPENBLAS_L2_SIZE"] ?? "(unset)")"
        let say = { (line: String) in if !json { print(line) } }
        say("ottt bench train: \(plan.cases.count + plan.memoryCases.count) configurations, one process each, "
            + "\(runner.seconds) s each; \(blas)")
        let progress = ProgressLine("bench train")
        try TrainSuite.run(plan, runner: runner) { report in
            switch report {
            case .ceiling(let gflops):
                say(String(format: "matrix-product ceiling here: %.0f GFLOP/s (a 1024³ sgemm through the engine's path, ", gflops)
                    + "best of 3; `ottt bench gemm` times each preset's own products)")
            case .starting(let c, let done, let total):
                progress.update(fraction: Double(done) / Double(total), detail: c.description)
            case .figure(let f):
                progress.finish()
                try BenchOutput.print(f.line, json: json, line: f.row)
            case .sweepStarting(let preset, let batch):
                say("\npeak RSS against T: \(preset), batch \(batch)")
            case .sweep(let figures):
                say(TrainFigure.memorySummary(figures))
                if let chart, let memory = plan.memory {
                    try SVGChart.write([BenchTrainSuite.memoryChart(figures, preset: memory.preset, batch: memory.batch)],
                                       to: chart)
                    say("wrote \(chart)")
                }
            case .kernels(let kernels):
                say("OpenBLAS kernel in the children: \(kernels.joined(separator: "; "))")
            }
        }
    }

    /// Peak RSS against T, one line per rule (the constant-memory claim).
    static func memoryChart(_ figures: [TrainFigure], preset: String, batch: Int) -> SVGChart {
        var chart = SVGChart(title: "peak RSS against T: \(preset), batch \(batch)", xLabel: "time steps T",
                             yLabel: "peak resident memory (MiB)", integerX: true)
        for rule in TrainPlan.rules {
            let points = figures.filter { $0.run.rule == rule }.sorted { $0.run.steps < $1.run.steps }
            if !points.isEmpty { chart.add("ottt \(rule)", points.map { (Double($0.run.steps), $0.peakMiB) }) }
        }
        return chart
    }
}
