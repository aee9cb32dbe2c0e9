import Benchmarks
import Foundation
import SNN
import Testing
import TestSupport
@testable import ottt

@Suite("ottt bench")
struct BenchCommandTests {
    @Test("--help after a benchmark's name shows that benchmark's usage; alone, the list",
          arguments: BenchCommand.benchmarks.map { $0.name })
    func helpRouting(name: String) throws {
        let type = try #require(BenchCommand.benchmarks.first { $0.name == name })
        #expect(BenchCommand.help(for: Arguments([name, "--help"])) == type.usage)
        #expect(BenchCommand.help(for: Arguments(["--help"])) == BenchCommand.usage)
    }

    @Test("no help text speaks of documents, issues or peer figures a user cannot see",
          arguments: BenchCommand.benchmarks.map { $0.name })
    func helpSpeaksOfWhatUsersSee(name: String) throws {
        let type = try #require(BenchCommand.benchmarks.first { $0.name == name })
        for word in ["ANCHORS", "issue", "tonic", "dv-processing", "expelliarmus", "numpy"] {
            #expect(!type.usage.contains(word) && !type.abstract.contains(word), "\(name) mentions \(word)")
        }
    }

    @Test("an unknown benchmark is a usage error")
    func unknown() {
        #expect(throws: UsageError.self) { try BenchCommand(arguments: Arguments(["nonesuch"])) }
    }

    @Test("bench decode: --formats picks cases, an unknown one is a usage error")
    func decode() throws {
        let d = try BenchDecodeCommand(arguments: Arguments(["--events", "3000", "--formats", "evt2,aedat4-lz4"]))
        #expect(d.options.events == 3000 && d.options.cases.map(\.name) == ["evt2", "aedat4-lz4"])
        #expect(throws: UsageError.self) { try BenchDecodeCommand(arguments: Arguments(["--formats", "evt2,nope"])) }
    }

    @Test("bench decode runs a small case end to end")
    func decodeRuns() throws {
        try BenchDecodeCommand(arguments: Arguments(["--events", "3000", "--runs", "1", "--formats", "evt3", "--json"])).run()
    }

    @Test("bench gemm takes presets, batch and threads, refuses an unknown preset; --square times only the square")
    func gemm() throws {
        let g = try BenchGemmCommand(arguments: Arguments(["--presets", "small32,small48", "--batch", "4", "--runs", "1",
                                                           "--threads", "1"]))
        #expect(g.options.presetNames == ["small32", "small48"] && g.options.batch == 4 && g.options.runs == 1)
        #expect(g.threads == 1 && !g.squareOnly)
        #expect(throws: UsageError.self) { try BenchGemmCommand(arguments: Arguments(["--threads", "0"])) }
        #expect(throws: UsageError.self) { try BenchGemmCommand(arguments: Arguments(["--presets", "vgg11"])) }
        #expect(throws: UsageError.self) { try BenchGemmCommand(arguments: Arguments(["--batch", "0"])) }
        let square = try BenchGemmCommand(arguments: Arguments(["--square"]))
        #expect(square.squareOnly && square.options.presets.isEmpty)
    }

    @Test("soak defaults: an hour of digits at full speed, blocking; paced runs merge as live does")
    func soakDefaults() throws {
        let plain = try BenchSoakCommand(arguments: Arguments([]))
        #expect(plain.options.duration == 3_600_000_000 && plain.options.source == .digits && plain.options.whenBehind == .block)
        let paced = try BenchSoakCommand(arguments: Arguments(["--speed", "1", "--stream", "10min"]))
        #expect(paced.options.whenBehind == .merge && paced.options.duration == 600_000_000)
        #expect(try BenchSoakCommand(arguments: Arguments(["--net", "small32"])).network().classes == 10)
        #expect(throws: UsageError.self) { try BenchSoakCommand(arguments: Arguments(["--net", "no such words"])).network() }
    }

    @Test("bad soak options are usage errors", arguments: [
        ["--stream", "0s"], ["--source", "noise"], ["--when-behind", "later"], ["--every", "soon"], ["--bogus"],
    ])
    func soakBadOptions(words: [String]) {
        #expect(throws: UsageError.self) { try BenchSoakCommand(arguments: Arguments(words)) }
    }

    func suite(_ words: [String]) throws -> BenchTrainSuite {
        var a = Arguments(words)
        return try BenchTrainSuite(arguments: &a)
    }

