import Benchmarks
import Foundation
import MessagePassing
import Pictures
import SNN
import Tensors
import Training

/// `ottt bench scale`: data-parallel training here on 1 and 2 ranks, the allreduce of each network's gradients,
/// and the projected efficiency on many machines.
struct BenchScaleCommand: Command {
    static let name = "scale"
    static let abstract = "Data-parallel scaling: 1 vs 2 ranks here, allreduce time, projected efficiency on N machines."
    static let usage = """
    usage: ottt bench scale [--presets P,…] [--batch B] [--steps N] [--batches K] [--chart FILE.svg] [--json]

    Trains K global batches of synthetic samples (OTTT_A, batch B per rank) with each preset's network:
      1 rank × 1 thread, 1 rank × 2 threads, then 2 ranks × 1 thread (this command starts
      `mpirun --oversubscribe -np 2` on itself, with OMPI_MCA_btl_vader_single_copy_mechanism=none), and reports
    samples/s, the share of each step spent summing over ranks, and the weak scaling (2 ranks against twice one
    rank). Also: OTTT_O on the first preset (an allreduce every time step), the time of one allreduce of each
    network's gradients on 2 ranks, and the efficiency projected for 4–64 machines at 10 and 100 Gb/s from the
    measured 1-thread compute (scaled to T 10) and a ring allreduce without overlap (a lower bound), as a table
    and an SVG chart.

      --presets P,…   \(NetworkSpec.presetNames.joined(separator: ", ")) (default small32,paper-cifar10dvs)
      --batch B       samples per rank per step (default 16)
      --steps N       time steps per sample (default 4; compute is scaled to T 10 for the projection)
      --batches K     global batches per measurement (default 4 for small presets, 2 for the paper's network)
      --chart FILE    the projection chart (default scale.svg)
      --json          one JSON object per figure

    Example:
      ottt bench scale --presets small32 --batch 16
    """

    var presets = ["small32", "paper-cifar10dvs"]
    var batch = 16
    var steps = 4
    var batches: Int?
    var chart = "scale.svg"
    var json = false
    /// Set in the ranks this command starts under mpirun: measure on the world and print JSON lines on rank 0.
    var part = false

    init(arguments: Arguments) throws {
        var a = arguments
        if let list = try a.option("presets") {
            presets = list.split(separator: ",").map(String.init)
            for p in presets where NetworkSpec.preset(p) == nil {
                throw UsageError("no preset '\(p)' (\(NetworkSpec.presetNames.joined(separator: ", ")))")
            }
        }
        batch = try a.positiveInt("batch", default: batch)
        a.rename("T", to: "steps")
        steps = try a.positiveInt("steps", default: steps)
        batches = try a.positiveInt("batches")
        chart = try a.option("chart") ?? chart
        json = a.flag("json")
        part = a.flag("part")
        try a.finish()
    }

    func batchCount(_ preset: String) -> Int { batches ?? (preset.hasPrefix("paper") ? 2 : 4) }

