import Foundation
import Testing
@testable import ottt

@Suite("bench train suite")
struct TrainBenchmarkSuiteTests {
    func suite(_ words: [String]) throws -> TrainBenchmarkSuite {
        var a = Arguments(words)
        return try TrainBenchmarkSuite(arguments: &a)
    }

    @Test("the default set: presets × rules × batch 1, 16 at T = 10, inference at batch 1, vgg batch 8, small32 memory sweep")
    func defaults() throws {
        let s = try suite([])
        #expect(s.cases.count == 3 * 3 * 2 + 3 + 1)
        #expect(s.cases.contains(TrainBenchmarkCase(preset: "paper-cifar10dvs", rule: "ottt-a", steps: 10, batch: 8)))
        #expect(s.cases.filter { $0.rule == "infer" }.allSatisfy { $0.batch == 1 && $0.steps == 10 })
        #expect(s.memoryCases.count == 15)
        #expect(Set(s.memoryCases.map(\.steps)) == [5, 10, 20, 40, 80])
        #expect(s.memoryCases.allSatisfy { $0.preset == "small32" && $0.batch == 16 })
        #expect(s.runner.seconds == 2 && !s.runner.nativeBLAS)
    }

    @Test("flags choose a subset; --full sweeps T; a child gets --one with the case")
    func subsets() throws {
        let one = try suite(["--presets", "small32", "--rules", "bptt", "--batches", "4", "--no-infer", "--no-memory", "--native-blas"])
        #expect(one.cases == [TrainBenchmarkCase(preset: "small32", rule: "bptt", steps: 10, batch: 4)])
        #expect(one.memoryCases.isEmpty && one.runner.nativeBLAS)
        let vgg = try suite(["--presets", "paper-cifar10dvs", "--rules", "ottt-a", "--batches", "8", "--no-infer", "--no-memory"])
        #expect(vgg.cases == [TrainBenchmarkCase(preset: "paper-cifar10dvs", rule: "ottt-a", steps: 10, batch: 8)])
        let full = try suite(["--full", "--no-memory"])
        #expect(full.cases.count == 3 * 5 * (3 * 2 + 1))
        let words = one.cases[0].arguments(seconds: 1.5)
        #expect(words.starts(with: ["bench", "train", "--one"]) && words.contains("bptt") && words.contains("1.5"))
    }

    @Test("bad subsets are usage errors", arguments: [
        ["--presets", "vgg16"], ["--rules", "adam"], ["--batches", "0"], ["--memory", "small32"],
        ["--memory", "huge:8"], ["--no-memory", "--chart", "m.svg"], ["--seconds", "-1"], ["--what"],
    ])
    func usageErrors(words: [String]) {
        #expect(throws: UsageError.self) { try suite(words) }
    }

    func figure(_ c: TrainBenchmarkCase, rate: Double, mib: Double, core: String = "Haswell") throws -> TrainBenchmarkFigure {
        try TrainBenchmarkFigure(run: c, json: ["per_second": rate, "gflops": 122.5, "peak_rss_bytes": Int(mib * 1_048_576),
                                                 "firing_rates": [0.25, 0.125], "openblas_core": core, "threads": 2])
    }

    @Test("a figure carries the peer, the ratio, the goal and the share of the matrix-product ceiling")
    func ratios() throws {
        let f = try figure(TrainBenchmarkCase(preset: "small32", rule: "ottt-a", steps: 10, batch: 1), rate: 305, mib: 50)
        #expect(f.peer == 61 && f.goal == 5)
        #expect(f.row.contains("×5.00 of 61 (goal ×5.0 met)"))
        #expect(f.row.contains("50% of ANCHORS' 245"))            // 122.5 of 245
        var measured = f
        measured.measuredCeiling = 140
        #expect(measured.row.contains("50% of ANCHORS' 245, 88% of 140 here"))
        let measuredObject = try #require(try JSONSerialization.jsonObject(with: Data(measured.json.utf8)) as? [String: Any])
        #expect(measuredObject["measured_ceiling_gflops"] as? Double == 140)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(f.json.utf8)) as? [String: Any])
        #expect(object["ratio"] as? Double == 5 && object["ceiling_gflops"] as? Double == 245)
        #expect(object["firing_rates"] as? [Double] == [0.25, 0.125])
        let native = try figure(TrainBenchmarkCase(preset: "small32", rule: "infer", steps: 10, batch: 1), rate: 4380, mib: 30, core: "SkylakeX")
        #expect(native.peer == 2190 && native.row.contains("×2.00 of 2190 (goal ×10.0 not met)") && native.row.contains("28% of ANCHORS' 437"))
        let bptt = try figure(TrainBenchmarkCase(preset: "small32", rule: "bptt", steps: 10, batch: 1), rate: 10, mib: 30)
        #expect(bptt.peer == nil)
        #expect(throws: CommandFailure.self) { try TrainBenchmarkFigure(run: bptt.run, json: ["per_second": 1.0]) }
    }

    @Test("the memory summary gives the growth from T = 10; the vgg batch-8 chart adds PyTorch's curves")
    func memory() throws {
        let rules = ["ottt-a", "bptt"]
        var figures: [TrainBenchmarkFigure] = []
        for r in rules {
            for t in [5, 10, 20, 40, 80] {
                figures.append(try figure(TrainBenchmarkCase(preset: "paper-cifar10dvs", rule: r, steps: t, batch: 8),
                                          rate: 1, mib: r == "bptt" ? Double(100 * t) : 400 + Double(t) / 10))
            }
        }
        let summary = TrainBenchmarkSuite.memorySummary(figures)
        #expect(summary.contains("T=10→80: +700.0 %"))
        #expect(summary.contains("T=10→80: +1.7 %"))
        let chart = TrainBenchmarkFigure.memoryChart(figures, preset: "paper-cifar10dvs", batch: 8)
        #expect(chart.series.map(\.name) == ["ottt ottt-a", "ottt bptt", "PyTorch ottt-a", "PyTorch bptt"])
        #expect(TrainBenchmarkFigure.memoryChart(figures, preset: "small32", batch: 16).series.count == 2)
    }
}
