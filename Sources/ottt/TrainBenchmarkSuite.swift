import Foundation
import Pictures
import Tensors

/// The figures `ottt bench train` compares with: PyTorch (the official OTTT code, torch 2.15 on 2 CPU threads) and
/// SpikingJelly on this machine kind, from ANCHORS.md, the better of each range (the one to beat), and issue 3's
/// goals as multiples of them.
enum TrainPeers {
    /// Training samples/s by preset and batch size.
    static let training: [String: [Int: Double]] = [
        "paper-cifar10dvs": [1: 0.84, 16: 3.1, 32: 3.1],
        "small48": [1: 45, 16: 95, 32: 110],
        "small32": [1: 61, 16: 206, 32: 225],
    ]
    /// Inference time steps/s at batch 1 by preset.
    static let inference: [String: Double] = ["paper-cifar10dvs": 27, "small48": 1660, "small32": 2190]
    /// Peak RSS in MiB of the whole PyTorch process at vgg, batch 8, by rule and T (importing torch alone: 740).
    static let memory: [String: [Int: Double]] = [
        "ottt-a": [5: 1542, 10: 1518, 20: 1496, 40: 1541],
        "bptt": [5: 2558, 10: 3929, 20: 7002, 40: 12307],
    ]
    /// Issue 3's goals: (preset, rule or "infer", batch) → the multiple of the peer to reach.
    static let goals: [String: Double] = [
        "paper-cifar10dvs ottt-a 1": 3, "paper-cifar10dvs ottt-a 16": 1.5, "small32 ottt-a 1": 5,
        "paper-cifar10dvs infer 1": 2, "small32 infer 1": 10,
    ]

    /// The peer figure for one configuration (training at T = 10 only: that is what the peers measured).
    static func figure(preset: String, rule: String, steps: Int, batch: Int) -> Double? {
        if rule == "infer" { return batch == 1 ? inference[preset] : nil }
        return steps == 10 && rule != "bptt" ? training[preset]?[batch] : nil
    }

    /// The matrix-product ceiling of this machine kind for the OpenBLAS kernel family in use (2 threads, sgemm on
    /// im2col shapes): 245 GFLOP/s with the Haswell (AVX2) kernels the environment forces, 437 with OpenBLAS's own
    /// AVX-512 choice; nil for another kernel.
    static func ceiling(core: String) -> Double? {
        let c = core.lowercased()
        if c.contains("haswell") || c.contains("zen") { return 245 }
        if c.contains("skylakex") || c.contains("cooperlake") || c.contains("sapphirerapids") { return 437 }
        return nil
    }
}

/// One configuration of the suite, measured in a child process of its own so that peak RSS is its own.
struct TrainBenchmarkCase: Hashable {
    var preset: String
    /// ottt-a, ottt-o, bptt or infer.
    var rule: String
    var steps: Int
    var batch: Int

    /// The words of `ottt bench train --one …` for this case.
    func arguments(seconds: Double) -> [String] {
        ["bench", "train", "--one", "--preset", preset, "--rule", rule, "--steps", "\(steps)", "--batch", "\(batch)",
         "--seconds", "\(seconds)", "--json", "--no-check"]
    }
}

/// What a child reported for one case (its `--json` line).
struct TrainBenchmarkFigure {
    var run: TrainBenchmarkCase
    var perSecond: Double
    var gflops: Double
    var firingRates: [Double]
    var peakMiB: Double
    var core: String
    var threads: Int
    var cpusBusy: Double?
    /// The 1024³ product's GFLOP/s measured on this machine in the children's environment (`ottt bench gemm
    /// --square`), when the suite measured it.
    var measuredCeiling: Double?