    func run() throws {
        if part { return try runPart() }
        var one: [String: ScaleBenchmark.Run] = [:]
        for preset in presets {
            for threads in [1, min(2, Parallel.cores)] {
                Parallel.setWidth(threads)
                let r = try ScaleBenchmark.measure(preset: preset, rule: .otttA, batch: batch, steps: steps,
                                                   batches: batchCount(preset), communicator: .single)
                try BenchOutput.print(r, json: json, line: r.line)
                if threads == 1 { one[preset] = r }
            }
        }
        Parallel.setWidth(1)
        let first = presets[0]
        let oneO = try ScaleBenchmark.measure(preset: first, rule: .otttO, batch: batch, steps: steps,
                                              batches: batchCount(first), communicator: .single)
        try BenchOutput.print(oneO, json: json, line: oneO.line)
        let (runs, reductions) = try twoRanks()
        for r in runs { try BenchOutput.print(r, json: json, line: r.line) }
        for r in reductions { try BenchOutput.print(r, json: json, line: r.line) }
        if !json { print("") }
        for r in runs {
            guard let base = r.rule == "ottt-a" ? one[r.preset] : oneO.preset == r.preset ? oneO : nil else { continue }
            let scaling = r.samplesPerSecond / (2 * base.samplesPerSecond)
            if !json {
                print(String(format: "weak scaling %-17@ %@: 2 ranks reach %.1f %% of 2 × 1 rank; "
                             + "communication %.1f %% of the step", r.preset, r.rule,
                             100 * scaling, 100 * r.communicationShare))
            }
            if r.rule == "ottt-o" && !json {
                print(String(format: "OTTT_O %@: an allreduce every time step, %.2f ms each (%.1f %% of the step)",
                             r.preset, 1000 * r.communicationSeconds / Double(r.steps), 100 * r.communicationShare))
            }
        }
        var projected: [ScaleBenchmark.Projected] = []
        for reduction in reductions {
            guard let base = one[reduction.preset] else { continue }
            let compute = base.stepSeconds * 10 / Double(steps)
            projected += ScaleBenchmark.project(preset: reduction.preset, computeSeconds: compute,
                                                bytes: reduction.megabytes * 1e6)
        }
        for p in projected { try BenchOutput.print(p, json: json, line: p.line) }
        try SVGChart.write([ScaleBenchmark.chart(projected)], to: chart)
        if !json { print("chart: \(chart)") }
    }

    /// Starts `mpirun -np 2` on this program with `--part` and reads the figures rank 0 prints.
    func twoRanks() throws -> ([ScaleBenchmark.Run], [ScaleBenchmark.Allreduce]) {
        guard let launcher = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ "\($0)/mpirun" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CommandFailure("bench scale needs mpirun on PATH for its 2-rank figures (tools/setup installs openmpi-bin)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launcher)
        let me = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var words = ["--oversubscribe", "-np", "2", me, "bench", "scale", "--part",
                     "--presets", presets.joined(separator: ","), "--batch", "\(batch)", "--steps", "\(steps)"]
        if let batches { words += ["--batches", "\(batches)"] }
        if getuid() == 0 { words.insert("--allow-run-as-root", at: 0) }
        p.arguments = words
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = environment["OMPI_MCA_btl_vader_single_copy_mechanism"] ?? "none"
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CommandFailure("the 2-rank part stopped with status \(p.terminationStatus)") }
        var runs: [ScaleBenchmark.Run] = [], reductions: [ScaleBenchmark.Allreduce] = []
        let decoder = JSONDecoder()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let bytes = Data(line.utf8)
            if let r = try? decoder.decode(ScaleBenchmark.Run.self, from: bytes) { runs.append(r) }
            else if let r = try? decoder.decode(ScaleBenchmark.Allreduce.self, from: bytes) { reductions.append(r) }
        }
        return (runs, reductions)
    }

    /// One rank of the 2-rank part: 1 thread, every preset with OTTT_A, the first with OTTT_O, the allreduces.
    func runPart() throws {
        let c = try Communicator.world()
        Parallel.setWidth(1)
        func say<T: Encodable>(_ value: T) throws { if c.isRoot { try BenchOutput.print(value, json: true, line: "") } }
        do {
            for preset in presets {
                try say(try ScaleBenchmark.measure(preset: preset, rule: .otttA, batch: batch, steps: steps,
                                                   batches: batchCount(preset), communicator: c))
            }
            try say(try ScaleBenchmark.measure(preset: presets[0], rule: .otttO, batch: batch, steps: steps,
                                               batches: batchCount(presets[0]), communicator: c))
            for preset in presets { try say(try ScaleBenchmark.allreduce(preset: preset, communicator: c)) }
            try c.finalize()
        } catch {
            printError("ottt bench scale: rank \(c.rank): \(error)")
            c.abort(code: 1)
        }
    }
}