    @Test("bench train: flags choose a subset of the plan")
    func trainSubsets() throws {
        let s = try suite([])
        #expect(s.plan.cases.count == TrainPlan(TrainPlan.Options()).cases.count && s.plan.memoryCases.count == 15)
        #expect(s.runner.seconds == 2 && !s.runner.nativeBLAS)
        let one = try suite(["--presets", "small32", "--rules", "bptt", "--batches", "4", "--no-infer", "--no-memory",
                             "--native-blas"])
        #expect(one.plan.cases == [TrainCase(preset: "small32", rule: "bptt", steps: 10, batch: 4)])
        #expect(one.plan.memoryCases.isEmpty && one.runner.nativeBLAS)
        let full = try suite(["--full", "--no-memory"])
        #expect(full.plan.cases.count == NetworkSpec.presetNames.count * 5 * (3 * 2 + 1))
    }

    @Test("bad train subsets are usage errors", arguments: [
        ["--presets", "vgg16"], ["--rules", "adam"], ["--batches", "0"], ["--memory", "small32"],
        ["--memory", "huge:8"], ["--no-memory", "--chart", "m.svg"], ["--seconds", "-1"], ["--what"],
    ])
    func trainUsageErrors(words: [String]) {
        #expect(throws: UsageError.self) { try suite(words) }
    }

    @Test("bench train --one parses one configuration; an unknown preset or rule is a usage error")
    func trainOne() throws {
        let t = try BenchTrainCommand(arguments: Arguments(["--one", "--preset", "small48", "--rule", "infer", "--batches", "2",
                                                            "--no-check"]))
        #expect(t.suite == nil && t.one.preset == "small48" && t.one.rule == "infer" && t.one.batches == 2)
        #expect(t.reference == nil)
        #expect(throws: UsageError.self) { try BenchTrainCommand(arguments: Arguments(["--one", "--preset", "vgg11"])) }
        #expect(throws: UsageError.self) { try BenchTrainCommand(arguments: Arguments(["--one", "--rule", "adam"])) }
    }

    @Test("the memory chart draws one curve per rule measured")
    func memoryChart() {
        let figures = ["ottt-a", "bptt"].flatMap { r in
            [5, 10].map { t in
                TrainFigure(run: TrainCase(preset: "small32", rule: r, steps: t, batch: 16),
                            measured: .init(preset: "small32", rule: r, steps: t, batch: 16, perSecond: 1,
                                            unit: "samples/s", gflops: 1, firingRates: [], peakRSSBytes: 1 << 20,
                                            cpusBusy: 1, openblasCore: "Haswell", threads: 2))
            }
        }
        let chart = BenchTrainSuite.memoryChart(figures, preset: "small32", batch: 16)
        #expect(chart.series.map(\.name) == ["ottt ottt-a", "ottt bptt"])
    }

    @Test("bench rules and gradients: tasks are required, the train flags apply, bad ones are usage errors", arguments: [
        ["rules"], ["rules", "--tasks", "synthetic", "--rules", "sgd"], ["rules", "--tasks", "synthetic", "--rule", "bptt"],
        ["rules", "--tasks", "synthetic", "--tau", "0"], ["gradients", "--tasks", "synthetic", "--probe", "0"],
        ["gradients", "--tasks", "synthetic", "--frobnicate"], ["rules", "--tasks", "synthetic", "--seeds", "1,x"],
        ["rules", "--tasks", "synthetic", "--seeds", "1,2", "--seed", "3"],
    ])
    func rulesUsage(words: [String]) {
        #expect(throws: UsageError.self) { try BenchCommand(arguments: Arguments(words)) }
    }

    @Test("bench rules runs every rule on a synthetic task; bench gradients measures every epoch")
    func rulesRun() throws {
        let small = ["--tasks", "synthetic", "--net", "2x8x8:c8-a2-fc4", "--T", "3", "--epochs", "1", "--samples", "32"]
        let rules = try BenchRulesCommand(arguments: Arguments(small + ["--rules", "ottt-a,bptt"]))
        #expect(rules.rules == [.otttA, .bptt] && rules.seeds.isEmpty && rules.out == nil)
        let seeded = try BenchRulesCommand(arguments: Arguments(small + ["--seeds", "4,5", "--out", "/tmp/runs"]))
        #expect(seeded.seeds == [4, 5] && seeded.out == "/tmp/runs")
        let tasks = try rules.tasks.load()
        #expect(tasks.count == 1 && tasks[0].config.steps == 3 && tasks[0].config.epochs == 1 && tasks[0].train.count == 32)
        let gradients = try BenchGradientsCommand(arguments: Arguments(small + ["--probe", "4", "--tau", "3"]))
        #expect(try gradients.tasks.load()[0].config.tau == 3 && gradients.probe == 4)
    }
}