    init(run: TrainBenchmarkCase, json: [String: Any]) throws {
        guard let rate = json["per_second"] as? Double, let gflops = json["gflops"] as? Double,
              let rss = json["peak_rss_bytes"] as? Int else {
            throw CommandFailure("bench train: the child's figures lack per_second, gflops or peak_rss_bytes: \(json)")
        }
        self.run = run
        perSecond = rate
        self.gflops = gflops
        firingRates = json["firing_rates"] as? [Double] ?? []
        peakMiB = Double(rss) / 1_048_576
        core = json["openblas_core"] as? String ?? "unknown"
        threads = json["threads"] as? Int ?? 0
        cpusBusy = json["cpus_busy"] as? Double
    }

    var unit: String { run.rule == "infer" ? "steps/s" : "samples/s" }
    var peer: Double? { TrainPeers.figure(preset: run.preset, rule: run.rule, steps: run.steps, batch: run.batch) }
    var goal: Double? { TrainPeers.goals["\(run.preset) \(run.rule) \(run.batch)"] }
    var meanFiringRate: Double { firingRates.isEmpty ? 0 : firingRates.reduce(0, +) / Double(firingRates.count) }

    /// One table row: the figure, the peer and the ratio (with the goal), GFLOP/s and its share of the ceiling,
    /// peak RSS and the firing rates seen.
    var row: String {
        let ratio = peer.map { p in
            String(format: "×%.2f of %.4g", perSecond / p, p) + (goal.map { g in perSecond / p >= g ? " (goal ×\(g) met)" : " (goal ×\(g) not met)" } ?? "")
        } ?? "–"
        let anchors = TrainPeers.ceiling(core: core).map { String(format: "%.0f%% of ANCHORS' %.0f", 100 * gflops / $0, $0) }
        let here = measuredCeiling.map { String(format: "%.0f%% of %.0f here", 100 * gflops / $0, $0) }
        let share = [anchors, here].compactMap { $0 }.joined(separator: ", ")
        let rates = firingRates.map { String(format: "%.2f", $0) }.joined(separator: " ")
        let busy = cpusBusy.map { String(format: "  %.2f CPUs busy", $0) } ?? ""
        return String(format: "%-17@ %-6@ T=%-3d B=%-3d %10.2f %-9@ %-36@ %6.1f GFLOP/s (%@)  %7.0f MiB  rates %@%@",
                      run.preset, run.rule, run.steps, run.batch, perSecond, unit, ratio, gflops, share.isEmpty ? "ceiling ?" : share,
                      peakMiB, rates, busy)
    }

    var json: String {
        var object: [String: Any] = [
            "preset": run.preset, "rule": run.rule, "steps": run.steps, "batch": run.batch, "per_second": perSecond,
            "unit": unit, "gflops": gflops, "peak_rss_mib": peakMiB, "firing_rates": firingRates,
            "openblas_core": core, "threads": threads,
        ]
        if let peer { object["peer"] = peer; object["ratio"] = perSecond / peer }
        if let goal { object["goal_ratio"] = goal }
        if let c = TrainPeers.ceiling(core: core) { object["ceiling_gflops"] = c; object["ceiling_share"] = gflops / c }
        if let cpusBusy { object["cpus_busy"] = cpusBusy }
        if let m = measuredCeiling { object["measured_ceiling_gflops"] = m; object["measured_ceiling_share"] = gflops / m }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs cases one child process each (`ottt bench train --one …`) and collects their figures.
struct TrainBenchmarkRunner {
    /// Children run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (OpenBLAS picks its own kernel).
    var nativeBLAS = false
    var seconds = 2.0

    func measure(_ run: TrainBenchmarkCase) throws -> TrainBenchmarkFigure {
        let object = try child(run.arguments(seconds: seconds), what: "\(run.preset) \(run.rule) T=\(run.steps) B=\(run.batch)")
        return try TrainBenchmarkFigure(run: run, json: object)
    }

    /// The matrix-product ceiling in the children's environment: `ottt bench gemm --square` (a 1024³ product
    /// through the engine's path, best of 3 runs), in GFLOP/s.
    func measureCeiling() throws -> Double {
        let object = try child(["bench", "gemm", "--square", "--runs", "3", "--json"], what: "the 1024³ product")
        guard let gflops = object["gflops"] as? Double else {
            throw CommandFailure("bench train: the ceiling's figures lack gflops: \(object)")
        }
        return gflops
    }

    /// Runs this program with `arguments` in the children's environment and returns its last stdout line as JSON.
    private func child(_ arguments: [String], what: String) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TrainBenchmarkRunner.executable)
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if nativeBLAS {
            environment["OPENBLAS_CORETYPE"] = nil
            environment["OPENBLAS_L2_SIZE"] = nil
        }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw CommandFailure("bench train: cannot start \(TrainBenchmarkRunner.executable): \(error)") }
        let stderrData = ReadAll(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard p.terminationStatus == 0, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            let why = String(decoding: stderrData.wait(), as: UTF8.self).split(separator: "\n").last ?? "exit \(p.terminationStatus)"
            throw CommandFailure("bench train: \(what) failed: \(why)")
        }
        return object
    }

    /// This program, to run again as a child.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// Reads a pipe to its end on another thread (so that a child filling stderr never blocks on a full pipe).
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

