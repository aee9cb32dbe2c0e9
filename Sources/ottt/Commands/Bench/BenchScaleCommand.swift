import Benchmarks
import Foundation
import MessagePassing
import Pictures
import SNN
import Tensors
import Training

/// `ottt bench scale`: data-parallel training here on 1 and 2 ranks in alternating rounds, the allreduce of each
/// network's gradients, and the projected efficiency on many machines.
struct BenchScaleCommand: Command {
    static let name = "scale"
    static let abstract = "Data-parallel scaling: 1 vs 2 ranks here, allreduce time, projected efficiency on N machines."
    static let usage = """
    usage: ottt bench scale [--presets P,…] [--batch B] [--steps N] [--seconds S] [--rounds R] [--chart FILE.svg] [--json]

    Trains synthetic samples (OTTT_A, batch B per rank) with each preset's network in R rounds; each round
    measures 1 rank × 1 thread, then 2 ranks × 1 thread (this command starts `mpirun --oversubscribe -np 2` on
    itself, with OMPI_MCA_btl_vader_single_copy_mechanism=none), each preset with OTTT_A and the first also with
    OTTT_O (an allreduce every time step). Every measurement times at least S seconds of global batches after
    one untimed warm-up batch. It reports each run's samples/s and the share of its steps spent summing over
    ranks; per configuration the weak scaling (2 ranks against twice 1 rank of the same round) as the median of
    the rounds with its lowest and highest; 1 rank × 2 threads once; the median time of one allreduce of each
    network's gradients on 2 ranks; and the efficiency projected for 4–64 machines at 10 and 100 Gb/s from the
    median 1-thread compute (scaled to T 10) and a ring allreduce without overlap (a lower bound), as a table
    and an SVG chart. The defaults take about 2–3 minutes on an idle 2-core machine.

      --presets P,…   \(NetworkSpec.presetNames.joined(separator: ", ")) (default small32,paper-cifar10dvs)
      --batch B       samples per rank per step (default 16)
      --steps N       time steps per sample (default 4; compute is scaled to T 10 for the projection)
      --seconds S     time at least S seconds per measurement after one warm-up batch (default 3)
      --rounds R      rounds of 1-rank then 2-rank runs (default 3)
      --chart FILE    the projection chart (default scale.svg)
      --json          one JSON object per figure

    Example:
      ottt bench scale --presets small32 --batch 16 --rounds 5
    """

    var presets = ["small32", "paper-cifar10dvs"]
    var batch = 16
    var steps = 4
    var seconds = 3.0
    var rounds = 3
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
        guard !presets.isEmpty else { throw UsageError("--presets names no preset") }
        batch = try a.positiveInt("batch", default: batch)
        a.rename("T", to: "steps")
        steps = try a.positiveInt("steps", default: steps)
        seconds = try a.option("seconds", default: seconds) { Double($0).flatMap { $0 >= 0 && $0 <= 3600 ? $0 : nil } }
        rounds = try a.positiveInt("rounds", default: rounds)
        chart = try a.option("chart") ?? chart
        json = a.flag("json")
        part = a.flag("part")
        try a.finish()
    }

    /// Every preset with OTTT_A, then the first with OTTT_O: the configurations of each round, on either side.
    var configurations: [(preset: String, rule: LearningRuleKind)] {
        presets.map { ($0, .otttA) } + [(presets[0], .otttO)]
    }

    func run() throws {
        if part { return try runPart() }
        let start = DispatchTime.now().uptimeNanoseconds
        var measured: [ScaleBenchmark.Round] = []
        var reductions: [ScaleBenchmark.Allreduce] = []
        for round in 1...rounds {
            Parallel.setWidth(1)
            var one: [ScaleBenchmark.Run] = []
            for (preset, rule) in configurations {
                var r = try ScaleBenchmark.measure(preset: preset, rule: rule, batch: batch, steps: steps,
                                                   budget: seconds, communicator: .single)
                r.round = round
                try BenchOutput.print(r, json: json, line: r.line)
                one.append(r)
            }
            let report = try twoRanks()
            var many = report.runs
            for i in many.indices {
                many[i].round = round
                try BenchOutput.print(many[i], json: json, line: many[i].line)
            }
            measured.append(ScaleBenchmark.Round(one: one, many: many))
            reductions += report.reductions
        }
        Parallel.setWidth(min(2, Parallel.cores))
        for preset in presets {
            let r = try ScaleBenchmark.measure(preset: preset, rule: .otttA, batch: batch, steps: steps, budget: seconds,
                                               communicator: .single)
            try BenchOutput.print(r, json: json, line: r.line)
        }
        Parallel.setWidth(1)
        let allreduces = ScaleBenchmark.medians(reductions)
        for r in allreduces { try BenchOutput.print(r, json: json, line: r.line) }
        if !json { print("") }
        for s in ScaleBenchmark.scaling(measured) {
            try BenchOutput.print(s, json: json, line: s.line)
            if s.rule == LearningRuleKind.otttO.rawValue && !json {
                print(String(format: "OTTT_O %@: an allreduce every time step, %.2f ms each (median, %.1f %% of the step)",
                             s.preset, 1000 * s.communicationSeconds / Double(steps), 100 * s.communicationShare))
            }
        }
        var projected: [ScaleBenchmark.Projected] = []
        let oneRank = measured.flatMap(\.one)
        for reduction in allreduces {
            guard let compute = ScaleBenchmark.projectedCompute(preset: reduction.preset, runs: oneRank, steps: 10) else { continue }
            projected += ScaleBenchmark.project(preset: reduction.preset, computeSeconds: compute,
                                                bytes: reduction.megabytes * 1e6)
        }
        for p in projected { try BenchOutput.print(p, json: json, line: p.line) }
        try SVGChart.write([ScaleBenchmark.chart(projected)], to: chart)
        if !json {
            let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "chart: %@\n%d rounds, at least %.1f s timed per measurement, %.0f s in all", chart,
                         rounds, seconds, total))
        }
    }

    /// Starts `mpirun -np 2` on this program with `--part` and reads the figures rank 0 prints.
    func twoRanks() throws -> ScaleBenchmark.Report {
        guard let launcher = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ "\($0)/mpirun" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CommandFailure("bench scale needs mpirun on PATH for its 2-rank figures (tools/setup installs openmpi-bin)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launcher)
        let me = Bundle.main.executablePath ?? CommandLine.arguments[0]
        var words = ["--oversubscribe", "-np", "2", me, "bench", "scale", "--part", "--presets", presets.joined(separator: ","),
                     "--batch", "\(batch)", "--steps", "\(steps)", "--seconds", "\(seconds)"]
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
        let report = try ScaleBenchmark.Report(parsing: String(decoding: data, as: UTF8.self))
        try report.check(runs: configurations.count, reductions: presets.count, ranks: 2)
        return report
    }

    /// One rank of the N-rank part: 1 thread, the round's configurations, then each preset's allreduce.
    func runPart() throws {
        let c = try Communicator.world()
        Parallel.setWidth(1)
        func say<T: Encodable>(_ value: T) throws { if c.isRoot { try BenchOutput.print(value, json: true, line: "") } }
        do {
            for (preset, rule) in configurations {
                try say(try ScaleBenchmark.measure(preset: preset, rule: rule, batch: batch, steps: steps, budget: seconds,
                                                   communicator: c))
            }
            for preset in presets { try say(try ScaleBenchmark.allreduce(preset: preset, communicator: c)) }
            try c.finalize()
        } catch {
            printError("ottt bench scale: rank \(c.rank): \(error)")
            c.abort(code: 1)
        }
    }
}