extension TrainBenchmarkFigure {
    /// Peak RSS against T, one line per rule (the constant-memory claim), with PyTorch's vgg batch-8 figures when
    /// the measured preset is the same network and batch.
    static func memoryChart(_ figures: [TrainBenchmarkFigure], preset: String, batch: Int) -> SVGChart {
        var chart = SVGChart(title: "peak RSS against T: \(preset), batch \(batch)", xLabel: "time steps T",
                             yLabel: "peak resident memory (MiB)", integerX: true)
        for rule in ["ottt-a", "ottt-o", "bptt"] {
            let points = figures.filter { $0.run.rule == rule }.sorted { $0.run.steps < $1.run.steps }
            if !points.isEmpty { chart.add("ottt \(rule)", points.map { (Double($0.run.steps), $0.peakMiB) }) }
        }
        if preset == "paper-cifar10dvs" && batch == 8 {
            for (rule, figures) in TrainPeers.memory.sorted(by: { $0.key > $1.key }) {
                chart.add("PyTorch \(rule)", figures.sorted { $0.key < $1.key }.map { (Double($0.key), $0.value) }, dashed: true)
            }
        }
        return chart
    }
}

/// `ottt bench train` without `--one`: the table of cases (each in its own process), the peers and ratios, and the
/// memory-against-T sweep with its chart.
struct TrainBenchmarkSuite {
    static let usage = """
    usage: ottt bench train [--presets P,…] [--rules R,…] [--batches B,…] [--steps T,…] [--full]
                            [--memory PRESET:B | --no-memory] [--memory-steps T,…] [--chart FILE.svg]
                            [--seconds S] [--native-blas] [--json]
           ottt bench train --one [--preset P] [--rule R] [--steps T] [--batch B] [--seconds S] [--json]

    Measures training samples/s (OTTT_A, OTTT_O, BPTT) and inference time steps/s at batch 1 on the presets, each
    configuration in a fresh child process (`--one`) so that its peak RSS (VmHWM) is its own. Prints every figure
    with the PyTorch/SpikingJelly figure of ANCHORS.md for the same case and the ratio (and issue 3's goal where
    there is one), the GFLOP/s reached and its share of the matrix-product ceiling: ANCHORS.md's (245 GFLOP/s
    with the Haswell kernels that OPENBLAS_CORETYPE=Haswell forces, 437 with OpenBLAS's own AVX-512 choice) and
    the one measured here first (a 1024³ product in the children's environment, `ottt bench gemm --square`), peak RSS,
    and the firing rate of every spiking layer. Inputs are dense normalised frames (an event at 30 % of pixels),
    so sparse kernels run at the firing rates printed, not at the near-silence of random spikes.
    Then peak RSS against T for each rule (the constant-memory claim), drawn with --chart.

    The default set takes a few minutes: all presets × ottt-a, ottt-o, bptt × batch 1, 16 at T = 10, inference at
    batch 1, paper-cifar10dvs OTTT_A at batch 8 (the memory goal), and memory against T = 5…80 on small32 at
    batch 16. --full runs every preset, rule and batch at T = 5, 10, 20, 40, 80 (long; BPTT's memory grows with T).

      --presets P,…      paper-cifar10dvs, small32, small48 (default all)
      --rules R,…        ottt-a, ottt-o, bptt (default all); inference is always measured unless --no-infer
      --batches B,…      training batch sizes (default 1,16)
      --steps T,…        time steps of the speed table (default 10)
      --memory PRESET:B  the memory-against-T sweep (default small32:16); paper-cifar10dvs:8 compares with PyTorch
      --memory-steps T,… (default 5,10,20,40,80)
      --no-memory        skip the sweep
      --chart FILE.svg   draw peak RSS against T per rule
      --seconds S        timing per configuration after one warm-up batch (default 2)
      --native-blas      run the children without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so that OpenBLAS picks
                         its own kernel (the figures say so and name the kernel); tests and CI keep them
      --json             one JSON object per configuration
      --reference F      the PyTorch reference file the engine must match before anything is timed (default
                         ../shared/reference/ottt_small.safetensors; skipped with a note when absent)
      --no-check         skip that check

    Examples:
      ottt bench train
      ottt bench train --presets paper-cifar10dvs --rules ottt-a --batches 1,16 --native-blas
      ottt bench train --presets small32 --no-infer --memory paper-cifar10dvs:8 --memory-steps 5,10,20,40 --chart mem.svg
    """

    var cases: [TrainBenchmarkCase] = []
    var memoryCases: [TrainBenchmarkCase] = []
    var memory: (preset: String, batch: Int)?
    var chart: String?
    var json = false
    var runner = TrainBenchmarkRunner()
    /// The PyTorch reference file the engine is checked against once before any timing (nil: --no-check).
    var reference: String? = TrainBenchmark.defaultReference

    init(arguments a: inout Arguments) throws {
        func list<T>(_ name: String, _ fallback: [T], _ parse: (String) -> T?) throws -> [T] {
            guard let text = try a.option(name) else { return fallback }
            return try text.split(separator: ",").map { w in
                guard let v = parse(String(w)) else { throw UsageError("--\(name): cannot use '\(w)'") }
                return v
            }
        }
        let presetNames = ["paper-cifar10dvs", "small32", "small48"]
        let rules = ["ottt-a", "ottt-o", "bptt"]
        let positive: (String) -> Int? = { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        let full = a.flag("full")
        let presets = try list("presets", presetNames) { presetNames.contains($0) ? $0 : nil }
        let chosenRules = try list("rules", rules) { rules.contains($0) ? $0 : nil }
        let batches = try list("batches", [1, 16], positive)
        let steps = try list("steps", full ? [5, 10, 20, 40, 80] : [10], positive)
        let infer = !a.flag("no-infer")
        let noMemory = a.flag("no-memory")
        let memoryText = try a.option("memory") ?? "small32:16"
        let memorySteps = try list("memory-steps", [5, 10, 20, 40, 80], positive)
        chart = try a.option("chart")
        runner.seconds = try a.option("seconds", default: 2) { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
        runner.nativeBLAS = a.flag("native-blas")
        json = a.flag("json")
        let path = try a.option("reference") ?? TrainBenchmark.defaultReference
        reference = a.flag("no-check") ? nil : path
        try a.finish()

        for preset in presets {
            for t in steps {
                for b in batches { for r in chosenRules { cases.append(TrainBenchmarkCase(preset: preset, rule: r, steps: t, batch: b)) } }
                if infer { cases.append(TrainBenchmarkCase(preset: preset, rule: "infer", steps: t, batch: 1)) }
            }
        }
        let memoryGoal = TrainBenchmarkCase(preset: "paper-cifar10dvs", rule: "ottt-a", steps: 10, batch: 8)
        if presets.contains(memoryGoal.preset) && chosenRules.contains(memoryGoal.rule) && steps.contains(10) && !full
            && !cases.contains(memoryGoal) {
            cases.append(memoryGoal)
        }
        if !noMemory {
            let parts = memoryText.split(separator: ":")
            guard parts.count == 2, presetNames.contains(String(parts[0])), let b = positive(String(parts[1])) else {
                throw UsageError("--memory: expected PRESET:BATCH such as small32:16, found '\(memoryText)'")
            }
            memory = (String(parts[0]), b)
            memoryCases = chosenRules.flatMap { r in memorySteps.map { TrainBenchmarkCase(preset: String(parts[0]), rule: r, steps: $0, batch: b) } }
        } else if chart != nil {
            throw UsageError("--chart draws the memory sweep; drop --no-memory")
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let blas = runner.nativeBLAS
            ? "children run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (unset by --native-blas)"
            : "OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)") OPENBLAS_L2_SIZE=\(env["OPENBLAS_L2_SIZE"] ?? "(unset)")"
        if !json {
            print("ottt bench train: \(cases.count + memoryCases.count) configurations, one process each, \(runner.seconds) s each; \(blas)")
            print("peers: ANCHORS.md (official OTTT code on torch 2.15, 2 threads; the better of each range); training peers are at T = 10")
        }
        let ceiling = try runner.measureCeiling()
        if !json {
            print(String(format: "matrix-product ceiling here: %.0f GFLOP/s (a 1024³ sgemm through the engine's path, ", ceiling)
                  + "best of 3; `ottt bench gemm` times each preset's own products)")
        }
        let progress = ProgressLine("bench train")
        var done = 0
        let total = cases.count + memoryCases.count
        var cores = Set<String>()
        func measure(_ c: TrainBenchmarkCase) throws -> TrainBenchmarkFigure {
            progress.update(fraction: Double(done) / Double(total), detail: "\(c.preset) \(c.rule) T=\(c.steps) B=\(c.batch)")
            var f = try runner.measure(c)
            f.measuredCeiling = ceiling
            done += 1
            cores.insert("\(f.core), \(f.threads) threads")
            progress.finish()
            print(json ? f.json : f.row)
            fflush(nil)
            return f
        }
        var measured: [TrainBenchmarkCase: TrainBenchmarkFigure] = [:]
        for c in cases { measured[c] = try measure(c) }
        var sweep: [TrainBenchmarkFigure] = []
        if let memory, !memoryCases.isEmpty {
            if !json { print("\npeak RSS against T: \(memory.preset), batch \(memory.batch)") }
            for c in memoryCases { sweep.append(try measured[c] ?? measure(c)) }
            if !json { print(TrainBenchmarkSuite.memorySummary(sweep)) }
            if let chart {
                try SVGChart.write([TrainBenchmarkFigure.memoryChart(sweep, preset: memory.preset, batch: memory.batch)], to: chart)
                if !json { print("wrote \(chart)") }
            }
        }
        if !json { print("OpenBLAS kernel in the children: \(cores.sorted().joined(separator: "; "))") }
    }

    /// Growth of peak RSS from the smallest to the largest T per rule (goal for OTTT: under 5 % from 10 to 80).
    static func memorySummary(_ figures: [TrainBenchmarkFigure]) -> String {
        var lines: [String] = []
        for rule in ["ottt-a", "ottt-o", "bptt"] {
            let f = figures.filter { $0.run.rule == rule }.sorted { $0.run.steps < $1.run.steps }
            guard let first = f.first, let last = f.last else { continue }
            let base = f.first { $0.run.steps == 10 } ?? first
            let mem = f.map { "T=\($0.run.steps) \(Int($0.peakMiB.rounded())) MiB" }.joined(separator: ", ")
            lines.append(String(format: "  %-7@ %@; T=%d→%d: %+.1f %%", rule, mem, base.run.steps, last.run.steps,
                                100 * (last.peakMiB / base.peakMiB - 1)))
        }
        return lines.joined(separator: "\n")
    }
}
